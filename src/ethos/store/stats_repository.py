"""Bulk reads for portfolio statistics and the annual report: a few statements, all rows."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, func, select
from sqlalchemy.orm import Session

from ethos.domain.profile import Answer, Consensus
from ethos.domain.projects import Member, Project
from ethos.domain.stats import FindingRecord
from ethos.store.repositories import _member, _project
from ethos.store.tables import (
    AnswerRow,
    CardIssueRow,
    ConsensusRow,
    EvidenceRow,
    FindingRow,
    MemberRow,
    ProjectRow,
)

__all__ = ["StatsRepository"]


class StatsRepository:
    """Read-only: every project, finding, answer and card issue, grouped for computation."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _core(self, query: Executable) -> Any:
        """Run a column query on the session's connection: plain rows, no ORM overhead."""
        return self._session.connection().execute(query).all()

    def projects(self) -> list[Project]:
        return [
            _project(r) for r in self._session.scalars(select(ProjectRow).order_by(ProjectRow.id))
        ]

    def findings(self) -> list[FindingRecord]:
        query = select(
            FindingRow.id,
            FindingRow.project_id,
            FindingRow.source,
            FindingRow.catalogue_id,
            FindingRow.clause_id,
            FindingRow.category,
            FindingRow.priority,
            FindingRow.status,
            FindingRow.created_at,
            FindingRow.decided_at,
            FindingRow.plan_mitigations,
            FindingRow.title_en,
            FindingRow.title_ko,
            FindingRow.rationale,
        ).order_by(FindingRow.id)
        return [
            FindingRecord(
                id=r.id,
                project_id=r.project_id,
                source=r.source,
                catalogue_id=r.catalogue_id,
                clause_id=r.clause_id,
                category=r.category,
                priority=r.priority,
                status=r.status,
                created_at=r.created_at,
                decided_at=r.decided_at,
                mitigations=tuple(json.loads(r.plan_mitigations)),
                title_en=r.title_en,
                title_ko=r.title_ko,
                rationale=r.rationale,
            )
            for r in self._core(query)
        ]

    def first_card_issues(self) -> dict[int, datetime]:
        query = select(CardIssueRow.project_id, func.min(CardIssueRow.issued_at)).group_by(
            CardIssueRow.project_id
        )
        return {pid: at for pid, at in self._session.execute(query)}

    def members(self) -> dict[int, list[Member]]:
        found: dict[int, list[Member]] = defaultdict(list)
        for row in self._session.scalars(select(MemberRow).order_by(MemberRow.id)):
            found[row.project_id].append(_member(row))
        return found

    def answers(self) -> dict[tuple[int, str, int], list[Answer]]:
        """Answers keyed by (project, questionnaire id, version)."""
        query = select(
            AnswerRow.project_id,
            AnswerRow.questionnaire_id,
            AnswerRow.questionnaire_version,
            AnswerRow.member_id,
            AnswerRow.item_id,
            AnswerRow.score,
        ).order_by(AnswerRow.id)
        found: dict[tuple[int, str, int], list[Answer]] = defaultdict(list)
        for pid, qid, version, member, item, score in self._core(query):
            found[(pid, qid, version)].append(Answer(member_id=member, item_id=item, score=score))
        return found

    def consensus(self) -> dict[tuple[int, str, int], list[Consensus]]:
        query = select(
            ConsensusRow.project_id,
            ConsensusRow.questionnaire_id,
            ConsensusRow.questionnaire_version,
            ConsensusRow.item_id,
            ConsensusRow.score,
        ).order_by(ConsensusRow.id)
        found: dict[tuple[int, str, int], list[Consensus]] = defaultdict(list)
        for pid, qid, version, item, score in self._core(query):
            found[(pid, qid, version)].append(Consensus(item_id=item, score=score, note=""))
        return found

    def check_records(self) -> list[tuple[int, int, str, datetime]]:
        """Evidence of kind check record: (evidence id, finding id, record JSON, added at)."""
        query = (
            select(EvidenceRow.id, EvidenceRow.finding_id, EvidenceRow.record, EvidenceRow.added_at)
            .where(EvidenceRow.type == "check_record")
            .order_by(EvidenceRow.id)
        )
        return [(i, f, r or "{}", at) for i, f, r, at in self._session.execute(query)]
