"""The audit event every change to a finding appends."""

from __future__ import annotations

from typing import Any

from ethos.domain.findings import Finding
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import UnitOfWork

__all__ = ["record_finding_event"]


def record_finding_event(
    ctx: ServiceContext, uow: UnitOfWork, finding: Finding, action: str, **payload: Any
) -> None:
    """Append ``finding.<action>`` for ``finding`` to the audit trail, in ``uow``."""
    uow.record(
        at=ctx.clock(),
        actor=ctx.actor,
        action=f"finding.{action}",
        subject=f"project:{finding.project_id}",
        payload={"finding_id": finding.id, **payload},
    )
