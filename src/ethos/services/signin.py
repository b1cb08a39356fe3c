"""Signing in: password checks (throttled, a few at a time), browser sessions, housekeeping.

Passwords are hashed with argon2id; session secrets are random and only their SHA-256 is
kept. Sign-ins, failed and throttled sign-ins are written to the audit trail without the
password tried and without the address it came from (that stays in the short-lived
``login_attempts`` table the throttle reads). A flood of throttled sign-ins is written once
per account, source and window (``refusal_notes``, keyed by a digest, not the address).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from ethos.domain.errors import EthosError, InvalidInputError
from ethos.services.context import ServiceContext
from ethos.store.accounts_repository import Account

__all__ = [
    "MAX_PASSWORD",
    "AuthenticationError",
    "LoginThrottledError",
    "SignInBusyError",
    "Throttle",
    "authenticate",
    "digest",
    "end_session",
    "hash_password",
    "housekeeping",
    "note_key",
    "prune_sign_in_records",
    "reauthenticate",
    "retention",
    "session_account",
    "start_session",
    "use_password_parameters",
]

MAX_PASSWORD = 1024
_PRUNE_EVERY = 300.0  # seconds between the housekeeping prunes a process makes
_SLOT_WAIT = 30.0  # seconds a check waits for a free argon2 slot before giving up

_hasher = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
# Each argon2 computation of the low-memory profile takes 64 MiB: at most this many at once.
_hashing = threading.BoundedSemaphore(4)
_housekeeping = threading.Lock()
_last_prune = float("-inf")
_retention = timedelta(minutes=15)


def use_password_parameters(parameters: Parameters, *, concurrency: int | None = None) -> None:
    """Hash new passwords with ``parameters`` (tests and benchmarks use cheap ones), and run
    at most ``concurrency`` argon2 computations at once (each holds the profile's memory)."""
    global _hasher, _hashing
    _hasher = PasswordHasher.from_parameters(parameters)
    if concurrency is not None:
        if concurrency < 1:
            raise InvalidInputError(
                "password check concurrency: at least 1",
                ko="password check concurrency: 1 이상이어야 합니다",
            )
        _hashing = threading.BoundedSemaphore(concurrency)


class AuthenticationError(EthosError):
    """Sign-in refused. The message never says whether the account exists."""


class LoginThrottledError(AuthenticationError):
    """Too many failed sign-ins recently; try again later."""


class SignInBusyError(LoginThrottledError):
    """Too many passwords are being checked at once; try again shortly."""


@dataclass(frozen=True, slots=True)
class Throttle:
    """How many failed sign-ins are tolerated within ``window``.

    ``per_account_source``: failures on one account from one source address; then that
    address may not try that account until the window passes (a success resets the count).
    ``per_source``: failures from one address over all accounts; then the address is refused.
    ``slow_after``: failures on one account from all addresses together; beyond it, each
    attempt on the account waits ``slow_step`` seconds, doubling up to ``slow_max``, before
    its password is checked. It is never refused for that: guesses from elsewhere cannot
    lock the owner out.
    """

    per_account_source: int = 5
    per_source: int = 20
    window: timedelta = timedelta(minutes=15)
    slow_after: int = 10
    slow_step: float = 1.0
    slow_max: float = 8.0

    def slowdown(self, failures: int) -> float:
        """Seconds to wait before checking a password after ``failures`` on the account."""
        if failures < self.slow_after:
            return 0.0
        doubled = self.slow_step * 2.0 ** min(failures - self.slow_after, 30)
        return float(min(doubled, self.slow_max))


@contextmanager
def _hashing_slot() -> Iterator[None]:
    """One of the few argon2 computations allowed at a time."""
    semaphore = _hashing
    if not semaphore.acquire(timeout=_SLOT_WAIT):
        raise SignInBusyError(
            "too many passwords are being checked at once; try again shortly",
            ko="지금 확인 중인 비밀번호가 너무 많습니다. 잠시 뒤에 다시 시도하세요",
        )
    try:
        yield
    finally:
        semaphore.release()


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (waits for a free slot)."""
    with _hashing_slot():
        return _hasher.hash(password)


def digest(secret: str) -> str:
    """The SHA-256 kept in place of a token or session secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def note_key(*parts: str) -> str:
    """The key a refusal is noted under: a digest, so no address is kept in the clear."""
    return digest("\0".join(parts))


def retention() -> timedelta:
    """How long sign-in attempts and refusal notes are kept: the longest window in use."""
    return _retention


# Browser sessions ---------------------------------------------------------------------------


def start_session(ctx: ServiceContext, account: Account, *, lifetime: timedelta) -> str:
    """A new browser session for ``account``, ending after ``lifetime`` at the latest; the
    secret for its cookie is returned (only its digest is kept)."""
    secret = secrets.token_urlsafe(32)
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        uow.web_sessions.prune(now)
        uow.web_sessions.add(
            user_id=account.id,
            secret_sha256=digest(secret),
            created_at=now,
            expires_at=now + lifetime,
        )
    return secret


def end_session(ctx: ServiceContext, secret: str) -> None:
    """Sign out: the session is deleted, so a copy of its cookie no longer works."""
    key = digest(secret[:200])
    with ctx.store.unit_of_work() as uow:
        found = uow.web_sessions.by_digest(key)
        if found is None:
            return
        uow.web_sessions.remove(key)
        account = uow.accounts.get(found.user_id)
        uow.record(
            at=ctx.clock(),
            actor=account.username if account else ctx.actor,
            action="auth.logout",
            subject=f"user:{found.user_id}",
            payload={"username": account.username if account else None},
        )


def session_account(ctx: ServiceContext, user_id: int, secret: str) -> Account | None:
    """The account a session cookie names, if its session is open and the account active."""
    housekeeping(ctx)
    with ctx.store.for_reading().unit_of_work() as uow:
        found = uow.web_sessions.with_account(digest(secret[:200]))
    if found is None:
        return None
    opened, account = found
    if opened.user_id != user_id or not account.active or opened.expires_at <= ctx.clock():
        return None
    return account


def prune_sign_in_records(ctx: ServiceContext, *, window: timedelta | None = None) -> None:
    """Forget sign-in attempts and refusal notes older than ``window`` (by default the
    longest throttle window in use), and sessions that expired."""
    now = ctx.clock()
    before = now - (window or _retention)
    with ctx.store.unit_of_work() as uow:
        uow.login_attempts.prune(before)
        uow.refusal_notes.prune(before)
        uow.web_sessions.prune(now)


def housekeeping(ctx: ServiceContext) -> None:
    """:func:`prune_sign_in_records` every few minutes (per process), called on the way by
    sessions and tokens, so addresses are forgotten even when nobody signs in."""
    global _last_prune
    if time.monotonic() - _last_prune < _PRUNE_EVERY or not _housekeeping.acquire(False):
        return
    try:
        _last_prune = time.monotonic()
        prune_sign_in_records(ctx)
    finally:
        _housekeeping.release()


# Password checks ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Attempt:
    account: Account | None
    attempt_id: int
    wait: float


def _admit(
    ctx: ServiceContext, name: str, source: str, throttle: Throttle, now: datetime
) -> _Attempt:
    """Check the throttle and, in the same locked transaction, write the attempt as failed
    (it becomes a success only after its password was checked)."""
    global _retention
    _retention = max(_retention, throttle.window)
    since = now - throttle.window
    with ctx.store.unit_of_work() as uow:
        attempts = uow.login_attempts
        attempts.lock()
        attempts.prune(since)
        account = uow.accounts.by_username(name)
        spraying = attempts.failures_from_source(source, since) >= throttle.per_source
        guessing = (
            attempts.failures_for_username(name, since, source=source)
            >= throttle.per_account_source
        )
        if not (spraying or guessing):
            wait = throttle.slowdown(attempts.failures_for_username(name, since))
            attempt_id = attempts.add(username=name, source=source, succeeded=False, at=now)
            return _Attempt(account, attempt_id, wait)
        # Recorded once per window: per source when it tries many accounts, else per account.
        key = note_key(source) if spraying else note_key(name, source)
        if uow.refusal_notes.first_since("login_throttled", key, since, now):
            uow.record(
                at=now,
                actor=name if account else "anonymous",
                action="auth.login_throttled",
                subject=f"user:{account.id}" if account else "user:unknown",
                payload={"username": name if account else None},
            )
    minutes = int(throttle.window.total_seconds() // 60)
    raise LoginThrottledError(
        f"too many failed sign-ins; wait {minutes} minutes before trying again",
        ko=f"로그인 실패가 너무 많습니다. {minutes}분 뒤에 다시 시도하세요",
    )


def _verify(account: Account | None, password: str) -> tuple[bool, str | None]:
    """Whether ``password`` is right, and a new hash if the stored one is outdated."""
    with _hashing_slot():
        if account is None:
            # Spend the same time as a real check, so response times do not reveal accounts.
            _hasher.hash(password[:MAX_PASSWORD])
            return False, None
        try:
            ok = _hasher.verify(account.password_hash, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            return False, None
        stale = ok and account.active and _hasher.check_needs_rehash(account.password_hash)
        return ok, _hasher.hash(password) if stale else None


def _check_password(
    ctx: ServiceContext,
    *,
    username: str,
    password: str,
    source: str,
    throttle: Throttle,
    pause: Callable[[float], None],
    events: tuple[str, str],
    details: tuple[dict[str, str], dict[str, str]],
) -> Account:
    name = username.strip().lower()[:64]
    now = ctx.clock()
    attempt = _admit(ctx, name, source, throttle, now)
    account = attempt.account
    if attempt.wait:
        pause(attempt.wait)
    try:
        right, rehashed = _verify(account, password)
    except SignInBusyError:
        with ctx.store.unit_of_work() as uow:
            uow.login_attempts.discard(attempt.attempt_id)  # never checked: not a failure
        raise
    ok = right and account is not None and account.active
    subject = f"user:{account.id}" if account else "user:unknown"
    with ctx.store.unit_of_work() as uow:
        if ok and account is not None:
            uow.login_attempts.mark_succeeded(attempt.attempt_id)
            if rehashed:
                uow.accounts.set_password_hash(account.id, rehashed)
            uow.record(
                at=now,
                actor=account.username,
                action=events[0],
                subject=subject,
                payload={"username": account.username, **details[0]},
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
                actor=name if account else "anonymous",
                action=events[1],
                subject=subject,
                payload={"username": name if account else None, "reason": reason, **details[1]},
            )
            fresh = None
    if fresh is None:
        raise AuthenticationError(
            "username or password is not right", ko="사용자 이름이나 비밀번호가 맞지 않습니다"
        )
    return fresh


def authenticate(
    ctx: ServiceContext,
    *,
    username: str,
    password: str,
    source: str,
    throttle: Throttle = Throttle(),
    pause: Callable[[float], None] = time.sleep,
) -> Account:
    """Check a sign-in; refuse it when the account failed too often from ``source``, or the
    source too often overall; slow it down when the account failed often from anywhere.

    The throttle is checked and the attempt written in one locked transaction, so attempts
    made at the same time all count. The password is checked outside any transaction
    (argon2 takes a noticeable fraction of a second by design), a few at a time.
    """
    return _check_password(
        ctx,
        username=username,
        password=password,
        source=source,
        throttle=throttle,
        pause=pause,
        events=("auth.login", "auth.login_failed"),
        details=({"method": "password"}, {}),
    )


def reauthenticate(
    ctx: ServiceContext,
    *,
    username: str,
    password: str,
    purpose: str,
    source: str,
    throttle: Throttle = Throttle(),
    pause: Callable[[float], None] = time.sleep,
) -> Account:
    """Confirm a signed-in person's password before ``purpose``: throttled like a sign-in,
    audited as ``auth.reauthenticated`` or ``auth.reauth_failed``, not as a sign-in."""
    return _check_password(
        ctx,
        username=username,
        password=password,
        source=source,
        throttle=throttle,
        pause=pause,
        events=("auth.reauthenticated", "auth.reauth_failed"),
        details=({"purpose": purpose}, {"purpose": purpose}),
    )
