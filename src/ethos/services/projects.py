"""Use cases for projects and their task forces."""

from __future__ import annotations

from ethos.domain.errors import ConflictError, InvalidInputError
from ethos.domain.projects import LifecycleStage, Member, Project, ProjectType, Role, parse_enum
from ethos.knowledge.questionnaires import DEFAULT_QUESTIONNAIRE
from ethos.services.context import ServiceContext, resolve_project

__all__ = ["add_member", "create_project", "get_project", "list_members", "list_projects"]

_MAX_NAME = 200


def _clean_name(value: str, *, field: str) -> str:
    name = value.strip()
    if not name:
        raise InvalidInputError(f"{field}: must not be empty", ko=f"{field}: 비워 둘 수 없습니다")
    if len(name) > _MAX_NAME:
        raise InvalidInputError(
            f"{field}: longer than {_MAX_NAME} characters", ko=f"{field}: {_MAX_NAME}자보다 깁니다"
        )
    if name.isdigit():
        raise InvalidInputError(
            f"{field}: {name!r} is all digits, which would read as an id",
            ko=f"{field}: {name!r}은(는) 숫자로만 되어 있어 id로 읽힙니다",
        )
    return name


def create_project(
    ctx: ServiceContext,
    *,
    name: str,
    type: str,
    purpose: str = "",
    description: str = "",
    lifecycle_stage: str = LifecycleStage.PLANNING.value,
    questionnaire_id: str = DEFAULT_QUESTIONNAIRE,
) -> Project:
    """Register a project; it is profiled against the newest questionnaire version."""
    clean = _clean_name(name, field="--name")
    project_type = parse_enum(ProjectType, type, field="--type")
    stage = parse_enum(LifecycleStage, lifecycle_stage, field="--stage")
    questionnaire = ctx.questionnaires.latest(questionnaire_id)
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        if uow.projects.by_name(clean) is not None:
            raise ConflictError(
                f"--name: a project named {clean!r} already exists",
                ko=f"--name: 이름이 {clean!r}인 과제가 이미 있습니다",
            )
        project = uow.projects.add(
            Project(
                id=0,
                name=clean,
                description=description.strip(),
                purpose=purpose.strip(),
                type=project_type,
                lifecycle_stage=stage,
                created_by=ctx.actor,
                created_at=now,
                questionnaire_id=questionnaire.id,
                questionnaire_version=questionnaire.version,
            )
        )
        uow.record(
            at=now,
            actor=ctx.actor,
            action="project.created",
            subject=f"project:{project.id}",
            payload={
                "name": project.name,
                "type": project.type.value,
                "purpose": project.purpose,
                "description": project.description,
                "lifecycle_stage": project.lifecycle_stage.value,
                "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
            },
        )
    return project


def add_member(ctx: ServiceContext, project_ref: str | int, *, name: str, role: str) -> Member:
    """Put a person on a project's task force with a role."""
    clean = _clean_name(name, field="--name")
    member_role = parse_enum(Role, role, field="--role")
    now = ctx.clock()
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        if any(m.name == clean for m in uow.members.of_project(project.id)):
            raise ConflictError(
                f"--name: {clean!r} is already on the task force of {project.name!r}",
                ko=f"--name: {clean!r}은(는) 이미 과제 {project.name!r}의 TF 구성원입니다",
            )
        member = uow.members.add(project.id, clean, member_role, now)
        uow.record(
            at=now,
            actor=ctx.actor,
            action="member.added",
            subject=f"project:{project.id}",
            payload={"member_id": member.id, "name": member.name, "role": member.role.value},
        )
    return member


def get_project(ctx: ServiceContext, project_ref: str | int) -> Project:
    """One project by id or name."""
    with ctx.store.unit_of_work() as uow:
        return resolve_project(uow, project_ref)


def list_projects(ctx: ServiceContext) -> list[Project]:
    """Every project, oldest first."""
    with ctx.store.unit_of_work() as uow:
        return uow.projects.list()


def list_members(ctx: ServiceContext, project_ref: str | int) -> list[Member]:
    """The task force of one project."""
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        return uow.members.of_project(project.id)
