"""Repositories: rows in, domain objects out. Nothing here commits; the unit of work does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ethos.domain.audit import AuditEvent
from ethos.domain.profile import Answer, Consensus
from ethos.domain.projects import LifecycleStage, Member, Project, ProjectType, Role
from ethos.store.tables import (
    AnswerRow,
    AuditEventRow,
    ConsensusRow,
    MemberRow,
    ProjectRow,
    QuestionnaireUseRow,
)

__all__ = [
    "AnswerRepository",
    "AuditRepository",
    "ConsensusRepository",
    "MemberRepository",
    "ProjectRepository",
    "QuestionnaireUseRepository",
]

# Any constant works: it names the lock that serialises appends to the chain on PostgreSQL.
_AUDIT_LOCK_KEY = 0x45_54_48_4F_53


def _project(row: ProjectRow) -> Project:
    return Project(
        id=row.id,
        name=row.name,
        description=row.description,
        purpose=row.purpose,
        type=ProjectType(row.type),
        lifecycle_stage=LifecycleStage(row.lifecycle_stage),
        created_by=row.created_by,
        created_at=row.created_at,
        questionnaire_id=row.questionnaire_id,
        questionnaire_version=row.questionnaire_version,
        stage1_closed_at=row.stage1_closed_at,
    )


def _member(row: MemberRow) -> Member:
    return Member(id=row.id, project_id=row.project_id, name=row.name, role=Role(row.role))


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, project: Project) -> Project:
        row = ProjectRow(
            name=project.name,
            description=project.description,
            purpose=project.purpose,
            type=project.type.value,
            lifecycle_stage=project.lifecycle_stage.value,
            created_by=project.created_by,
            created_at=project.created_at,
            questionnaire_id=project.questionnaire_id,
            questionnaire_version=project.questionnaire_version,
        )
        self._session.add(row)
        self._session.flush()
        return _project(row)

    def get(self, project_id: int) -> Project | None:
        row = self._session.get(ProjectRow, project_id)
        return _project(row) if row else None

    def by_name(self, name: str) -> Project | None:
        row = self._session.scalars(select(ProjectRow).where(ProjectRow.name == name)).first()
        return _project(row) if row else None

    def list(self) -> list[Project]:
        return [
            _project(r) for r in self._session.scalars(select(ProjectRow).order_by(ProjectRow.id))
        ]

    def set_questionnaire(self, project_id: int, questionnaire_id: str, version: int) -> None:
        row = self._session.get_one(ProjectRow, project_id)
        row.questionnaire_id = questionnaire_id
        row.questionnaire_version = version
        row.stage1_closed_at = None

    def set_stage(self, project_id: int, stage: LifecycleStage) -> None:
        self._session.get_one(ProjectRow, project_id).lifecycle_stage = stage.value

    def set_stage1_closed(self, project_id: int, closed_at: datetime | None) -> None:
        self._session.get_one(ProjectRow, project_id).stage1_closed_at = closed_at


class MemberRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, project_id: int, name: str, role: Role, created_at: datetime) -> Member:
        row = MemberRow(project_id=project_id, name=name, role=role.value, created_at=created_at)
        self._session.add(row)
        self._session.flush()
        return _member(row)

    def of_project(self, project_id: int) -> list[Member]:
        query = select(MemberRow).where(MemberRow.project_id == project_id).order_by(MemberRow.id)
        return [_member(r) for r in self._session.scalars(query)]


class AnswerRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _rows(self, project_id: int, questionnaire_id: str, version: int) -> list[AnswerRow]:
        query = (
            select(AnswerRow)
            .where(
                AnswerRow.project_id == project_id,
                AnswerRow.questionnaire_id == questionnaire_id,
                AnswerRow.questionnaire_version == version,
            )
            .order_by(AnswerRow.id)
        )
        return list(self._session.scalars(query))

    def of_project(self, project_id: int, questionnaire_id: str, version: int) -> list[Answer]:
        return [
            Answer(member_id=r.member_id, item_id=r.item_id, score=r.score, comment=r.comment)
            for r in self._rows(project_id, questionnaire_id, version)
        ]

    def put(
        self,
        project_id: int,
        questionnaire_id: str,
        version: int,
        answer: Answer,
        answered_at: datetime,
    ) -> int | None:
        """Store ``answer``; return the score it replaced, if any."""
        query = select(AnswerRow).where(
            AnswerRow.member_id == answer.member_id,
            AnswerRow.questionnaire_id == questionnaire_id,
            AnswerRow.questionnaire_version == version,
            AnswerRow.item_id == answer.item_id,
        )
        row = self._session.scalars(query).first()
        if row is None:
            self._session.add(
                AnswerRow(
                    project_id=project_id,
                    member_id=answer.member_id,
                    questionnaire_id=questionnaire_id,
                    questionnaire_version=version,
                    item_id=answer.item_id,
                    score=answer.score,
                    comment=answer.comment,
                    answered_at=answered_at,
                )
            )
            return None
        previous = row.score
        row.score, row.comment, row.answered_at = answer.score, answer.comment, answered_at
        return previous


class ConsensusRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def of_project(self, project_id: int, questionnaire_id: str, version: int) -> list[Consensus]:
        query = (
            select(ConsensusRow)
            .where(
                ConsensusRow.project_id == project_id,
                ConsensusRow.questionnaire_id == questionnaire_id,
                ConsensusRow.questionnaire_version == version,
            )
            .order_by(ConsensusRow.id)
        )
        return [
            Consensus(item_id=r.item_id, score=r.score, note=r.note, recorded_by=r.recorded_by)
            for r in self._session.scalars(query)
        ]

    def put(
        self,
        project_id: int,
        questionnaire_id: str,
        version: int,
        consensus: Consensus,
        recorded_at: datetime,
    ) -> None:
        query = select(ConsensusRow).where(
            ConsensusRow.project_id == project_id,
            ConsensusRow.questionnaire_id == questionnaire_id,
            ConsensusRow.questionnaire_version == version,
            ConsensusRow.item_id == consensus.item_id,
        )
        row = self._session.scalars(query).first()
        if row is None:
            row = ConsensusRow(
                project_id=project_id,
                questionnaire_id=questionnaire_id,
                questionnaire_version=version,
                item_id=consensus.item_id,
            )
            self._session.add(row)
        row.score, row.note = consensus.score, consensus.note
        row.recorded_by, row.recorded_at = consensus.recorded_by, recorded_at


class QuestionnaireUseRepository:
    """Digests of questionnaire versions that answers reference (they may not change)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def digest(self, questionnaire_id: str, version: int) -> str | None:
        row = self._session.get(QuestionnaireUseRow, (questionnaire_id, version))
        return row.digest if row else None

    def record(self, questionnaire_id: str, version: int, digest: str, at: datetime) -> None:
        self._session.add(
            QuestionnaireUseRow(
                questionnaire_id=questionnaire_id, version=version, digest=digest, first_used_at=at
            )
        )
        self._session.flush()


