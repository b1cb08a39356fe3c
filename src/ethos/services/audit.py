"""Use cases for the audit trail: verify the chain, list events."""

from __future__ import annotations

from ethos.domain.audit import AuditEvent, ChainReport, verify_chain
from ethos.services.context import ServiceContext

__all__ = ["audit_log", "verify_audit_chain"]


def verify_audit_chain(ctx: ServiceContext, *, expect_head: str | None = None) -> ChainReport:
    """Walk the whole chain and report the first event edited, deleted, inserted or moved."""
    with ctx.store.unit_of_work() as uow:
        return verify_chain(uow.audit.stream(), expect_head=expect_head)


def audit_log(
    ctx: ServiceContext,
    *,
    limit: int = 50,
    subject: str | None = None,
    action: str | None = None,
) -> list[AuditEvent]:
    """The latest events, oldest first, optionally for one subject or action."""
    with ctx.store.unit_of_work() as uow:
        return uow.audit.latest(limit=limit, subject=subject, action=action)
