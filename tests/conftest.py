"""Fixtures: a migrated store on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store
from tests.postgres import find_bindir, running_server

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# The PII detector keeps its compiled pre-scan database in a cache on disk
# (ethos.datagov.pii.hscache): this run gets a cache of its own, not the user's.
if "ETHOS_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="ethos-test-cache-")
    os.environ["ETHOS_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files of rendered cards instead of comparing with them",
    )


_databases = itertools.count(1)


def _psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """URL of a running server with a migrated template database ``ethos_template``."""
    external = os.environ.get("ETHOS_TEST_POSTGRES_URL")
    bindir = find_bindir()
    if external is None and bindir is None:
        message = "PostgreSQL server binaries not found (Debian package postgresql; `make test`)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with running_server(bindir) if external is None else nullcontext(external) as admin_url:
        admin = create_engine(_psycopg(admin_url), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS ethos_template"))
            conn.execute(text("CREATE DATABASE ethos_template"))
        template_url = admin_url.rsplit("/", 1)[0] + "/ethos_template"
        store = Store.open(template_url)
        store.upgrade()
        store.dispose()
        admin.dispose()
        yield admin_url


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """A fresh, migrated database for one test, cloned from the template."""
    name = f"ethos_test_{os.getpid()}_{next(_databases)}"
    admin = create_engine(_psycopg(postgres_template), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE ethos_template'))
    yield postgres_template.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh, migrated SQLite file for one test."""
    url = f"sqlite:///{tmp_path / 'ethos.sqlite3'}"
    store = Store.open(url)
    store.upgrade()
    store.dispose()
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A migrated database on each engine Ethos supports."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.dispose()


@pytest.fixture
def ctx(store: Store) -> ServiceContext:
    return ServiceContext(store=store, actor="tester")
