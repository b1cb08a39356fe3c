"""Accounts: create, set passwords, API tokens, task-force seats.

Signing in and browser sessions are in :mod:`ethos.services.signin` (re-exported here).
API tokens are random and only their SHA-256 is kept. A refused token is written to the
audit trail once per source, token and throttle window, without the token tried.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ethos.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ethos.domain.projects import Member
from ethos.services.context import ServiceContext, resolve_member, resolve_project
from ethos.services.signin import (
    MAX_PASSWORD,
    AuthenticationError,
    LoginThrottledError,
    SignInBusyError,
    Throttle,
    authenticate,
    digest,
    end_session,
    hash_password,
    housekeeping,
    note_key,
    prune_sign_in_records,
    reauthenticate,
    retention,
    session_account,
    start_session,
    use_password_parameters,
)
from ethos.store.accounts_repository import Account, ApiToken

__all__ = [
    "ROLES",
    "TOKEN_PREFIX",
    "Account",
    "ApiToken",
    "AuthenticationError",
    "LoginThrottledError",
    "PasswordSet",
    "SignInBusyError",
    "Throttle",
    "authenticate",
    "authenticate_token",
    "change_own_password",
    "create_user",
    "end_session",
    "get_user",
    "issue_token",
    "link_member",
    "list_tokens",
    "list_users",
    "prune_sign_in_records",
    "reauthenticate",
    "revoke_token",
    "seat_holders",
    "session_account",
    "set_active",
    "set_password",
    "start_session",
    "use_password_parameters",
]

ROLES = ("admin", "auditor", "user")
TOKEN_PREFIX = "ethos_"  # noqa: S105 - a prefix, not a secret
MIN_PASSWORD = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class PasswordSet:
    """What setting a password ended: the account's API tokens and browser sessions."""

    tokens_revoked: int
    sessions_ended: int


def _username(value: str) -> str:
    name = value.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInputError(
            "username: 2-64 characters, lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit",
            ko=(
                "username: 2-64자의 영문 소문자, 숫자, '.', "
                "'_', '-'로 쓰고, 영문자나 숫자로 시작해야 합니다"
            ),
        )
    return name


def _password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise InvalidInputError(
            f"password: at least {MIN_PASSWORD} characters",
            ko=f"password: {MIN_PASSWORD}자 이상이어야 합니다",
        )
    if len(value) > MAX_PASSWORD:
        raise InvalidInputError(
            f"password: at most {MAX_PASSWORD} characters",
            ko=f"password: {MAX_PASSWORD}자 이하여야 합니다",
        )
    return value


def _account(ctx: ServiceContext, username: str) -> Account:
    with ctx.store.for_reading().unit_of_work() as uow:
        account = uow.accounts.by_username(username.strip().lower())
    if account is None:
        raise NotFoundError(
            f"user {username.strip()[:64]!r} not found",
            ko=f"사용자 {username.strip()[:64]!r}을(를) 찾을 수 없습니다",
        )
    return account


def create_user(
    ctx: ServiceContext, *, username: str, display_name: str, role: str, password: str
) -> Account:
    """A new local account with ``role`` admin, auditor or user."""
    name = _username(username)
    shown = display_name.strip() or name
    if len(shown) > 200:
        raise InvalidInputError(
            "display name: longer than 200 characters", ko="display name: 200자보다 깁니다"
        )
    if role not in ROLES:
        raise InvalidInputError(
            f"role: {role!r} is not one of: {', '.join(ROLES)}",
            ko=f"role: {role!r}은(는) 다음 중 하나가 아닙니다: {', '.join(ROLES)}",
        )
    hashed = hash_password(_password(password))
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        if uow.accounts.by_username(name) is not None:
            raise ConflictError(
                f"username: {name!r} is taken",
                ko=f"username: {name!r}은(는) 이미 쓰이고 있습니다",
            )
        account = uow.accounts.add(
            username=name, display_name=shown, role=role, password_hash=hashed, created_at=now
        )
        uow.record(
            at=now,
            actor=ctx.actor,
            action="user.created",
            subject=f"user:{account.id}",
            payload={"username": name, "display_name": shown, "role": role},
        )
    return account


