"""Accounts, API tokens, sign-in attempts and task-force seats: rows in, plain objects out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, text, update
from sqlalchemy.orm import Session

from ethos.domain.projects import Member, Role
from ethos.store.tables import (
    ApiTokenRow,
    LoginAttemptRow,
    MemberRow,
    RefusalNoteRow,
    UserRow,
    WebSessionRow,
)

__all__ = [
    "Account",
    "AccountRepository",
    "ApiToken",
    "ApiTokenRepository",
    "LoginAttemptRepository",
    "MembershipRepository",
    "RefusalNoteRepository",
    "WebSession",
    "WebSessionRepository",
]

_SIGN_IN_LOCK_KEY = 0x45_54_48_4F_53_4C_47  # "ETHOSLG": serialises sign-in checks on PostgreSQL


@dataclass(frozen=True, slots=True)
class Account:
    """A local account. ``password_hash`` is the argon2 hash; it is never shown."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: datetime
    password_hash: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in browser session; the secret in the cookie is not kept, only its digest."""

    id: int
    user_id: int
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    """What is known about an API token; the token itself is not kept."""

    id: int
    user_id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


def _account(row: UserRow) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        active=row.active,
        created_at=row.created_at,
        password_hash=row.password_hash,
    )


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


_ACCOUNT_COLUMNS = (
    UserRow.id,
    UserRow.username,
    UserRow.display_name,
    UserRow.role,
    UserRow.active,
    UserRow.created_at,
    UserRow.password_hash,
)
# One query each for the check of every request: the session (or token) with its account,
# read as plain rows (no ORM objects), the statements built once.
_SESSION_WITH_ACCOUNT = (
    select(
        WebSessionRow.id,
        WebSessionRow.user_id,
        WebSessionRow.created_at,
        WebSessionRow.expires_at,
        *_ACCOUNT_COLUMNS,
    )
    .join(UserRow, UserRow.id == WebSessionRow.user_id)
    .where(WebSessionRow.secret_sha256 == bindparam("digest"))
    .limit(1)
)
_TOKEN_WITH_ACCOUNT = (
    select(
        ApiTokenRow.id,
        ApiTokenRow.user_id,
        ApiTokenRow.name,
        ApiTokenRow.created_at,
        ApiTokenRow.last_used_at,
        ApiTokenRow.expires_at,
        ApiTokenRow.revoked_at,
        *_ACCOUNT_COLUMNS,
    )
    .outerjoin(UserRow, UserRow.id == ApiTokenRow.user_id)
    .where(ApiTokenRow.token_sha256 == bindparam("digest"))
    .limit(1)
)


def _account_of(values: Sequence[Any]) -> Account | None:
    """The account in the last seven columns of a row (``None`` when the join found none)."""
    if values[0] is None:
        return None
    return Account(*values)


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        username: str,
        display_name: str,
        role: str,
        password_hash: str,
        created_at: datetime,
    ) -> Account:
        row = UserRow(
            username=username,
            display_name=display_name,
            role=role,
            password_hash=password_hash,
            active=True,
            created_at=created_at,
        )
        self._session.add(row)
        self._session.flush()
        return _account(row)

    def get(self, user_id: int) -> Account | None:
        row = self._session.get(UserRow, user_id)
        return _account(row) if row else None

    def by_username(self, username: str) -> Account | None:
        row = self._session.scalars(select(UserRow).where(UserRow.username == username)).first()
        return _account(row) if row else None

    def list(self) -> list[Account]:
        return [_account(r) for r in self._session.scalars(select(UserRow).order_by(UserRow.id))]

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._session.get_one(UserRow, user_id).password_hash = password_hash
        self._session.flush()

    def set_active(self, user_id: int, active: bool) -> None:
        self._session.get_one(UserRow, user_id).active = active
        self._session.flush()


class ApiTokenRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        user_id: int,
        name: str,
        token_sha256: str,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> ApiToken:
        row = ApiTokenRow(
            user_id=user_id,
            name=name,
            token_sha256=token_sha256,
            created_at=created_at,
            expires_at=expires_at,
        )
        self._session.add(row)
        self._session.flush()
        return _token(row)

    def get(self, token_id: int) -> ApiToken | None:
        row = self._session.get(ApiTokenRow, token_id)
        return _token(row) if row else None

    def with_account(self, token_sha256: str) -> tuple[ApiToken, Account | None] | None:
        """The token of this digest and its account, in one query; ``None`` if unknown."""
        row = self._session.execute(_TOKEN_WITH_ACCOUNT, {"digest": token_sha256}).first()
        if row is None:
            return None
        return ApiToken(*row[:7]), _account_of(row[7:])

    def of_user(self, user_id: int) -> list[ApiToken]:
        query = select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
        return [_token(r) for r in self._session.scalars(query)]

    def revoke(self, token_id: int, at: datetime) -> None:
        self._session.get_one(ApiTokenRow, token_id).revoked_at = at
        self._session.flush()

    def touch(self, token_id: int, at: datetime) -> None:
        self._session.get_one(ApiTokenRow, token_id).last_used_at = at
        self._session.flush()

    def revoke_all(self, user_id: int, at: datetime) -> int:
        """Revoke every token of ``user_id`` still in force; how many were."""
        query = (
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(self._session.execute(query).rowcount)  # type: ignore[attr-defined]


class WebSessionRepository:
    """Browser sessions, found by the SHA-256 of the secret their cookie carries."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, *, user_id: int, secret_sha256: str, created_at: datetime, expires_at: datetime
    ) -> WebSession:
        row = WebSessionRow(
            user_id=user_id,
            secret_sha256=secret_sha256,
            created_at=created_at,
            expires_at=expires_at,
        )
        self._session.add(row)
        self._session.flush()
        return WebSession(row.id, row.user_id, row.created_at, row.expires_at)

    def by_digest(self, secret_sha256: str) -> WebSession | None:
        query = select(WebSessionRow).where(WebSessionRow.secret_sha256 == secret_sha256)
        row = self._session.scalars(query).first()
        return WebSession(row.id, row.user_id, row.created_at, row.expires_at) if row else None

    def with_account(self, secret_sha256: str) -> tuple[WebSession, Account] | None:
        """The session of this digest and its account, in one query; ``None`` if unknown."""
        row = self._session.execute(_SESSION_WITH_ACCOUNT, {"digest": secret_sha256}).first()
        if row is None:
            return None
        return WebSession(*row[:4]), Account(*row[4:])

    def remove(self, secret_sha256: str) -> int:
        query = delete(WebSessionRow).where(WebSessionRow.secret_sha256 == secret_sha256)
        return int(self._session.execute(query).rowcount)  # type: ignore[attr-defined]

    def remove_all(self, user_id: int) -> int:
        """End every session of ``user_id``; how many there were."""
        query = delete(WebSessionRow).where(WebSessionRow.user_id == user_id)
        return int(self._session.execute(query).rowcount)  # type: ignore[attr-defined]

    def prune(self, now: datetime) -> None:
        self._session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))


