"""Accounts: create, set passwords, sign in (throttled), API tokens, task-force seats.

Passwords are hashed with argon2id; API tokens are random and only their SHA-256 is kept.
Every sign-in, failed sign-in and refused token is written to the audit trail, without the
password or token tried and without the address it came from (that stays in the short-lived
``login_attempts`` table the throttle reads).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from ethos.domain.errors import ConflictError, EthosError, InvalidInputError, NotFoundError
from ethos.domain.projects import Member
from ethos.services.context import ServiceContext, resolve_member, resolve_project
from ethos.store.accounts_repository import Account, ApiToken

__all__ = [
    "ROLES",
    "TOKEN_PREFIX",
    "Account",
    "ApiToken",
    "AuthenticationError",
    "LoginThrottledError",
    "Throttle",
    "authenticate",
    "authenticate_token",
    "create_user",
    "get_user",
    "issue_token",
    "link_member",
    "list_tokens",
    "list_users",
    "revoke_token",
    "seat_holders",
    "session_account",
    "session_generation",
    "set_active",
    "set_password",
    "use_password_parameters",
]

ROLES = ("admin", "auditor", "user")
TOKEN_PREFIX = "ethos_"  # noqa: S105 - a prefix, not a secret
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_TOUCH_EVERY = timedelta(minutes=5)

_hasher = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)


def use_password_parameters(parameters: Parameters) -> None:
    """Hash new passwords with ``parameters`` (tests and benchmarks use cheap ones)."""
    global _hasher
    _hasher = PasswordHasher.from_parameters(parameters)


class AuthenticationError(EthosError):
    """Sign-in refused. The message never says whether the account exists."""


class LoginThrottledError(AuthenticationError):
    """Too many failed sign-ins recently; try again later."""


@dataclass(frozen=True, slots=True)
class Throttle:
    """Failed sign-ins tolerated within ``window``, per account and per source address."""

    per_account: int = 5
    per_source: int = 20
    window: timedelta = timedelta(minutes=15)


def _username(value: str) -> str:
    name = value.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInputError(
            "username: 2-64 characters, lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def _password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise InvalidInputError(f"password: at least {MIN_PASSWORD} characters")
    if len(value) > MAX_PASSWORD:
        raise InvalidInputError(f"password: at most {MAX_PASSWORD} characters")
    return value


def _account(ctx: ServiceContext, username: str) -> Account:
    with ctx.store.for_reading().unit_of_work() as uow:
        account = uow.accounts.by_username(username.strip().lower())
    if account is None:
        raise NotFoundError(f"user {username.strip()[:64]!r} not found")
    return account


def create_user(
    ctx: ServiceContext, *, username: str, display_name: str, role: str, password: str
) -> Account:
    """A new local account with ``role`` admin, auditor or user."""
    name = _username(username)
    shown = display_name.strip() or name
    if len(shown) > 200:
        raise InvalidInputError("display name: longer than 200 characters")
    if role not in ROLES:
        raise InvalidInputError(f"role: {role!r} is not one of: {', '.join(ROLES)}")
    hashed = _hasher.hash(_password(password))
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        if uow.accounts.by_username(name) is not None:
            raise ConflictError(f"username: {name!r} is taken")
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


def set_password(ctx: ServiceContext, username: str, password: str) -> None:
    """Replace an account's password; its open sessions end."""
    hashed = _hasher.hash(_password(password))
    account = _account(ctx, username)
    with ctx.store.unit_of_work() as uow:
        uow.accounts.set_password_hash(account.id, hashed)
        uow.record(
            at=ctx.clock(),
            actor=ctx.actor,
            action="user.password_set",
            subject=f"user:{account.id}",
            payload={"username": account.username},
        )


def set_active(ctx: ServiceContext, username: str, *, active: bool) -> None:
    """Enable or disable an account (a disabled one cannot sign in or use its tokens)."""
    account = _account(ctx, username)
    with ctx.store.unit_of_work() as uow:
        uow.accounts.set_active(account.id, active)
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


def session_generation(account: Account) -> str:
    """Changes whenever the password does, so sessions end with a password change."""
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def session_account(ctx: ServiceContext, user_id: int, generation: str) -> Account | None:
    """The account a session cookie names, if it is still active and its password unchanged."""
    with ctx.store.for_reading().unit_of_work() as uow:
        account = uow.accounts.get(user_id)
    if account is None or not account.active:
        return None
    if not secrets.compare_digest(session_generation(account), generation):
        return None
    return account


