// Saves questionnaire answers as they change. The form works without this script.
(function () {
  "use strict";
  var form = document.getElementById("answers");
  if (!form || form.dataset.autosave !== "on" || !window.fetch) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  function save() {
    var data = new FormData(form);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok && status) { status.textContent = status.dataset.savedText; }
    });
  }
  form.addEventListener("change", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 400);
  });
})();
