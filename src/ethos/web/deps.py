"""Request dependencies: who is acting, their service context, CSRF and language."""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import jinja2
from fastapi import Depends, Request
from fastapi.routing import APIRoute

from ethos.services import accounts
from ethos.services.authz import NotAuthenticatedError, Principal
from ethos.services.context import ServiceContext
from ethos.services.snapshots import RequestStore, request_store
from ethos.web.i18n import LANGUAGES, Catalogues
from ethos.web.sessions import CSRF_FIELD, CSRF_HEADER, csrf_valid, session
from ethos.web.settings import WebSettings

__all__ = [
    "MAX_FORM_FIELDS",
    "MAX_FORM_FILES",
    "Actor",
    "ApiActor",
    "CsrfError",
    "LoginRequiredError",
    "PageActor",
    "SnapshotRoute",
    "WebState",
    "check_csrf",
    "client_address",
    "lang_of",
    "reading",
    "web_state",
]

_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_READS = {"GET", "HEAD"}
MAX_FORM_FILES = 1  # one evidence file is the most any form takes
MAX_FORM_FIELDS = 1000  # a committee of 200 seats has 600 fields


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

    def end_snapshot(self) -> None:
        """Return the read snapshot's connection (a later read begins a new snapshot)."""
        if isinstance(self.ctx.store, RequestStore):
            self.ctx.store.release()


def _actor(request: Request, principal: Principal, base: ServiceContext) -> Actor:
    ctx = dataclasses.replace(base, actor=principal.username)
    request.state.principal = principal
    return Actor(principal, ctx, lang_of(request))


@contextmanager
def _request_context(request: Request) -> Iterator[ServiceContext]:
    """The app's context; for GET and HEAD, on a store whose reads share one snapshot.

    The snapshot's connection is returned before FastAPI awaits anything (here before the
    endpoint is called, and by :class:`SnapshotRoute` when it returns), so no request holds
    a connection while it waits for a worker thread.
    """
    base = web_state(request).base
    if request.method not in _READS:
        yield base
        return
    with request_store(base.store) as store:
        yield dataclasses.replace(base, store=store)


def page_actor(request: Request) -> Iterator[Actor]:
    """The person signed in with the session cookie, or a redirect to the sign-in page."""
    with _request_context(request) as base:
        data = session(request)
        user_id, generation = data.get("uid"), data.get("gen")
        if isinstance(user_id, int) and isinstance(generation, str):
            account = accounts.session_account(base, user_id, generation)
            if account is not None:
                actor = _actor(request, Principal.of(account), base)
                actor.end_snapshot()
                yield actor
                return
            data.pop("uid")
            data.pop("gen")
        raise LoginRequiredError("sign in first")


def api_actor(request: Request) -> Iterator[Actor]:
    """The owner of the bearer token in ``Authorization``; 401 without a valid one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticatedError(
            "an API token is required: send 'Authorization: Bearer <token>' "
            "(create one with `ethos user token` or on your account page)"
        )
    with _request_context(request) as base:
        try:
            account = accounts.authenticate_token(base, token, source=client_address(request))
        except accounts.AuthenticationError as exc:
            raise NotAuthenticatedError(exc.message) from None
        actor = _actor(request, Principal.of(account), base)
        actor.end_snapshot()
        yield actor


class SnapshotRoute(APIRoute):
    """A route that ends the request's read snapshot as soon as its endpoint returns.

    The endpoint's reads share one transaction (begun at its first read); the connection
    goes back to the pool before FastAPI validates the response or runs the dependencies'
    exits, each of which may wait for a worker thread.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, _ending_snapshot(endpoint), **kwargs)


def _end_snapshots(values: dict[str, Any]) -> None:
    for value in values.values():
        if isinstance(value, Actor):
            value.end_snapshot()


def _ending_snapshot(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(endpoint):

        @functools.wraps(endpoint)
        async def async_endpoint(**values: Any) -> Any:
            try:
                return await endpoint(**values)
            finally:
                _end_snapshots(values)

        return async_endpoint

    @functools.wraps(endpoint)
    def sync_endpoint(**values: Any) -> Any:
        try:
            return endpoint(**values)
        finally:
            _end_snapshots(values)

    return sync_endpoint


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing form that does not carry this session's CSRF token.

    The ``X-CSRF-Token`` header is checked first; only without it is the form parsed, with
    at most :data:`MAX_FORM_FILES` files, :data:`MAX_FORM_FIELDS` fields and no text field
    longer than the largest body (the body's size is limited before, by the app's
    middleware; a route with form parameters has FastAPI parse the form, with the same
    limits, before this runs).
    """
    if request.method not in _UNSAFE:
        return
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None:
        form = await request.form(
            max_files=MAX_FORM_FILES,
            max_fields=MAX_FORM_FIELDS,
            max_part_size=web_state(request).settings.max_body_bytes,
        )
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if not csrf_valid(request, submitted):
        raise CsrfError(
            "the form's security token is missing or out of date; reload the page and try again"
        )


PageActor = Annotated[Actor, Depends(page_actor)]
ApiActor = Annotated[Actor, Depends(api_actor)]
