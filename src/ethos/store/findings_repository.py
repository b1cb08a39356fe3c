"""Findings, evidence, project descriptions and card issues: rows in, domain objects out."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ethos.domain.catalogue import FindingCategory, Priority
from ethos.domain.findings import Evidence, EvidenceType, Finding, FindingSource, FindingStatus
from ethos.store.tables import CardIssueRow, EvidenceRow, FindingRow, ProjectDescriptionRow

__all__ = ["CardIssueRepository", "DescriptionRepository", "FindingRepository"]

_UPDATABLE = {
    "title_en",
    "title_ko",
    "description_en",
    "description_ko",
    "status",
    "severity",
    "likelihood",
    "priority",
    "owner_member_id",
    "due_date",
    "plan_mitigations",
    "plan_text",
    "resolution_note",
    "decided_by_member_id",
    "decided_at",
    "rationale",
}


def _evidence(row: EvidenceRow) -> Evidence:
    return Evidence(
        id=row.id,
        finding_id=row.finding_id,
        type=EvidenceType(row.type),
        note=row.note,
        added_by=row.added_by,
        added_at=row.added_at,
        sha256=row.sha256,
        filename=row.filename,
        media_type=row.media_type,
        size_bytes=row.size_bytes,
        url=row.url,
        record=json.loads(row.record) if row.record else None,
    )


def _finding(row: FindingRow, evidence: list[Evidence]) -> Finding:
    return Finding(
        id=row.id,
        project_id=row.project_id,
        source=FindingSource(row.source),
        catalogue_id=row.catalogue_id,
        category=FindingCategory(row.category),
        title_en=row.title_en,
        title_ko=row.title_ko,
        description_en=row.description_en,
        description_ko=row.description_ko,
        severity=row.severity,
        likelihood=row.likelihood,
        priority=Priority(row.priority),
        status=FindingStatus(row.status),
        created_at=row.created_at,
        owner_member_id=row.owner_member_id,
        due_date=row.due_date,
        plan_mitigations=tuple(json.loads(row.plan_mitigations)),
        plan_text=row.plan_text,
        resolution_note=row.resolution_note,
        decided_by_member_id=row.decided_by_member_id,
        decided_at=row.decided_at,
        rationale=row.rationale,
        evidence=tuple(evidence),
        clause_id=row.clause_id,
    )


class FindingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, finding: Finding) -> Finding:
        data = asdict(finding)
        data.pop("id")
        data.pop("evidence")
        data["source"] = finding.source.value
        data["category"] = finding.category.value
        data["priority"] = finding.priority.value
        data["status"] = finding.status.value
        data["plan_mitigations"] = json.dumps(list(finding.plan_mitigations))
        row = FindingRow(**data)
        self._session.add(row)
        self._session.flush()
        return _finding(row, [])

    def update(self, finding_id: int, **changes: Any) -> None:
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        row = self._session.get_one(FindingRow, finding_id)
        for name, value in changes.items():
            if name == "plan_mitigations":
                value = json.dumps(list(value))
            elif hasattr(value, "value"):
                value = value.value
            setattr(row, name, value)
        self._session.flush()

    def get(self, finding_id: int) -> Finding | None:
        row = self._session.get(FindingRow, finding_id)
        return _finding(row, self._evidence_of([row.id]).get(row.id, [])) if row else None

    def of_project(self, project_id: int) -> list[Finding]:
        rows = list(
            self._session.scalars(
                select(FindingRow)
                .where(FindingRow.project_id == project_id)
                .order_by(FindingRow.id)
            )
        )
        evidence = self._evidence_of([r.id for r in rows])
        return [_finding(r, evidence.get(r.id, [])) for r in rows]

    def _evidence_of(self, finding_ids: list[int]) -> dict[int, list[Evidence]]:
        found: dict[int, list[Evidence]] = {}
        if not finding_ids:
            return found
        query = (
            select(EvidenceRow)
            .where(EvidenceRow.finding_id.in_(finding_ids))
            .order_by(EvidenceRow.id)
        )
        for row in self._session.scalars(query):
            found.setdefault(row.finding_id, []).append(_evidence(row))
        return found

    def add_evidence(self, evidence: Evidence) -> Evidence:
        row = EvidenceRow(
            finding_id=evidence.finding_id,
            type=evidence.type.value,
            note=evidence.note,
            sha256=evidence.sha256,
            filename=evidence.filename,
            media_type=evidence.media_type,
            size_bytes=evidence.size_bytes,
            url=evidence.url,
            record=json.dumps(evidence.record, sort_keys=True, ensure_ascii=False)
            if evidence.record is not None
            else None,
            added_by=evidence.added_by,
            added_at=evidence.added_at,
        )
        self._session.add(row)
        self._session.flush()
        return _evidence(row)


class DescriptionRepository:
    """The card-facing description of a project, kept as validated JSON."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, project_id: int) -> dict[str, Any] | None:
        row = self._session.get(ProjectDescriptionRow, project_id)
        return json.loads(row.data) if row else None

    def put(self, project_id: int, data: Mapping[str, Any], at: datetime) -> None:
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        row = self._session.get(ProjectDescriptionRow, project_id)
        if row is None:
            self._session.add(
                ProjectDescriptionRow(project_id=project_id, data=text, updated_at=at)
            )
        else:
            row.data, row.updated_at = text, at
        self._session.flush()


class CardIssueRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        project_id: int,
        issued_at: datetime,
        issued_by: str,
        chain_head: str,
        chain_count: int,
        content_sha256: str,
        artefacts: Mapping[str, Any],
    ) -> int:
        row = CardIssueRow(
            project_id=project_id,
            issued_at=issued_at,
            issued_by=issued_by,
            chain_head=chain_head,
            chain_count=chain_count,
            content_sha256=content_sha256,
            artefacts=json.dumps(artefacts, sort_keys=True, ensure_ascii=False),
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def latest_of_all(self) -> dict[int, tuple[datetime, dict[str, Any]]]:
        """The newest issue of every project that has one, in one query."""
        newest = (
            select(func.max(CardIssueRow.id)).group_by(CardIssueRow.project_id).scalar_subquery()
        )
        rows = self._session.scalars(select(CardIssueRow).where(CardIssueRow.id.in_(newest)))
        return {r.project_id: (r.issued_at, json.loads(r.artefacts)) for r in rows}

    def latest(self, project_id: int) -> tuple[datetime, dict[str, Any]] | None:
        row = self._session.scalars(
            select(CardIssueRow)
            .where(CardIssueRow.project_id == project_id)
            .order_by(CardIssueRow.id.desc())
            .limit(1)
        ).first()
        return (row.issued_at, json.loads(row.artefacts)) if row else None
