"""The root command, its global options, and the one place errors become exit codes."""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ethos.cli.commands import LazyGroup
from ethos.domain.errors import EthosError

if TYPE_CHECKING:
    from ethos.services.context import ServiceContext

# SQLAlchemy, the store, the content loaders and the services are imported where they are
# first needed, so that ``ethos --help`` and ``ethos scan`` start without them.

__all__ = ["EXIT_BAD_INPUT", "CliState", "app", "emit_json", "state"]

EXIT_BAD_INPUT = 2


class EthosGroup(LazyGroup):
    """Maps domain errors to a one-line message on stderr and exit code 2."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except EthosError as exc:
            lang = ctx.obj.lang if isinstance(ctx.obj, CliState) else "en"
            typer.echo(f"error: {exc.text(lang)}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except Exception as exc:
            reason = _unreachable_database(exc)
            if reason is None:
                raise
            typer.echo(f"error: database: {reason}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None


def _unreachable_database(exc: Exception) -> str | None:
    """The first line of the driver's message when ``exc`` is SQLAlchemy's OperationalError,
    else None. SQLAlchemy is not imported for this: if it was never loaded, it raised nothing."""
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is None or not isinstance(exc, sqlalchemy_exc.OperationalError):
        return None
    orig = getattr(exc, "orig", None)
    return str(orig).strip().splitlines()[0] if orig else "unreachable"


@dataclass
class CliState:
    """Global options, and the context built from them on first use."""

    db_option: str | None  # --db as given; None: the default, worked out on first use
    actor: str
    content: Path | None
    lang: str
    _db: str | None = field(default=None, repr=False)
    _ctx: ServiceContext | None = field(default=None, repr=False)

    @property
    def db(self) -> str:
        """The database URL: ``--db``, else ``$ETHOS_DATABASE_URL``, else the SQLite file."""
        if self._db is None:
            if self.db_option:
                self._db = self.db_option
            else:
                from ethos.store.engine import default_database_url

                self._db = default_database_url()
        return self._db

    def context(self, *, require_schema: bool = True) -> ServiceContext:
        if self._ctx is None:
            from ethos.knowledge.content import ContentRoots
            from ethos.knowledge.questionnaires import QuestionnaireLibrary
            from ethos.services.context import ServiceContext
            from ethos.store.engine import default_evidence_dir
            from ethos.store.unit_of_work import Store

            store = Store.open(self.db)
            roots = ContentRoots.at(self.content)
            self._ctx = ServiceContext(
                store=store,
                actor=self.actor,
                questionnaires=QuestionnaireLibrary(roots.questionnaires),
                catalogue_root=roots.catalogues,
                evidence_dir=default_evidence_dir(self.db),
                content_root=self.content,
            )
        if require_schema:
            self._ctx.store.require_current_schema()
        return self._ctx

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.store.dispose()


def _default_actor() -> str:
    if actor := os.environ.get("ETHOS_ACTOR"):
        return actor
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


app = typer.Typer(
    cls=EthosGroup,
    help="Ethos: run an organisation's AI ethics practice.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    db: str = typer.Option(
        None,
        "--db",
        help="Database URL (default: $ETHOS_DATABASE_URL, else an SQLite file under "
        "$ETHOS_HOME or ~/.local/share/ethos).",
        show_default=False,
    ),
    actor: str = typer.Option(
        None, "--actor", help="Who is acting, for the audit trail (default: $ETHOS_ACTOR or user)."
    ),
    content: Path = typer.Option(
        None,
        "--content",
        envvar="ETHOS_CONTENT_DIR",
        help="Folder of the ethics office's own content (questionnaires/...), "
        "instead of the content shipped with Ethos.",
    ),
    lang: str = typer.Option(
        "en", "--lang", envvar="ETHOS_LANG", help="Language for people: ko or en."
    ),
) -> None:
    if lang not in ("ko", "en"):
        typer.echo(f"error: --lang: {lang!r} is not one of: ko, en", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    cli_state = CliState(
        db_option=db or None,
        actor=(actor or _default_actor()).strip() or "unknown",
        content=content,
        lang=lang,
    )
    ctx.obj = cli_state
    ctx.call_on_close(cli_state.close)


def state(ctx: typer.Context) -> CliState:
    """The global options of the running command."""
    root = ctx.find_root()
    assert isinstance(root.obj, CliState)
    return root.obj


def emit_json(value: Any) -> None:
    """Write ``value`` as JSON to stdout (UTF-8, Korean kept readable)."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))
