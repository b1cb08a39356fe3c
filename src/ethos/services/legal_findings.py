"""Stage 2 from the law: keep one ``legal`` finding per duty the classification brings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ethos.domain.catalogue import FindingCategory
from ethos.domain.classification import Classification
from ethos.domain.facts import fact_mapping
from ethos.domain.findings import Finding, FindingSource, FindingStatus
from ethos.domain.legal import LegalDuty
from ethos.domain.projects import Project
from ethos.services.context import ServiceContext
from ethos.services.finding_events import record_finding_event as _record
from ethos.services.regulation import legal_duties_of, project_classification, project_facts
from ethos.store.unit_of_work import UnitOfWork

__all__ = ["LegalSync", "classification_facts", "sync_legal_findings"]


class LegalSync:
    """Ids touched by one sync, in the same buckets as :class:`DeriveResult`."""

    def __init__(self) -> None:
        self.added: list[int] = []
        self.reinstated: list[int] = []
        self.withdrawn: list[int] = []
        self.unchanged: list[int] = []
        self.facts_recorded = True


def classification_facts(ctx: ServiceContext, uow: UnitOfWork, project: Project) -> dict[str, Any]:
    """What risk triggers may read beyond the profile: ``facts.*`` and the verdict headlines
    ``eu.tier``, ``eu.gpai``, ``eu.systemic_risk``, ``kr.high_impact``, ``kr.generative``."""
    facts = project_facts(uow, project.id)
    if facts is None:
        return {}
    verdict: Classification = project_classification(ctx, facts, ctx.clock().date())
    eu, kr = verdict.eu_ai_act.summary, verdict.kr_ai_basic_act.summary
    return {
        **fact_mapping(facts),
        "eu.tier": eu["tier"],
        "eu.gpai": eu["gpai"],
        "eu.systemic_risk": eu["systemic_risk"],
        "kr.high_impact": kr["high_impact"],
        "kr.generative": kr["generative"],
    }


def _new(ctx: ServiceContext, project: Project, duty: LegalDuty, now: datetime) -> Finding:
    policy = ctx.legal_policy()
    severity, likelihood = policy.levels(duty, now.date())
    text = duty.text(policy)
    future = duty.applies_from if duty.applies_from and duty.applies_from > now.date() else None
    return Finding(
        id=0,
        project_id=project.id,
        source=FindingSource.OBLIGATION,
        catalogue_id=None,
        clause_id=duty.node_id,
        category=FindingCategory.LEGAL,
        title_en=text.title_en,
        title_ko=text.title_ko,
        description_en=text.description_en,
        description_ko=text.description_ko,
        severity=severity,
        likelihood=likelihood,
        priority=ctx.catalogues().priority.priority(severity, likelihood),
        status=FindingStatus.OPEN,
        created_at=now,
        due_date=future,
    )


def sync_legal_findings(
    ctx: ServiceContext, uow: UnitOfWork, project: Project, now: datetime
) -> LegalSync:
    """Add, reinstate or withdraw obligation findings to match the current classification."""
    sync = LegalSync()
    duties = legal_duties_of(ctx, uow, project.id, now.date())
    if duties is None:
        sync.facts_recorded = False
        duties = []
    wanted = {d.node_id: d for d in duties}
    existing = {
        f.clause_id: f
        for f in uow.findings.of_project(project.id)
        if f.source is FindingSource.OBLIGATION and f.clause_id
    }
    for node_id, duty in wanted.items():
        found = existing.get(node_id)
        if found is None:
            added = uow.findings.add(_new(ctx, project, duty, now))
            _record(
                ctx,
                uow,
                added,
                "derived",
                clause_id=node_id,
                roles=list(duty.roles),
                applies_from=duty.applies_from.isoformat() if duty.applies_from else None,
                priority=added.priority.value,
            )
            sync.added.append(added.id)
        elif found.status is FindingStatus.WITHDRAWN:
            uow.findings.update(found.id, status=FindingStatus.OPEN)
            _record(ctx, uow, found, "reinstated", clause_id=node_id)
            sync.reinstated.append(found.id)
        else:
            sync.unchanged.append(found.id)
    for node_id, found in existing.items():
        if node_id not in wanted and found.status in (FindingStatus.OPEN, FindingStatus.RESOLVED):
            uow.findings.update(found.id, status=FindingStatus.WITHDRAWN)
            _record(
                ctx,
                uow,
                found,
                "withdrawn",
                clause_id=node_id,
                reason="the project's classification no longer brings this duty",
            )
            sync.withdrawn.append(found.id)
    return sync
