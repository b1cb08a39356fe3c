"""Accounts, tokens, seats and permissions at the service layer (no web framework)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import text

from ethos.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ethos.services import accounts, audit, authz, projects, signin
from ethos.services.context import ServiceContext
from ethos.store.schema import upgrade
from ethos.store.unit_of_work import Store

PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def _cheap() -> Iterator[None]:
    accounts.use_password_parameters(profiles.CHEAPEST)
    yield
    accounts.use_password_parameters(profiles.RFC_9106_LOW_MEMORY, concurrency=4)


class SlowHasher(PasswordHasher):
    """Cheap argon2 whose checks take a while, counting how many run at the same time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(0.05)
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.running -= 1


def at(store: Store, moment: datetime) -> ServiceContext:
    return ServiceContext(store=store, actor="t", clock=lambda: moment)


def count_rows(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_passwords_are_stored_as_argon2_hashes_only(ctx: ServiceContext) -> None:
    made = accounts.create_user(
        ctx, username="Kim.Minji", display_name="Kim", role="user", password=PASSWORD
    )
    assert made.username == "kim.minji"
    assert made.password_hash.startswith("$argon2id$") and PASSWORD not in made.password_hash
    assert PASSWORD not in repr(made)
    signed_in = accounts.authenticate(ctx, username="KIM.MINJI", password=PASSWORD, source="t")
    assert signed_in.id == made.id


@pytest.mark.parametrize(
    ("username", "role", "password", "message"),
    [
        ("x", "user", PASSWORD, "username"),
        ("has space", "user", PASSWORD, "username"),
        ("fine", "root", PASSWORD, "role"),
        ("fine", "user", "short", "at least 10"),
    ],
)
def test_bad_accounts_are_refused_naming_the_field(
    ctx: ServiceContext, username: str, role: str, password: str, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        accounts.create_user(ctx, username=username, display_name="", role=role, password=password)


def test_a_taken_username_is_a_conflict(ctx: ServiceContext) -> None:
    accounts.create_user(ctx, username="lee", display_name="", role="user", password=PASSWORD)
    with pytest.raises(ConflictError, match="taken"):
        accounts.create_user(ctx, username="LEE", display_name="", role="user", password=PASSWORD)


def test_tokens_are_kept_as_sha256_and_expire(ctx: ServiceContext, store: Store) -> None:
    accounts.create_user(ctx, username="park", display_name="", role="user", password=PASSWORD)
    token, issued = accounts.issue_token(ctx, "park", name="ci", days=1)
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT token_sha256 FROM api_tokens")).scalar_one()
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert accounts.authenticate_token(ctx, token).username == "park"
    later = ServiceContext(
        store=store, actor="t", clock=lambda: datetime.now(UTC) + timedelta(days=2)
    )
    with pytest.raises(accounts.AuthenticationError):
        accounts.authenticate_token(later, token)
    assert issued.expires_at is not None


def test_the_throttle_counts_per_account_and_window(ctx: ServiceContext, store: Store) -> None:
    accounts.create_user(ctx, username="choi", display_name="", role="user", password=PASSWORD)
    throttle = accounts.Throttle(per_account_source=2, per_source=100, window=timedelta(minutes=5))
    for _ in range(2):
        with pytest.raises(accounts.AuthenticationError):
            accounts.authenticate(
                ctx, username="choi", password="wrong one!", source="a", throttle=throttle
            )
    with pytest.raises(accounts.LoginThrottledError):
        accounts.authenticate(
            ctx, username="choi", password=PASSWORD, source="a", throttle=throttle
        )
    after = ServiceContext(
        store=store, actor="t", clock=lambda: datetime.now(UTC) + timedelta(minutes=6)
    )
    assert (
        accounts.authenticate(
            after, username="choi", password=PASSWORD, source="a", throttle=throttle
        ).username
        == "choi"
    )


def test_seats_decide_what_a_user_sees_and_may_do(ctx: ServiceContext) -> None:
    care = projects.create_project(ctx, name="Care", type="product_development")
    other = projects.create_project(ctx, name="Other", type="basic_research")
    for name, role in (("tech", "user"), ("office", "admin"), ("audit", "auditor")):
        accounts.create_user(ctx, username=name, display_name=name, role=role, password=PASSWORD)
    member = projects.add_member(ctx, care.id, name="Tech", role="technical")
    accounts.link_member(ctx, care.id, member.id, "tech")
    tech, office, audit = (
        authz.Principal.of(accounts.get_user(ctx, n)) for n in ("tech", "office", "audit")
    )
    assert authz.visible_project_ids(ctx, tech) == {care.id}
    assert authz.visible_project_ids(ctx, audit) is None
    assert authz.require_seat(ctx, tech, care.id, action="answer")[1].id == member.id
    with pytest.raises(NotFoundError, match=f"project '{other.id}' not found"):
        authz.project_access(ctx, tech, other.id, action="open")
    with pytest.raises(authz.PermissionDeniedError):
        authz.require_decider(ctx, tech, care.id, action="verify")
    with pytest.raises(authz.PermissionDeniedError):
        authz.require_change(ctx, audit, care.id, action="change")
    assert authz.require_change(ctx, office, care.id, action="change").seat is None
    second = projects.add_member(ctx, care.id, name="Tech again", role="ethics")
    with pytest.raises(ConflictError, match="already sits"):
        accounts.link_member(ctx, care.id, second.id, "tech")
    with pytest.raises(NotFoundError):
        accounts.link_member(ctx, care.id, second.id, "nobody")


def test_migration_0004_keeps_existing_members(tmp_path: Path) -> None:
    """A database with task forces at 0003 upgrades in place; members get no account."""
    store = Store.open(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(store.engine, "0003")
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO projects (name, description, purpose, type, lifecycle_stage, "
                "created_by, created_at, questionnaire_id, questionnaire_version) VALUES "
                "('p', '', '', 'basic_research', 'planning', 't', CURRENT_TIMESTAMP, 'q', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO members (project_id, name, role, created_at) "
                "VALUES (1, 'Kim', 'ethics', CURRENT_TIMESTAMP)"
            )
        )
    upgrade(store.engine, "0004")
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT name, user_id FROM members")).all()
    assert [tuple(r) for r in rows] == [("Kim", None)]
    store.dispose()


def _guess(ctx: ServiceContext, password: str, source: str, **kwargs: Any) -> str:
    try:
        accounts.authenticate(ctx, username="han", password=password, source=source, **kwargs)
    except accounts.LoginThrottledError:
        return "throttled"
    except accounts.AuthenticationError:
        return "checked"
    return "signed in"


def test_parallel_guesses_all_count_against_the_throttle(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.create_user(ctx, username="han", display_name="", role="admin", password=PASSWORD)
    monkeypatch.setattr(signin, "_hasher", SlowHasher.from_parameters(profiles.CHEAPEST))
    outcomes: list[str] = []
    threads = [
        threading.Thread(target=lambda n=n: outcomes.append(_guess(ctx, f"guess {n}", "attacker")))
        for n in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Exactly as many passwords were checked as the throttle allows per account and source.
    assert sorted(outcomes) == ["checked"] * 5 + ["throttled"] * 15
    # The owner, from another address, is not locked out by them.
    assert _guess(ctx, PASSWORD, "owner") == "signed in"


def test_password_checks_run_a_few_at_a_time(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.create_user(ctx, username="han", display_name="", role="user", password=PASSWORD)
    accounts.use_password_parameters(profiles.CHEAPEST, concurrency=2)
    slow = SlowHasher.from_parameters(profiles.CHEAPEST)
    monkeypatch.setattr(signin, "_hasher", slow)
    threads = [
        threading.Thread(target=_guess, args=(ctx, PASSWORD, f"10.0.0.{n}")) for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert slow.most == 2


def test_a_sign_in_that_finds_no_free_slot_is_refused_and_not_counted(
    ctx: ServiceContext, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.create_user(ctx, username="han", display_name="", role="user", password=PASSWORD)
    accounts.use_password_parameters(profiles.CHEAPEST, concurrency=1)
    monkeypatch.setattr(signin, "_SLOT_WAIT", 0.01)
    assert signin._hashing.acquire(timeout=1)
    try:
        with pytest.raises(accounts.SignInBusyError):
            accounts.authenticate(ctx, username="han", password=PASSWORD, source="a")
    finally:
        signin._hashing.release()
    assert count_rows(store, "login_attempts") == 0
    assert accounts.authenticate(ctx, username="han", password=PASSWORD, source="a").id


def test_many_failures_from_many_addresses_slow_the_account_down_but_never_lock_it(
    ctx: ServiceContext,
) -> None:
    accounts.create_user(ctx, username="han", display_name="", role="user", password=PASSWORD)
    throttle = accounts.Throttle(per_account_source=2, slow_after=3, slow_step=0.5, slow_max=2.0)
    pauses: list[float] = []
    for n in range(7):
        outcome = _guess(ctx, f"guess {n}", f"10.0.0.{n}", throttle=throttle, pause=pauses.append)
        assert outcome == "checked"
    # Failures 3, 4, 5 and 6 before an attempt: 0.5 s, doubling, at most 2 s.
    assert pauses == [0.5, 1.0, 2.0, 2.0]
    assert _guess(ctx, PASSWORD, "owner", throttle=throttle, pause=pauses.append) == "signed in"
    assert pauses[-1] == 2.0
    # A success ends the slow-down.
    assert _guess(ctx, "guess again", "10.0.0.9", throttle=throttle, pause=pauses.append)
    assert len(pauses) == 5


def test_sessions_end_at_sign_out_and_after_their_lifetime(
    ctx: ServiceContext, store: Store
) -> None:
    made = accounts.create_user(
        ctx, username="yoon", display_name="", role="user", password=PASSWORD
    )
    secret = accounts.start_session(ctx, made, lifetime=timedelta(hours=1))
    assert len(secret) >= 40 and secret not in str(count_rows(store, "web_sessions"))
    now = ctx.clock()
    assert accounts.session_account(ctx, made.id, secret) == made
    assert accounts.session_account(ctx, made.id + 1, secret) is None
    assert accounts.session_account(at(store, now + timedelta(minutes=59)), made.id, secret)
    assert accounts.session_account(at(store, now + timedelta(minutes=61)), made.id, secret) is None
    accounts.end_session(ctx, secret)
    assert accounts.session_account(ctx, made.id, secret) is None
    assert count_rows(store, "web_sessions") == 0
    again = accounts.start_session(ctx, made, lifetime=timedelta(hours=1))
    accounts.set_active(ctx, "yoon", active=False)
    assert accounts.session_account(ctx, made.id, again) is None
    accounts.set_active(ctx, "yoon", active=True)  # enabling again does not revive it
    assert accounts.session_account(ctx, made.id, again) is None


def test_setting_a_password_revokes_tokens_and_ends_sessions(ctx: ServiceContext) -> None:
    made = accounts.create_user(
        ctx, username="jang", display_name="", role="user", password=PASSWORD
    )
    kept, _ = accounts.issue_token(ctx, "jang", name="ci")
    _, old = accounts.issue_token(ctx, "jang", name="old")
    accounts.revoke_token(ctx, "jang", old.id)
    sessions = [accounts.start_session(ctx, made, lifetime=timedelta(hours=1)) for _ in range(2)]
    ended = accounts.set_password(ctx, "jang", "a different password")
    assert ended == accounts.PasswordSet(tokens_revoked=1, sessions_ended=2)
    with pytest.raises(accounts.AuthenticationError):
        accounts.authenticate_token(ctx, kept)
    assert all(accounts.session_account(ctx, made.id, s) is None for s in sessions)
    [event] = audit.audit_log(ctx, limit=5, action="user.password_set")
    assert event.payload_data() == {"username": "jang", "tokens_revoked": 1, "sessions_ended": 2}


def test_changing_ones_own_password_needs_the_current_one(ctx: ServiceContext) -> None:
    accounts.create_user(ctx, username="seo", display_name="", role="user", password=PASSWORD)
    with pytest.raises(accounts.AuthenticationError):
        accounts.change_own_password(ctx, "seo", current="not it at all", new="x" * 12, source="a")
    accounts.change_own_password(ctx, "seo", current=PASSWORD, new="x" * 12, source="a")
    assert accounts.authenticate(ctx, username="seo", password="x" * 12, source="a")
    actions = [e.action for e in audit.audit_log(ctx, limit=100)]
    assert actions.count("auth.reauth_failed") == 1 and actions.count("auth.reauthenticated") == 1
    assert actions.count("auth.login") == 1  # only the sign-in after the change


def test_old_attempts_and_notes_are_pruned_even_without_sign_ins(
    ctx: ServiceContext, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    yesterday = at(store, ctx.clock() - timedelta(days=1))
    for source in ("192.0.2.1", "192.0.2.2"):
        with pytest.raises(accounts.AuthenticationError):
            accounts.authenticate(yesterday, username="ghost", password="x", source=source)
    with pytest.raises(accounts.AuthenticationError):
        accounts.authenticate_token(yesterday, "ethos_unknown", source="192.0.2.1")
    assert (count_rows(store, "login_attempts"), count_rows(store, "refusal_notes")) == (2, 1)
    monkeypatch.setattr(signin, "_last_prune", float("-inf"))
    assert accounts.session_account(ctx, 1, "no such session") is None
    assert (count_rows(store, "login_attempts"), count_rows(store, "refusal_notes")) == (0, 0)
    # and not again straight away: at most every few minutes per process
    with pytest.raises(accounts.AuthenticationError):
        accounts.authenticate(yesterday, username="ghost", password="x", source="192.0.2.1")
    accounts.session_account(ctx, 1, "no such session")
    assert count_rows(store, "login_attempts") == 1


def test_a_refused_token_is_audited_once_per_source_and_window(
    ctx: ServiceContext, store: Store
) -> None:
    start = ctx.clock()
    window = timedelta(minutes=15)
    for minutes, source in ((0, "a"), (1, "a"), (14, "a"), (2, "b"), (16, "a")):
        with pytest.raises(accounts.AuthenticationError):
            accounts.authenticate_token(
                at(store, start + timedelta(minutes=minutes)),
                "ethos_made-up",
                source=source,
                window=window,
            )
    refused = audit.audit_log(ctx, limit=10, action="auth.token_refused")
    assert len(refused) == 3  # a at 0 and 16 minutes, b at 2
