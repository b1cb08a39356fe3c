"""``ethos db``: migrations."""

from __future__ import annotations

import typer

from ethos.cli.app import state
from ethos.store.schema import current_revision, head_revision

__all__ = ["db_app"]

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create or migrate the database schema to the newest revision."""
    store = state(ctx).context(require_schema=False).store
    store.upgrade()
    typer.echo(f"database {store.url} at revision {head_revision()}")


@db_app.command("current")
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision and the newest one this Ethos ships."""
    store = state(ctx).context(require_schema=False).store
    typer.echo(f"current: {current_revision(store.engine) or '(empty)'}  head: {head_revision()}")
