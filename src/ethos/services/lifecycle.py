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
                f"--to: {project.name!r} is in {current.value}; {target.value} is not a later stage"
            )
        if target is not LifecycleStage.RETIRED and project.stage1_closed_at is None:
            raise ConflictError(
                f"{project.name!r} cannot advance: stage 1 of its assessment is not closed"
            )
        blocking = blocking_findings(uow.findings.of_project(project.id), target)
        if blocking:
            listed = "; ".join(
                f"#{f.id} {f.priority.value} {f.status.value}: {f.title_en}" for f in blocking
            )
            raise ConflictError(
                f"{project.name!r} cannot move to {target.value} while these findings are open: "
                f"{listed}"
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
