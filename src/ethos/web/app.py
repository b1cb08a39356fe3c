"""The application factory. Nothing happens at import time; ``create_app`` builds it all."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI, params
from fastapi.routing import APIRoute, APIRouter
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ethos import __version__
from ethos.knowledge.questionnaires import QuestionnaireLibrary
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store
from ethos.web.deps import MAX_FORM_FIELDS, MAX_FORM_FILES, WebState, is_upload_endpoint
from ethos.web.errors import install_error_handlers, too_large
from ethos.web.i18n import load_catalogues
from ethos.web.rendering import build_environment
from ethos.web.sessions import SessionMiddleware
from ethos.web.settings import UPLOAD_MARGIN_BYTES, WebSettings, load_secret_key

__all__ = ["APP_FACTORY", "RequestSizeLimit", "SecurityHeaders", "app_from_env", "create_app"]

STATIC = Path(__file__).parent / "static"
APP_FACTORY = "ethos.web.app:app_from_env"  # what each `ethos serve --workers N` process runs
_SECURITY_HEADERS = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "SAMEORIGIN"),
    ("referrer-policy", "same-origin"),
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'self'",
    ),
]
_HSTS = "max-age=31536000"


class SecurityHeaders:
    """Headers that keep browsers from sniffing, framing or loading anything foreign, and
    ``Strict-Transport-Security`` when cookies are ``Secure`` (``secure``: as in
    :class:`WebSettings`; ``None`` for requests that came over HTTPS).

    It wraps the whole app, the error middleware included, so every answer carries them,
    an unexpected error's 500 too (see :class:`_EthosApp`).
    """

    def __init__(self, app: ASGIApp, *, secure: bool | None = None) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = self.secure if self.secure is not None else scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS:
                    if name not in headers:
                        headers.append(name, value)
                if secure and "strict-transport-security" not in headers:
                    headers["strict-transport-security"] = _HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _BodyTooLargeError(Exception):
    """Raised to the app from ``receive`` once a streamed body passed its limit."""


class RequestSizeLimit:
    """Answers 413 to a request body over its limit, before the app reads it whole.

    A declared ``Content-Length`` over the limit is refused before anything is read; a body
    without one (chunked) is counted as it arrives, and once it passes the limit the 413 is
    sent and the app's reading is ended with an error (whatever it answers then is dropped).
    ``POST`` to a path of ``upload_paths`` may send ``upload_limit()`` bytes, any other
    request ``limit``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        upload_limit: Callable[[], int],
        upload_paths: Sequence[re.Pattern[str]],
    ) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit
        self.upload_paths = tuple(upload_paths)

    def limit_of(self, scope: Scope) -> int:
        path: str = scope["path"]
        if scope["method"] == "POST" and any(p.match(path) for p in self.upload_paths):
            return self.upload_limit()
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope)
        declared = Headers(scope=scope).get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            await too_large(Request(scope, receive), limit)(scope, receive, send)
            return
        received = 0
        started = refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not (refused or started):
                        refused = True
                        await too_large(Request(scope, receive), limit)(scope, receive, send)
                    raise _BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 went out; what the app answers to the broken read is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except Exception:
            if not refused:
                raise


class _EthosApp(FastAPI):
    """FastAPI with :class:`SecurityHeaders` outside its error middleware (user middleware
    sits inside that, so an unexpected error's 500 would go out without the headers)."""

    def build_middleware_stack(self) -> ASGIApp:
        state: WebState = self.state.ethos
        return SecurityHeaders(
            super().build_middleware_stack(), secure=state.settings.secure_cookies
        )


def _upload_paths(routers: Sequence[APIRouter]) -> list[re.Pattern[str]]:
    """The paths of the routes that take a file (the evidence uploads, which read their
    form themselves: see :func:`ethos.web.deps.reads_own_form`)."""
    return [
        route.path_regex
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
        and (
            is_upload_endpoint(route.endpoint)
            or any(isinstance(f.field_info, params.File) for f in route.dependant.body_params)
        )
    ]


def create_app(settings: WebSettings, *, store: Store | None = None) -> FastAPI:
    """Build the web application for ``settings`` (the database must be migrated)."""
    from ethos.web import api, pages

    opened = store or Store.open(settings.database_url)
    opened.require_current_schema()
    content = settings.content_dir
    base = ServiceContext(
        store=opened,
        actor="web",
        questionnaires=QuestionnaireLibrary(content / "questionnaires" if content else None),
        catalogue_root=content / "catalogues" if content else None,
        evidence_dir=settings.resolved_evidence_dir(),
        content_root=content,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Sync endpoints run in anyio's worker threads; at most ``threads`` at once.
        to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield

    app = _EthosApp(
        lifespan=lifespan,
        title="Ethos",
        version=__version__,
        description=(
            "The REST API of Ethos: AI ethics impact assessments, findings, evidence, cards "
            "and the audit trail. Authenticate with `Authorization: Bearer <token>`; "
            "create a token with `ethos user token` or on your account page. Errors are "
            '`{"error": {"type": ..., "message": ...}}`.'
        ),
        # No Swagger UI: it loads scripts from a CDN, which the CSP refuses. The schema stays.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        form_limits={
            "max_files": MAX_FORM_FILES,
            "max_fields": MAX_FORM_FIELDS,
            "max_part_size": settings.max_body_bytes,
        },
    )
    app.state.ethos = WebState(
        settings=settings,
        base=base,
        catalogues=load_catalogues(),
        templates=build_environment(),
    )
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    routers = [*pages.routers(), *api.routers()]
    for router in routers:
        app.include_router(router)
    # Inside the session (the 413 page is in the person's language), outside everything else.
    app.add_middleware(
        RequestSizeLimit,
        limit=settings.max_body_bytes,
        upload_limit=lambda: (
            settings.max_upload_bytes or base.evidence_policy().max_bytes + UPLOAD_MARGIN_BYTES
        ),
        upload_paths=_upload_paths(routers),
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=load_secret_key(settings),
        max_age=settings.session_hours * 3600,
        secure=settings.secure_cookies,
    )
    return app


def app_from_env() -> FastAPI:
    """The app for settings in ``ETHOS_*`` variables (:meth:`WebSettings.from_env`): the
    factory each worker process of ``ethos serve --workers N`` calls."""
    return create_app(WebSettings.from_env())
