"""The hash chain, without a database: every kind of tampering is named."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest

from ethos.domain.audit import GENESIS_HASH, AuditEvent, new_event, verify_chain


def chain(n: int = 5) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    for i in range(n):
        events.append(
            new_event(
                previous=events[-1] if events else None,
                occurred_at=f"2026-11-22T10:00:0{i}.000000+00:00",
                actor="kim",
                action="answers.submitted",
                subject="project:1",
                payload={"n": i, "note": "한국어 note"},
            )
        )
    return events


def test_hash_is_sha256_over_the_canonical_encoding() -> None:
    first = chain(1)[0]
    payload = json.dumps(
        {"n": 0, "note": "한국어 note"}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert first.payload == payload
    assert first.payload_digest == hashlib.sha256(payload.encode()).hexdigest()
    fields = {
        "action": "answers.submitted",
        "actor": "kim",
        "occurred_at": "2026-11-22T10:00:00.000000+00:00",
        "payload_digest": first.payload_digest,
        "prev_hash": GENESIS_HASH,
        "seq": 1,
        "subject": "project:1",
    }
    encoded = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert first.hash == hashlib.sha256(encoded.encode()).hexdigest()


def test_an_intact_chain_verifies() -> None:
    events = chain()
    report = verify_chain(events)
    assert report.ok and report.count == 5 and report.head == events[-1].hash


@pytest.mark.parametrize(
    ("field", "value"),
    [("payload", '{"n":99}'), ("actor", "mallory"), ("occurred_at", "2020-01-01"), ("action", "x")],
)
def test_an_edited_event_is_named(field: str, value: str) -> None:
    events = chain()
    events[2] = dataclasses.replace(events[2], **{field: value})
    report = verify_chain(events)
    assert report.broken_at == 3
    assert "edited" in report.problem


def test_a_deleted_event_is_named() -> None:
    events = chain()
    del events[1]
    report = verify_chain(events)
    assert report.broken_at == 3
    assert "event 2 missing" in report.problem


def test_renumbering_after_a_deletion_is_caught() -> None:
    events = chain()
    del events[1]
    events[1:] = [dataclasses.replace(e, seq=e.seq - 1) for e in events[1:]]
    report = verify_chain(events)
    assert report.broken_at == 2


def test_reordered_events_are_caught() -> None:
    events = chain()
    a, b = events[1], events[2]
    events[1] = dataclasses.replace(b, seq=2)
    events[2] = dataclasses.replace(a, seq=3)
    assert verify_chain(events).broken_at == 2


def test_an_inserted_event_is_caught_even_with_a_correct_hash() -> None:
    events = chain()
    forged = new_event(
        previous=events[1],
        occurred_at="2026-11-22T10:00:01.500000+00:00",
        actor="mallory",
        action="consensus.recorded",
        subject="project:1",
        payload={},
    )
    shifted = [dataclasses.replace(e, seq=e.seq + 1) for e in events[2:]]
    report = verify_chain([*events[:2], forged, *shifted])
    assert report.broken_at == 4  # the old third event no longer links to what precedes it


def test_a_cut_off_tail_is_caught_against_a_published_head() -> None:
    events = chain()
    published = events[-1].hash
    assert verify_chain(events[:3]).ok  # the chain alone cannot tell
    report = verify_chain(events[:3], expect_head=published)
    assert not report.ok and "deleted" in report.problem
    assert verify_chain(events, expect_head=published).ok
