"""Stage 1 use cases: answers, consensus, the profile, and closing the stage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ethos.domain.errors import ConflictError, ContentError, InvalidInputError
from ethos.domain.profile import Answer, Consensus, Profile, compute_profile
from ethos.domain.projects import Member, Project
from ethos.domain.questionnaire import SCORE_MAX, SCORE_MIN, Questionnaire
from ethos.services.context import ServiceContext, resolve_member, resolve_project
from ethos.services.read_models import project_state, read_models
from ethos.store.unit_of_work import UnitOfWork

__all__ = [
    "ProfileView",
    "SheetEntry",
    "close_stage1",
    "load_profile",
    "parse_answer_sheet",
    "pin_questionnaire",
    "project_questionnaire",
    "questionnaire_unchanged",
    "record_consensus",
    "reopen_stage1",
    "stage1_profile",
    "submit_answers",
]

_MAX_COMMENT = 4000


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """One line of an answer sheet before it is checked against a questionnaire."""

    item_id: str
    score: int
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ProfileView:
    """A profile with what is needed to present it."""

    project: Project
    members: list[Member]
    questionnaire: Questionnaire
    profile: Profile


def _score(value: object, *, where: str, where_ko: str = "") -> int:
    where_ko = where_ko or where
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(
            f"{where}: score {value!r} is not a whole number from 1 to 5",
            ko=f"{where_ko}: 점수 {value!r}은(는) 1부터 5까지의 정수가 아닙니다",
        )
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise InvalidInputError(
            f"{where}: score {value} is outside {SCORE_MIN}-{SCORE_MAX}",
            ko=f"{where_ko}: 점수 {value}이(가) {SCORE_MIN}-{SCORE_MAX} 범위를 벗어납니다",
        )
    return value


def _comment(value: object, *, where: str, where_ko: str = "") -> str:
    where_ko = where_ko or where
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError(
            f"{where}: comment must be text", ko=f"{where_ko}: 의견은 텍스트여야 합니다"
        )
    if len(value) > _MAX_COMMENT:
        raise InvalidInputError(
            f"{where}: comment longer than {_MAX_COMMENT} characters",
            ko=f"{where_ko}: 의견이 {_MAX_COMMENT}자보다 깁니다",
        )
    return value.strip()


def parse_answer_sheet(data: Any) -> list[SheetEntry]:
    """Read an answer sheet: a mapping of item id to a score, or to ``{score, comment}``.

    The mapping may also sit under a top-level ``answers`` key.
    """
    if isinstance(data, Mapping) and isinstance(data.get("answers"), Mapping):
        data = data["answers"]
    if not isinstance(data, Mapping) or not data:
        raise InvalidInputError(
            "expected a non-empty mapping of item id to score (1-5)",
            ko="문항 id마다 점수(1-5)를 적은 매핑이 있어야 합니다(비어 있으면 안 됩니다)",
        )
    entries = []
    for key, value in data.items():
        where = f"item {key!r}"
        where_ko = f"문항 {key!r}"
        if not isinstance(key, str):
            raise InvalidInputError(
                f"{where}: item ids are text", ko=f"{where_ko}: 문항 id는 텍스트여야 합니다"
            )
        if isinstance(value, Mapping):
            unknown = set(value) - {"score", "comment"}
            if unknown:
                fields = sorted(map(str, unknown))
                raise InvalidInputError(
                    f"{where}: unknown field(s) {fields}",
                    ko=f"{where_ko}: 알 수 없는 필드 {fields}",
                )
            if "score" not in value:
                raise InvalidInputError(
                    f"{where}: field score is missing", ko=f"{where_ko}: 필드 score가 없습니다"
                )
            entries.append(
                SheetEntry(
                    key,
                    _score(value["score"], where=where, where_ko=where_ko),
                    _comment(value.get("comment"), where=where, where_ko=where_ko),
                )
            )
        else:
            entries.append(SheetEntry(key, _score(value, where=where, where_ko=where_ko)))
    return entries


def project_questionnaire(ctx: ServiceContext, uow: UnitOfWork, project: Project) -> Questionnaire:
    """The questionnaire version the project is on, refused if it changed after use."""
    questionnaire = ctx.questionnaires.get(project.questionnaire_id, project.questionnaire_version)
    recorded = uow.questionnaire_uses.digest(questionnaire.id, questionnaire.version)
    if recorded is not None and recorded != ctx.questionnaires.digest(questionnaire):
        raise ContentError(
            f"questionnaire {questionnaire.id!r} version {questionnaire.version} was edited after "
            "answers referenced it; restore the file and publish the change as a new version "
            "with a migration map",
            ko=(
                f"설문 {questionnaire.id!r} 버전 {questionnaire.version}이(가) 응답이 "
                "참조한 뒤에 수정되었습니다. 파일을 되돌리고, 변경은 마이그레이션 매핑과 함께 "
                "새 버전으로 게시하세요"
            ),
        )
    return questionnaire


def pin_questionnaire(ctx: ServiceContext, uow: UnitOfWork, questionnaire: Questionnaire) -> None:
    """Record the version's digest the first time answers reference it."""
    if uow.questionnaire_uses.digest(questionnaire.id, questionnaire.version) is not None:
        return
    now = ctx.clock()
    digest = ctx.questionnaires.digest(questionnaire)
    uow.questionnaire_uses.record(questionnaire.id, questionnaire.version, digest, now)
    uow.record(
        at=now,
        actor=ctx.actor,
        action="questionnaire.pinned",
        subject=f"questionnaire:{questionnaire.id}:v{questionnaire.version}",
        payload={"digest": digest},
    )


