"""Stage 2 from the law: keep one ``legal`` finding per duty the classification brings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from ethos.domain.catalogue import FindingCategory
from ethos.domain.classification import Classification
from ethos.domain.facts import fact_mapping
from ethos.domain.findings import Finding, FindingSource, FindingStatus
from ethos.domain.legal import (
    IncompleteClassification,
    LegalDuty,
    LegalFindingText,
    incomplete_classifications,
    legal_duties,
)
from ethos.domain.projects import Project
from ethos.services.context import ServiceContext
from ethos.services.finding_events import record_finding_event as _record
from ethos.services.regulation import project_classification, project_facts
from ethos.store.unit_of_work import UnitOfWork

__all__ = ["LegalSync", "classification_facts", "sync_legal_findings"]


class LegalSync:
    """Ids touched by one sync, in the same buckets as :class:`DeriveResult`."""

    def __init__(self) -> None:
        self.added: list[int] = []
        self.reinstated: list[int] = []
        self.withdrawn: list[int] = []
        self.unchanged: list[int] = []
        self.restated: list[int] = []  # also in ``unchanged``: only their text changed
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


def _legal_finding(
    ctx: ServiceContext,
    project: Project,
    source: FindingSource,
    clause_id: str,
    text: LegalFindingText,
    levels: tuple[int, int],
    now: datetime,
    due: date | None = None,
) -> Finding:
    """An open finding of category ``legal`` on ``clause_id``; priority from the matrix."""
    severity, likelihood = levels
    return Finding(
        id=0,
        project_id=project.id,
        source=source,
        catalogue_id=None,
        clause_id=clause_id,
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
        due_date=due,
    )


def _new(ctx: ServiceContext, project: Project, duty: LegalDuty, now: datetime) -> Finding:
    policy = ctx.legal_policy()
    levels = policy.levels(duty, now.date())
    future = duty.applies_from if duty.applies_from and duty.applies_from > now.date() else None
    source = FindingSource.OBLIGATION
    text = duty.text(policy)
    return _legal_finding(ctx, project, source, duty.node_id, text, levels, now, future)


@dataclass(frozen=True, slots=True)
class _Wanted:
    """A finding the classification calls for: how to make it, what its events record."""

    make: Callable[[], Finding]
    payload: dict[str, Any]


def _reconcile(
    ctx: ServiceContext,
    uow: UnitOfWork,
    project: Project,
    source: FindingSource,
    wanted: dict[str, _Wanted],
    withdraw_reason: str,
    sync: LegalSync,
) -> None:
    """Make the project's findings of ``source`` (one per clause) match ``wanted``: add the
    new, reinstate the withdrawn, withdraw the open or resolved ones no longer wanted, and
    bring the title and description of those kept up to date (they name the missing facts,
    or the duty's wording in the current policy), recording what changed."""
    existing = {
        f.clause_id: f
        for f in uow.findings.of_project(project.id)
        if f.source is source and f.clause_id
    }
    for clause_id, want in wanted.items():
        found = existing.get(clause_id)
        if found is None:
            added = uow.findings.add(want.make())
            _record(
                ctx,
                uow,
                added,
                "derived",
                clause_id=clause_id,
                **want.payload,
                priority=added.priority.value,
            )
            sync.added.append(added.id)
        else:
            if found.status is FindingStatus.WITHDRAWN:
                uow.findings.update(found.id, status=FindingStatus.OPEN)
                _record(ctx, uow, found, "reinstated", clause_id=clause_id)
                sync.reinstated.append(found.id)
            else:
                sync.unchanged.append(found.id)
            if _restate(ctx, uow, found, want):
                sync.restated.append(found.id)
    for clause_id, found in existing.items():
        if clause_id not in wanted and found.status in (
            FindingStatus.OPEN,
            FindingStatus.RESOLVED,
        ):
            uow.findings.update(found.id, status=FindingStatus.WITHDRAWN)
            _record(ctx, uow, found, "withdrawn", clause_id=clause_id, reason=withdraw_reason)
            sync.withdrawn.append(found.id)


_TEXT_FIELDS = ("title_en", "title_ko", "description_en", "description_ko")


def _restate(ctx: ServiceContext, uow: UnitOfWork, found: Finding, want: _Wanted) -> bool:
    """Give ``found`` the text ``want`` would be made with now; whether it changed."""
    fresh = want.make()
    changes = {
        name: getattr(fresh, name)
        for name in _TEXT_FIELDS
        if getattr(fresh, name) != getattr(found, name)
    }
    if not changes:
        return False
    uow.findings.update(found.id, **changes)
    _record(
        ctx,
        uow,
        found,
        "restated",
        clause_id=found.clause_id,
        fields=sorted(changes),
        **want.payload,
    )
    return True


def sync_legal_findings(
    ctx: ServiceContext, uow: UnitOfWork, project: Project, now: datetime
) -> LegalSync:
    """Add, reinstate or withdraw legal findings to match the current classification: one per
    duty it brings, and one per law whose classification waits on facts that would change
    it (withdrawn once they are recorded)."""
    sync = LegalSync()
    facts = project_facts(uow, project.id)
    duties: list[LegalDuty] = []
    gaps: list[IncompleteClassification] = []
    if facts is None:
        sync.facts_recorded = False
    else:
        verdict = project_classification(ctx, facts, now.date())
        duties = legal_duties(verdict, ctx.legal().frameworks)
        gaps = incomplete_classifications(verdict, ctx.legal_policy())
    obligations = {
        duty.node_id: _Wanted(
            partial(_new, ctx, project, duty, now),
            {
                "roles": list(duty.roles),
                "applies_from": duty.applies_from.isoformat() if duty.applies_from else None,
            },
        )
        for duty in duties
    }
    reason = "the project's classification no longer brings this duty"
    _reconcile(ctx, uow, project, FindingSource.OBLIGATION, obligations, reason, sync)
    incomplete = {
        gap.clause_id: _Wanted(
            partial(_incomplete_finding, ctx, project, gap, now),
            {"missing_facts": list(gap.facts)},
        )
        for gap in gaps
    }
    reason = "the facts the classification needed are recorded"
    _reconcile(ctx, uow, project, FindingSource.CLASSIFICATION, incomplete, reason, sync)
    return sync


def _incomplete_finding(
    ctx: ServiceContext, project: Project, gap: IncompleteClassification, now: datetime
) -> Finding:
    policy = ctx.legal_policy()
    text = gap.text(policy, ctx.legal().frameworks)
    levels = (policy.incomplete.severity, policy.incomplete.likelihood)
    source = FindingSource.CLASSIFICATION
    return _legal_finding(ctx, project, source, gap.clause_id, text, levels, now)
