"""The tamper-evident audit trail: events chained by SHA-256.

Each event's hash covers its sequence number, time, actor, action, subject, the digest of its
payload and the previous event's hash, all in a canonical JSON encoding (sorted keys, UTF-8,
no whitespace). Editing, deleting, inserting or reordering a stored event breaks the chain
at that event. Dropping events from the end leaves a shorter valid chain: compare the head
against one published earlier (``expect_head``) to detect that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "GENESIS_HASH",
    "AuditEvent",
    "ChainReport",
    "canonical_json",
    "event_hash",
    "new_event",
    "payload_digest",
    "verify_chain",
]

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Encode ``value`` as canonical JSON: sorted keys, no whitespace, UTF-8 text."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def payload_digest(payload_json: str) -> str:
    """SHA-256 of the stored (canonical) payload text."""
    return _sha256(payload_json)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One appended event, exactly as stored."""

    seq: int
    occurred_at: str
    actor: str
    action: str
    subject: str
    payload: str
    payload_digest: str
    prev_hash: str
    hash: str

    def payload_data(self) -> Any:
        """The payload decoded from its JSON text."""
        return json.loads(self.payload)


def event_hash(
    *,
    seq: int,
    occurred_at: str,
    actor: str,
    action: str,
    subject: str,
    payload_digest: str,
    prev_hash: str,
) -> str:
    """Hash of an event's fields in the canonical encoding."""
    return _sha256(
        canonical_json(
            {
                "seq": seq,
                "occurred_at": occurred_at,
                "actor": actor,
                "action": action,
                "subject": subject,
                "payload_digest": payload_digest,
                "prev_hash": prev_hash,
            }
        )
    )


def new_event(
    *,
    previous: AuditEvent | None,
    occurred_at: str,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
) -> AuditEvent:
    """Build the event that follows ``previous`` (``None`` for the first one)."""
    seq = 1 if previous is None else previous.seq + 1
    prev_hash = GENESIS_HASH if previous is None else previous.hash
    body = canonical_json(dict(payload))
    digest = payload_digest(body)
    return AuditEvent(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        subject=subject,
        payload=body,
        payload_digest=digest,
        prev_hash=prev_hash,
        hash=event_hash(
            seq=seq,
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            subject=subject,
            payload_digest=digest,
            prev_hash=prev_hash,
        ),
    )


@dataclass(frozen=True, slots=True)
class ChainReport:
    """Outcome of walking the chain.

    ``broken_at`` is the sequence number of the first event found edited, deleted, inserted
    or reordered, and ``problem`` says what was found there.
    """

    count: int
    head: str
    broken_at: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        """Whether the whole chain checked out."""
        return self.broken_at is None


def verify_chain(events: Iterable[AuditEvent], *, expect_head: str | None = None) -> ChainReport:
    """Walk ``events`` in sequence order and report the first break.

    Parameters
    ----------
    events
        Events ordered by ascending ``seq``, as stored.
    expect_head
        A head hash published earlier; when given, the chain must contain it, which
        detects events deleted from the end.
    """
    previous_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    seen_head = expect_head is None
    for event in events:
        problem = _check(event, expected_seq, previous_hash)
        if problem:
            return ChainReport(
                count=count, head=previous_hash, broken_at=event.seq, problem=problem
            )
        count += 1
        previous_hash = event.hash
        expected_seq = event.seq + 1
        seen_head = seen_head or event.hash == expect_head
    if not seen_head:
        return ChainReport(
            count=count,
            head=previous_hash,
            broken_at=expected_seq,
            problem=(
                f"the expected head {expect_head} is not in the chain: events after "
                f"event {expected_seq - 1} were deleted or the chain was rewritten"
            ),
        )
    return ChainReport(count=count, head=previous_hash)


def _check(event: AuditEvent, expected_seq: int, previous_hash: str) -> str:
    if event.seq > expected_seq:
        missing = (
            f"event {expected_seq}"
            if event.seq == expected_seq + 1
            else f"events {expected_seq}-{event.seq - 1}"
        )
        return f"{missing} missing before event {event.seq} (deleted)"
    if event.seq < expected_seq:
        return f"event {event.seq} appears out of order (inserted or reordered)"
    if payload_digest(event.payload) != event.payload_digest:
        return f"event {event.seq}: payload does not match its digest (edited)"
    recomputed = event_hash(
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor=event.actor,
        action=event.action,
        subject=event.subject,
        payload_digest=event.payload_digest,
        prev_hash=event.prev_hash,
    )
    if recomputed != event.hash:
        return f"event {event.seq}: fields do not match its hash (edited, inserted or moved)"
    if event.prev_hash != previous_hash:
        return (
            f"event {event.seq}: does not link to event {event.seq - 1} "
            "(an event before it was deleted, inserted or reordered)"
        )
    return ""