def _require_open(project: Project) -> None:
    if project.stage1_closed_at is not None:
        raise ConflictError(
            f"stage 1 of {project.name!r} is closed; reopen it with `ethos stage1 reopen` first",
            ko=(
                f"과제 {project.name!r}의 1단계가 종료되었습니다. 먼저 "
                "`ethos stage1 reopen`으로 다시 여세요"
            ),
        )


def submit_answers(
    ctx: ServiceContext, project_ref: str | int, *, member: str | int, entries: list[SheetEntry]
) -> int:
    """Store a member's answers (all or nothing); return how many were stored."""
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        _require_open(project)
        who = resolve_member(uow, project, member)
        questionnaire = project_questionnaire(ctx, uow, project)
        known = {i.id for i in questionnaire.items}
        unknown = [e.item_id for e in entries if e.item_id not in known]
        if unknown:
            raise InvalidInputError(
                f"unknown item(s) for questionnaire {questionnaire.id!r} version "
                f"{questionnaire.version}: {', '.join(unknown)}",
                ko=(
                    f"설문 {questionnaire.id!r} 버전 {questionnaire.version}에 없는 "
                    f"문항: {', '.join(unknown)}"
                ),
            )
        pin_questionnaire(ctx, uow, questionnaire)
        changed: dict[str, dict[str, Any]] = {}
        for entry in entries:
            answer = Answer(who.id, entry.item_id, entry.score, entry.comment)
            previous = uow.answers.put(
                project.id, questionnaire.id, questionnaire.version, answer, now
            )
            changed[entry.item_id] = {"score": entry.score, "comment": entry.comment}
            if previous is not None:
                changed[entry.item_id]["previous"] = previous
        uow.record(
            at=now,
            actor=ctx.actor,
            action="answers.submitted",
            subject=f"project:{project.id}",
            payload={
                "member_id": who.id,
                "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
                "answers": changed,
            },
        )
    return len(entries)


def record_consensus(
    ctx: ServiceContext, project_ref: str | int, *, item: str, score: int, note: str
) -> Consensus:
    """Record the score the task force agreed on for an item, with the reason."""
    checked = _score(score, where=f"--score for item {item!r}", where_ko=f"문항 {item!r}의 --score")
    text = _comment(note, where="--note")
    if not text:
        raise InvalidInputError(
            "--note: say how the task force reached the score",
            ko="--note: TF가 이 점수에 어떻게 합의했는지 적어 주세요",
        )
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        _require_open(project)
        questionnaire = project_questionnaire(ctx, uow, project)
        if item not in {i.id for i in questionnaire.items}:
            raise InvalidInputError(
                f"--item: {item!r} is not an item of questionnaire {questionnaire.id!r} "
                f"version {questionnaire.version}",
                ko=(
                    f"--item: {item!r}은(는) 설문 {questionnaire.id!r} "
                    f"버전 {questionnaire.version}의 문항이 아닙니다"
                ),
            )
        pin_questionnaire(ctx, uow, questionnaire)
        consensus = Consensus(item_id=item, score=checked, note=text, recorded_by=ctx.actor)
        uow.consensus.put(project.id, questionnaire.id, questionnaire.version, consensus, now)
        uow.record(
            at=now,
            actor=ctx.actor,
            action="consensus.recorded",
            subject=f"project:{project.id}",
            payload={
                "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
                "item": item,
                "score": checked,
                "note": text,
            },
        )
    return consensus


