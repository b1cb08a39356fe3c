"""``ethos demo``: seed the demo organisation and walk through stage 1."""

from __future__ import annotations

from pathlib import Path

import typer

from ethos.cli.app import state
from ethos.domain.errors import ConflictError
from ethos.reports.annual import render_report_html, render_report_markdown
from ethos.reports.card import render_card_html, render_card_markdown
from ethos.reports.profile import profile_table
from ethos.reports.radar import radar_svg
from ethos.services import audit, cards, demo, office, stage1
from ethos.services import report as report_service
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
            "the demo needs an empty one (give another --db)",
            ko=f"데이터베이스 {context.store.url}에 이미 과제가 있습니다. "
            "데모에는 빈 데이터베이스가 필요합니다(다른 --db를 지정하세요)",
        )
    typer.echo(f"Ethos demo · database {context.store.url}\n")
    organisation = demo.load_demo_organisation()
    outcomes = demo.seed_demo(context, organisation, work=out / "work")
    for outcome in outcomes:
        state_text = "stage 1 closed" if outcome.closed else "stage 1 open"
        done = f", {outcome.findings} finding(s) through stages 2 and 3" if outcome.findings else ""
        typer.echo(
            f"- project {outcome.project_id}: {outcome.name} — {len(outcome.flagged)} item(s) "
            f"flagged for discussion, {state_text}{done}"
        )
    shown = next(o for o in outcomes if o.closed)
    view = stage1.stage1_profile(context, shown.project_id)
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "ko"):
        typer.echo("\n" + profile_table(view.project, view.questionnaire, view.profile, lang=lang))
        chart = out / f"profile-{shown.project_id}-{lang}.svg"
        chart.write_text(radar_svg(view.questionnaire, view.profile, lang=lang), encoding="utf-8")
        typer.echo(f"radar chart: {chart}")
    for outcome in outcomes:
        if not outcome.findings:
            continue
        for lang in ("en", "ko"):
            card = cards.build_card(context, outcome.project_id, lang=lang)
            html = render_card_html(
                card, radar_svg=radar_svg(view.questionnaire, view.profile, lang=lang)
            )
            for fmt, data in (("md", render_card_markdown(card).encode()), ("html", html.encode())):
                path = out / f"card-{outcome.project_id}-{lang}.{fmt}"
                path.write_bytes(data)
                cards.record_issue(context, card, rendered=data, fmt=fmt)
                typer.echo(f"card: {path}")
    office.seed_office_demo(context)
    year = context.clock().year
    for lang in ("en", "ko"):
        annual = report_service.build_report(context, year, lang=lang)
        for fmt, text in (
            ("md", render_report_markdown(annual)),
            ("html", render_report_html(annual)),
        ):
            path = out / f"report-{year}-{lang}.{fmt}"
            path.write_text(text, encoding="utf-8")
            typer.echo(f"annual report: {path}")
    chain = audit.verify_audit_chain(context)
    typer.echo(f"\naudit trail: {'ok' if chain.ok else 'BROKEN'} {chain.count} events")
    _print_accounts(organisation)


def _print_accounts(organisation: demo.DemoOrganisation) -> None:
    """The demo's sign-ins for `ethos serve` (made-up passwords, demo data only)."""
    if not organisation.accounts:
        return
    seats: dict[str, list[str]] = {}
    for project in organisation.projects:
        for member in project.members:
            if member.username:
                seats.setdefault(member.username, []).append(
                    f"{project.name} ({member.role.value})"
                )
    typer.echo("\ndemo accounts for the web app (made-up passwords):")
    for account in organisation.accounts:
        where = "; ".join(seats.get(account.username, [])) or account.role
        typer.echo(f"  {account.username:<9} {account.password:<20} {where}")
