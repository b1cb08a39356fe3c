"""Reads a task force needs while it works: a member's own answers, an evidence file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ethos.domain.errors import ConflictError, NotFoundError
from ethos.domain.findings import EvidenceType
from ethos.domain.profile import Answer
from ethos.services.context import ServiceContext, resolve_project

__all__ = ["EvidenceFile", "answers_of_member", "evidence_file"]


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    filename: str
    media_type: str
    content: bytes


def answers_of_member(
    ctx: ServiceContext, project_ref: str | int, member_id: int
) -> dict[str, Answer]:
    """A member's current answers on the project's questionnaire version, by item id."""
    with ctx.store.for_reading().unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        answers = uow.answers.of_project(
            project.id, project.questionnaire_id, project.questionnaire_version
        )
    return {a.item_id: a for a in answers if a.member_id == member_id}


def evidence_file(
    ctx: ServiceContext, project_ref: str | int, finding_id: int, evidence_id: int
) -> EvidenceFile:
    """The stored file of one piece of evidence, checked against its recorded digest."""
    with ctx.store.for_reading().unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        finding = uow.findings.get(finding_id)
    if finding is None or finding.project_id != project.id:
        raise NotFoundError(
            f"finding {finding_id} not found in project {project.name!r}",
            ko=f"문제 {finding_id}: 과제 {project.name!r}에서 찾을 수 없습니다",
        )
    found = next((e for e in finding.evidence if e.id == evidence_id), None)
    if found is None or found.type is not EvidenceType.FILE or not found.sha256:
        raise NotFoundError(
            f"finding {finding_id} has no evidence file {evidence_id}",
            ko=f"문제 {finding_id}에 증빙 파일 {evidence_id}이(가) 없습니다",
        )
    try:
        content = ctx.blobs().read(found.sha256)
    except FileNotFoundError:
        raise NotFoundError(
            f"the file of evidence {evidence_id} is missing from the store",
            ko=f"증빙 {evidence_id}의 파일이 저장소에 없습니다",
        ) from None
    if hashlib.sha256(content).hexdigest() != found.sha256:
        raise ConflictError(
            f"the file of evidence {evidence_id} does not match its recorded digest",
            ko=f"증빙 {evidence_id}의 파일이 기록된 다이제스트와 일치하지 않습니다",
        )
    return EvidenceFile(
        found.filename or f"evidence-{evidence_id}",
        found.media_type or "application/octet-stream",
        content,
    )
