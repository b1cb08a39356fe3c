"""Portfolio queries: counts over many projects in a few statements, for the dashboard."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from ethos.domain.projects import Project
from ethos.store.repositories import _project
from ethos.store.tables import (
    CardIssueRow,
    FindingRow,
    MemberRow,
    ProjectDescriptionRow,
    ProjectRow,
)

__all__ = ["PortfolioRepository"]

_OPEN = ("open", "resolved")


def _among(column: Any, ids: Collection[int] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(list(ids))


class PortfolioRepository:
    """Read-only summaries; ``ids`` limits them to some projects (``None``: all)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def count(self, ids: Collection[int] | None) -> int:
        """How many projects there are (among ``ids``)."""
        total = self._session.scalar(
            select(func.count()).select_from(ProjectRow).where(_among(ProjectRow.id, ids))
        )
        return total or 0

    def page(
        self, ids: Collection[int] | None, *, offset: int = 0, limit: int | None = None
    ) -> list[Project]:
        """One page of projects, oldest first."""
        columns = ProjectRow.__table__.columns  # plain rows: no ORM objects to build
        query = select(*columns).where(_among(ProjectRow.id, ids)).order_by(ProjectRow.id)
        query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [_project(cast(ProjectRow, r)) for r in self._session.execute(query)]

    def projects(
        self, ids: Collection[int] | None, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[Project], int]:
        """One page of projects, oldest first, and how many there are in all."""
        return self.page(ids, offset=offset, limit=limit), self.count(ids)

    def names(self, ids: Collection[int]) -> dict[int, str]:
        """Project id to name, for the projects in ``ids`` (no other column is read)."""
        if not ids:
            return {}
        query = select(ProjectRow.id, ProjectRow.name).where(ProjectRow.id.in_(list(ids)))
        return {pid: name for pid, name in self._session.execute(query)}

    def by_type_and_stage(self, ids: Collection[int] | None) -> list[tuple[str, str, int]]:
        query = (
            select(ProjectRow.type, ProjectRow.lifecycle_stage, func.count())
            .where(_among(ProjectRow.id, ids))
            .group_by(ProjectRow.type, ProjectRow.lifecycle_stage)
        )
        rows = self._session.execute(query)
        return [(t, s, n) for t, s, n in rows]

    def open_findings(self, ids: Collection[int] | None) -> list[tuple[str, str, int]]:
        """Findings not yet verified, accepted or withdrawn: (priority, category, count)."""
        query = (
            select(FindingRow.priority, FindingRow.category, func.count())
            .where(FindingRow.status.in_(_OPEN), _among(FindingRow.project_id, ids))
            .group_by(FindingRow.priority, FindingRow.category)
        )
        rows = self._session.execute(query)
        return [(p, c, n) for p, c, n in rows]

    def open_findings_per_project(self, ids: Collection[int]) -> dict[int, dict[str, int]]:
        if not ids:
            return {}
        query = (
            select(FindingRow.project_id, FindingRow.priority, func.count())
            .where(FindingRow.status.in_(_OPEN), FindingRow.project_id.in_(list(ids)))
            .group_by(FindingRow.project_id, FindingRow.priority)
        )
        found: dict[int, dict[str, int]] = {}
        for project_id, priority, count in self._session.execute(query):
            found.setdefault(project_id, {})[priority] = count
        return found

    def members_per_project(self, ids: Collection[int]) -> dict[int, int]:
        if not ids:
            return {}
        query = (
            select(MemberRow.project_id, func.count())
            .where(MemberRow.project_id.in_(list(ids)))
            .group_by(MemberRow.project_id)
        )
        return {pid: n for pid, n in self._session.execute(query)}

    def latest_card_issues(
        self, ids: Collection[int] | None
    ) -> dict[int, tuple[datetime, dict[str, Any]]]:
        """Per project, when its newest card was issued and what it covered."""
        newest = (
            select(func.max(CardIssueRow.id))
            .where(_among(CardIssueRow.project_id, ids))
            .group_by(CardIssueRow.project_id)
        )
        query = select(CardIssueRow).where(CardIssueRow.id.in_(newest.scalar_subquery()))
        return {
            r.project_id: (r.issued_at, json.loads(r.artefacts))
            for r in self._session.scalars(query)
        }

    def descriptions(self, ids: Collection[int]) -> dict[int, dict[str, Any]]:
        if not ids:
            return {}
        query = select(ProjectDescriptionRow).where(ProjectDescriptionRow.project_id.in_(list(ids)))
        return {r.project_id: json.loads(r.data) for r in self._session.scalars(query)}
