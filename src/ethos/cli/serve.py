"""``ethos serve``: the web application and the REST API (uvicorn)."""

from __future__ import annotations

import typer

from ethos.cli.app import state

__all__ = ["serve_command"]


def serve_command(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    proxy_headers: bool = typer.Option(
        False,
        "--proxy-headers",
        help="Trust X-Forwarded-Proto/For from a proxy on this machine (cookies become Secure "
        "behind HTTPS).",
    ),
) -> None:
    """Serve the web app (pages and /api/v1) on HOST:PORT."""
    try:
        import uvicorn

        from ethos.web.app import create_app
        from ethos.web.settings import WebSettings
    except ImportError as exc:  # pragma: no cover - depends on the install
        typer.echo(f"error: the web app needs the 'web' extra ({exc.name} is missing)", err=True)
        raise typer.Exit(2) from None
    cli = state(ctx)
    context = cli.context()
    settings = WebSettings.from_env(cli.db)
    if cli.content is not None:
        settings = WebSettings(
            database_url=settings.database_url,
            data_dir=settings.data_dir,
            content_dir=cli.content,
            secure_cookies=settings.secure_cookies,
            default_lang=cli.lang,
        )
    app = create_app(settings, store=context.store)
    typer.echo(f"Ethos on http://{host}:{port}/  (API docs: /api/docs)")
    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=proxy_headers,
        forwarded_allow_ips="127.0.0.1" if proxy_headers else None,
        log_level="info",
        access_log=False,
    )
