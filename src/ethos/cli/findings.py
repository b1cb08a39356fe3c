"""``ethos findings`` (stages 2 and 3) and ``ethos project advance``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from ethos.cli.app import emit_json, state
from ethos.cli.formats import OutputFormat
from ethos.cli.projects import project_app
from ethos.domain.errors import InvalidInputError
from ethos.domain.findings import Finding
from ethos.services import findings as service
from ethos.services.lifecycle import advance_project

__all__ = ["findings_app"]

findings_app = typer.Typer(
    help="Stages 2 and 3: findings, plans, evidence, verification.", no_args_is_help=True
)

FORMAT = typer.Option(OutputFormat.TEXT, "--format", help="text or json")
PROJECT = typer.Argument(..., help="Project id or name.")
FINDING = typer.Argument(..., help="Finding id.")


def finding_summary(f: Finding) -> dict[str, object]:
    return {
        "id": f.id,
        "catalogue_id": f.catalogue_id,
        "clause_id": f.clause_id,
        "category": f.category.value,
        "severity": f.severity,
        "likelihood": f.likelihood,
        "priority": f.priority.value,
        "status": f.status.value,
        "owner": f.owner_member_id,
    }


def finding_detail(f: Finding) -> dict[str, object]:
    data = finding_summary(f)
    data.update(
        {
            "source": f.source.value,
            "title": {"en": f.title_en, "ko": f.title_ko},
            "description": {"en": f.description_en, "ko": f.description_ko},
            "due": f.due_date.isoformat() if f.due_date else None,
            "plan": {"mitigations": list(f.plan_mitigations), "text": f.plan_text},
            "resolution_note": f.resolution_note,
            "decided_by": f.decided_by_member_id,
            "rationale": f.rationale,
            "evidence": [
                {
                    "id": e.id,
                    "type": e.type.value,
                    "sha256": e.sha256,
                    "filename": e.filename,
                    "media_type": e.media_type,
                    "size_bytes": e.size_bytes,
                    "url": e.url,
                    "record": e.record,
                    "note": e.note,
                }
                for e in f.evidence
            ],
        }
    )
    return data


def _show(f: Finding, fmt: OutputFormat, verb: str) -> None:
    if fmt is OutputFormat.JSON:
        emit_json(finding_detail(f))
    else:
        typer.echo(f"finding {f.id} {verb}: {f.priority.value} {f.status.value} — {f.title_en}")


@findings_app.command("derive")
def derive(ctx: typer.Context, project: str = PROJECT, fmt: OutputFormat = FORMAT) -> None:
    """Derive findings from the complete stage-1 profile (safe to run again)."""
    result = service.derive_findings(state(ctx).context(), project)
    if fmt is OutputFormat.JSON:
        emit_json(
            {
                "added": result.added,
                "reinstated": result.reinstated,
                "withdrawn": result.withdrawn,
                "unchanged": result.unchanged,
                "facts_recorded": result.facts_recorded,
            }
        )
        return
    typer.echo(
        f"{len(result.added)} added, {len(result.reinstated)} reinstated, "
        f"{len(result.withdrawn)} withdrawn, {len(result.unchanged)} unchanged"
    )
    if not result.facts_recorded:
        typer.echo(
            "note: the project has no intake facts, so no legal findings were derived "
            "(record them with `ethos facts set`)",
            err=True,
        )


@findings_app.command("list")
def list_(ctx: typer.Context, project: str = PROJECT, fmt: OutputFormat = FORMAT) -> None:
    """List a project's findings."""
    cli = state(ctx)
    _, found = service.list_findings(cli.context(), project)
    if fmt is OutputFormat.JSON:
        emit_json([finding_summary(f) for f in found])
        return
    for f in found:
        head = f"{f.id:>4}  {f.priority.value}  {f.status.value:<9}  {f.category.value:<24}"
        typer.echo(f"{head} {f.title(cli.lang)}")


@findings_app.command("show")
def show(ctx: typer.Context, project: str = PROJECT, finding: int = FINDING) -> None:
    """Show one finding in full (JSON)."""
    _, found = service.list_findings(state(ctx).context(), project)
    match = next((f for f in found if f.id == finding), None)
    if match is None:
        raise InvalidInputError(
            f"finding {finding} not found in project {project!r}",
            ko=f"문제 {finding}: 과제 {project!r}에서 찾을 수 없습니다",
        )
    emit_json(finding_detail(match))


