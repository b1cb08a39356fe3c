"""Portfolio queries: counts over many projects in a few statements, for the dashboard."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, bindparam, func, select, true
from sqlalchemy.orm import Session

from ethos.domain.projects import Project
from ethos.store.repositories import _project
from ethos.store.tables import (
    AuditEventRow,
    CardIssueRow,
    FindingRow,
    MemberRow,
    ProjectDescriptionRow,
    ProjectRow,
)

__all__ = ["READ_ONLY", "PortfolioRepository"]

_OPEN = ("open", "resolved")
READ_ONLY = "ethos.read_only"
"""Key of ``Session.info`` set on sessions that refuse to write (a request's snapshot)."""
_HEADS = "ethos.chain_heads"
_NEWEST = select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc())
_HEAD = _NEWEST.limit(1)
_HEAD_OF = _NEWEST.where(AuditEventRow.subject == bindparam("subject")).limit(1)


def _among(column: Any, ids: Collection[int] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(list(ids))


class PortfolioRepository:
    """Read-only summaries; ``ids`` limits them to some projects (``None``: all)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def chain_head(self, subject: str | None = None) -> tuple[int, str] | None:
        """Sequence number and hash of the newest audit event (about ``subject`` only, when
        given): the name of the database's state, for read models kept per state.

        In a session marked read-only (``session.info[READ_ONLY]``, a request's snapshot),
        which cannot append events, the answer is remembered until its transaction ends.
        """
        memo = self._memo() if self._session.info.get(READ_ONLY) else None
        if memo is not None and subject in memo:
            return memo[subject]
        # Built once, run on the session's connection: asked on every request, and the
        # statement's construction and the ORM's execution path cost more than the lookup.
        connection = self._session.connection()
        if subject is None:
            row = connection.execute(_HEAD).first()
        else:
            row = connection.execute(_HEAD_OF, {"subject": subject}).first()
        head = None if row is None else (row[0], row[1])
        if self._session.info.get(READ_ONLY):
            memo = self._memo()
            if memo is not None:
                memo[subject] = head
        return head

    def _memo(self) -> dict[str | None, tuple[int, str] | None] | None:
        """The chain heads read in the session's current transaction (``None``: none open)."""
        transaction = self._session.get_transaction()
        if transaction is None:
            return None
        kept = self._session.info.get(_HEADS)
        if kept is None or kept[0] is not transaction:
            kept = self._session.info[_HEADS] = (transaction, {})
        memo: dict[str | None, tuple[int, str] | None] = kept[1]
        return memo

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
        query = select(  # plain rows: a thousand ORM objects cost more than the query
            CardIssueRow.project_id, CardIssueRow.issued_at, CardIssueRow.artefacts
        ).where(CardIssueRow.id.in_(newest.scalar_subquery()))
        return {
            pid: (issued_at, json.loads(artefacts))
            for pid, issued_at, artefacts in self._session.execute(query)
        }

    def descriptions(self, ids: Collection[int]) -> dict[int, dict[str, Any]]:
        if not ids:
            return {}
        query = select(ProjectDescriptionRow.project_id, ProjectDescriptionRow.data).where(
            ProjectDescriptionRow.project_id.in_(list(ids))
        )
        return {pid: json.loads(data) for pid, data in self._session.execute(query)}