def _event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        seq=row.seq,
        occurred_at=row.occurred_at,
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        payload=row.payload,
        payload_digest=row.payload_digest,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class AuditRepository:
    """The append-only event table. There is deliberately no update or delete here."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def lock_for_append(self) -> None:
        """Serialise appends so two writers cannot both extend the same head."""
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY}
            )

    def last(self) -> AuditEvent | None:
        row = self._session.scalars(
            select(AuditEventRow).order_by(AuditEventRow.seq.desc()).limit(1)
        ).first()
        return _event(row) if row else None

    def append(self, event: AuditEvent) -> None:
        self._session.add(
            AuditEventRow(
                seq=event.seq,
                occurred_at=event.occurred_at,
                actor=event.actor,
                action=event.action,
                subject=event.subject,
                payload=event.payload,
                payload_digest=event.payload_digest,
                prev_hash=event.prev_hash,
                hash=event.hash,
            )
        )
        self._session.flush()

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(AuditEventRow)) or 0

    def stream(self, *, batch: int = 1000) -> Iterator[AuditEvent]:
        """Every event in sequence order, read in batches (the chain may be long)."""
        after = 0
        while True:
            rows = list(
                self._session.scalars(
                    select(AuditEventRow)
                    .where(AuditEventRow.seq > after)
                    .order_by(AuditEventRow.seq)
                    .limit(batch)
                )
            )
            if not rows:
                return
            for row in rows:
                yield _event(row)
            after = rows[-1].seq

    def latest(
        self, *, limit: int, subject: str | None = None, action: str | None = None
    ) -> list[AuditEvent]:
        query = select(AuditEventRow)
        if subject is not None:
            query = query.where(AuditEventRow.subject == subject)
        if action is not None:
            query = query.where(AuditEventRow.action == action)
        rows = self._session.scalars(query.order_by(AuditEventRow.seq.desc()).limit(limit))
        return [_event(r) for r in reversed(list(rows))]