def load_profile(ctx: ServiceContext, uow: UnitOfWork, project_ref: str | int) -> ProfileView:
    """The profile of a project within an open unit of work."""
    project = resolve_project(uow, project_ref)
    questionnaire = project_questionnaire(ctx, uow, project)
    members = uow.members.of_project(project.id)
    answers = uow.answers.of_project(project.id, questionnaire.id, questionnaire.version)
    consensus = uow.consensus.of_project(project.id, questionnaire.id, questionnaire.version)
    profile = compute_profile(questionnaire, members, answers, consensus)
    return ProfileView(project, members, questionnaire, profile)


def stage1_profile(ctx: ServiceContext, project_ref: str | int) -> ProfileView:
    """The project's current stage-1 profile.

    Kept per state of the project's records (:mod:`ethos.services.read_models`) and per
    loaded questionnaire, so it is computed again only after a change or an edited file.
    """
    with ctx.store.unit_of_work() as uow:
        text = str(project_ref).strip()
        if not text.isdigit():
            return load_profile(ctx, uow, project_ref)
        project_id = int(text)
        state = project_state(uow, project_id)  # first: the models are as new as the key
        if state is None:  # no event about it: no such project (or one not yet audited)
            return load_profile(ctx, uow, project_id)
        key = ("stage1_profile", state, project_id, ctx.questionnaires.root)
        view = read_models(ctx.store).get_or_compute(
            key, lambda: load_profile(ctx, uow, project_id)
        )
        if not questionnaire_unchanged(ctx, view):  # the file changed: check, compute again
            return load_profile(ctx, uow, project_id)
        return view


def questionnaire_unchanged(ctx: ServiceContext, view: ProfileView) -> bool:
    """Whether the questionnaire ``view`` was computed with is still the one loaded from its
    file (the library loads a file again when it changes), so a kept profile still holds."""
    project = view.project
    current = ctx.questionnaires.get(project.questionnaire_id, project.questionnaire_version)
    return current is view.questionnaire


def close_stage1(ctx: ServiceContext, project_ref: str | int) -> ProfileView:
    """Close stage 1; refused while a role is missing, an item unanswered or a flag open."""
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        view = load_profile(ctx, uow, project_ref)
        _require_open(view.project)
        profile = view.profile
        if not profile.stage1_complete:
            reasons, reasons_ko = [], []
            if profile.missing_roles:
                roles = ", ".join(r.value for r in profile.missing_roles)
                reasons.append(f"no task-force member with role {roles}")
                reasons_ko.append(f"역할이 {roles}인 TF 구성원이 없습니다")
            for role, items in profile.unanswered.items():
                if items:
                    reasons.append(f"{len(items)} item(s) for {role.value} unanswered")
                    reasons_ko.append(f"{role.value} 문항 {len(items)}개에 응답이 없습니다")
            if profile.awaiting_consensus:
                waiting = ", ".join(profile.awaiting_consensus)
                reasons.append(f"no consensus yet on {waiting}")
                reasons_ko.append(f"아직 합의가 없는 문항: {waiting}")
            raise ConflictError(
                f"stage 1 of {view.project.name!r} cannot close: " + "; ".join(reasons),
                ko=f"과제 {view.project.name!r}의 1단계를 종료할 수 없습니다: "
                + "; ".join(reasons_ko),
            )
        uow.projects.set_stage1_closed(view.project.id, now)
        uow.record(
            at=now,
            actor=ctx.actor,
            action="stage1.closed",
            subject=f"project:{view.project.id}",
            payload={
                "questionnaire": {
                    "id": view.questionnaire.id,
                    "version": view.questionnaire.version,
                },
                "dimension_means": {d: s.mean for d, s in profile.dimensions.items()},
                "discuss": profile.discuss,
            },
        )
        return load_profile(ctx, uow, view.project.id)


def reopen_stage1(ctx: ServiceContext, project_ref: str | int, *, reason: str) -> None:
    """Reopen a closed stage 1 so answers can change; the reason is recorded."""
    text = _comment(reason, where="--reason")
    if not text:
        raise InvalidInputError(
            "--reason: say why stage 1 is reopened",
            ko="--reason: 1단계를 다시 여는 이유를 적어 주세요",
        )
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        if project.stage1_closed_at is None:
            raise ConflictError(
                f"stage 1 of {project.name!r} is not closed",
                ko=f"과제 {project.name!r}의 1단계는 종료되지 않았습니다",
            )
        uow.projects.set_stage1_closed(project.id, None)
        uow.record(
            at=now,
            actor=ctx.actor,
            action="stage1.reopened",
            subject=f"project:{project.id}",
            payload={"reason": text},
        )
