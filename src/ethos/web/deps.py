"""Request dependencies: who is acting, their service context, CSRF and language."""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, ParamSpec, TypeVar

import jinja2
from fastapi import Depends, Request
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from ethos.domain.errors import InvalidInputError
from ethos.services import accounts
from ethos.services.authz import NotAuthenticatedError, Principal
from ethos.services.context import ServiceContext
from ethos.services.inline import WouldBlockError, on_event_loop
from ethos.services.snapshots import RequestStore
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
    "form_file",
    "form_text",
    "inline_read",
    "is_upload_endpoint",
    "lang_of",
    "reading",
    "reads_own_form",
    "upload_form",
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


def _request_context(request: Request) -> ServiceContext:
    """The app's context; for GET and HEAD, on a store whose reads share one snapshot.

    The snapshot's connection is returned before FastAPI awaits anything (by the actor's
    dependency before the endpoint is called, and by :class:`SnapshotRoute` when it
    returns), so no request holds a connection while it waits for a worker thread.
    """
    base = web_state(request).base
    if request.method not in _READS:
        return base
    return dataclasses.replace(base, store=RequestStore(base.store))


def _release(ctx: ServiceContext) -> None:
    if isinstance(ctx.store, RequestStore):
        ctx.store.release()


# The actors' dependencies are coroutines, not generators: FastAPI runs a sync generator's
# exit in a worker thread of its own, one more hand-off a request. Nothing is left to do
# after the endpoint: the snapshot is released here and by SnapshotRoute. For a GET or
# HEAD the person is looked up on the event loop (see ethos.services.inline), in a worker
# thread only when that has to write (housekeeping, a token's last use, a refusal).

_P = ParamSpec("_P")
_R = TypeVar("_R")


async def _on_loop_first(
    request: Request, step: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs
) -> _R:
    """``step(*args, **kwargs)`` on the event loop when ``request`` only reads and the step
    reaches nothing slow; in a worker thread otherwise."""
    if request.method in _READS:
        with on_event_loop():
            try:
                return step(*args, **kwargs)
            except WouldBlockError:
                pass
    return await run_in_threadpool(step, *args, **kwargs)


async def page_actor(request: Request) -> Actor:
    """The person signed in with the session cookie, or a redirect to the sign-in page."""
    return await _on_loop_first(request, _page_actor, request)


async def api_actor(request: Request) -> Actor:
    """The owner of the bearer token in ``Authorization``; 401 without a valid one."""
    return await _on_loop_first(request, _api_actor, request)


def _page_actor(request: Request) -> Actor:
    data = session(request)
    user_id, generation = data.get("uid"), data.get("gen")
    if isinstance(user_id, int) and isinstance(generation, str):
        base = _request_context(request)
        try:
            account = accounts.session_account(base, user_id, generation)
        finally:
            _release(base)
        if account is not None:
            return _actor(request, Principal.of(account), base)
        data.pop("uid")
        data.pop("gen")
    raise LoginRequiredError("sign in first", ko="먼저 로그인하세요")


def _api_actor(request: Request) -> Actor:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticatedError(
            "an API token is required: send 'Authorization: Bearer <token>' "
            "(create one with `ethos user token` or on your account page)",
            ko="API 토큰이 필요합니다: 'Authorization: Bearer <token>'을 보내세요"
            "(`ethos user token`이나 계정 페이지에서 만들 수 있습니다)",
        )
    base = _request_context(request)
    try:
        account = accounts.authenticate_token(base, token, source=client_address(request))
    except accounts.AuthenticationError as exc:
        raise NotAuthenticatedError(exc.message, ko=exc.message_ko) from None
    finally:
        _release(base)
    return _actor(request, Principal.of(account), base)