def _verify(account: Account | None, password: str) -> bool:
    if account is None:
        # Spend the same time as a real check, so response times do not reveal accounts.
        _hasher.hash(password[:MAX_PASSWORD])
        return False
    try:
        return _hasher.verify(account.password_hash, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    ctx: ServiceContext,
    *,
    username: str,
    password: str,
    source: str,
    throttle: Throttle = Throttle(),
) -> Account:
    """Check a sign-in; refuse it when the account or source failed too often recently.

    The password is checked outside any transaction (argon2 takes a noticeable fraction of a
    second by design), so a sign-in never holds the database's write lock while hashing.
    """
    name = username.strip().lower()[:64]
    now = ctx.clock()
    since = now - throttle.window
    with ctx.store.for_reading().unit_of_work() as uow:
        account = uow.accounts.by_username(name)
        throttled = (
            uow.login_attempts.failures_for_username(name, since) >= throttle.per_account
            or uow.login_attempts.failures_from_source(source, since) >= throttle.per_source
        )
    subject = f"user:{account.id}" if account else "user:unknown"
    known = {"username": name} if account else {"username": None}
    actor = name if account else "anonymous"
    if throttled:
        with ctx.store.unit_of_work() as uow:
            uow.record(
                at=now, actor=actor, action="auth.login_throttled", subject=subject, payload=known
            )
        minutes = int(throttle.window.total_seconds() // 60)
        raise LoginThrottledError(
            f"too many failed sign-ins; wait {minutes} minutes before trying again"
        )
    ok = _verify(account, password) and account is not None and account.active
    rehashed = (
        _hasher.hash(password)
        if ok and account is not None and _hasher.check_needs_rehash(account.password_hash)
        else None
    )
    with ctx.store.unit_of_work() as uow:
        uow.login_attempts.prune(since)
        uow.login_attempts.add(username=name, source=source, succeeded=ok, at=now)
        if ok and account is not None:
            if rehashed:
                uow.accounts.set_password_hash(account.id, rehashed)
            uow.record(
                at=now,
                actor=account.username,
                action="auth.login",
                subject=subject,
                payload={"username": account.username, "method": "password"},
            )
            fresh = uow.accounts.get(account.id)
        else:
            reason = (
                "unknown account"
                if account is None
                else ("account disabled" if not account.active else "wrong password")
            )
            uow.record(
                at=now,
                actor=actor,
                action="auth.login_failed",
                subject=subject,
                payload={**known, "reason": reason},
            )
            fresh = None
    if fresh is None:
        raise AuthenticationError("username or password is not right")
    return fresh


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(
    ctx: ServiceContext, username: str, *, name: str, days: int | None = 90
) -> tuple[str, ApiToken]:
    """A new API token for ``username``; the token is returned once and not kept."""
    label = name.strip()
    if not label or len(label) > 100:
        raise InvalidInputError("token name: 1-100 characters")
    if days is not None and not 1 <= days <= 3650:
        raise InvalidInputError("days: from 1 to 3650, or none for a token that does not expire")
    account = _account(ctx, username)
    if not account.active:
        raise ConflictError(f"user {account.username!r} is disabled")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = ctx.clock()
    expires = now + timedelta(days=days) if days is not None else None
    with ctx.store.unit_of_work() as uow:
        issued = uow.api_tokens.add(
            user_id=account.id,
            name=label,
            token_sha256=_digest(token),
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
            raise NotFoundError(f"token {token_id} not found for user {account.username!r}")
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


def authenticate_token(ctx: ServiceContext, token: str) -> Account:
    """The account an API token belongs to; refused (and audited) when it is not valid."""
    now = ctx.clock()
    digest = _digest(token.strip()[:200])
    with ctx.store.for_reading().unit_of_work() as uow:
        found = uow.api_tokens.by_digest(digest)
        account = uow.accounts.get(found.user_id) if found else None
    problem = _token_problem(found, account, now)
    if problem is not None:
        with ctx.store.unit_of_work() as uow:
            uow.record(
                at=now,
                actor=account.username if account else "anonymous",
                action="auth.token_refused",
                subject=f"user:{account.id}" if account else "user:unknown",
                payload={"reason": problem, "token_id": found.id if found else None},
            )
        raise AuthenticationError("the API token is not valid (unknown, expired or revoked)")
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
                    f"{project.name!r} as {seat.name!r}"
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
