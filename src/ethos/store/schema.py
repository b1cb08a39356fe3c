"""Schema migrations (Alembic, run programmatically: no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from ethos.domain.errors import SchemaOutdatedError

__all__ = ["current_revision", "head_revision", "require_current_schema", "upgrade"]

SCRIPT_LOCATION = Path(__file__).parent / "migrations"


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default)."""
    command.upgrade(_config(engine), revision)


def head_revision() -> str:
    """The newest migration this version of Ethos ships."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, ``None`` for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def require_current_schema(engine: Engine) -> None:
    """Raise :class:`SchemaOutdatedError` unless the database is at the head revision."""
    current = current_revision(engine)
    head = head_revision()
    if current != head:
        state = "empty" if current is None else f"at revision {current}"
        state_ko = "비어 있음" if current is None else f"리비전 {current}"
        raise SchemaOutdatedError(
            f"the database ({engine.url.render_as_string(hide_password=True)}) is {state}, "
            f"this Ethos expects revision {head}: run `ethos db upgrade`",
            ko=(
                f"데이터베이스({engine.url.render_as_string(hide_password=True)})의 "
                f"상태: {state_ko}. 이 Ethos에는 리비전 "
                f"{head}이(가) 필요합니다: `ethos db upgrade`를 "
                "실행하세요"
            ),
        )