class SnapshotRoute(APIRoute):
    """A route that ends the request's read snapshot as soon as its endpoint returns.

    The endpoint's reads share one transaction (begun at its first read); the connection
    goes back to the pool before FastAPI validates the response or runs the dependencies'
    exits, each of which may wait for a worker thread.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if getattr(endpoint, _INLINE_READ, False):
            methods = set(kwargs.get("methods") or ())
            if not methods or not methods <= _READS:
                raise TypeError(f"{path}: only a GET endpoint may be an inline_read")
            super().__init__(path, _on_loop_first_endpoint(endpoint), **kwargs)
            return
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


_INLINE_READ = "__ethos_inline_read__"
_E = TypeVar("_E", bound=Callable[..., Any])


def inline_read(endpoint: _E) -> _E:
    """Mark a quick read endpoint (GET) to be tried on the event loop, without a worker
    thread: one whose slow parts are read models kept per state of the database.

    Should it reach a write or a read model not kept (see :mod:`ethos.services.inline`), it
    is run again, from the start, in a worker thread.
    """
    setattr(endpoint, _INLINE_READ, True)
    return endpoint


def _on_loop_first_endpoint(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)
    async def on_loop_first(**values: Any) -> Any:
        try:
            with on_event_loop():
                try:
                    return endpoint(**values)
                except WouldBlockError:
                    pass
            _end_snapshots(values)  # the thread reads in a snapshot of its own
            return await run_in_threadpool(endpoint, **values)
        finally:
            _end_snapshots(values)

    return on_loop_first


_READS_OWN_FORM = "__ethos_reads_own_form__"


def _stale_csrf() -> CsrfError:
    return CsrfError(
        "the form's security token is missing or out of date; reload the page and try again",
        ko="양식의 보안 토큰이 없거나 만료되었습니다. 페이지를 새로 고친 뒤 다시 시도하세요",
    )


def reads_own_form(endpoint: _E) -> _E:
    """Mark an upload endpoint that reads its form itself, with :func:`upload_form`.

    FastAPI reads a route's form parameters (a file of up to the upload limit) before it
    runs the route's dependencies; such an endpoint declares none, so its body is read only
    once the person is known. :func:`check_csrf` leaves the form to it too.
    """
    setattr(endpoint, _READS_OWN_FORM, True)
    return endpoint


def is_upload_endpoint(endpoint: object) -> bool:
    """Whether ``endpoint`` was marked with :func:`reads_own_form`."""
    return bool(getattr(endpoint, _READS_OWN_FORM, False))


@asynccontextmanager
async def upload_form(request: Request, *, csrf: bool) -> AsyncIterator[FormData]:
    """The form of an upload, read within the same limits as any form (its files are
    closed when the block ends); with ``csrf``, refused without this session's CSRF token.

    Call it only after the person's dependency (``PageActor``, ``ApiActor``) has run, so an
    anonymous client cannot make the server read an upload.
    """
    async with request.form(
        max_files=MAX_FORM_FILES,
        max_fields=MAX_FORM_FIELDS,
        max_part_size=web_state(request).settings.max_body_bytes,
    ) as form:
        if csrf:
            submitted = request.headers.get(CSRF_HEADER)
            if submitted is None:
                value = form.get(CSRF_FIELD)
                submitted = value if isinstance(value, str) else None
            if not csrf_valid(request, submitted):
                raise _stale_csrf()
        yield form


def form_text(form: FormData, name: str, *, max_length: int) -> str:
    """The text field ``name`` of an upload's form (``""`` when absent)."""
    value = form.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError(
            f"form field {name!r}: expected text, got a file",
            ko=f"양식 필드 {name!r}: 파일이 아니라 텍스트여야 합니다",
        )
    if len(value) > max_length:
        raise InvalidInputError(
            f"form field {name!r}: at most {max_length} characters, got {len(value)}",
            ko=f"양식 필드 {name!r}: 최대 {max_length}자까지 가능하지만 {len(value)}자입니다",
        )
    return value


def form_file(form: FormData, name: str, *, required: bool) -> UploadFile | None:
    """The file field ``name`` of an upload's form (``None`` when absent or empty)."""
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    if isinstance(value, str) and value:
        raise InvalidInputError(
            f"form field {name!r}: expected a file, got text",
            ko=f"양식 필드 {name!r}: 텍스트가 아니라 파일이어야 합니다",
        )
    if required:
        raise InvalidInputError(
            f"form field {name!r}: a file is required (multipart/form-data)",
            ko=f"양식 필드 {name!r}: 파일이 필요합니다(multipart/form-data)",
        )
    return None


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing form that does not carry this session's CSRF token.

    The ``X-CSRF-Token`` header is checked first; only without it is the form parsed, with
    at most :data:`MAX_FORM_FILES` files, :data:`MAX_FORM_FIELDS` fields and no text field
    longer than the largest body (the body's size is limited before, by the app's
    middleware; a route with form parameters has FastAPI parse the form, with the same
    limits, before this runs). An upload endpoint (:func:`reads_own_form`) without the
    header checks the token itself, after sign-in (:func:`upload_form`).
    """
    if request.method not in _UNSAFE:
        return
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None:
        route = request.scope.get("route")
        if route is not None and is_upload_endpoint(getattr(route, "endpoint", None)):
            return  # checked by upload_form, once the person is known
        form = await request.form(
            max_files=MAX_FORM_FILES,
            max_fields=MAX_FORM_FIELDS,
            max_part_size=web_state(request).settings.max_body_bytes,
        )
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if not csrf_valid(request, submitted):
        raise _stale_csrf()


PageActor = Annotated[Actor, Depends(page_actor)]
ApiActor = Annotated[Actor, Depends(api_actor)]
