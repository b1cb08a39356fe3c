"""Migrations and engine settings, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from ethos.domain.errors import InvalidInputError, SchemaOutdatedError
from ethos.store.engine import default_database_url, make_engine
from ethos.store.schema import current_revision, head_revision
from ethos.store.tables import Base
from ethos.store.unit_of_work import Store


def test_migrations_build_exactly_the_declared_tables(store: Store) -> None:
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_an_unmigrated_database_is_refused_with_the_fix(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'new' / 'x.sqlite3'}")
    with pytest.raises(SchemaOutdatedError, match=r"is empty.*run `ethos db upgrade`"):
        store.require_current_schema()
    store.upgrade()
    store.require_current_schema()
    store.upgrade()  # idempotent
    store.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(Exception, match=r"(?i)foreign key"), store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO members (project_id, name, role, created_at) "
                "VALUES (424242, 'x', 'ethics', CURRENT_TIMESTAMP)"
            )
        )


def test_scores_outside_one_to_five_are_refused_by_the_database(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO projects (name, description, purpose, type, lifecycle_stage, "
                "created_by, created_at, questionnaire_id, questionnaire_version) VALUES "
                "('p', '', '', 'basic_research', 'planning', 't', CURRENT_TIMESTAMP, 'q', 1)"
            )
        )
    with pytest.raises(Exception, match=r"(?i)check"), store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO consensus (project_id, questionnaire_id, questionnaire_version, "
                "item_id, score, note, recorded_by, recorded_at) "
                "SELECT id, 'q', 1, 'i', 6, 'n', 't', CURRENT_TIMESTAMP FROM projects"
            )
        )


def test_default_url_is_documented_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ETHOS_DATABASE_URL", raising=False)
    monkeypatch.setenv("ETHOS_HOME", str(tmp_path))
    assert default_database_url() == f"sqlite:///{tmp_path / 'ethos.sqlite3'}"
    monkeypatch.delenv("ETHOS_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_database_url() == f"sqlite:///{tmp_path / 'xdg' / 'ethos' / 'ethos.sqlite3'}"
    monkeypatch.setenv("ETHOS_DATABASE_URL", "postgresql://u@h/db")
    assert default_database_url() == "postgresql://u@h/db"


def test_a_malformed_url_is_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match="is not a database URL"):
        make_engine("not a url at all")
