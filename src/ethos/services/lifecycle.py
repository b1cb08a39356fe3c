"""Moving a project through its lifecycle, behind the gates its findings set."""

from __future__ import annotations

from ethos.domain.errors import ConflictError
from ethos.domain.findings import LIFECYCLE_ORDER, blocking_findings
from ethos.domain.projects import LifecycleStage, Project, parse_enum
from ethos.services.context import ServiceContext, resolve_project

__all__ = ["advance_project"]


def advance_project(ctx: ServiceContext, project_ref: str | int, *, to: str) -> Project:
    """Move a project forward to ``to``.

    Refused, listing what blocks: going backwards; leaving planning before stage 1 is closed;
    any open P1 finding; reaching release with an open P1 or P2. Retiring is always allowed.
    """
    target = parse_enum(LifecycleStage, to, field="--to")
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        current = project.lifecycle_stage
        if LIFECYCLE_ORDER.index(target) <= LIFECYCLE_ORDER.index(current):
            raise ConflictError(
                f"--to: {project.name!r} is in {current.value}; "
                f"{target.value} is not a later stage",
                ko=(
                    f"--to: 과제 {project.name!r}은(는) "
                    f"{current.value} 단계에 있습니다. {target.value}은(는) "
                    "이후 단계가 아닙니다"
                ),
            )
        if target is not LifecycleStage.RETIRED and project.stage1_closed_at is None:
            raise ConflictError(
                f"{project.name!r} cannot advance: stage 1 of its assessment is not closed",
                ko=(
                    f"과제 {project.name!r}은(는) 다음 단계로 "
                    "넘어갈 수 없습니다: 평가 1단계가 종료되지 않았습니다"
                ),
            )
        blocking = blocking_findings(uow.findings.of_project(project.id), target)
        if blocking:
            listed = "; ".join(
                f"#{f.id} {f.priority.value} {f.status.value}: {f.title_en}" for f in blocking
            )
            raise ConflictError(
                f"{project.name!r} cannot move to {target.value} while these findings are open: "
                f"{listed}",
                ko=(
                    f"과제 {project.name!r}은(는) 다음 미해결 "
                    f"문제가 있어 {target.value} 단계로 옮길 수 "
                    f"없습니다: {listed}"
                ),
            )
        uow.projects.set_stage(project.id, target)
        uow.record(
            at=ctx.clock(),
            actor=ctx.actor,
            action="project.advanced",
            subject=f"project:{project.id}",
            payload={"from": current.value, "to": target.value},
        )
        advanced = uow.projects.get(project.id)
        assert advanced is not None
        return advanced
