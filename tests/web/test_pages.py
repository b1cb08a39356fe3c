"""Every page renders for who may see it and refuses who may not (403 or 404, audited)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest

from ethos.services import audit, findings, stage1
from tests.web.conftest import Browser, World

SCORES = {"alice": 2, "bob": 3, "carol": 5}


def answer_all(world: World) -> None:
    """alice, bob and carol answer every item meant for them; carol is 3 points higher."""
    view = stage1.stage1_profile(world.ctx, world.projects["care"])
    for member in view.members:
        username = member.name.lower()
        entries = [
            stage1.SheetEntry(i.id, SCORES[username])
            for i in view.questionnaire.items_for(member.role)
        ]
        stage1.submit_answers(world.ctx, view.project.id, member=member.id, entries=entries)


def agree_and_close(world: World) -> None:
    pid = world.projects["care"]
    for item in stage1.stage1_profile(world.ctx, pid).profile.discuss:
        stage1.record_consensus(world.ctx, pid, item=item, score=4, note="agreed")
    stage1.close_stage1(world.ctx, pid)
    findings.derive_findings(world.ctx, pid)


def denials(world: World) -> list[dict[str, str]]:
    return [e.payload_data() for e in audit.audit_log(world.ctx, limit=100, action="auth.denied")]


PROJECT_PAGES = ["", "/questionnaire", "/profile", "/consensus", "/findings", "/card"]


@pytest.mark.parametrize("page", PROJECT_PAGES)
@pytest.mark.parametrize("who", ["alice", "admin", "auditor"])
def test_project_pages_open_for_members_admins_and_auditors(
    browser: Callable[..., Browser], world: World, page: str, who: str
) -> None:
    answer_all(world)
    response = browser(who).get(f"/projects/{world.projects['care']}{page}")
    assert response.status_code == 200, response.text
    assert "Care bot" in response.text


@pytest.mark.parametrize("page", [*PROJECT_PAGES, "/card/preview", "/profile.svg", "/card.json"])
def test_a_member_of_another_project_gets_404_and_it_is_audited(
    browser: Callable[..., Browser], world: World, page: str
) -> None:
    care = world.projects["care"]
    response = browser("dave").get(f"/projects/{care}{page}")
    assert response.status_code == 404
    assert "Care bot" not in response.text
    assert denials(world)[-1]["username"] == "dave"
    assert audit.audit_log(world.ctx, limit=1, action="auth.denied")[0].subject == f"project:{care}"


def test_the_dashboard_shows_only_your_projects(
    browser: Callable[..., Browser], world: World
) -> None:
    page = browser("dave").get("/").text
    assert "Lab study" in page and "Care bot" not in page
    assert 'data-total="1"' in page
    everything = browser("auditor").get("/").text
    assert "Lab study" in everything and "Care bot" in everything


def test_the_dashboard_counts_projects_and_open_findings(
    browser: Callable[..., Browser], world: World
) -> None:
    answer_all(world)
    agree_and_close(world)
    _, found = findings.list_findings(world.ctx, world.projects["care"])
    page = browser("admin").get("/").text
    cell = re.search(r'data-type="product_development" data-stage="planning">(\d+)<', page)
    assert cell and cell.group(1) == "1"
    for priority in ("P1", "P2", "P3"):
        expected = sum(1 for f in found if f.priority.value == priority and f.is_open)
        shown = re.findall(rf'data-priority="{priority}" data-category="[a-z_]+">(\d+)<', page)
        assert sum(map(int, shown)) == expected


def test_the_questionnaire_saves_as_you_go_and_resumes(
    browser: Callable[..., Browser], world: World
) -> None:
    pid = world.projects["care"]
    b = browser("alice")
    first = b.get(f"/projects/{pid}/questionnaire").text
    items = list(dict.fromkeys(re.findall(r'name="score\.([a-z0-9-]+)"', first)))
    assert items
    assert 'data-dimension="fairness"' in first and 'aria-current="page" data-dimension' in first
    response = b.post(
        f"/projects/{pid}/questionnaire",
        {**{f"score.{i}": "4" for i in items}, f"comment.{items[0]}": "why", "go": "fairness"},
    )
    assert response.status_code == 303
    view = stage1.stage1_profile(world.ctx, pid)
    alice = world.members["alice"]
    assert {i: view.profile.items[i].scores[alice] for i in items} == dict.fromkeys(items, 4)
    # The autosave path answers JSON and changes nothing that did not change.
    again = b.post(
        f"/projects/{pid}/questionnaire",
        {f"score.{items[0]}": "4", f"comment.{items[0]}": "why"},
        headers={"X-Requested-With": "fetch"},
    )
    assert again.json() == {"saved": 0}
    # Coming back, the first dimension is done: the page resumes at the next one.
    resumed = b.get(f"/projects/{pid}/questionnaire").text
    assert not set(re.findall(r'name="score\.([a-z0-9-]+)"', resumed)) & set(items)
    back = b.get(f"/projects/{pid}/questionnaire?dimension=human_dignity").text
    assert back.count('value="4" checked') == len(items) and ">why</textarea>" in back


def test_only_task_force_members_answer(browser: Callable[..., Browser], world: World) -> None:
    pid = world.projects["care"]
    for who in ("admin", "auditor"):
        page = browser(who).get(f"/projects/{pid}/questionnaire").text
        assert "You are not on this task force" in page
        response = browser(who).post(f"/projects/{pid}/questionnaire", {"score.x": "3"})
        assert response.status_code == 403


def test_the_profile_shows_the_radar_and_the_items_to_discuss(
    browser: Callable[..., Browser], world: World
) -> None:
    answer_all(world)
    pid = world.projects["care"]
    page = browser("bob").get(f"/projects/{pid}/profile").text
    assert 'data-series="overall"' in page
    flagged = stage1.stage1_profile(world.ctx, pid).profile.discuss
    assert flagged and all(f'data-item="{i}"' in page for i in flagged)
    svg = browser("bob").get(f"/projects/{pid}/profile.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")


def test_consensus_and_closing_stage1_from_the_pages(
    browser: Callable[..., Browser], world: World
) -> None:
    answer_all(world)
    pid = world.projects["care"]
    b = browser("carol")
    flagged = stage1.stage1_profile(world.ctx, pid).profile.discuss
    for item in flagged:
        response = b.post(f"/projects/{pid}/consensus", {"item": item, "score": "4", "note": "ok"})
        assert response.status_code == 303
    assert 'id="close-stage1"' in b.get(f"/projects/{pid}/consensus").text
    assert b.post(f"/projects/{pid}/stage1/close").status_code == 303
    assert stage1.stage1_profile(world.ctx, pid).project.stage1_closed_at is not None


def test_an_auditor_reads_everything_and_changes_nothing(
    browser: Callable[..., Browser], world: World
) -> None:
    answer_all(world)
    agree_and_close(world)
    pid = world.projects["care"]
    _, found = findings.list_findings(world.ctx, pid)
    fid = found[0].id
    b = browser("auditor")
    attempts = [
        ("/projects", {"name": "X", "type": "basic_research"}),
        (f"/projects/{pid}/members", {"name": "Eve", "role": "ethics"}),
        (f"/projects/{pid}/consensus", {"item": "x", "score": "3", "note": "n"}),
        (f"/projects/{pid}/stage1/reopen", {"reason": "r"}),
        (f"/projects/{pid}/advance", {"to": "development"}),
        (f"/projects/{pid}/findings/derive", {}),
        (f"/projects/{pid}/findings/{fid}/assign", {"owner": "1", "due": "2030-01-01"}),
        (f"/projects/{pid}/findings/{fid}/resolve", {"note": "n"}),
        (f"/projects/{pid}/findings/{fid}/verify", {}),
        ("/admin/users", {"username": "eve", "password": "x" * 12}),
    ]
    before = len(audit.audit_log(world.ctx, limit=100_000))
    for path, data in attempts:
        assert b.post(path, data).status_code == 403, path
    after = audit.audit_log(world.ctx, limit=100_000)
    assert {e.action for e in after[before:]} == {"auth.denied"}
    assert b.get("/audit").status_code == 200


def test_findings_board_upload_resolve_and_verify(
    browser: Callable[..., Browser], world: World
) -> None:
    answer_all(world)
    agree_and_close(world)
    pid = world.projects["care"]
    _, found = findings.list_findings(world.ctx, pid)
    target = next(f for f in found if f.priority.value != "P3")
    alice, carol = browser("alice"), browser("carol")
    base = f"/projects/{pid}/findings/{target.id}"
    assert (
        alice.post(
            f"{base}/assign", {"owner": str(world.members["alice"]), "due": "2030-01-31"}
        ).status_code
        == 303
    )
    upload = alice.post(
        f"{base}/evidence",
        {"note": "evaluation"},
        files={"file": ("report.md", b"# Evaluation\nGap below 2 points.\n", "text/markdown")},
    )
    assert upload.status_code == 303, upload.text
    # Only the ethics member decides; alice (technical) is refused.
    assert alice.post(f"{base}/resolve", {"note": "done"}).status_code == 303
    assert alice.post(f"{base}/verify").status_code == 403
    assert carol.post(f"{base}/verify").status_code == 303
    _, after = findings.list_findings(world.ctx, pid)
    verified = next(f for f in after if f.id == target.id)
    assert verified.status.value == "verified"
    assert verified.decided_by_member_id == world.members["carol"]
    evidence = verified.evidence[0]
    download = carol.get(f"{base}/evidence/{evidence.id}")
    assert download.content == b"# Evaluation\nGap below 2 points.\n"
    board = carol.get(f"/projects/{pid}/findings").text
    assert f'data-finding="{target.id}" data-status="verified"' in board


def test_a_refused_upload_names_the_problem(browser: Callable[..., Browser], world: World) -> None:
    answer_all(world)
    agree_and_close(world)
    pid = world.projects["care"]
    _, found = findings.list_findings(world.ctx, pid)
    response = browser("alice").post(
        f"/projects/{pid}/findings/{found[0].id}/evidence",
        files={"file": ("tool.exe", b"MZ\x90\x00binary", "application/octet-stream")},
    )
    assert response.status_code == 400
    assert "not an accepted evidence type" in response.text


def test_card_page_and_downloads(browser: Callable[..., Browser], world: World) -> None:
    answer_all(world)
    pid = world.projects["care"]
    b = browser("bob")
    page = b.get(f"/projects/{pid}/card?lang=ko").text
    assert "card/preview?lang=ko" in page
    preview = b.get(f"/projects/{pid}/card/preview?lang=ko")
    assert "AI 윤리영향평가 카드" in preview.text
    assert f'action="/projects/{pid}/card/issue"' in page  # bob sits on the task force
    copy = b.get(f"/projects/{pid}/card.md?lang=en")
    assert copy.status_code == 200 and "AI ethics assessment card" in copy.text
    assert copy.headers["content-disposition"].startswith("attachment;")
    assert audit.audit_log(world.ctx, limit=5, action="card.issued") == []
    md = b.post(f"/projects/{pid}/card/issue", {"fmt": "md", "lang": "en"})
    assert md.status_code == 200 and "AI ethics assessment card" in md.text
    issued = audit.audit_log(world.ctx, limit=5, action="card.issued")
    assert issued[-1].payload_data()["sha256"] == md.headers["x-content-sha256"]
    assert hashlib.sha256(md.content).hexdigest() == md.headers["x-content-sha256"]
    assert 'id="issue-card"' not in browser("auditor").get(f"/projects/{pid}/card").text


def test_admin_creates_a_project_and_a_linked_member(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser("admin")
    created = b.post("/projects", {"name": "Voice", "type": "applied_research", "purpose": "p"})
    assert created.status_code == 303
    path = created.headers["location"]
    added = b.post(f"{path}/members", {"name": "Dave", "role": "ethics", "username": "dave"})
    assert added.status_code == 303
    assert "Voice" in browser("dave").get("/").text
    unknown = b.post(f"{path}/members", {"name": "Zed", "role": "ethics", "username": "nobody"})
    assert unknown.status_code == 404
    assert "Zed" not in b.get(path).text  # refused before anything was added


def test_audit_page_shows_the_chain_and_is_closed_to_members(
    browser: Callable[..., Browser], world: World
) -> None:
    page = browser("auditor").get("/audit").text
    assert 'data-ok="true"' in page and "Chain intact" in page
    assert browser("alice").get("/audit").status_code == 403


def test_users_and_account_pages(browser: Callable[..., Browser], world: World) -> None:
    admin = browser("admin")
    assert "alice" in admin.get("/admin/users").text
    made = admin.post(
        "/admin/users", {"username": "erin", "password": "long enough pw", "role": "user"}
    )
    assert made.status_code == 303
    assert browser().login("erin", "long enough pw").status_code == 303
    assert browser("alice").get("/admin/users").status_code == 403
    alice = browser("alice")
    shown = alice.post("/account/tokens", {"name": "laptop", "days": "30"})
    token = re.search(r'<code class="token">([^<]+)</code>', shown.text)
    assert token and token.group(1).startswith("ethos_")
    assert (
        "laptop" in alice.get("/account").text and token.group(1) not in alice.get("/account").text
    )


def test_unknown_pages_and_bad_input_get_a_page_not_a_trace(
    browser: Callable[..., Browser],
) -> None:
    b = browser("admin")
    missing = b.get("/projects/99999")
    assert missing.status_code == 404 and "Traceback" not in missing.text
    bad = b.post("/projects", {"name": "Fine name", "type": "nonsense"})
    assert bad.status_code == 400 and "not one of" in bad.text
    assert b.get("/no/such/page").status_code == 404


FACTS = """
schema: ethos.facts/1
roles: [provider]
markets: [kr]
interacts_with_people: true
generative:
  outputs: [text]
"""


def test_facts_and_classification_pages(browser: Callable[..., Browser], world: World) -> None:
    pid = world.projects["care"]
    alice = browser("alice")
    assert 'id="no-facts"' in alice.get(f"/projects/{pid}/classification").text
    assert "<textarea" in alice.get(f"/projects/{pid}/facts").text
    bad = alice.post(f"/projects/{pid}/facts", {"facts": "system: [unclosed"})
    assert bad.status_code == 400
    response = alice.post(f"/projects/{pid}/facts", {"facts": FACTS})
    assert response.status_code == 303, response.text
    page = alice.get(f"/projects/{pid}/classification").text
    assert 'data-act="eu_ai_act"' in page and 'data-act="kr_ai_basic_act"' in page
    assert "kr-ai-basic-act:art-31" in page  # generative AI: notice and labelling duties
    assert browser("dave").get(f"/projects/{pid}/classification").status_code == 404
    assert browser("auditor").post(f"/projects/{pid}/facts", {"facts": FACTS}).status_code == 403
