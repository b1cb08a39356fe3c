"""Accounts, API tokens, sign-in attempts and task-force seats: rows in, plain objects out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ethos.domain.projects import Member, Role
from ethos.store.tables import ApiTokenRow, LoginAttemptRow, MemberRow, UserRow

__all__ = [
    "Account",
    "AccountRepository",
    "ApiToken",
    "ApiTokenRepository",
    "LoginAttemptRepository",
    "MembershipRepository",
]


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

    def by_digest(self, token_sha256: str) -> ApiToken | None:
        query = select(ApiTokenRow).where(ApiTokenRow.token_sha256 == token_sha256)
        row = self._session.scalars(query).first()
        return _token(row) if row else None

    def of_user(self, user_id: int) -> list[ApiToken]:
        query = select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
        return [_token(r) for r in self._session.scalars(query)]

    def revoke(self, token_id: int, at: datetime) -> None:
        self._session.get_one(ApiTokenRow, token_id).revoked_at = at
        self._session.flush()

    def touch(self, token_id: int, at: datetime) -> None:
        self._session.get_one(ApiTokenRow, token_id).last_used_at = at
        self._session.flush()


class LoginAttemptRepository:
    """Sign-in attempts, kept only as long as the throttle looks back."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, username: str, source: str, succeeded: bool, at: datetime) -> None:
        self._session.add(
            LoginAttemptRow(
                username=username[:64], source=source[:64], succeeded=succeeded, attempted_at=at
            )
        )
        self._session.flush()

    def failures_for_username(self, username: str, since: datetime) -> int:
        """Failed attempts on ``username`` since ``since`` and after its last success."""
        last_success = self._session.scalar(
            select(func.max(LoginAttemptRow.attempted_at)).where(
                LoginAttemptRow.username == username, LoginAttemptRow.succeeded.is_(True)
            )
        )
        start = max(since, last_success) if last_success is not None else since
        query = select(func.count()).where(
            LoginAttemptRow.username == username,
            LoginAttemptRow.succeeded.is_(False),
            LoginAttemptRow.attempted_at > start,
        )
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
