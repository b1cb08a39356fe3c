"""The application factory. Nothing happens at import time; ``create_app`` builds it all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ethos import __version__
from ethos.knowledge.questionnaires import QuestionnaireLibrary
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store
from ethos.web.deps import WebState
from ethos.web.errors import install_error_handlers
from ethos.web.i18n import load_catalogues
from ethos.web.rendering import build_environment
from ethos.web.sessions import SessionMiddleware
from ethos.web.settings import WebSettings, load_secret_key

__all__ = ["APP_FACTORY", "app_from_env", "create_app"]

STATIC = Path(__file__).parent / "static"
APP_FACTORY = "ethos.web.app:app_from_env"  # what each `ethos serve --workers N` process runs
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        b"frame-ancestors 'self'",
    ),
]


class SecurityHeaders:
    """Headers that keep browsers from sniffing, framing or loading anything foreign."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS:
                    if name.decode() not in headers:
                        headers.append(name.decode(), value.decode())
            await send(message)

        await self.app(scope, receive, send_with_headers)


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

    app = FastAPI(
        lifespan=lifespan,
        title="Ethos",
        version=__version__,
        description=(
            "The REST API of Ethos: AI ethics impact assessments, findings, evidence, cards "
            "and the audit trail. Authenticate with `Authorization: Bearer <token>`; "
            "create a token with `ethos user token` or on your account page. Errors are "
            '`{"error": {"type": ..., "message": ...}}`.'
        ),
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.ethos = WebState(
        settings=settings,
        base=base,
        catalogues=load_catalogues(),
        templates=build_environment(),
    )
    install_error_handlers(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=load_secret_key(settings),
        max_age=settings.session_hours * 3600,
        secure=settings.secure_cookies,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (*pages.routers(), *api.routers()):
        app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """The app for settings in ``ETHOS_*`` variables (:meth:`WebSettings.from_env`): the
    factory each worker process of ``ethos serve --workers N`` calls."""
    return create_app(WebSettings.from_env())
