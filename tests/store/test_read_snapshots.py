"""A read-only transaction sees one state of the database, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ethos.services import projects
from ethos.services.context import ServiceContext
from ethos.services.snapshots import request_store
from ethos.store.unit_of_work import Store


def test_a_read_transaction_does_not_see_a_commit_made_after_its_first_query(
    store: Store, ctx: ServiceContext
) -> None:
    projects.create_project(ctx, name="Before", type="basic_research")
    with store.for_reading().unit_of_work() as uow:
        first = uow.audit.last()
        count = uow.audit.count()
        # Another connection commits a change (a new project, with its audit event) now.
        projects.create_project(ctx, name="During", type="basic_research")
        assert uow.audit.last() == first
        assert uow.audit.count() == count
    with store.for_reading().unit_of_work() as uow:  # the next transaction sees it
        assert uow.audit.count() == count + 1


def test_a_request_snapshot_does_not_see_a_commit_made_after_its_first_query(
    store: Store, ctx: ServiceContext
) -> None:
    projects.create_project(ctx, name="Before", type="basic_research")
    with request_store(store) as request:
        reader = ServiceContext(store=request.for_reading(), actor="reader")
        before = [p.name for p in projects.list_projects(reader)]
        projects.create_project(ctx, name="During", type="basic_research")
        assert [p.name for p in projects.list_projects(reader)] == before == ["Before"]
        request.release()  # a new snapshot begins at the next read
        assert [p.name for p in projects.list_projects(reader)] == ["Before", "During"]


@pytest.mark.postgres
def test_postgres_reads_run_at_repeatable_read_and_writes_at_the_default(
    postgres_url: str,
) -> None:
    store = Store.open(postgres_url)
    try:
        for engine, expected in (
            (store.for_reading().engine, "repeatable read"),
            (store.engine, "read committed"),
            (store.for_reading().engine, "repeatable read"),  # the pool's reset undid nothing
            (store.engine, "read committed"),
        ):
            with engine.connect() as conn:
                level = conn.execute(text("SHOW transaction_isolation")).scalar_one()
            assert level == expected
    finally:
        store.dispose()
