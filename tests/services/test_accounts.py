"""Accounts, tokens, seats and permissions at the service layer (no web framework)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import profiles
from sqlalchemy import text

from ethos.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ethos.services import accounts, authz, projects
from ethos.services.context import ServiceContext
from ethos.store.schema import upgrade
from ethos.store.unit_of_work import Store

PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def _cheap() -> Iterator[None]:
    accounts.use_password_parameters(profiles.CHEAPEST)
    yield
    accounts.use_password_parameters(profiles.RFC_9106_LOW_MEMORY)


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
    throttle = accounts.Throttle(per_account=2, per_source=100, window=timedelta(minutes=5))
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
    with pytest.raises(authz.PermissionDeniedError):
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