def set_password(ctx: ServiceContext, username: str, password: str) -> PasswordSet:
    """Replace an account's password; its browser sessions end and its API tokens are
    revoked (whoever knew the old password may have made them)."""
    hashed = hash_password(_password(password))
    account = _account(ctx, username)
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        uow.accounts.set_password_hash(account.id, hashed)
        ended = PasswordSet(
            tokens_revoked=uow.api_tokens.revoke_all(account.id, now),
            sessions_ended=uow.web_sessions.remove_all(account.id),
        )
        uow.record(
            at=now,
            actor=ctx.actor,
            action="user.password_set",
            subject=f"user:{account.id}",
            payload={
                "username": account.username,
                "tokens_revoked": ended.tokens_revoked,
                "sessions_ended": ended.sessions_ended,
            },
        )
    return ended


def set_active(ctx: ServiceContext, username: str, *, active: bool) -> None:
    """Enable or disable an account (a disabled one cannot sign in or use its tokens, and its
    browser sessions end)."""
    account = _account(ctx, username)
    with ctx.store.unit_of_work() as uow:
        uow.accounts.set_active(account.id, active)
        if not active:
            uow.web_sessions.remove_all(account.id)
        uow.record(
            at=ctx.clock(),
            actor=ctx.actor,
            action="user.enabled" if active else "user.disabled",
            subject=f"user:{account.id}",
            payload={"username": account.username},
        )


def list_users(ctx: ServiceContext) -> list[Account]:
    with ctx.store.for_reading().unit_of_work() as uow:
        return uow.accounts.list()


def get_user(ctx: ServiceContext, username: str) -> Account:
    return _account(ctx, username)


def change_own_password(
    ctx: ServiceContext,
    username: str,
    *,
    current: str,
    new: str,
    source: str,
    throttle: Throttle | None = None,
) -> PasswordSet:
    """Change one's own password, given the current one."""
    _password(new)
    reauthenticate(
        ctx,
        username=username,
        password=current,
        purpose="change password",
        source=source,
        throttle=throttle or Throttle(),
    )
    return set_password(ctx, username, new)


# API tokens ---------------------------------------------------------------------------------


