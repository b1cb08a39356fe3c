"""Signing in, sessions, CSRF, throttling, and their audit events."""

from __future__ import annotations

from collections.abc import Callable

from ethos.services import accounts, audit
from ethos.web.settings import WebSettings, load_secret_key
from tests.web.conftest import PASSWORD, Browser, World, csrf_of


def actions(world: World) -> list[str]:
    return [e.action for e in audit.audit_log(world.ctx, limit=1000)]


def test_pages_send_an_anonymous_visitor_to_sign_in(browser: Callable[..., Browser]) -> None:
    response = browser().get("/projects/1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fprojects%2F1"


def test_sign_in_sets_a_hardened_cookie_and_is_audited(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser()
    page = b.get("/login")
    response = b.client.post(
        "/login",
        data={"username": "alice", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert PASSWORD not in cookie
    assert b.get("/").status_code == 200
    events = audit.audit_log(world.ctx, limit=5, action="auth.login")
    assert [e.payload_data()["username"] for e in events] == ["alice"]


def test_cookies_are_secure_over_https(app, world: World) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="https://ethos.example", follow_redirects=False)
    page = client.get("/login")
    assert "Secure" in page.headers["set-cookie"]


def test_a_wrong_password_is_refused_and_audited_without_the_password(
    browser: Callable[..., Browser], world: World
) -> None:
    response = browser().login("alice", "not the password")
    assert response.status_code == 401
    assert "username or password is not right" in response.text
    failed = audit.audit_log(world.ctx, limit=5, action="auth.login_failed")
    assert len(failed) == 1
    payload = failed[0].payload_data()
    assert payload == {"username": "alice", "reason": "wrong password"}
    assert "not the password" not in failed[0].payload


def test_an_unknown_account_gets_the_same_answer_and_its_name_is_not_kept(
    browser: Callable[..., Browser], world: World
) -> None:
    response = browser().login("secret-typed-into-the-wrong-box", "x" * 12)
    assert response.status_code == 401
    assert "username or password is not right" in response.text
    failed = audit.audit_log(world.ctx, limit=5, action="auth.login_failed")
    assert failed[0].payload_data() == {"username": None, "reason": "unknown account"}


def test_sign_in_is_throttled_after_five_failures(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser()
    codes = [b.login("bob", f"wrong password {n}").status_code for n in range(5)]
    assert codes == [401] * 5
    # Even the right password is refused now, without being checked.
    assert b.login("bob").status_code == 429
    assert "Too many failed sign-ins" in b.login("bob").text
    # A flood of throttled attempts is written to the audit trail once per window.
    assert actions(world).count("auth.login_throttled") == 1
    # Another account from the same address is not yet affected.
    assert b.login("carol").status_code == 303


def test_throttling_counts_failures_since_the_last_success(
    browser: Callable[..., Browser],
) -> None:
    b = browser()
    for n in range(4):
        assert b.login("bob", f"wrong {n} password").status_code == 401
    assert b.login("bob").status_code == 303
    for n in range(4):
        assert b.login("bob", f"wrong {n} again!!").status_code == 401
    assert b.login("bob").status_code == 303


def test_a_form_without_the_csrf_token_is_refused(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser("admin")
    before = len(actions(world))
    missing = b.client.post("/projects", data={"name": "Sneaky", "type": "basic_research"})
    wrong = b.client.post(
        "/projects", data={"name": "Sneaky", "type": "basic_research", "csrf_token": "forged"}
    )
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert "security token" in missing.text
    assert len(actions(world)) == before  # nothing was created
    ok = b.post("/projects", {"name": "Fine", "type": "basic_research"})
    assert ok.status_code == 303


def test_the_login_form_needs_its_csrf_token_too(browser: Callable[..., Browser]) -> None:
    b = browser()
    response = b.client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 403


def test_signing_out_ends_the_session(browser: Callable[..., Browser]) -> None:
    b = browser("alice")
    assert b.post("/logout").status_code == 303
    assert b.get("/").status_code == 303


def test_a_password_change_ends_other_sessions(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser("alice")
    accounts.set_password(world.ctx, "alice", "a brand new password")
    assert b.get("/").status_code == 303


def test_a_disabled_account_cannot_sign_in(browser: Callable[..., Browser], world: World) -> None:
    b = browser("dave")
    accounts.set_active(world.ctx, "dave", active=False)
    assert b.get("/").status_code == 303
    assert browser().login("dave").status_code == 401


def test_the_language_switch_translates_the_interface(browser: Callable[..., Browser]) -> None:
    b = browser("alice")
    assert b.get("/lang/ko?next=/").headers["location"] == "/"
    page = b.get("/").text
    assert '<html lang="ko">' in page and "대시보드" in page
    b.get("/lang/en?next=//evil.example")
    assert b.get("/lang/en?next=//evil.example").headers["location"] == "/"
    assert "Dashboard" in b.get("/").text


def test_the_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("ETHOS_SECRET_KEY", raising=False)
    settings = WebSettings(database_url="sqlite://", data_dir=tmp_path / "data")
    first = load_secret_key(settings)
    assert len(first) >= 32
    assert load_secret_key(settings) == first
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("ETHOS_SECRET_KEY", "k" * 40)
    assert load_secret_key(settings) == "k" * 40
