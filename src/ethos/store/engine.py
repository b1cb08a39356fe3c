"""Engines for SQLite (the default) and PostgreSQL, and the schema-revision check."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ethos.domain.errors import InvalidInputError

__all__ = [
    "DEFAULT_DB_ENV",
    "DEFERRED_OPTION",
    "default_database_url",
    "default_evidence_dir",
    "make_engine",
]

DEFAULT_DB_ENV = "ETHOS_DATABASE_URL"
# Execution option marking an engine whose SQLite transactions begin deferred (reads only).
DEFERRED_OPTION = "ethos_deferred"


def _data_home() -> Path:
    if home := os.environ.get("ETHOS_HOME"):
        return Path(home)
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "ethos"


def default_evidence_dir(database_url: str) -> Path:
    """Where evidence files live: ``$ETHOS_EVIDENCE_DIR``, else beside an SQLite file, else
    ``evidence`` under ``$ETHOS_HOME`` or the XDG data dir."""
    if folder := os.environ.get("ETHOS_EVIDENCE_DIR"):
        return Path(folder)
    try:
        parsed = make_url(database_url)
    except ArgumentError:
        return _data_home() / "evidence"
    database = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
        return Path(database).expanduser().parent / "evidence"
    return _data_home() / "evidence"


def default_database_url() -> str:
    """``$ETHOS_DATABASE_URL``, else an SQLite file under ``$ETHOS_HOME`` or the XDG data dir.

    The file is ``$ETHOS_HOME/ethos.sqlite3`` when ``ETHOS_HOME`` is set, otherwise
    ``${XDG_DATA_HOME:-~/.local/share}/ethos/ethos.sqlite3``.
    """
    if url := os.environ.get(DEFAULT_DB_ENV):
        return url
    return f"sqlite:///{_data_home() / 'ethos.sqlite3'}"


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``.

    SQLite files get WAL journaling, foreign keys, a busy timeout and ``BEGIN IMMEDIATE``
    transactions (so concurrent writers queue instead of failing); an engine given the
    :data:`DEFERRED_OPTION` execution option begins plain (deferred) transactions instead,
    for readers. The folder of the file is created.
    ``postgresql://`` URLs use the psycopg 3 driver.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInputError(
            f"--db: {url!r} is not a database URL",
            ko=f"--db: {url!r}은(는) 데이터베이스 URL이 아닙니다",
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        _configure_sqlite(engine)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ImportError as exc:
        raise InvalidInputError(
            f"--db: no driver for {parsed.drivername} ({exc.name} is not installed; "
            "install Ethos with the 'postgres' extra)",
            ko=(
                f"--db: {parsed.drivername}용 드라이버가 "
                f"없습니다({exc.name}이(가) 설치되어 있지 않습니다. "
                "'postgres' extra와 함께 Ethos를 설치하세요)"
            ),
        ) from None


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Readers (see Store.for_reading) start a deferred transaction: in WAL mode they
        # read a snapshot without waiting for, or holding, the write lock.
        if connection.get_execution_options().get(DEFERRED_OPTION):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