def issue_token(
    ctx: ServiceContext, username: str, *, name: str, days: int | None = 90
) -> tuple[str, ApiToken]:
    """A new API token for ``username``; the token is returned once and not kept."""
    label = name.strip()
    if not label or len(label) > 100:
        raise InvalidInputError("token name: 1-100 characters", ko="token name: 1-100자여야 합니다")
    if days is not None and not 1 <= days <= 3650:
        raise InvalidInputError(
            "days: from 1 to 3650, or none for a token that does not expire",
            ko="days: 1부터 3650까지, 또는 만료되지 않는 토큰이면 비워 두세요",
        )
    account = _account(ctx, username)
    if not account.active:
        raise ConflictError(
            f"user {account.username!r} is disabled",
            ko=f"사용자 {account.username!r}은(는) 비활성 상태입니다",
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = ctx.clock()
    expires = now + timedelta(days=days) if days is not None else None
    with ctx.store.unit_of_work() as uow:
        issued = uow.api_tokens.add(
            user_id=account.id,
            name=label,
            token_sha256=digest(token),
            created_at=now,
            expires_at=expires,
        )
        uow.record(
            at=now,
            actor=ctx.actor,
            action="token.issued",
            subject=f"user:{account.id}",
            payload={
                "username": account.username,
                "token_id": issued.id,
                "name": label,
                "expires_at": expires.isoformat() if expires else None,
            },
        )
    return token, issued


def list_tokens(ctx: ServiceContext, username: str) -> list[ApiToken]:
    account = _account(ctx, username)
    with ctx.store.for_reading().unit_of_work() as uow:
        return uow.api_tokens.of_user(account.id)


def revoke_token(ctx: ServiceContext, username: str, token_id: int) -> ApiToken:
    """Revoke one of ``username``'s tokens."""
    account = _account(ctx, username)
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        token = uow.api_tokens.get(token_id)
        if token is None or token.user_id != account.id:
            raise NotFoundError(
                f"token {token_id} not found for user {account.username!r}",
                ko=f"토큰 {token_id}: 사용자 {account.username!r}에게서 찾을 수 없습니다",
            )
        if token.revoked_at is None:
            uow.api_tokens.revoke(token.id, now)
            uow.record(
                at=now,
                actor=ctx.actor,
                action="token.revoked",
                subject=f"user:{account.id}",
                payload={"username": account.username, "token_id": token.id},
            )
        revoked = uow.api_tokens.get(token.id)
    assert revoked is not None
    return revoked


def _token_problem(token: ApiToken | None, account: Account | None, now: datetime) -> str | None:
    if token is None:
        return "unknown token"
    if token.revoked_at is not None:
        return "revoked token"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired token"
    if account is None or not account.active:
        return "account disabled"
    return None


def authenticate_token(
    ctx: ServiceContext, token: str, *, source: str = "", window: timedelta | None = None
) -> Account:
    """The account an API token belongs to; refused when it is not valid. A refusal is
    audited once per ``source`` and token (or unknown token) within ``window`` (by default
    the throttle's)."""
    housekeeping(ctx)
    now = ctx.clock()
    with ctx.store.for_reading().unit_of_work() as uow:
        found, account = uow.api_tokens.with_account(digest(token.strip()[:200])) or (None, None)
        problem = _token_problem(found, account, now)
        key = note_key(source, str(found.id) if found else "unknown")
        since = now - (window or retention())
        noted = problem is not None and uow.refusal_notes.noted_since("token_refused", key, since)
    if problem is not None:
        if not noted:  # checked again, and noted, in the writing transaction
            with ctx.store.unit_of_work() as uow:
                if uow.refusal_notes.first_since("token_refused", key, since, now):
                    uow.record(
                        at=now,
                        actor=account.username if account else "anonymous",
                        action="auth.token_refused",
                        subject=f"user:{account.id}" if account else "user:unknown",
                        payload={"reason": problem, "token_id": found.id if found else None},
                    )
        raise AuthenticationError(
            "the API token is not valid (unknown, expired or revoked)",
            ko="API 토큰이 유효하지 않습니다(알 수 없거나, 만료되었거나, 폐기됨)",
        )
    assert found is not None
    assert account is not None
    if found.last_used_at is None or now - found.last_used_at >= _TOUCH_EVERY:
        with ctx.store.unit_of_work() as uow:
            uow.api_tokens.touch(found.id, now)
    return account


def link_member(
    ctx: ServiceContext, project_ref: str | int, member_ref: str | int, username: str | None
) -> Member:
    """Let ``username`` act as a task-force member (``None`` removes the link)."""
    account = _account(ctx, username) if username else None
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        member = resolve_member(uow, project, member_ref)
        if account is not None:
            seat = uow.memberships.seat(account.id, project.id)
            if seat is not None and seat.id != member.id:
                raise ConflictError(
                    f"user {account.username!r} already sits on the task force of "
                    f"{project.name!r} as {seat.name!r}",
                    ko=(
                        f"사용자 {account.username!r}은(는) 이미 "
                        f"과제 {project.name!r}의 TF에 {seat.name!r}(으)로 "
                        "등록되어 있습니다"
                    ),
                )
        uow.memberships.link(member.id, account.id if account else None)
        uow.record(
            at=now,
            actor=ctx.actor,
            action="member.linked" if account else "member.unlinked",
            subject=f"project:{project.id}",
            payload={
                "member_id": member.id,
                "username": account.username if account else None,
            },
        )
    return member


def seat_holders(ctx: ServiceContext, project_id: int) -> dict[int, str]:
    """Member id to the username of the account that sits in that seat."""
    with ctx.store.for_reading().unit_of_work() as uow:
        links = uow.memberships.of_project(project_id)
        found = {m: uow.accounts.get(u) for m, u in links.items()}
    return {m: a.username for m, a in found.items() if a is not None}
