"""API: the audit trail (admin and auditor)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from ethos.services import audit, authz
from ethos.web.api.common import api_router
from ethos.web.deps import ApiActor

__all__ = ["router"]

router = api_router("audit")


def _allowed(me: ApiActor) -> None:
    authz.require_role(
        me.ctx,
        me.principal,
        authz.ADMIN,
        authz.AUDITOR,
        action="read the audit log",
        subject="audit",
    )


@router.get("/audit/verify", summary="Walk the hash chain")
def verify(
    me: ApiActor, expect_head: Annotated[str | None, Query(max_length=64)] = None
) -> dict[str, Any]:
    _allowed(me)
    report = audit.verify_audit_chain(me.reader, expect_head=expect_head)
    return {
        "ok": report.ok,
        "count": report.count,
        "head": report.head,
        "broken_at": report.broken_at,
        "problem": report.problem or None,
    }


@router.get("/audit/log", summary="The latest events, oldest first")
def log(
    me: ApiActor,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 50,
    subject: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
) -> list[dict[str, Any]]:
    _allowed(me)
    events = audit.audit_log(me.reader, limit=limit, subject=subject, action=action)
    return [
        {
            "seq": e.seq,
            "occurred_at": e.occurred_at,
            "actor": e.actor,
            "action": e.action,
            "subject": e.subject,
            "payload": e.payload_data(),
            "payload_digest": e.payload_digest,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
        for e in events
    ]
