"""The findings of the security review of the web app, each kept fixed by a test.

Cards are issued by an explicit POST only; sign-out ends the server-side session; the
language switch leaves the session alone; a leaked API token cannot take over its account;
refusal floods are recorded once; hidden projects answer 404; headers and messages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ethos.domain.errors import AccessDeniedError, ContentError
from ethos.services import accounts, audit, cards, findings
from ethos.store.tables import WebSessionRow
from ethos.web.app import create_app
from ethos.web.settings import WebSettings, load_secret_key
from tests.web.conftest import PASSWORD, Browser, World

Api = Callable[[str | None], TestClient]


def actions(world: World, action: str) -> list[audit.AuditEvent]:
    return audit.audit_log(world.ctx, limit=100_000, action=action)


# 1. Card downloads change nothing; issuing is a POST --------------------------------------


def test_downloading_a_card_records_nothing_and_leaves_reassessment_due(
    api: Api, world: World
) -> None:
    care = world.projects["care"]
    admin, auditor = api("admin"), api("auditor")
    described = {"model": {"name": "m", "version": "1"}}
    assert admin.put(f"/api/v1/projects/{care}/description", json=described).status_code == 200
    assert admin.post(f"/api/v1/projects/{care}/card.json").status_code == 200
    described["model"]["version"] = "2"
    admin.put(f"/api/v1/projects/{care}/description", json=described)
    due = [d["project"] for d in cards.reassessment_due(world.ctx)]
    assert due == [care] == [d["project"] for d in admin.get("/api/v1/projects/due").json()]
    for fmt in ("json", "md"):
        copy = auditor.get(f"/api/v1/projects/{care}/card.{fmt}")
        assert copy.status_code == 200
        assert copy.headers["x-content-sha256"] == hashlib.sha256(copy.content).hexdigest()
    assert [d["project"] for d in cards.reassessment_due(world.ctx)] == due
    assert [d["project"] for d in admin.get("/api/v1/projects/due").json()] == due
    assert len(actions(world, "card.issued")) == 1


def test_only_the_task_force_or_an_admin_issues_a_card(api: Api, world: World) -> None:
    care = world.projects["care"]
    assert api("auditor").post(f"/api/v1/projects/{care}/card.md").status_code == 403
    assert api("dave").post(f"/api/v1/projects/{care}/card.md").status_code == 404
    issued = api("alice").post(f"/api/v1/projects/{care}/card.md?lang=ko")
    assert issued.status_code == 200
    [event] = actions(world, "card.issued")
    assert event.actor == "alice"
    assert event.payload_data()["sha256"] == hashlib.sha256(issued.content).hexdigest()
    assert event.payload_data()["lang"] == "ko"


def test_issuing_a_card_in_the_browser_needs_the_csrf_token(
    browser: Callable[..., Browser], world: World
) -> None:
    care = world.projects["care"]
    carol = browser("carol")
    forged = carol.client.post(f"/projects/{care}/card/issue", data={"fmt": "md", "lang": "en"})
    assert forged.status_code == 403
    assert carol.client.get(f"/projects/{care}/card.md").status_code == 200
    assert actions(world, "card.issued") == []
    issued = carol.post(f"/projects/{care}/card/issue", {"fmt": "pdf", "lang": "ko"})
    assert issued.status_code == 200 and issued.content.startswith(b"%PDF-")
    assert len(actions(world, "card.issued")) == 1
    refused = browser("auditor").post(f"/projects/{care}/card/issue", {"fmt": "md", "lang": "en"})
    assert refused.status_code == 403
    assert len(actions(world, "card.issued")) == 1


# 2. Sessions --------------------------------------------------------------------------------


def test_a_cookie_copied_before_sign_out_no_longer_works(
    app: FastAPI, browser: Callable[..., Browser], world: World
) -> None:
    victim = browser("admin")
    stolen = victim.client.cookies.get("ethos_session")
    assert victim.post("/logout").status_code == 303
    thief = TestClient(app, follow_redirects=False)
    thief.cookies.set("ethos_session", stolen)
    assert thief.get("/admin/users").status_code == 303
    assert thief.get("/admin/users").headers["location"].startswith("/login")
    [logout] = actions(world, "auth.logout")
    assert logout.actor == "admin"


def test_a_new_sign_in_ends_the_session_it_replaces(
    app: FastAPI, browser: Callable[..., Browser]
) -> None:
    b = browser("alice")
    first = b.client.cookies.get("ethos_session")
    assert b.login("bob").status_code == 303
    replay = TestClient(app, follow_redirects=False)
    replay.cookies.set("ethos_session", first)
    assert replay.get("/").status_code == 303


def test_switching_the_language_does_not_rewrite_the_session(
    browser: Callable[..., Browser],
) -> None:
    b = browser("alice")
    before = b.client.cookies.get("ethos_session")
    response = b.get("/lang/ko?next=/")
    assert response.status_code == 303
    cookies = response.headers.get_list("set-cookie")
    assert not [c for c in cookies if c.startswith("ethos_session=")]
    [lang] = [c for c in cookies if c.startswith("ethos_lang=")]
    assert lang.startswith("ethos_lang=ko;") and "SameSite=Lax" in lang
    assert b.client.cookies.get("ethos_session") == before
    assert '<html lang="ko">' in b.get("/").text
    # The language outlives signing out and in again; the session does not.
    b.post("/logout")
    assert '<html lang="ko">' in b.get("/login").text


def test_a_session_lasts_the_configured_hours_from_sign_in(world: World) -> None:
    settings = WebSettings(
        database_url=world.url,
        data_dir=world.data_dir,
        secret_key="test-secret-key-" + "x" * 32,
        session_hours=3,
    )
    b = Browser(create_app(settings))
    assert b.login("alice").status_code == 303
    with Session(world.store.engine) as db:
        [row] = db.scalars(select(WebSessionRow)).all()
    assert row.expires_at - row.created_at == timedelta(hours=3)
    assert b.get("/").status_code == 200


# 3 and 7. API tokens ------------------------------------------------------------------------


def test_a_token_alone_cannot_change_its_owners_password(api: Api, world: World) -> None:
    leaked = api("alice")
    url = "/api/v1/users/alice/password"
    missing = leaked.post(url, json={"password": "attacker-chosen-pw"})
    assert missing.status_code == 400 and "current_password" in missing.text
    wrong = leaked.post(url, json={"password": "attacker-chosen-pw", "current_password": "guess"})
    assert wrong.status_code == 400
    assert actions(world, "auth.reauth_failed")[-1].payload_data()["purpose"] == "change password"
    b = Browser(leaked.app)  # type: ignore[arg-type]
    assert b.login("alice", "attacker-chosen-pw").status_code == 401
    changed = leaked.post(
        url, json={"password": "a new long password", "current_password": PASSWORD}
    )
    assert changed.status_code == 200
    assert changed.json()["tokens_revoked"] == 1
    assert leaked.get("/api/v1/me").status_code == 401  # the token itself went with it


def test_a_token_cannot_mint_tokens_without_the_password(api: Api, world: World) -> None:
    leaked = api("alice")
    url = "/api/v1/users/alice/tokens"
    assert leaked.post(url, json={"name": "backup", "days": 30}).status_code == 422
    forever = {"name": "backup", "days": None, "current_password": PASSWORD}
    assert leaked.post(url, json=forever).status_code == 422
    wrong = leaked.post(url, json={"name": "b", "days": 30, "current_password": "not it at all"})
    assert wrong.status_code == 400
    made = leaked.post(url, json={"name": "b", "days": 30, "current_password": PASSWORD})
    assert made.status_code == 201 and made.json()["expires_at"] is not None
    assert [e.payload_data()["purpose"] for e in actions(world, "auth.reauthenticated")] == [
        "issue a token"
    ]


def test_an_admin_revokes_but_does_not_issue_someone_elses_token(api: Api, world: World) -> None:
    admin = api("admin")
    body = {"name": "as alice", "days": 30, "current_password": PASSWORD}
    assert admin.post("/api/v1/users/alice/tokens", json=body).status_code == 403
    assert [t.name for t in accounts.list_tokens(world.ctx, "alice")] == []
    _, issued = accounts.issue_token(world.ctx, "alice", name="laptop")
    revoked = admin.post(f"/api/v1/users/alice/tokens/{issued.id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]


def test_an_admin_resetting_a_password_revokes_the_accounts_tokens(
    api: Api, browser: Callable[..., Browser], world: World
) -> None:
    alice = api("alice")
    reset = api("admin").post("/api/v1/users/alice/password", json={"password": "reset by admin"})
    assert reset.json() == {
        "username": "alice",
        "password_set": True,
        "tokens_revoked": 1,
        "sessions_ended": 0,
    }
    assert alice.get("/api/v1/me").status_code == 401
    b = browser("bob")
    page = b.post("/admin/users/bob/password", {"password": "x" * 12})
    assert page.status_code == 403  # bob is no admin


# 4 and 5. Throttling and floods -------------------------------------------------------------


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(
    world: World,
) -> None:
    for n in range(5):
        with pytest.raises(accounts.AuthenticationError):
            accounts.authenticate(
                world.ctx, username="admin", password=f"guess {n}", source="203.0.113.9"
            )
    with pytest.raises(accounts.LoginThrottledError):
        accounts.authenticate(world.ctx, username="admin", password=PASSWORD, source="203.0.113.9")
    owner = accounts.authenticate(
        world.ctx, username="admin", password=PASSWORD, source="198.51.100.1"
    )
    assert owner.username == "admin"


def test_a_flood_of_refusals_is_recorded_once(app: FastAPI, world: World) -> None:
    client = TestClient(app, follow_redirects=False)
    for n in range(50):
        client.get("/api/v1/me", headers={"Authorization": f"Bearer junk{n}"})
    assert len(actions(world, "auth.token_refused")) == 1
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    codes = [
        client.post(
            "/login", data={"username": f"x{n}", "password": "p", "csrf_token": token}
        ).status_code
        for n in range(60)
    ]
    assert codes.count(401) == 20 and codes.count(429) == 40
    assert len(actions(world, "auth.login_failed")) == 20
    assert len(actions(world, "auth.login_throttled")) == 1


# 8. Smaller items ---------------------------------------------------------------------------


def test_a_password_change_is_audited_as_a_confirmation_not_a_sign_in(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser("alice")
    logins = len(actions(world, "auth.login"))
    changed = b.post("/account/password", {"current": PASSWORD, "password": "another password"})
    assert changed.status_code == 303 and changed.headers["location"] == "/login"
    assert len(actions(world, "auth.login")) == logins
    [confirmed] = actions(world, "auth.reauthenticated")
    assert confirmed.payload_data() == {"username": "alice", "purpose": "change password"}
    assert b.get("/").status_code == 303  # the session ended with the password


def test_pages_with_secrets_or_evidence_are_not_cached(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser("alice")
    made = b.post("/account/tokens", {"name": "laptop"})
    assert made.status_code == 200 and "ethos_" in made.text
    assert made.headers["cache-control"] == "no-store"
    care = world.projects["care"]
    assert b.get(f"/projects/{care}/card.md").headers["cache-control"] == "no-store"
    found = findings.add_finding(
        world.ctx, care, category="privacy", title="t", severity=3, likelihood=3
    )
    (world.data_dir / "e.txt").write_text("care evidence", encoding="utf-8")
    evidence = findings.add_evidence(world.ctx, care, found.id, file=world.data_dir / "e.txt")
    download = b.get(f"/projects/{care}/findings/{found.id}/evidence/{evidence.id}")
    assert download.status_code == 200 and download.text == "care evidence"
    assert download.headers["cache-control"] == "no-store"
    assert "cache-control" not in browser().get("/static/ethos.css").headers


def test_hsts_is_sent_when_cookies_are_secure(app: FastAPI) -> None:
    secure = TestClient(app, base_url="https://ethos.example").get("/login")
    assert secure.headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in TestClient(app).get("/login").headers


@pytest.mark.parametrize("where", ["settings", "environment"])
def test_a_short_secret_key_is_refused(
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,  # type: ignore[no-untyped-def]
) -> None:
    short = "s" * 31
    monkeypatch.setenv("ETHOS_SECRET_KEY", short)
    settings = WebSettings(
        database_url="sqlite://",
        data_dir=tmp_path,
        secret_key=short if where == "settings" else None,
    )
    with pytest.raises(Exception, match="too short"):
        load_secret_key(settings)
    monkeypatch.setenv("ETHOS_SECRET_KEY", "k" * 32)
    assert load_secret_key(WebSettings(database_url="sqlite://", data_dir=tmp_path)) == "k" * 32


def test_a_hidden_project_answers_as_a_missing_one_and_is_audited(api: Api, world: World) -> None:
    dave = api("dave")
    care = world.projects["care"]
    hidden = dave.get(f"/api/v1/projects/{care}")
    missing = dave.get("/api/v1/projects/999")
    assert hidden.status_code == missing.status_code == 404
    assert (
        hidden.json()["error"]["message"].replace(f"'{care}'", "'999'")
        == (missing.json()["error"]["message"])
    )
    [denied] = actions(world, "auth.denied")
    assert denied.subject == f"project:{care}" and denied.actor == "dave"


def test_error_answers_keep_server_folders_and_dataset_denials_right(app: FastAPI) -> None:
    @app.get("/api/v1/test-content-error")
    def broken_content() -> None:
        raise ContentError("/srv/ethos/content/questionnaires/q.yaml: entry 3: missing text")

    @app.get("/api/v1/test-dataset-denied")
    def dataset_denied() -> None:
        raise AccessDeniedError("dataset 'faces' is not granted to dave")

    client = TestClient(app)
    content = client.get("/api/v1/test-content-error")
    assert content.status_code == 500
    assert content.json()["error"]["message"] == "q.yaml: entry 3: missing text"
    denied = client.get("/api/v1/test-dataset-denied")
    assert denied.status_code == 403 and denied.json()["error"]["type"] == "forbidden"
