"""Use cases for the ethics office's own records (``docs/office.md``).

Records are added from mappings (a YAML or JSON file), one at a time or as a list that is
recorded whole or not at all. They are never edited or deleted: a correction withdraws a
record with a reason and, when replaced, points it to its successor. Every change is an
audit event whose payload holds record ids and kinds only, never the text of a record, so
that no member name reaches the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ethos.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ethos.domain.office import (
    Committee,
    Meeting,
    OfficeKind,
    OfficeRecord,
    OfficeRecordData,
    PolicyWatch,
    RedTeam,
    parse_office_record,
)
from ethos.domain.projects import parse_enum
from ethos.knowledge.frameworks import KnowledgeBase
from ethos.knowledge.loading import read_yaml
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import UnitOfWork

__all__ = [
    "DEMO_OFFICE_FILE",
    "add_record",
    "add_records",
    "get_record",
    "list_records",
    "office_year",
    "replace_record",
    "seed_office_demo",
    "withdraw_record",
]

DEMO_OFFICE_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "demo" / "office.yaml"
_MAX_REASON = 1000
_YEARS = range(1950, 2101)


class _Checker:
    """Resolves names to ids and checks every reference of a record within one transaction."""

    def __init__(self, ctx: ServiceContext, uow: UnitOfWork) -> None:
        self._ctx = ctx
        self._uow = uow
        self._frameworks: KnowledgeBase | None = None

    def frameworks(self) -> KnowledgeBase:
        if self._frameworks is None:
            self._frameworks = self._ctx.legal().frameworks
        return self._frameworks

    def resolve_names(
        self, raw: Mapping[str, Any], lang: str = "en"
    ) -> tuple[dict[str, Any], list[str]]:
        """Project names and committee names given instead of ids, replaced by the ids."""
        data, problems, ko = dict(raw), [], lang == "ko"
        projects = data.get("projects")
        if isinstance(projects, list):
            resolved: list[Any] = []
            for index, ref in enumerate(projects):
                if isinstance(ref, str) and not ref.strip().isdigit():
                    project = self._uow.projects.by_name(ref.strip())
                    if project is None:
                        problems.append(
                            f"필드 projects[{index}]: 이름이 {ref!r}인 과제가 없습니다"
                            if ko
                            else f"field projects[{index}]: no project named {ref!r}"
                        )
                    else:
                        resolved.append(project.id)
                else:
                    resolved.append(ref)
            data["projects"] = resolved
        committee = data.get("committee")
        if data.get("kind") == "meeting" and isinstance(committee, str):
            name = committee.strip()
            if not name.isdigit():
                found = [
                    r.id
                    for r in self._uow.office.list(kind=OfficeKind.COMMITTEE)
                    if isinstance(r.body, Committee) and name in (r.body.name.en, r.body.name.ko)
                ]
                if len(found) == 1:
                    data["committee"] = found[0]
                else:
                    if ko:
                        problems.append(
                            f"필드 committee: 이름이 {name!r}인 위원회 기록이 없습니다"
                            if not found
                            else f"필드 committee: 이름이 {name!r}인 위원회 기록이 "
                            f"{len(found)}개입니다. id를 지정하세요"
                        )
                    else:
                        problems.append(
                            f"field committee: no committee record named {name!r}"
                            if not found
                            else f"field committee: {len(found)} committee records are named "
                            f"{name!r}; give the id"
                        )
        return data, problems

    def references(self, body: OfficeRecordData, lang: str = "en") -> list[str]:
        """What the record refers to that does not exist (or no longer does)."""
        ko = lang == "ko"
        problems = [
            f"필드 projects: id가 {pid}인 과제가 없습니다"
            if ko
            else f"field projects: no project with id {pid}"
            for pid in getattr(body, "projects", [])
            if self._uow.projects.get(pid) is None
        ]
        if isinstance(body, Meeting):
            problems += self._committee(body, lang)
        if isinstance(body, RedTeam) and body.evidence is not None:
            for i, fid in enumerate(body.evidence.findings):
                finding = self._uow.findings.get(fid)
                if finding is None:
                    problems.append(
                        f"필드 evidence.findings[{i}]: id가 {fid}인 문제가 없습니다"
                        if ko
                        else f"field evidence.findings[{i}]: no finding with id {fid}"
                    )
                elif body.projects and finding.project_id not in body.projects:
                    problems.append(
                        f"필드 evidence.findings[{i}]: 문제 {fid}은(는) 과제 "
                        f"{finding.project_id}의 문제이며, 이 과제는 레드팀 점검 "
                        "대상 과제가 아닙니다"
                        if ko
                        else f"field evidence.findings[{i}]: finding {fid} belongs to project "
                        f"{finding.project_id}, which is not among the exercise's projects"
                    )
        if isinstance(body, PolicyWatch):
            problems += [
                f"필드 frameworks[{i}]: 지식 베이스에 프레임워크 노드 {node!r}이(가) 없습니다"
                if ko
                else f"field frameworks[{i}]: no framework node {node!r} in the knowledge base"
                for i, node in enumerate(body.frameworks)
                if not self.frameworks().has(node)
            ]
        return problems

    def _committee(self, meeting: Meeting, lang: str) -> list[str]:
        ko = lang == "ko"
        record = self._uow.office.get(meeting.committee)
        if record is None or not isinstance(record.body, Committee):
            return [
                f"필드 committee: id가 {meeting.committee}인 위원회 기록이 없습니다"
                if ko
                else f"field committee: no committee record with id {meeting.committee}"
            ]
        if record.withdrawn:
            if ko:
                successor = f"(대체 기록: {record.replaced_by})" if record.replaced_by else ""
                return [f"필드 committee: 위원회 기록 {record.id}은(는) 철회되었습니다{successor}"]
            successor = f", replaced by {record.replaced_by}" if record.replaced_by else ""
            return [
                f"field committee: committee record {record.id} was withdrawn{successor}",
            ]
        body = record.body
        if meeting.date < body.established or (
            body.dissolved is not None and meeting.date > body.dissolved
        ):
            if ko:
                term = f"{body.established} ~ {body.dissolved or '현재'}"
                return [f"필드 date: 위원회 기록 {record.id}의 활동 기간({term}) 밖입니다"]
            term = f"{body.established} to {body.dissolved or 'now'}"
            return [f"field date: outside the term of committee record {record.id} ({term})"]
        return []

    def check(self, raw: Any, lang: str = "en") -> tuple[OfficeRecordData | None, list[str]]:
        """The record validated with its references resolved, or the problems found (in
        ``lang``: "ko" gives them in Korean)."""
        if not isinstance(raw, Mapping):
            kinds = ", ".join(k.value for k in OfficeKind)
            if lang == "ko":
                return None, [f"kind가 있는 매핑이어야 합니다({kinds} 중 하나)"]
            return None, [f"expected a mapping with a kind (one of {kinds})"]
        data, problems = self.resolve_names(raw, lang)  # names not found are left out, listed
        try:
            body = parse_office_record(data, source="")
        except InvalidInputError as exc:
            lines = [line.removeprefix(": ") for line in exc.text(lang).splitlines()]
            named = {_field_of(p) for p in problems}  # already said: not found by name
            return None, problems + [x for x in lines if _field_of(x) not in named]
        problems += self.references(body, lang)
        return (None if problems else body), problems


def _field_of(problem: str) -> str:
    """The field a problem line names: "field X: ..." or, in Korean, "필드 X: ..."."""
    return problem.split(":", 1)[0].removeprefix("field ").removeprefix("필드 ")


def _where(source: str, number: int | None, raw: Any, lang: str = "en") -> str:
    if number is None:
        return source
    kind = raw.get("kind") if isinstance(raw, Mapping) else None
    label = f" ({kind})" if isinstance(kind, str) and kind in set(OfficeKind) else ""
    return f"{source}: {'기록' if lang == 'ko' else 'record'} {number}{label}"


def add_records(ctx: ServiceContext, data: Any, *, source: str = "records") -> list[OfficeRecord]:
    """Record one record (a mapping) or several (a list) in one transaction.

    Nothing is recorded unless every record is valid; the error lists every problem, each
    naming ``source``, the record's position in the list and the field. A meeting may name
    its committee, and any record its projects, by exact name instead of id; a committee
    added earlier in the same list can be named this way.
    """
    items = list(data) if isinstance(data, list) else [data]
    if not items:
        raise InvalidInputError(
            f"{source}: the list holds no records", ko=f"{source}: 목록에 기록이 없습니다"
        )
    numbered = isinstance(data, list)
    now = ctx.clock()
    problems: list[str] = []
    problems_ko: list[str] = []
    ids: list[int] = []
    with ctx.store.unit_of_work() as uow:
        checker = _Checker(ctx, uow)
        for number, raw in enumerate(items, start=1):
            body, found = checker.check(raw)
            where = _where(source, number if numbered else None, raw)
            problems += [f"{where}: {p}" for p in found]
            if found:  # the same check in Korean, at the same point of the list
                where_ko = _where(source, number if numbered else None, raw, "ko")
                problems_ko += [f"{where_ko}: {p}" for p in checker.check(raw, "ko")[1]]
            if body is None or found:
                continue  # later records are still checked, so every problem is reported
            record_id = uow.office.add(body, created_by=ctx.actor, created_at=now).id
            ids.append(record_id)
            uow.record(
                at=now,
                actor=ctx.actor,
                action="office.add",
                subject=f"office:{record_id}",
                payload={"id": record_id, "kind": body.kind},
            )
        if problems:
            # rolls back whatever was added
            raise InvalidInputError("\n".join(problems), ko="\n".join(problems_ko))
        added = [uow.office.get(i) for i in ids]
    return [r for r in added if r is not None]


def add_record(
    ctx: ServiceContext, data: Mapping[str, Any], *, source: str = "record"
) -> OfficeRecord:
    """Record one record given as a mapping (see :func:`add_records`)."""
    if not isinstance(data, Mapping):
        raise InvalidInputError(
            f"{source}: expected a mapping with a kind",
            ko=f"{source}: kind가 있는 매핑이어야 합니다",
        )
    return add_records(ctx, data, source=source)[0]


def get_record(ctx: ServiceContext, record_id: int) -> OfficeRecord:
    """The record with ``record_id``, withdrawn or not."""
    with ctx.store.unit_of_work() as uow:
        record = uow.office.get(record_id)
    if record is None:
        raise NotFoundError(
            f"office record {record_id} not found",
            ko=f"사무국 기록 {record_id}을(를) 찾을 수 없습니다",
        )
    return record


def _year(year: int | None) -> int | None:
    if year is not None and year not in _YEARS:
        raise InvalidInputError(
            f"--year: {year} is outside {_YEARS[0]}-{_YEARS[-1]}",
            ko=f"--year: {year}은(는) {_YEARS[0]}-{_YEARS[-1]} 범위를 벗어납니다",
        )
    return year


def list_records(
    ctx: ServiceContext,
    *,
    kind: str | OfficeKind | None = None,
    year: int | None = None,
    include_withdrawn: bool = False,
) -> list[OfficeRecord]:
    """Records, oldest first: of one kind, active in one year, withdrawn ones only if asked.

    A record is active in a year when its activity falls in it; a body or partnership
    that has not ended counts in every year from its start.
    """
    chosen = parse_enum(OfficeKind, str(kind), field="--kind") if kind is not None else None
    with ctx.store.unit_of_work() as uow:
        return uow.office.list(kind=chosen, year=_year(year), include_withdrawn=include_withdrawn)


def office_year(ctx: ServiceContext, year: int) -> dict[OfficeKind, list[OfficeRecord]]:
    """The records active in ``year`` that stand (not withdrawn), by kind, oldest first;
    every kind is a key, with an empty list when there is nothing."""
    records = list_records(ctx, year=year)
    return {kind: [r for r in records if r.kind is kind] for kind in OfficeKind}


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise InvalidInputError(
            "--reason: say why the record is withdrawn",
            ko="--reason: 기록을 철회하는 이유를 적어 주세요",
        )
    if len(text) > _MAX_REASON:
        raise InvalidInputError(
            f"--reason: longer than {_MAX_REASON} characters",
            ko=f"--reason: {_MAX_REASON}자보다 깁니다",
        )
    return text


def _standing(uow: UnitOfWork, record_id: int) -> OfficeRecord:
    record = uow.office.get(record_id)
    if record is None:
        raise NotFoundError(
            f"office record {record_id} not found",
            ko=f"사무국 기록 {record_id}을(를) 찾을 수 없습니다",
        )
    if record.withdrawn:
        raise ConflictError(
            f"office record {record_id} was already withdrawn",
            ko=f"사무국 기록 {record_id}은(는) 이미 철회되었습니다",
        )
    return record


def withdraw_record(ctx: ServiceContext, record_id: int, *, reason: str) -> OfficeRecord:
    """Withdraw a record (it stays, marked withdrawn with the reason)."""
    text = _reason(reason)
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        record = _standing(uow, record_id)
        if not uow.office.withdraw(record_id, reason=text, at=now):
            raise ConflictError(
                f"office record {record_id} was withdrawn at the same time",
                ko=f"사무국 기록 {record_id}이(가) 같은 시각에 철회되었습니다",
            )
        uow.record(
            at=now,
            actor=ctx.actor,
            action="office.withdraw",
            subject=f"office:{record_id}",
            payload={"id": record_id, "kind": record.kind.value},
        )
        withdrawn = uow.office.get(record_id)
    assert withdrawn is not None
    return withdrawn


def replace_record(
    ctx: ServiceContext,
    record_id: int,
    data: Mapping[str, Any],
    *,
    reason: str,
    source: str = "record",
) -> tuple[OfficeRecord, OfficeRecord]:
    """Withdraw a record and add its corrected version, in one transaction.

    Returns the withdrawn record (pointing to its successor) and the new one. The new
    record must be of the same kind.
    """
    text = _reason(reason)
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        old = _standing(uow, record_id)
        if isinstance(data, Mapping) and data.get("kind") not in (None, old.kind.value):
            raise InvalidInputError(
                f"{source}: field kind: a {old.kind.value} record is replaced by a "
                f"{old.kind.value} record",
                ko=(
                    f"{source}: 필드 kind: {old.kind.value} "
                    f"기록은 {old.kind.value} 기록으로만 대체할 "
                    "수 있습니다"
                ),
            )
        checker = _Checker(ctx, uow)
        body, problems = checker.check(data)
        if body is None or problems:
            raise InvalidInputError(
                "\n".join(f"{source}: {p}" for p in problems),
                ko="\n".join(f"{source}: {p}" for p in checker.check(data, "ko")[1]),
            )
        new_id = uow.office.add(body, created_by=ctx.actor, created_at=now).id
        if not uow.office.withdraw(record_id, reason=text, at=now, replaced_by=new_id):
            raise ConflictError(
                f"office record {record_id} was withdrawn at the same time",
                ko=f"사무국 기록 {record_id}이(가) 같은 시각에 철회되었습니다",
            )
        uow.record(
            at=now,
            actor=ctx.actor,
            action="office.replace",
            subject=f"office:{record_id}",
            payload={"id": record_id, "kind": old.kind.value, "replaced_by": new_id},
        )
        uow.record(
            at=now,
            actor=ctx.actor,
            action="office.add",
            subject=f"office:{new_id}",
            payload={"id": new_id, "kind": body.kind, "replaces": record_id},
        )
        withdrawn, added = uow.office.get(record_id), uow.office.get(new_id)
    assert withdrawn is not None
    assert added is not None
    return withdrawn, added


def seed_office_demo(ctx: ServiceContext, path: Path | None = None) -> list[OfficeRecord]:
    """Add the demo organisation's office records for 2026 (or those in ``path``).

    Call it after the demo projects exist: the records name them.
    """
    file = path or DEMO_OFFICE_FILE
    return add_records(ctx, read_yaml(file), source=str(file))
