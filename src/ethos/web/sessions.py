"""Signed session cookies, the language cookie and CSRF tokens.

The session is a small JSON object signed with the app's secret key (itsdangerous) and
kept in an ``HttpOnly``, ``SameSite=Lax`` cookie, ``Secure`` over HTTPS. It holds the
account id and the secret of its server-side session (``uid``, ``gen``: see
:func:`ethos.services.signin.start_session`; signing out deletes that session, so a copied
cookie stops working), the CSRF token and one-shot messages.

The interface language is kept in a cookie of its own (``ethos_lang``), so choosing it
never rewrites the session; it is shown to the app as ``session["lang"]``.

Responses to a signed-in person, and to any request with an ``Authorization`` header (the
API), get ``Cache-Control: no-store`` unless they say otherwise (static files aside).
``Strict-Transport-Security`` is sent with the other security headers, by
:class:`ethos.web.app.SecurityHeaders`.
"""

from __future__ import annotations

import secrets
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ethos.web.i18n import LANGUAGES

__all__ = [
    "COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "LANG_COOKIE",
    "SessionMiddleware",
    "choose_language",
    "csrf_token",
    "csrf_valid",
    "flash",
    "pop_flashes",
    "session",
]

COOKIE = "ethos_session"
LANG_COOKIE = "ethos_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_LANG = "lang"
_CHOSEN = "ethos.chosen_language"
_YEAR = 365 * 24 * 3600


class _Session(dict[str, Any]):
    """The session's data; ``lang`` mirrors the language cookie and is never stored here."""

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
        lang = self.get(_LANG)
        super().clear()
        if lang is not None:
            self.show_language(lang)

    def show_language(self, code: str) -> None:
        dict.__setitem__(self, _LANG, code)  # not a change of the session

    def stored(self) -> dict[str, Any]:
        return {k: v for k, v in self.items() if k != _LANG}


class SessionMiddleware:
    """Reads the session cookie into ``scope['session']`` and writes it back if changed."""

    def __init__(self, app: ASGIApp, *, secret_key: str, max_age: int, secure: bool | None) -> None:
        self.app = app
        self.serializer = URLSafeTimedSerializer(secret_key, salt="ethos.session")
        self.max_age = max_age
        self.secure = secure

    def _load(self, connection: HTTPConnection) -> _Session:
        loaded = _Session()
        raw = connection.cookies.get(COOKIE)
        if raw:
            try:
                data = self.serializer.loads(raw, max_age=self.max_age)
            except BadSignature:
                data = None
            if isinstance(data, dict):
                loaded = _Session({k: v for k, v in data.items() if k != _LANG})
        lang = connection.cookies.get(LANG_COOKIE)
        if lang in LANGUAGES:
            loaded.show_language(lang)
        return loaded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        current = self._load(connection)
        scope["session"] = current
        secure = self.secure if self.secure is not None else scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                flags = "HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
                if current.modified:
                    value = self.serializer.dumps(current.stored())
                    headers.append(
                        "set-cookie", f"{COOKIE}={value}; Path=/; Max-Age={self.max_age}; {flags}"
                    )
                if (chosen := scope.get(_CHOSEN)) in LANGUAGES:
                    headers.append(
                        "set-cookie", f"{LANG_COOKIE}={chosen}; Path=/; Max-Age={_YEAR}; {flags}"
                    )
                signed_in = "uid" in current or "authorization" in connection.headers
                private = signed_in and not scope["path"].startswith("/static/")
                if private and "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def session(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = request.scope["session"]
    return data


def choose_language(request: Request, code: str) -> None:
    """Keep ``code`` as the interface language (its own cookie; the session is untouched)."""
    if code not in LANGUAGES:
        return
    request.scope[_CHOSEN] = code
    data = session(request)
    if isinstance(data, _Session):
        data.show_language(code)


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
