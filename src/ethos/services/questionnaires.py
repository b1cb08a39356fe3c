"""Use cases for questionnaire versions: showing them and moving a project to a newer one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ethos.domain.errors import ConflictError, ContentError, InvalidInputError
from ethos.domain.profile import Answer, Consensus, compute_profile
from ethos.domain.questionnaire import Questionnaire
from ethos.services.context import ServiceContext, resolve_project
from ethos.services.stage1 import pin_questionnaire, project_questionnaire

__all__ = ["MigrationResult", "migrate_project", "migration_path", "show_questionnaire"]


@dataclass(frozen=True, slots=True)
class MigrationResult:
    """What moving a project to a newer questionnaire did."""

    project_id: int
    from_version: int
    to_version: int
    carried: int
    carried_consensus: int
    dropped: list[str]
    needs_answer: list[str]


def show_questionnaire(
    ctx: ServiceContext, *, questionnaire_id: str, version: int | None = None
) -> Questionnaire:
    """One version of a questionnaire (the newest by default)."""
    if version is None:
        return ctx.questionnaires.latest(questionnaire_id)
    return ctx.questionnaires.get(questionnaire_id, version)


def migration_path(
    ctx: ServiceContext, questionnaire_id: str, old: int, new: int
) -> dict[str, tuple[str, bool] | None]:
    """Compose the migration maps from version ``old`` to ``new``.

    Returns, for each item of ``old``, its item in ``new`` and whether it must be answered
    anew, or ``None`` when it was dropped on the way.
    """
    steps: list[Questionnaire] = []
    version = new
    while version != old:
        step = ctx.questionnaires.get(questionnaire_id, version)
        if step.migrates_from is None or step.migrates_from.version < old:
            raise ContentError(
                f"questionnaire {questionnaire_id!r}: no migration path from version {old} to "
                f"{new} (version {version} has no map reaching back to {old})",
                ko=(
                    f"설문 {questionnaire_id!r}: 버전 {old}에서 "
                    f"{new}(으)로 옮기는 경로가 없습니다(버전 {version}에 "
                    f"{old}까지 거슬러 가는 매핑이 없습니다)"
                ),
            )
        steps.append(step)
        version = step.migrates_from.version
    start = ctx.questionnaires.get(questionnaire_id, old)
    path: dict[str, tuple[str, bool] | None] = {i.id: (i.id, False) for i in start.items}
    for step in reversed(steps):
        assert step.migrates_from is not None
        for old_id, where in path.items():
            if where is None:
                continue
            target = step.migrates_from.target(where[0])
            path[old_id] = None if target is None else (target.to, where[1] or target.reanswer)
    return path


def migrate_project(
    ctx: ServiceContext, project_ref: str | int, *, to_version: int | None = None
) -> MigrationResult:
    """Carry a project's answers and consensus over to a newer questionnaire version."""
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        current = project_questionnaire(ctx, uow, project)
        target = (
            ctx.questionnaires.latest(current.id)
            if to_version is None
            else ctx.questionnaires.get(current.id, to_version)
        )
        if target.version <= current.version:
            raise InvalidInputError(
                f"--to: project {project.name!r} is on version {current.version}; "
                f"version {target.version} is not newer",
                ko=(
                    f"--to: 과제 {project.name!r}은(는) "
                    f"버전 {current.version}을(를) 쓰고 있습니다. "
                    f"버전 {target.version}은(는) 더 새 버전이 "
                    "아닙니다"
                ),
            )
        if project.stage1_closed_at is not None:
            raise ConflictError(
                f"stage 1 of {project.name!r} is closed; reopen it before migrating its answers",
                ko=(
                    f"과제 {project.name!r}의 1단계가 종료되었습니다. "
                    "응답을 옮기기 전에 1단계를 다시 여세요"
                ),
            )
        path = migration_path(ctx, current.id, current.version, target.version)
        members = uow.members.of_project(project.id)

        by_member: dict[tuple[int, str], list[Answer]] = defaultdict(list)
        for answer in uow.answers.of_project(project.id, current.id, current.version):
            where = path[answer.item_id]
            if where is not None and not where[1]:
                by_member[(answer.member_id, where[0])].append(answer)
        carried = 0
        for (member_id, new_item), olds in by_member.items():
            if len({a.score for a in olds}) == 1:
                merged = Answer(member_id, new_item, olds[0].score, olds[0].comment)
                uow.answers.put(project.id, target.id, target.version, merged, now)
                carried += 1

        agreed: dict[str, list[Consensus]] = defaultdict(list)
        for consensus in uow.consensus.of_project(project.id, current.id, current.version):
            where = path[consensus.item_id]
            if where is not None and not where[1]:
                agreed[where[0]].append(consensus)
        carried_consensus = 0
        for new_item, agreed_before in agreed.items():
            if len({c.score for c in agreed_before}) == 1:
                first = agreed_before[0]
                moved = Consensus(new_item, first.score, first.note, first.recorded_by)
                uow.consensus.put(project.id, target.id, target.version, moved, now)
                carried_consensus += 1

        uow.projects.set_questionnaire(project.id, target.id, target.version)
        pin_questionnaire(ctx, uow, target)
        profile = compute_profile(
            target,
            members,
            uow.answers.of_project(project.id, target.id, target.version),
            uow.consensus.of_project(project.id, target.id, target.version),
        )
        needs = sorted({i for items in profile.unanswered.values() for i in items})
        dropped = sorted(old for old, where in path.items() if where is None)
        uow.record(
            at=now,
            actor=ctx.actor,
            action="questionnaire.migrated",
            subject=f"project:{project.id}",
            payload={
                "questionnaire": current.id,
                "from_version": current.version,
                "to_version": target.version,
                "carried_answers": carried,
                "carried_consensus": carried_consensus,
                "dropped": dropped,
                "needs_answer": needs,
            },
        )
    return MigrationResult(
        project_id=project.id,
        from_version=current.version,
        to_version=target.version,
        carried=carried,
        carried_consensus=carried_consensus,
        dropped=dropped,
        needs_answer=needs,
    )
