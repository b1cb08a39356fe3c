"""``ethos project`` and ``ethos member``."""

from __future__ import annotations

import typer

from ethos.cli.app import emit_json, state
from ethos.cli.formats import OutputFormat
from ethos.domain.projects import LifecycleStage, Project
from ethos.services import projects as service

__all__ = ["member_app", "project_app"]

project_app = typer.Typer(help="Register and list AI projects.", no_args_is_help=True)
member_app = typer.Typer(help="Manage a project's task force.", no_args_is_help=True)

FORMAT = typer.Option(OutputFormat.TEXT, "--format", help="text or json")


def _project_dict(p: Project) -> dict[str, object]:
    return {
        "id": p.id,
        "name": p.name,
        "type": p.type.value,
        "purpose": p.purpose,
        "description": p.description,
        "lifecycle_stage": p.lifecycle_stage.value,
        "created_by": p.created_by,
        "created_at": p.created_at.isoformat(),
        "questionnaire": {"id": p.questionnaire_id, "version": p.questionnaire_version},
        "stage1_closed_at": p.stage1_closed_at.isoformat() if p.stage1_closed_at else None,
    }


@project_app.command("create")
def create(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name", help="Unique project name."),
    type: str = typer.Option(
        ..., "--type", help="basic_research, applied_research or product_development."
    ),
    purpose: str = typer.Option("", "--purpose", help="What the AI system is for."),
    description: str = typer.Option("", "--description"),
    stage: str = typer.Option(LifecycleStage.PLANNING.value, "--stage", help="Lifecycle stage."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Register a project (profiled against the newest questionnaire)."""
    project = service.create_project(
        state(ctx).context(),
        name=name,
        type=type,
        purpose=purpose,
        description=description,
        lifecycle_stage=stage,
    )
    if fmt is OutputFormat.JSON:
        emit_json({"id": project.id})
    else:
        typer.echo(f"created project {project.id}: {project.name}")


@project_app.command("list")
def list_(ctx: typer.Context, fmt: OutputFormat = FORMAT) -> None:
    """List projects."""
    projects = service.list_projects(state(ctx).context())
    if fmt is OutputFormat.JSON:
        emit_json([_project_dict(p) for p in projects])
        return
    for p in projects:
        typer.echo(f"{p.id:>4}  {p.name}  [{p.type.value}, {p.lifecycle_stage.value}]")


@project_app.command("show")
def show(ctx: typer.Context, project: str, fmt: OutputFormat = FORMAT) -> None:
    """Show one project and its task force."""
    context = state(ctx).context()
    found = service.get_project(context, project)
    members = service.list_members(context, found.id)
    if fmt is OutputFormat.JSON:
        data = _project_dict(found)
        data["members"] = [{"id": m.id, "name": m.name, "role": m.role.value} for m in members]
        emit_json(data)
        return
    typer.echo(f"{found.id}: {found.name} [{found.type.value}, {found.lifecycle_stage.value}]")
    if found.purpose:
        typer.echo(f"  purpose: {found.purpose}")
    typer.echo(f"  questionnaire: {found.questionnaire_id} v{found.questionnaire_version}")
    for m in members:
        typer.echo(f"  member {m.id}: {m.name} ({m.role.value})")


@member_app.command("add")
def add(
    ctx: typer.Context,
    project: str = typer.Argument(..., help="Project id or name."),
    name: str = typer.Option(..., "--name"),
    role: str = typer.Option(..., "--role", help="technical, business or ethics."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Add a person to a project's task force."""
    member = service.add_member(state(ctx).context(), project, name=name, role=role)
    if fmt is OutputFormat.JSON:
        emit_json({"id": member.id})
    else:
        typer.echo(f"added member {member.id}: {member.name} ({member.role.value})")


@member_app.command("list")
def members(ctx: typer.Context, project: str, fmt: OutputFormat = FORMAT) -> None:
    """List a project's task force."""
    found = service.list_members(state(ctx).context(), project)
    if fmt is OutputFormat.JSON:
        emit_json([{"id": m.id, "name": m.name, "role": m.role.value} for m in found])
        return
    for m in found:
        typer.echo(f"{m.id:>4}  {m.name}  ({m.role.value})")
