"""The check of every request (a session cookie or an API token) is one query."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from argon2 import profiles
from sqlalchemy import event

from ethos.services import accounts, signin
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store

PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def _cheap() -> Iterator[None]:
    accounts.use_password_parameters(profiles.CHEAPEST)
    yield
    accounts.use_password_parameters(profiles.RFC_9106_LOW_MEMORY, concurrency=4)


@pytest.fixture(autouse=True)
def _no_housekeeping(monkeypatch: pytest.MonkeyPatch) -> None:
    """The prune that runs every few minutes would add its own statements."""
    monkeypatch.setattr(signin, "_last_prune", time.monotonic())


@contextmanager
def selects(store: Store) -> Iterator[list[str]]:
    """The SELECT statements sent to the database inside the block."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", note)


def test_a_session_is_checked_in_one_query(ctx: ServiceContext, store: Store) -> None:
    made = accounts.create_user(
        ctx, username="seo", display_name="Seo", role="user", password=PASSWORD
    )
    secret = accounts.start_session(ctx, made, lifetime=timedelta(hours=1))
    with selects(store) as seen:
        assert accounts.session_account(ctx, made.id, secret) == made
    assert len(seen) == 1, seen
    with selects(store) as seen:  # an unknown secret: one query, nothing found
        assert accounts.session_account(ctx, made.id, "not the secret") is None
    assert len(seen) == 1, seen


def test_a_token_is_checked_in_one_query(ctx: ServiceContext, store: Store) -> None:
    accounts.create_user(ctx, username="ahn", display_name="Ahn", role="user", password=PASSWORD)
    token, _ = accounts.issue_token(ctx, "ahn", name="ci")
    accounts.authenticate_token(ctx, token)  # the first use records when it was used
    with selects(store) as seen:
        found = accounts.authenticate_token(ctx, token)
    assert (found.username, found.display_name, found.role, found.active) == (
        "ahn",
        "Ahn",
        "user",
        True,
    )
    assert found == accounts.get_user(ctx, "ahn")
    assert len(seen) == 1, seen


def test_the_joined_check_keeps_every_refusal(ctx: ServiceContext, store: Store) -> None:
    made = accounts.create_user(ctx, username="oh", display_name="", role="user", password=PASSWORD)
    other = accounts.create_user(
        ctx, username="ko", display_name="", role="user", password=PASSWORD
    )
    secret = accounts.start_session(ctx, made, lifetime=timedelta(hours=1))
    token, _ = accounts.issue_token(ctx, "oh", name="ci")
    assert accounts.session_account(ctx, other.id, secret) is None  # the cookie names another
    accounts.set_active(ctx, "oh", active=False)
    assert accounts.session_account(ctx, made.id, secret) is None
    with pytest.raises(accounts.AuthenticationError):
        accounts.authenticate_token(ctx, token)  # the token is valid, its account is not
    accounts.set_active(ctx, "oh", active=True)
    assert accounts.authenticate_token(ctx, token).username == "oh"
    accounts.end_session(ctx, secret)
    assert accounts.session_account(ctx, made.id, secret) is None