@findings_app.command("add")
def add(
    ctx: typer.Context,
    project: str = PROJECT,
    category: str = typer.Option(..., "--category"),
    title: str = typer.Option(..., "--title"),
    description: str = typer.Option("", "--description"),
    title_ko: str = typer.Option("", "--title-ko"),
    description_ko: str = typer.Option("", "--description-ko"),
    severity: int = typer.Option(..., "--severity", help="1-5"),
    likelihood: int = typer.Option(..., "--likelihood", help="1-5"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Add a finding by hand."""
    f = service.add_finding(
        state(ctx).context(),
        project,
        category=category,
        title=title,
        description=description,
        title_ko=title_ko,
        description_ko=description_ko,
        severity=severity,
        likelihood=likelihood,
    )
    if fmt is OutputFormat.JSON:
        emit_json({"id": f.id, "priority": f.priority.value})
    else:
        typer.echo(f"added finding {f.id} ({f.priority.value})")


@findings_app.command("assign")
def assign(
    ctx: typer.Context,
    project: str = PROJECT,
    finding: int = FINDING,
    owner: str = typer.Option(..., "--owner", help="Member id or name."),
    due: str = typer.Option(..., "--due", help="YYYY-MM-DD"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Give a finding an owner and a due date."""
    try:
        due_date = date.fromisoformat(due)
    except ValueError:
        raise InvalidInputError(
            f"--due: {due!r} is not a date (YYYY-MM-DD)",
            ko=f"--due: {due!r}은(는) 날짜(YYYY-MM-DD)가 아닙니다",
        ) from None
    f = service.assign_finding(state(ctx).context(), project, finding, owner=owner, due=due_date)
    _show(f, fmt, "assigned")


@findings_app.command("plan")
def plan(
    ctx: typer.Context,
    project: str = PROJECT,
    finding: int = FINDING,
    mitigation: list[str] = typer.Option([], "--mitigation", help="Mitigation id (repeat)."),
    text: str = typer.Option("", "--text", help="The plan in words."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Choose mitigations and describe the plan."""
    f = service.plan_finding(
        state(ctx).context(), project, finding, mitigations=mitigation, text=text
    )
    _show(f, fmt, "planned")


@findings_app.command("evidence")
def evidence(
    ctx: typer.Context,
    project: str = PROJECT,
    finding: int = FINDING,
    file: Path = typer.Option(None, "--file", help="A document, image or text file."),
    url: str = typer.Option(None, "--url"),
    record: Path = typer.Option(None, "--record", help="A check record (JSON)."),
    note: str = typer.Option("", "--note"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Attach evidence to a finding."""
    e = service.add_evidence(
        state(ctx).context(), project, finding, file=file, url=url, record=record, note=note
    )
    if fmt is OutputFormat.JSON:
        emit_json({"id": e.id, "type": e.type.value, "sha256": e.sha256})
    else:
        typer.echo(f"evidence {e.id} ({e.type.value}) attached to finding {finding}")


@findings_app.command("resolve")
def resolve(
    ctx: typer.Context,
    project: str = PROJECT,
    finding: int = FINDING,
    note: str = typer.Option("", "--note", help="What was done."),
    file: Path = typer.Option(None, "--file", help="Attach this evidence first."),
    url: str = typer.Option(None, "--url", help="Attach this URL first (needs --note)."),
    record: Path = typer.Option(None, "--record", help="Attach this check record first."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Mark a finding resolved (refused without evidence)."""
    context = state(ctx).context()
    if file is not None or url is not None or record is not None:
        service.add_evidence(
            context, project, finding, file=file, url=url, record=record, note=note
        )
    _show(service.resolve_finding(context, project, finding, note=note), fmt, "resolved")


@findings_app.command("verify")
def verify(
    ctx: typer.Context,
    project: str = PROJECT,
    finding: int = FINDING,
    member: str = typer.Option(..., "--member", help="An ethics member who does not own it."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Confirm a resolved finding's fix."""
    _show(
        service.verify_finding(state(ctx).context(), project, finding, member=member),
        fmt,
        "verified",
    )


@findings_app.command("reject")
def reject(
    ctx: typer.Context,
    project: str = PROJECT,
    finding: int = FINDING,
    member: str = typer.Option(..., "--member"),
    reason: str = typer.Option(..., "--reason"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Send a resolved finding back to open."""
    f = service.reject_finding(state(ctx).context(), project, finding, member=member, reason=reason)
    _show(f, fmt, "rejected")


@findings_app.command("accept")
def accept(
    ctx: typer.Context,
    project: str = PROJECT,
    finding: int = FINDING,
    member: str = typer.Option(..., "--member"),
    rationale: str = typer.Option(..., "--rationale"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Accept a P3 finding as a known limitation."""
    f = service.accept_finding(
        state(ctx).context(), project, finding, member=member, rationale=rationale
    )
    _show(f, fmt, "accepted")


@project_app.command("advance")
def advance(
    ctx: typer.Context,
    project: str = PROJECT,
    to: str = typer.Option(..., "--to", help="development, validation, release or retired."),
) -> None:
    """Move a project to a later lifecycle stage (refused while blocking findings are open)."""
    moved = advance_project(state(ctx).context(), project, to=to)
    typer.echo(f"{moved.name} is now in {moved.lifecycle_stage.value}")
