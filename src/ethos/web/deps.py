"""Request dependencies: who is acting, their service context, CSRF and language."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated

import jinja2
from fastapi import Depends, Request

from ethos.services import accounts
from ethos.services.authz import NotAuthenticatedError, Principal
from ethos.services.context import ServiceContext
from ethos.web.i18n import LANGUAGES, Catalogues
from ethos.web.sessions import CSRF_FIELD, CSRF_HEADER, csrf_valid, session
from ethos.web.settings import WebSettings

__all__ = [
    "Actor",
    "ApiActor",
    "CsrfError",
    "LoginRequiredError",
    "PageActor",
    "WebState",
    "check_csrf",
    "client_address",
    "lang_of",
    "reading",
    "web_state",
]

_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class WebState:
    """What the app keeps for all requests."""

    settings: WebSettings
    base: ServiceContext
    catalogues: Catalogues
    templates: jinja2.Environment


class LoginRequiredError(NotAuthenticatedError):
    """A page needs a signed-in person; they are sent to the sign-in page."""


class CsrfError(NotAuthenticatedError):
    """A form came without this session's CSRF token."""


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.ethos
    return state


def lang_of(request: Request) -> str:
    chosen = session(request).get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return web_state(request).settings.default_lang


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def reading(ctx: ServiceContext) -> ServiceContext:
    """The same context on the read-only store (SQLite readers do not queue for writers)."""
    return dataclasses.replace(ctx, store=ctx.store.for_reading())


@dataclass(frozen=True)
class Actor:
    """The signed-in person, their service context (actor = username) and language."""

    principal: Principal
    ctx: ServiceContext
    lang: str

    @property
    def reader(self) -> ServiceContext:
        return reading(self.ctx)


def _actor(request: Request, principal: Principal) -> Actor:
    base = web_state(request).base
    ctx = dataclasses.replace(base, actor=principal.username)
    request.state.principal = principal
    return Actor(principal, ctx, lang_of(request))


def page_actor(request: Request) -> Actor:
    """The person signed in with the session cookie, or a redirect to the sign-in page."""
    data = session(request)
    user_id, generation = data.get("uid"), data.get("gen")
    if isinstance(user_id, int) and isinstance(generation, str):
        account = accounts.session_account(web_state(request).base, user_id, generation)
        if account is not None:
            return _actor(request, Principal.of(account))
        data.pop("uid")
        data.pop("gen")
    raise LoginRequiredError("sign in first")


def api_actor(request: Request) -> Actor:
    """The owner of the bearer token in ``Authorization``; 401 without a valid one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticatedError(
            "an API token is required: send 'Authorization: Bearer <token>' "
            "(create one with `ethos user token` or on your account page)"
        )
    try:
        account = accounts.authenticate_token(web_state(request).base, token)
    except accounts.AuthenticationError as exc:
        raise NotAuthenticatedError(exc.message) from None
    return _actor(request, Principal.of(account))


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing form that does not carry this session's CSRF token."""
    if request.method not in _UNSAFE:
        return
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if not csrf_valid(request, submitted):
        raise CsrfError(
            "the form's security token is missing or out of date; reload the page and try again"
        )


PageActor = Annotated[Actor, Depends(page_actor)]
ApiActor = Annotated[Actor, Depends(api_actor)]
