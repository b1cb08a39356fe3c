"""``ethos serve``: the web application and the REST API (uvicorn)."""

from __future__ import annotations

import dataclasses
import os
from typing import Any

import typer

from ethos.cli.app import state

__all__ = ["serve_command"]


def serve_command(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="Worker processes (uvicorn). Each runs the whole app on its own core; with "
        "SQLite in WAL mode they share the database safely. About one per core.",
    ),
    threads: int = typer.Option(
        8,
        "--threads",
        min=1,
        max=256,
        help="Requests each worker works on at once; the others wait their turn (slow ones, "
        "such as a PDF report, hold one while they run).",
    ),
    proxy_headers: bool = typer.Option(
        False,
        "--proxy-headers",
        help="Trust X-Forwarded-Proto/For from the proxy at --forwarded-allow-ips (cookies "
        "become Secure behind HTTPS; sign-in throttling sees each client's own address).",
    ),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1",
        "--forwarded-allow-ips",
        envvar="FORWARDED_ALLOW_IPS",
        help="With --proxy-headers: the proxy's addresses or networks, comma-separated "
        "(e.g. 10.0.0.5 or 10.0.0.0/24). '*' only when nothing but the proxy reaches Ethos.",
    ),
) -> None:
    """Serve the web app (pages and /api/v1) on HOST:PORT."""
    try:
        import uvicorn

        from ethos.web.app import APP_FACTORY, create_app
        from ethos.web.settings import WebSettings
    except ImportError as exc:  # pragma: no cover - depends on the install
        typer.echo(f"error: the web app needs the 'web' extra ({exc.name} is missing)", err=True)
        raise typer.Exit(2) from None
    cli = state(ctx)
    context = cli.context()  # refuses a database that was not upgraded, before serving
    settings = WebSettings.from_env(cli.db)
    settings = dataclasses.replace(
        settings,
        content_dir=cli.content if cli.content is not None else settings.content_dir,
        default_lang=cli.lang,
        threads=threads,
    )
    typer.echo(f"Ethos on http://{host}:{port}/  (API schema: /api/openapi.json)")
    # Built here even for workers: a problem (content, secret key) shows before serving, and
    # the secret key is generated once, not raced for by the workers.
    target: Any = create_app(settings, store=context.store)
    if workers > 1:
        # Each worker process builds the app from the environment (ethos.web.app.app_from_env).
        context.store.dispose()
        os.environ["ETHOS_DATABASE_URL"] = settings.database_url
        os.environ["ETHOS_DATA_DIR"] = str(settings.data_dir)
        os.environ["ETHOS_LANG"] = settings.default_lang
        os.environ["ETHOS_THREADS"] = str(settings.threads)
        if settings.content_dir is not None:
            os.environ["ETHOS_CONTENT_DIR"] = str(settings.content_dir)
        target = APP_FACTORY
    uvicorn.run(
        target,
        factory=workers > 1,
        workers=workers,
        host=host,
        port=port,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips if proxy_headers else None,
        log_level="info",
        access_log=False,
    )
