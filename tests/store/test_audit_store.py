"""The stored audit chain: appends, the database's own refusal, and tampering by raw SQL.

The tamper tests play a database administrator: they first remove the append-only
triggers, then edit, delete, insert or reorder rows, and expect verification to name the
first broken event.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from ethos.domain.audit import new_event, verify_chain
from ethos.store.unit_of_work import Store


def append(store: Store, n: int, actor: str = "kim") -> None:
    for i in range(n):
        with store.unit_of_work() as uow:
            uow.record(
                at=datetime.now(UTC),
                actor=actor,
                action="test.event",
                subject="project:1",
                payload={"i": i, "text": "개인정보 없음"},
            )


def verify(store: Store, **kwargs: str):  # type: ignore[no-untyped-def]
    with store.unit_of_work() as uow:
        return verify_chain(uow.audit.stream(batch=3), **kwargs)


def drop_guards(store: Store) -> None:
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))


def sql(store: Store, *statements: str) -> None:
    with store.engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def test_appended_events_verify(store: Store) -> None:
    append(store, 7)
    report = verify(store)
    assert report.ok and report.count == 7


def test_the_database_refuses_updates_and_deletes(store: Store) -> None:
    append(store, 2)
    with pytest.raises(Exception, match="append-only"):
        sql(store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 1")
    with pytest.raises(Exception, match="append-only"):
        sql(store, "DELETE FROM audit_events WHERE seq = 2")
    assert verify(store).ok


def test_edited_payload_is_named(store: Store) -> None:
    append(store, 5)
    drop_guards(store)
    sql(store, """UPDATE audit_events SET payload = '{"i":99}' WHERE seq = 3""")
    report = verify(store)
    assert report.broken_at == 3 and "payload" in report.problem


def test_edited_actor_is_named(store: Store) -> None:
    append(store, 5)
    drop_guards(store)
    sql(store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 4")
    assert verify(store).broken_at == 4


def test_deleted_event_is_named(store: Store) -> None:
    append(store, 5)
    drop_guards(store)
    sql(store, "DELETE FROM audit_events WHERE seq = 2")
    report = verify(store)
    assert report.broken_at == 3 and "event 2 missing" in report.problem


def test_reordered_events_are_named(store: Store) -> None:
    append(store, 5)
    drop_guards(store)
    sql(
        store,
        "UPDATE audit_events SET seq = -1 WHERE seq = 2",
        "UPDATE audit_events SET seq = 2 WHERE seq = 3",
        "UPDATE audit_events SET seq = 3 WHERE seq = -1",
    )
    assert verify(store).broken_at == 2


def test_inserted_event_is_named(store: Store) -> None:
    append(store, 4)
    with store.unit_of_work() as uow:
        events = list(uow.audit.stream())
    forged = new_event(
        previous=events[1],
        occurred_at=datetime.now(UTC).isoformat(),
        actor="mallory",
        action="consensus.recorded",
        subject="project:1",
        payload={"score": 1},
    )
    drop_guards(store)
    sql(
        store,
        "UPDATE audit_events SET seq = seq + 100 WHERE seq >= 3",
        "UPDATE audit_events SET seq = seq - 99 WHERE seq >= 100",
    )
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_events (seq, occurred_at, actor, action, subject, payload, "
                "payload_digest, prev_hash, hash) VALUES (:seq, :occurred_at, :actor, :action, "
                ":subject, :payload, :payload_digest, :prev_hash, :hash)"
            ),
            {
                "seq": forged.seq,
                "occurred_at": forged.occurred_at,
                "actor": forged.actor,
                "action": forged.action,
                "subject": forged.subject,
                "payload": forged.payload,
                "payload_digest": forged.payload_digest,
                "prev_hash": forged.prev_hash,
                "hash": forged.hash,
            },
        )
    report = verify(store)
    assert report.broken_at == 4  # the forged event 3 links; the moved old event 3 does not


def test_truncated_tail_is_caught_against_the_published_head(store: Store) -> None:
    append(store, 5)
    head = verify(store).head
    drop_guards(store)
    sql(store, "DELETE FROM audit_events WHERE seq >= 4")
    assert verify(store).ok
    assert not verify(store, expect_head=head).ok


def test_concurrent_writers_keep_one_chain(store: Store) -> None:
    errors: list[BaseException] = []

    def work(actor: str) -> None:
        try:
            append(store, 15, actor)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify(store)
    assert report.ok and report.count == 45
