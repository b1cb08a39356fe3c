"""Signed session cookies and CSRF tokens.

The session is a small JSON object signed with the app's secret key (itsdangerous) and
kept in an ``HttpOnly``, ``SameSite=Lax`` cookie, ``Secure`` over HTTPS. It holds the
account id, a marker that changes with the account's password, the CSRF token, the
language and one-shot messages; nothing secret.
"""

from __future__ import annotations

import secrets
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SessionMiddleware",
    "csrf_token",
    "csrf_valid",
    "flash",
    "pop_flashes",
    "session",
]

COOKIE = "ethos_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class _Session(dict[str, Any]):
    modified = False

    def __setitem__(self, key: str, value: Any) -> None:
        self.modified = True
        super().__setitem__(key, value)

    def pop(self, key: str, default: Any = None) -> Any:
        if key in self:
            self.modified = True
        return super().pop(key, default)

    def clear(self) -> None:
        self.modified = True
        super().clear()


class SessionMiddleware:
    """Reads the session cookie into ``scope['session']`` and writes it back if changed."""

    def __init__(self, app: ASGIApp, *, secret_key: str, max_age: int, secure: bool | None) -> None:
        self.app = app
        self.serializer = URLSafeTimedSerializer(secret_key, salt="ethos.session")
        self.max_age = max_age
        self.secure = secure

    def _load(self, connection: HTTPConnection) -> _Session:
        raw = connection.cookies.get(COOKIE)
        if raw:
            try:
                data = self.serializer.loads(raw, max_age=self.max_age)
            except BadSignature:
                data = None
            if isinstance(data, dict):
                return _Session(data)
        return _Session()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        current = self._load(connection)
        scope["session"] = current
        secure = self.secure if self.secure is not None else scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and current.modified:
                headers = MutableHeaders(scope=message)
                flags = "HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
                value = self.serializer.dumps(dict(current))
                headers.append(
                    "set-cookie", f"{COOKIE}={value}; Path=/; Max-Age={self.max_age}; {flags}"
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def session(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = request.scope["session"]
    return data


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    data = session(request)
    token = data.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        data["csrf"] = token
    return token


def csrf_valid(request: Request, submitted: str | None) -> bool:
    expected = session(request).get("csrf")
    if not isinstance(expected, str) or not submitted:
        return False
    return secrets.compare_digest(expected.encode(), submitted.encode())


def flash(request: Request, message: str, *, kind: str = "info") -> None:
    """A message shown once on the next page."""
    data = session(request)
    data["flash"] = [*data.get("flash", []), [kind, message[:500]]][-5:]


def pop_flashes(request: Request) -> list[tuple[str, str]]:
    data = session(request)
    if "flash" not in data:
        return []
    return [(kind, text) for kind, text in data.pop("flash")]
