"""``ethos demo``: seed the demo organisation and walk through stage 1."""

from __future__ import annotations

from pathlib import Path

import typer

from ethos.cli.app import state
from ethos.domain.errors import ConflictError
from ethos.reports.profile import profile_table
from ethos.reports.radar import radar_svg
from ethos.services import audit, demo, stage1
from ethos.services.projects import list_projects

__all__ = ["demo_command"]


def demo_command(
    ctx: typer.Context,
    out: Path = typer.Option(Path("var/demo"), "--out", help="Folder for the radar charts."),
) -> None:
    """Create the demo organisation in an empty database and print a stage-1 profile."""
    cli = state(ctx)
    context = cli.context(require_schema=False)
    context.store.upgrade()
    if list_projects(context):
        raise ConflictError(
            f"the database {context.store.url} already has projects; "
            "the demo needs an empty one (give another --db)"
        )
    typer.echo(f"Ethos demo · database {context.store.url}\n")
    outcomes = demo.seed_demo(context, demo.load_demo_organisation())
    for outcome in outcomes:
        state_text = "stage 1 closed" if outcome.closed else "stage 1 open"
        typer.echo(
            f"- project {outcome.project_id}: {outcome.name} — {len(outcome.flagged)} item(s) "
            f"flagged for discussion, {state_text}"
        )
    shown = next(o for o in outcomes if o.closed)
    view = stage1.stage1_profile(context, shown.project_id)
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "ko"):
        typer.echo("\n" + profile_table(view.project, view.questionnaire, view.profile, lang=lang))
        chart = out / f"profile-{shown.project_id}-{lang}.svg"
        chart.write_text(radar_svg(view.questionnaire, view.profile, lang=lang), encoding="utf-8")
        typer.echo(f"radar chart: {chart}")
    report = audit.verify_audit_chain(context)
    typer.echo(f"\naudit trail: {'ok' if report.ok else 'BROKEN'} {report.count} events")
