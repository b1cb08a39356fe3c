"""The dashboard, project page and profile are kept per state of the database: a change
made through one request (or another worker process) shows on the very next request."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from ethos.web.app import create_app
from tests.web.conftest import Browser, World

Api = Callable[[str | None], TestClient]


def total_on(html: str) -> int:
    found = re.search(r'data-total="(\d+)"', html)
    assert found, "no project count on the dashboard"
    return int(found.group(1))


def answered_on(html: str) -> int:
    """Answers given, summed over the task force's rows ("answered / needed")."""
    counts = re.findall(r"<td>(\d+) / \d+</td>", html)
    assert counts, "no answer counts on the project page"
    return sum(int(c) for c in counts)


def test_a_new_project_shows_on_the_next_dashboard(
    browser: Callable[[str | None], Browser], api: Api
) -> None:
    admin = browser("admin")
    assert total_on(admin.get("/").text) == 2
    assert total_on(admin.get("/").text) == 2  # served again, unchanged
    body = {"name": "Triage model", "type": "applied_research"}
    assert api("admin").post("/api/v1/projects", json=body).status_code == 201
    page = admin.get("/").text
    assert total_on(page) == 3
    assert "Triage model" in page


def test_an_answer_shows_on_the_next_profile_and_project_page(
    browser: Callable[[str | None], Browser], api: Api, world: World
) -> None:
    pid = world.projects["care"]
    carol = api("carol")
    before = carol.get(f"/api/v1/projects/{pid}/profile").json()
    assert before["items"]["decision-impact"]["scores"] == {}
    alice_page = browser("alice")
    assert answered_on(alice_page.get(f"/projects/{pid}").text) == 0
    answered = api("alice").post(
        f"/api/v1/projects/{pid}/answers", json={"answers": {"decision-impact": 4}}
    )
    assert answered.status_code == 200
    after = carol.get(f"/api/v1/projects/{pid}/profile").json()
    alice = str(world.members["alice"])
    assert after["items"]["decision-impact"]["scores"] == {alice: 4}
    assert answered_on(alice_page.get(f"/projects/{pid}").text) == 1


def test_a_change_through_one_worker_shows_on_another(app: FastAPI, world: World) -> None:
    """Two apps on one database stand for two uvicorn worker processes, each with its own
    read models: neither can serve what the other has changed from under it."""
    other = create_app(app.state.ethos.settings)
    first, second = Browser(app), Browser(other)
    assert first.login("admin").status_code == 303
    assert second.login("admin").status_code == 303
    assert total_on(first.get("/").text) == total_on(second.get("/").text) == 2
    made = second.post("/projects", {"name": "Made elsewhere", "type": "basic_research"})
    assert made.status_code == 303
    assert total_on(first.get("/").text) == 3
    assert "Made elsewhere" in first.get("/").text


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def _you_row(html: str) -> str:
    """The task-force row marked as the reader's own."""
    rows = [r for r in html.split('<tr data-member="')[1:] if "badge" in r.split("</tr>")[0]]
    assert len(rows) == 1, "one row is the reader's"
    return rows[0].split('"')[0]


def test_a_kept_project_page_is_each_readers_own(
    browser: Callable[[str | None], Browser], world: World
) -> None:
    pid = world.projects["care"]
    pages = {}
    for name in ("alice", "bob", "admin", "auditor"):
        person = browser(name)
        first = person.get(f"/projects/{pid}").text
        again = person.get(f"/projects/{pid}").text  # the kept content this time
        # the session's own token, in every form (the page's menu and the content alike)
        assert len(_tokens(again)) == 1 and _tokens(again) == _tokens(first)
        pages[name] = again
    assert len({next(iter(_tokens(p))) for p in pages.values()}) == 4  # four sessions
    # each member sees their own seat marked; the office sees the admin's forms
    assert _you_row(pages["alice"]) == str(world.members["alice"])
    assert _you_row(pages["bob"]) == str(world.members["bob"])
    assert 'id="add-member"' in pages["admin"]
    assert 'id="add-member"' not in pages["auditor"] and 'id="add-member"' not in pages["bob"]
    assert "Link account" not in pages["auditor"]
