"""A domain error reaches a person in their language: a Korean page, or JSON with both texts."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient

from ethos.domain.errors import ContentError
from ethos.web.errors import public_message
from tests.web.conftest import Browser, World

Api = Callable[[str | None], TestClient]

MISSING_EN = "project '99999' not found (give its id or exact name)"
MISSING_KO = "과제 '99999'을(를) 찾을 수 없습니다(id나 정확한 이름을 지정하세요)"


def test_a_page_shows_the_korean_message_to_a_korean_reader(
    browser: Callable[..., Browser],
) -> None:
    b = browser("admin")
    english = b.get("/projects/99999")
    assert english.status_code == 404
    assert MISSING_EN in unescape(english.text) and MISSING_KO not in unescape(english.text)
    assert b.get("/lang/ko?next=/").status_code in (302, 303)
    korean = b.get("/projects/99999")
    assert korean.status_code == 404
    assert MISSING_KO in unescape(korean.text) and MISSING_EN not in unescape(korean.text)


def test_a_form_error_is_shown_in_korean(browser: Callable[..., Browser]) -> None:
    b = browser("admin")
    b.get("/lang/ko?next=/")
    bad = b.post("/projects", {"name": "Fine name", "type": "nonsense"})
    assert bad.status_code == 400
    text = unescape(bad.text)
    assert "--type: 'nonsense'은(는) 다음 중 하나가 아닙니다: " in text
    assert "is not one of" not in text


def test_the_api_answers_english_and_korean_side_by_side(api: Api, world: World) -> None:
    admin = api("admin")
    missing = admin.get("/api/v1/projects/99999")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"type": "not_found", "message": MISSING_EN, "message_ko": MISSING_KO}
    }
    invalid = admin.post("/api/v1/projects", json={"name": "X", "type": "nonsense"})
    error = invalid.json()["error"]
    assert invalid.status_code == 400 and set(error) == {"type", "message", "message_ko"}
    assert error["message"].startswith("--type: 'nonsense' is not one of: ")
    assert error["message_ko"].startswith("--type: 'nonsense'은(는) 다음 중 하나가 아닙니다: ")
    # the list of allowed values is the same in both languages
    assert error["message"].split(": ")[-1] == error["message_ko"].split(": ")[-1]


def test_an_error_without_korean_answers_json_without_message_ko(api: Api) -> None:
    response = api(None).get("/api/v1/projects")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"type", "message"}


def test_a_content_error_names_no_server_folder_in_either_language() -> None:
    error = ContentError(
        "/srv/ethos/content/risks/v1.yaml: not valid YAML at line 3, column 1: oops",
        ko="/srv/ethos/content/risks/v1.yaml: 올바른 YAML이 아닙니다(3번째 줄, 1번째 열): oops",
    )
    assert public_message(error) == "v1.yaml: not valid YAML at line 3, column 1: oops"
    assert (
        public_message(error, "ko") == "v1.yaml: 올바른 YAML이 아닙니다(3번째 줄, 1번째 열): oops"
    )
