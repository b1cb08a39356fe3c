"""The whole assessment in a real browser: Playwright driving Debian's Chromium.

An admin creates a project and three members; each member signs in and answers; the ethics
member records the consensus and closes stage 1; findings are derived; the technical member
uploads evidence and resolves one; the ethics member verifies it and issues the card as PDF
(a POST that downloads it); the audit page shows an intact chain and the one issue.
Screenshots go to var/test-artifacts/e2e/.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from ethos.services import accounts, findings
from tests.conftest import IN_CI
from tests.web.conftest import PASSWORD, World

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "e2e"
SCORES = {"tech": "2", "biz": "3", "eth": "5"}

sync_api = (
    pytest.importorskip("playwright.sync_api")
    if not IN_CI
    else __import__("playwright.sync_api", fromlist=["sync_playwright"])
)


@pytest.fixture
def live_server(app, world: World) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app on a free loopback port, served by uvicorn in a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (`make test` installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(browser, base: str, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True, locale="en-GB")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click('form[action="/login"] button[type=submit]')
    page.wait_for_url(f"{base}/")
    return page


def test_the_whole_assessment_in_a_browser(live_server: str, chromium, world: World) -> None:  # type: ignore[no-untyped-def]
    base = live_server
    expect = sync_api.expect

    admin = sign_in(chromium, base, "admin")
    shot(admin, "01-dashboard")
    admin.goto(f"{base}/admin/users")
    for username in SCORES:
        admin.fill("#create-user input[name=username]", username)
        admin.fill("#create-user input[name=display_name]", f"{username.title()} Member")
        admin.fill("#create-user input[name=password]", PASSWORD)
        admin.click("#create-user button[type=submit]")
        expect(admin.locator(f'tr[data-username="{username}"]')).to_be_visible()
    admin.goto(f"{base}/projects/new")
    admin.fill("input[name=name]", "Loan advice bot")
    admin.select_option("select[name=type]", "product_development")
    admin.fill("textarea[name=purpose]", "Explains loan offers to customers in Korean and English.")
    admin.click('form[action="/projects"] button[type=submit]')
    expect(admin.locator("h1")).to_have_text("Loan advice bot")
    project_url = admin.url
    for username, role in (("tech", "technical"), ("biz", "business"), ("eth", "ethics")):
        admin.fill("#add-member input[name=name]", f"{username.title()} Member")
        admin.select_option("#add-member select[name=role]", role)
        admin.fill("#add-member input[name=username]", username)
        admin.click("#add-member button[type=submit]")
    expect(admin.locator("#task-force tr[data-member]")).to_have_count(3)
    shot(admin, "02-project")

    members = {u: sign_in(chromium, base, u) for u in SCORES}
    for username, page in members.items():
        page.goto(f"{project_url}/questionnaire")
        for _ in range(10):
            for group in page.locator("fieldset.item").all():
                group.locator(f'input[type=radio][value="{SCORES[username]}"]').check()
            page.click("#save-next")
            answered = page.locator("#answered")
            if answered.get_attribute("data-answered") == answered.get_attribute("data-total"):
                break
        assert answered.get_attribute("data-answered") == answered.get_attribute("data-total")
        if username == "eth":
            shot(page, "03-questionnaire")

    eth = members["eth"]
    eth.goto(f"{project_url}/profile")
    expect(eth.locator('#radar polygon[data-series="overall"]')).to_have_count(1)
    shot(eth, "04-profile")
    eth.goto(f"{project_url}/consensus")
    flagged = [s.get_attribute("data-item") for s in eth.locator("section[data-item]").all()]
    assert flagged
    for item in flagged:
        section = eth.locator(f'section[data-item="{item}"]')
        section.locator("select[name=score]").select_option("4")
        section.locator("input[name=note]").fill("Agreed after each member explained the score.")
        section.locator("button[type=submit]").click()
        expect(eth.locator(f'section[data-item="{item}"] .consensus-state')).to_be_visible()
    shot(eth, "05-consensus")
    eth.click("#close-stage1")
    eth.goto(f"{project_url}/findings")
    eth.click("#derive")
    expect(eth.locator("article.finding").first).to_be_visible()

    tech = members["tech"]
    tech.goto(f"{project_url}/findings")
    card = tech.locator('article.finding[data-status="open"]:not([data-priority="P3"])').first
    finding_id = card.get_attribute("data-finding")
    evidence = tmp_file(
        world.data_dir / "evaluation.md", "# Subgroup evaluation\nGap 1.2 points.\n"
    )
    card.locator("input[type=file]").set_input_files(str(evidence))
    card.locator("form[enctype] input[name=note]").fill("subgroup evaluation")
    card.locator("form[enctype] button[type=submit]").click()
    card = tech.locator(f'article[data-finding="{finding_id}"]')
    expect(card.locator("ul.evidence li")).to_have_count(1)
    card.locator("form[action$='/resolve'] input[name=note]").fill("Evaluated; gap below 2 points.")
    card.locator("form[action$='/resolve'] button").click()
    expect(tech.locator(f'article[data-finding="{finding_id}"]')).to_have_attribute(
        "data-status", "resolved"
    )

    eth.goto(f"{project_url}/findings")
    eth.locator(f'article[data-finding="{finding_id}"] button.verify').click()
    expect(eth.locator(f'article[data-finding="{finding_id}"]')).to_have_attribute(
        "data-status", "verified"
    )
    shot(eth, "06-findings")
    _, found = findings.list_findings(world.ctx, int(project_url.rsplit("/", 1)[1]))
    verified = next(f for f in found if f.id == int(finding_id or 0))
    assert verified.status.value == "verified" and verified.evidence[0].filename == "evaluation.md"

    eth.goto(f"{project_url}/card?lang=ko")
    shot(eth, "07-card")
    with eth.expect_download() as download:
        eth.click('#issue-card button[value="pdf"]')
    pdf = ARTIFACTS / "card-ko.pdf"
    download.value.save_as(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-")

    admin.goto(f"{base}/audit")
    expect(admin.locator("#chain")).to_have_attribute("data-ok", "true")
    expect(admin.locator('#events tr[data-action="card.issued"]')).to_have_count(1)
    shot(admin, "08-audit")

    admin.goto(f"{base}/lang/ko?next=/")
    expect(admin.locator("header nav")).to_contain_text("대시보드")
    shot(admin, "09-dashboard-ko")
    assert accounts.get_user(world.ctx, "eth").role == "user"

    # The ethics office records its committee with the form, in Korean, and downloads the
    # annual report; the chair's name is stored but not published.
    admin.goto(f"{base}/office/new?kind=committee")
    for name, value in {
        "name.ko": "AI 윤리위원회",
        "name.en": "AI Ethics Committee",
        "mandate.ko": "원칙의 이행을 감독한다.",
        "mandate.en": "Oversees how the principles are applied.",
        "members.0.role.ko": "위원장",
        "members.0.role.en": "Chair",
        "members.0.name": "Lee Taeyang",
    }.items():
        admin.fill(f'#office-form [name="{name}"]', value)
    admin.select_option('#office-form select[name="type"]', "committee")
    admin.fill('#office-form input[name="established"]', "2024-03-15")
    admin.click("#office-form button[type=submit]")
    expect(admin.locator("h1")).to_contain_text("AI 윤리위원회")
    expect(admin.locator("#names-withheld")).to_be_visible()
    expect(admin.locator("#record")).not_to_contain_text("Lee Taeyang")
    shot(admin, "10-office-record-ko")
    admin.goto(f"{base}/report")
    shot(admin, "11-report-ko")
    with admin.expect_download() as download:
        admin.click('#report-form button[value="md"]')
    report = ARTIFACTS / "report-ko.md"
    download.value.save_as(str(report))
    assert "AI 윤리위원회" in report.read_text(encoding="utf-8")


def tmp_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
