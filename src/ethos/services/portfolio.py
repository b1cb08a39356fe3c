"""The ethics office's view over all projects: stages, open findings, re-assessments due."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ethos.domain.description import ProjectDescription
from ethos.domain.projects import Project
from ethos.services.authz import Principal, visible_project_ids
from ethos.services.context import ServiceContext
from ethos.services.read_models import chain_state, read_models
from ethos.store.portfolio_repository import PortfolioRepository

__all__ = ["Portfolio", "ProjectSummary", "due_reasons", "portfolio", "visible_projects"]

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    project: Project
    members: int
    open_findings: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Portfolio:
    """What the dashboard shows, limited to the projects the principal may see."""

    total: int
    by_type_and_stage: Mapping[str, Mapping[str, int]]
    open_findings: Mapping[str, Mapping[str, int]]
    due: list[dict[str, Any]]
    projects: list[ProjectSummary]
    page: int
    pages: int
    open_by_priority: Mapping[str, int] = field(default_factory=dict)
    state: Hashable | None = None
    """Names what the figures are of (the database's state, the projects seen, the page and
    the day): equal ``state``, equal figures. ``None`` when they were not kept."""


def due_reasons(
    now: datetime,
    issued_at: datetime,
    artefacts: Mapping[str, Any],
    description: Mapping[str, Any] | None,
    review_months: int,
) -> list[str]:
    """Why a project needs re-assessment: card older than the review period, or the model
    or data versions it covered have changed (the rule of ``cards.reassessment_due``)."""
    reasons = []
    months = (now.year - issued_at.year) * 12 + now.month - issued_at.month
    if months > review_months or (months == review_months and now.day >= issued_at.day):
        reasons.append(
            f"card issued {issued_at.date().isoformat()}, over {review_months} months ago"
        )
    current = ProjectDescription.model_validate(description or {}).versions()
    before = artefacts.get("versions", {})
    for key in sorted(set(current) | set(before)):
        if current.get(key) != before.get(key):
            reasons.append(f"{key} changed from {before.get(key)} to {current.get(key)}")
    return reasons


def _due(
    ctx: ServiceContext,
    now: datetime,
    issues: Mapping[int, tuple[datetime, dict[str, Any]]],
    descriptions: Mapping[int, dict[str, Any]],
    names: Mapping[int, str],
) -> list[dict[str, Any]]:
    due = []
    for project_id in sorted(issues):
        issued_at, artefacts = issues[project_id]
        reasons = due_reasons(
            now, issued_at, artefacts, descriptions.get(project_id), ctx.review_months
        )
        if reasons:
            due.append({"project": project_id, "name": names[project_id], "reasons": reasons})
    return due


@dataclass(frozen=True, slots=True)
class _Figures:
    """The dashboard's figures over all visible projects (not the page)."""

    total: int
    by_type_and_stage: Mapping[str, Mapping[str, int]]
    open_findings: Mapping[str, Mapping[str, int]]
    open_by_priority: Mapping[str, int]


def _figures(repo: PortfolioRepository, ids: Collection[int] | None) -> _Figures:
    by_type: dict[str, dict[str, int]] = {}
    total = 0
    for kind, stage, count in repo.by_type_and_stage(ids):
        by_type.setdefault(kind, {})[stage] = count
        total += count
    findings: dict[str, dict[str, int]] = {}
    by_priority: dict[str, int] = {}
    for priority, category, count in repo.open_findings(ids):
        findings.setdefault(priority, {})[category] = count
        by_priority[priority] = by_priority.get(priority, 0) + count
    return _Figures(total, by_type, findings, by_priority)


def _page(
    repo: PortfolioRepository, ids: Collection[int] | None, page: int
) -> list[ProjectSummary]:
    listed = repo.page(ids, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    listed_ids = [p.id for p in listed]
    members = repo.members_per_project(listed_ids)
    open_per_project = repo.open_findings_per_project(listed_ids)
    return [ProjectSummary(p, members.get(p.id, 0), open_per_project.get(p.id, {})) for p in listed]


def _due_now(
    ctx: ServiceContext, now: datetime, repo: PortfolioRepository, ids: Collection[int] | None
) -> list[dict[str, Any]]:
    issues = repo.latest_card_issues(ids)
    return _due(ctx, now, issues, repo.descriptions(list(issues)), repo.names(list(issues)))


def portfolio(ctx: ServiceContext, principal: Principal, *, page: int = 1) -> Portfolio:
    """Counts by type and stage, open findings by priority and category, projects due for
    re-assessment, and one page of the project list.

    The figures, the page and the projects due are kept per state of the database
    (:mod:`ethos.services.read_models`): computed again only after a change, or, for the
    projects due, on a new day.
    """
    ids: Collection[int] | None = visible_project_ids(ctx, principal)
    models = read_models(ctx.store)
    kept: Hashable | None = None
    with ctx.store.for_reading().unit_of_work() as uow:
        repo = uow.portfolio
        state = chain_state(uow)  # first: the models are as new as the key
        if state is None:  # an empty audit trail names no state: nothing is kept
            figures = _figures(repo, ids)
            pages = max(1, -(-figures.total // PAGE_SIZE))
            page = min(max(1, page), pages)
            listed = _page(repo, ids, page)
            due = _due_now(ctx, ctx.clock(), repo, ids)
        else:
            seen = None if ids is None else frozenset(ids)
            figures = models.get_or_compute(("portfolio", state, seen), lambda: _figures(repo, ids))
            pages = max(1, -(-figures.total // PAGE_SIZE))
            page = min(max(1, page), pages)
            listed = models.get_or_compute(
                ("portfolio_page", state, seen, page), lambda: _page(repo, ids, page)
            )
            now = ctx.clock()
            due = models.get_or_compute(  # the rule looks at whole days only
                ("portfolio_due", state, seen, now.date(), ctx.review_months),
                lambda: _due_now(ctx, now, repo, ids),
            )
            kept = ("portfolio", state, seen, page, now.date(), ctx.review_months)
    return Portfolio(
        total=figures.total,
        by_type_and_stage=figures.by_type_and_stage,
        open_findings=figures.open_findings,
        due=due,
        projects=listed,
        page=page,
        pages=pages,
        open_by_priority=figures.open_by_priority,
        state=kept,
    )


def visible_projects(ctx: ServiceContext, principal: Principal) -> list[Project]:
    """Every project ``principal`` may see, oldest first."""
    ids = visible_project_ids(ctx, principal)
    with ctx.store.for_reading().unit_of_work() as uow:
        return uow.portfolio.page(ids)
