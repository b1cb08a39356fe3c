"""Stage 2 and 3 use cases: derive, add, assign, plan, evidence, resolve, verify, reject, accept."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ethos.domain.catalogue import FindingCategory, RiskEntry
from ethos.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ethos.domain.evidence import CheckRecord
from ethos.domain.findings import (
    Evidence,
    EvidenceType,
    Finding,
    FindingSource,
    FindingStatus,
    check_decider,
    profile_facts,
    triggered,
)
from ethos.domain.priority import parse_level
from ethos.domain.projects import Member, Project, parse_enum
from ethos.knowledge.loading import describe_validation_error
from ethos.services.context import ServiceContext, resolve_member, resolve_project
from ethos.services.datasets import dataset_facts, licence_policy
from ethos.services.finding_events import record_finding_event as _record
from ethos.services.legal_findings import classification_facts, sync_legal_findings
from ethos.services.stage1 import load_profile
from ethos.store.unit_of_work import UnitOfWork

__all__ = [
    "DeriveResult",
    "accept_finding",
    "add_evidence",
    "add_finding",
    "assign_finding",
    "derive_findings",
    "list_findings",
    "plan_finding",
    "reject_finding",
    "resolve_finding",
    "verify_finding",
]

_MAX_URL = 2000


@dataclass(frozen=True, slots=True)
class DeriveResult:
    added: list[int]
    reinstated: list[int]
    withdrawn: list[int]
    unchanged: list[int]
    facts_recorded: bool = True  # without intake facts no legal findings can be derived


def _finding(uow: UnitOfWork, project: Project, finding_id: int) -> Finding:
    finding = uow.findings.get(finding_id)
    if finding is None or finding.project_id != project.id:
        raise NotFoundError(
            f"finding {finding_id} not found in project {project.name!r}",
            ko=f"문제 {finding_id}: 과제 {project.name!r}에서 찾을 수 없습니다",
        )
    return finding


def _new(project: Project, entry: RiskEntry, priority: Any, at: Any) -> Finding:
    return Finding(
        id=0,
        project_id=project.id,
        source=FindingSource.DERIVED,
        catalogue_id=entry.id,
        category=entry.category,
        title_en=entry.title.en,
        title_ko=entry.title.ko,
        description_en=entry.description.en,
        description_ko=entry.description.ko,
        severity=entry.severity,
        likelihood=entry.likelihood,
        priority=priority,
        status=FindingStatus.OPEN,
        created_at=at,
        plan_mitigations=tuple(entry.mitigations),
    )


def derive_findings(ctx: ServiceContext, project_ref: str | int) -> DeriveResult:
    """Create findings from a complete stage-1 profile; idempotent.

    A rerun adds findings whose trigger now holds, reinstates withdrawn ones whose trigger
    holds again, and withdraws open derived findings whose trigger no longer holds.
    """
    cats = ctx.catalogues()
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        view = load_profile(ctx, uow, project_ref)
        project = view.project
        if not view.profile.stage1_complete:
            raise ConflictError(
                f"stage 1 of {project.name!r} is not complete; findings are derived from a "
                "complete profile (see `ethos profile`)",
                ko=(
                    f"과제 {project.name!r}의 1단계가 완료되지 "
                    "않았습니다. 문제는 완료된 프로파일에서 "
                    "도출합니다(`ethos profile` 참고)"
                ),
            )
        facts = {
            **profile_facts(project, view.profile),
            **classification_facts(ctx, uow, project),
            **dataset_facts(uow, project, policy=licence_policy(ctx)),
        }
        holding = {e.id: e for e in triggered(cats.risks.entries, facts)}
        existing = {
            f.catalogue_id: f
            for f in uow.findings.of_project(project.id)
            if f.catalogue_id and f.source is not FindingSource.OBLIGATION
        }
        legal = sync_legal_findings(ctx, uow, project, now)
        result = DeriveResult(
            legal.added, legal.reinstated, legal.withdrawn, legal.unchanged, legal.facts_recorded
        )
        for entry_id, entry in holding.items():
            found = existing.get(entry_id)
            if found is None:
                priority = cats.priority.priority(entry.severity, entry.likelihood)
                added = uow.findings.add(_new(project, entry, priority, now))
                _record(
                    ctx,
                    uow,
                    added,
                    "derived",
                    catalogue_id=entry_id,
                    priority=priority.value,
                    catalogue_version=cats.risks.version,
                )
                result.added.append(added.id)
            elif found.status is FindingStatus.WITHDRAWN:
                uow.findings.update(found.id, status=FindingStatus.OPEN)
                _record(ctx, uow, found, "reinstated", catalogue_id=entry_id)
                result.reinstated.append(found.id)
            else:
                result.unchanged.append(found.id)
        for catalogue_id, found in existing.items():
            if (
                catalogue_id not in holding
                and found.source is FindingSource.DERIVED
                and found.status in (FindingStatus.OPEN, FindingStatus.RESOLVED)
            ):
                uow.findings.update(found.id, status=FindingStatus.WITHDRAWN)
                _record(
                    ctx,
                    uow,
                    found,
                    "withdrawn",
                    catalogue_id=catalogue_id,
                    reason="its trigger no longer holds for the current profile",
                )
                result.withdrawn.append(found.id)
    return result


def add_finding(
    ctx: ServiceContext,
    project_ref: str | int,
    *,
    category: str,
    title: str,
    description: str = "",
    severity: int,
    likelihood: int,
    title_ko: str = "",
    description_ko: str = "",
) -> Finding:
    """A finding the task force raises by hand."""
    kind = parse_enum(FindingCategory, category, field="--category")
    sev = parse_level(severity, field="--severity")
    lik = parse_level(likelihood, field="--likelihood")
    if not title.strip():
        raise InvalidInputError("--title: must not be empty", ko="--title: 비워 둘 수 없습니다")
    priority = ctx.catalogues().priority.priority(sev, lik)
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        finding = uow.findings.add(
            Finding(
                id=0,
                project_id=project.id,
                source=FindingSource.MANUAL,
                catalogue_id=None,
                category=kind,
                title_en=title.strip(),
                title_ko=title_ko.strip(),
                description_en=description.strip(),
                description_ko=description_ko.strip(),
                severity=sev,
                likelihood=lik,
                priority=priority,
                status=FindingStatus.OPEN,
                created_at=ctx.clock(),
            )
        )
        _record(
            ctx,
            uow,
            finding,
            "added",
            category=kind.value,
            title=finding.title_en,
            severity=sev,
            likelihood=lik,
            priority=priority.value,
        )
    return finding


def list_findings(ctx: ServiceContext, project_ref: str | int) -> tuple[Project, list[Finding]]:
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        return project, uow.findings.of_project(project.id)


def _open_for_change(finding: Finding) -> None:
    if not finding.is_open:
        raise ConflictError(
            f"finding {finding.id} is {finding.status.value}; it cannot change",
            ko=f"문제 {finding.id}의 상태는 {finding.status.value}입니다. 더는 바꿀 수 없습니다",
        )


def assign_finding(
    ctx: ServiceContext, project_ref: str | int, finding_id: int, *, owner: str, due: date
) -> Finding:
    """Give a finding an owner on the task force and a due date."""
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        finding = _finding(uow, project, finding_id)
        _open_for_change(finding)
        member = resolve_member(uow, project, owner)
        uow.findings.update(finding.id, owner_member_id=member.id, due_date=due)
        _record(ctx, uow, finding, "assigned", owner_member_id=member.id, due=due.isoformat())
        return _finding(uow, project, finding_id)


def plan_finding(
    ctx: ServiceContext,
    project_ref: str | int,
    finding_id: int,
    *,
    mitigations: list[str],
    text: str,
) -> Finding:
    """Choose mitigations from the catalogue and describe the plan."""
    known = {m.id for m in ctx.catalogues().mitigations.entries}
    unknown = [m for m in mitigations if m not in known]
    if unknown:
        raise InvalidInputError(
            f"--mitigation: not in the mitigation catalogue: {', '.join(unknown)}",
            ko=f"--mitigation: 개선 조치 카탈로그에 없습니다: {', '.join(unknown)}",
        )
    if not mitigations and not text.strip():
        raise InvalidInputError(
            "a plan needs at least one --mitigation or a --text",
            ko="해결 계획에는 --mitigation이나 --text가 하나 이상 필요합니다",
        )
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        finding = _finding(uow, project, finding_id)
        _open_for_change(finding)
        uow.findings.update(finding.id, plan_mitigations=mitigations, plan_text=text.strip())
        _record(ctx, uow, finding, "planned", mitigations=mitigations, text=text.strip())
        return _finding(uow, project, finding_id)


def _check_record(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(
            f"--record {path}: cannot be read ({type(exc).__name__})",
            ko=f"--record {path}: 읽을 수 없습니다({type(exc).__name__})",
        ) from None
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"--record {path}: not JSON (line {exc.lineno})",
            ko=f"--record {path}: JSON이 아닙니다({exc.lineno}번째 줄)",
        ) from None
    try:
        record = CheckRecord.model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(
            describe_validation_error(path, data, exc),
            ko=describe_validation_error(path, data, exc, lang="ko"),
        ) from None
    return record.model_dump(mode="json", by_alias=True)


def add_evidence(
    ctx: ServiceContext,
    project_ref: str | int,
    finding_id: int,
    *,
    file: Path | None = None,
    url: str | None = None,
    record: Path | None = None,
    note: str = "",
) -> Evidence:
    """Attach one piece of evidence: a file, a URL with a note, or a check record."""
    given = [x for x in (file, url, record) if x is not None]
    if len(given) != 1:
        raise InvalidInputError(
            "give exactly one of --file, --url or --record",
            ko="--file, --url, --record 중 정확히 하나를 지정하세요",
        )
    now = ctx.clock()
    fields: dict[str, Any] = {}
    if file is not None:
        if not file.is_file():
            raise InvalidInputError(
                f"--file {file}: no such file", ko=f"--file {file}: 그런 파일이 없습니다"
            )
        policy = ctx.evidence_policy()
        with file.open("rb") as handle:
            head = handle.read(4096)
        media = policy.check(file.name, file.stat().st_size, head)
        sha, size = ctx.blobs().put(file, max_bytes=policy.max_bytes)
        if not sha:
            raise InvalidInputError(
                f"--file {file}: over the evidence limit of {policy.max_bytes} bytes",
                ko=f"--file {file}: 증빙 한도 {policy.max_bytes}바이트를 넘습니다",
            )
        fields = {
            "type": EvidenceType.FILE,
            "sha256": sha,
            "filename": file.name[:255],
            "media_type": media,
            "size_bytes": size,
        }
    elif url is not None:
        if not url.startswith(("https://", "http://")) or len(url) > _MAX_URL or " " in url:
            raise InvalidInputError(
                f"--url: {url[:80]!r} is not an http(s) URL",
                ko=f"--url: {url[:80]!r}은(는) http(s) URL이 아닙니다",
            )
        if not note.strip():
            raise InvalidInputError(
                "--note: say what the URL shows",
                ko="--note: 이 URL이 무엇을 보여 주는지 적어 주세요",
            )
        fields = {"type": EvidenceType.URL, "url": url}
    else:
        assert record is not None
        fields = {"type": EvidenceType.CHECK_RECORD, "record": _check_record(record)}
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        finding = _finding(uow, project, finding_id)
        _open_for_change(finding)
        evidence = uow.findings.add_evidence(
            Evidence(
                id=0,
                finding_id=finding.id,
                note=note.strip(),
                added_by=ctx.actor,
                added_at=now,
                **fields,
            )
        )
        _record(
            ctx,
            uow,
            finding,
            "evidence_added",
            evidence_id=evidence.id,
            type=evidence.type.value,
            sha256=evidence.sha256,
            url=evidence.url,
            note=evidence.note,
        )
        return evidence


def resolve_finding(
    ctx: ServiceContext, project_ref: str | int, finding_id: int, *, note: str
) -> Finding:
    """Mark a finding resolved; refused without evidence."""
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        finding = _finding(uow, project, finding_id)
        if finding.status is not FindingStatus.OPEN:
            raise ConflictError(
                f"finding {finding.id} is {finding.status.value}, not open",
                ko=(
                    f"문제 {finding.id}의 상태는 {finding.status.value}입니다. "
                    "미해결(open) 상태가 아닙니다"
                ),
            )
        if not finding.evidence:
            raise ConflictError(
                f"finding {finding.id} has no evidence; attach a file, a URL or a check "
                "record first",
                ko=(
                    f"문제 {finding.id}에 증빙이 없습니다. 먼저 "
                    "파일, URL 또는 점검 기록을 첨부하세요"
                ),
            )
        uow.findings.update(finding.id, status=FindingStatus.RESOLVED, resolution_note=note.strip())
        _record(
            ctx,
            uow,
            finding,
            "resolved",
            note=note.strip(),
            evidence=[e.id for e in finding.evidence],
        )
        return _finding(uow, project, finding_id)


def _decision(
    uow: UnitOfWork, project_ref: str | int, finding_id: int, member: str, action: str
) -> tuple[Project, Finding, Member]:
    """Load what a decision needs and check the member may take it."""
    project = resolve_project(uow, project_ref)
    finding = _finding(uow, project, finding_id)
    who = resolve_member(uow, project, member)
    check_decider(finding, who, action=action)
    return project, finding, who


_VERB_KO = {"verified": "이행 확인할 수 있습니다", "rejected": "반려할 수 있습니다"}


def _require_resolved(finding: Finding, verb: str) -> None:
    if finding.status is not FindingStatus.RESOLVED:
        raise ConflictError(
            f"finding {finding.id} is {finding.status.value}; only a resolved finding is {verb}",
            ko=(
                f"문제 {finding.id}의 상태는 {finding.status.value}입니다. "
                f"해결된 문제만 {_VERB_KO.get(verb, verb)}"
            ),
        )


def verify_finding(
    ctx: ServiceContext, project_ref: str | int, finding_id: int, *, member: str
) -> Finding:
    """An ethics member who does not own the finding confirms the fix."""
    with ctx.store.unit_of_work() as uow:
        project, finding, who = _decision(uow, project_ref, finding_id, member, "verify")
        _require_resolved(finding, "verified")
        uow.findings.update(
            finding.id,
            status=FindingStatus.VERIFIED,
            decided_by_member_id=who.id,
            decided_at=ctx.clock(),
        )
        _record(ctx, uow, finding, "verified", member_id=who.id)
        return _finding(uow, project, finding_id)


def reject_finding(
    ctx: ServiceContext, project_ref: str | int, finding_id: int, *, member: str, reason: str
) -> Finding:
    """Send a resolved finding back to open, with the reason."""
    if not reason.strip():
        raise InvalidInputError(
            "--reason: say why the resolution is rejected",
            ko="--reason: 해결을 반려하는 이유를 적어 주세요",
        )
    with ctx.store.unit_of_work() as uow:
        project, finding, who = _decision(uow, project_ref, finding_id, member, "reject")
        _require_resolved(finding, "rejected")
        uow.findings.update(finding.id, status=FindingStatus.OPEN, rationale=reason.strip())
        _record(ctx, uow, finding, "rejected", member_id=who.id, reason=reason.strip())
        return _finding(uow, project, finding_id)


def accept_finding(
    ctx: ServiceContext, project_ref: str | int, finding_id: int, *, member: str, rationale: str
) -> Finding:
    """Accept a P3 finding as a known limitation, with the rationale."""
    if not rationale.strip():
        raise InvalidInputError(
            "--rationale: say why the limitation is acceptable",
            ko="--rationale: 이 한계를 수용할 수 있는 이유를 적어 주세요",
        )
    with ctx.store.unit_of_work() as uow:
        project, finding, who = _decision(uow, project_ref, finding_id, member, "accept")
        if finding.priority.value != "P3":
            raise ConflictError(
                f"finding {finding.id} is {finding.priority.value}; only P3 findings may be "
                "accepted as limitations",
                ko=(
                    f"문제 {finding.id}의 우선순위는 {finding.priority.value}입니다. "
                    "P3 문제만 한계로 수용할 수 있습니다"
                ),
            )
        _open_for_change(finding)
        uow.findings.update(
            finding.id,
            status=FindingStatus.ACCEPTED,
            rationale=rationale.strip(),
            decided_by_member_id=who.id,
            decided_at=ctx.clock(),
        )
        _record(ctx, uow, finding, "accepted", member_id=who.id, rationale=rationale.strip())
        return _finding(uow, project, finding_id)