class RefusalNoteRepository:
    """Which refusals were already written to the audit trail in the current window."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def noted_since(self, kind: str, key: str, since: datetime) -> bool:
        query = select(func.count()).where(
            RefusalNoteRow.kind == kind,
            RefusalNoteRow.key == key,
            RefusalNoteRow.noted_at > since,
        )
        return bool(self._session.scalar(query))

    def first_since(self, kind: str, key: str, since: datetime, now: datetime) -> bool:
        """Note a ``kind`` refusal under ``key``; whether it is the first since ``since``."""
        if self.noted_since(kind, key, since):
            return False
        self._session.add(RefusalNoteRow(kind=kind, key=key, noted_at=now))
        self._session.flush()
        return True

    def prune(self, before: datetime) -> None:
        self._session.execute(delete(RefusalNoteRow).where(RefusalNoteRow.noted_at < before))


class LoginAttemptRepository:
    """Sign-in attempts, kept only as long as the throttle looks back.

    An attempt is written as failed before its password is checked and marked as a success
    afterwards, so attempts made at the same time all count against the throttle.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def lock(self) -> None:
        """Serialise sign-in checks (SQLite's write transactions already are)."""
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SIGN_IN_LOCK_KEY}
            )

    def add(self, *, username: str, source: str, succeeded: bool, at: datetime) -> int:
        row = LoginAttemptRow(
            username=username[:64], source=source[:64], succeeded=succeeded, attempted_at=at
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def mark_succeeded(self, attempt_id: int) -> None:
        row = self._session.get(LoginAttemptRow, attempt_id)
        if row is not None:  # pruned meanwhile: nothing left to count
            row.succeeded = True
            self._session.flush()

    def discard(self, attempt_id: int) -> None:
        """Forget an attempt whose password was never checked."""
        self._session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.id == attempt_id))

    def _last_success(self, username: str, source: str | None) -> datetime | None:
        query = select(func.max(LoginAttemptRow.attempted_at)).where(
            LoginAttemptRow.username == username, LoginAttemptRow.succeeded.is_(True)
        )
        if source is not None:
            query = query.where(LoginAttemptRow.source == source)
        return self._session.scalar(query)

    def failures_for_username(
        self, username: str, since: datetime, *, source: str | None = None
    ) -> int:
        """Failed attempts on ``username`` (from ``source`` only, when given) since ``since``
        and after its last success (from that source)."""
        last_success = self._last_success(username, source)
        start = max(since, last_success) if last_success is not None else since
        query = select(func.count()).where(
            LoginAttemptRow.username == username,
            LoginAttemptRow.succeeded.is_(False),
            LoginAttemptRow.attempted_at > start,
        )
        if source is not None:
            query = query.where(LoginAttemptRow.source == source)
        return self._session.scalar(query) or 0

    def failures_from_source(self, source: str, since: datetime) -> int:
        query = select(func.count()).where(
            LoginAttemptRow.source == source,
            LoginAttemptRow.succeeded.is_(False),
            LoginAttemptRow.attempted_at > since,
        )
        return self._session.scalar(query) or 0

    def prune(self, before: datetime) -> None:
        self._session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.attempted_at < before))


class MembershipRepository:
    """Which account holds which task-force seat."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def link(self, member_id: int, user_id: int | None) -> None:
        self._session.get_one(MemberRow, member_id).user_id = user_id
        self._session.flush()

    def user_of(self, member_id: int) -> int | None:
        row = self._session.get(MemberRow, member_id)
        return row.user_id if row else None

    def of_project(self, project_id: int) -> dict[int, int]:
        """Member id to account id, for the linked members of a project."""
        query = select(MemberRow.id, MemberRow.user_id).where(
            MemberRow.project_id == project_id, MemberRow.user_id.is_not(None)
        )
        return {
            member_id: user_id
            for member_id, user_id in self._session.execute(query)
            if user_id is not None
        }

    def seat(self, user_id: int, project_id: int) -> Member | None:
        """The member ``user_id`` is on ``project_id``'s task force, if any."""
        query = select(MemberRow).where(
            MemberRow.user_id == user_id, MemberRow.project_id == project_id
        )
        row = self._session.scalars(query).first()
        if row is None:
            return None
        return Member(id=row.id, project_id=row.project_id, name=row.name, role=Role(row.role))

    def project_ids(self, user_id: int) -> set[int]:
        query = select(MemberRow.project_id).where(MemberRow.user_id == user_id)
        return set(self._session.scalars(query))
