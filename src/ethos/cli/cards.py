"""``ethos card``, ``ethos project describe`` and ``ethos project due``."""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from pathlib import Path

import typer

from ethos.cli.app import emit_json, state
from ethos.cli.output import write_atomically
from ethos.cli.projects import project_app
from ethos.reports.card import (
    render_card_html,
    render_card_json,
    render_card_markdown,
    render_card_pdf,
)
from ethos.reports.radar import radar_svg
from ethos.services import cards as service
from ethos.services.stage1 import stage1_profile

__all__ = ["card_command"]


class CardFormat(StrEnum):
    MD = "md"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"


def card_command(
    ctx: typer.Context,
    project: str = typer.Argument(..., help="Project id or name."),
    fmt: CardFormat = typer.Option(CardFormat.MD, "--format", help="md, html, pdf or json"),
    lang: str = typer.Option(None, "--lang", help="ko or en (default: the global --lang)."),
    out: Path = typer.Option(None, "--out", help="Write here instead of stdout (pdf needs it)."),
) -> None:
    """Issue the assessment card and record the issue in the audit trail."""
    if fmt is CardFormat.PDF and out is None:
        raise typer.BadParameter("--format pdf needs --out FILE")
    cli = state(ctx)
    context = cli.context()
    language = lang or cli.lang
    card = service.build_card(context, project, lang=language)
    if fmt is CardFormat.JSON:
        rendered = render_card_json(card).encode()
    elif fmt is CardFormat.MD:
        rendered = render_card_markdown(card).encode()
    else:
        view = stage1_profile(context, project)
        html = render_card_html(
            card, radar_svg=radar_svg(view.questionnaire, view.profile, lang=language)
        )
        rendered = html.encode() if fmt is CardFormat.HTML else render_card_pdf(html)
    issued = service.record_issue(context, card, rendered=rendered, fmt=fmt.value)
    if out is None:
        typer.echo(rendered.decode(), nl=False)
    else:
        write_atomically(out, rendered)
        typer.echo(f"wrote {out} (sha256 {issued.content_sha256})")


@project_app.command("describe")
def describe(
    ctx: typer.Context,
    project: str = typer.Argument(..., help="Project id or name."),
    file: Path = typer.Option(
        ..., "--file", help="YAML: end users, stakeholders, data, performance..."
    ),
) -> None:
    """Record what the card says about users, stakeholders, data and performance."""
    service.describe_project(state(ctx).context(), project, file=file)
    typer.echo("description recorded")


@project_app.command("due")
def due(
    ctx: typer.Context,
    months: int = typer.Option(12, "--months", min=1, max=120, help="Review period."),
    fmt: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """Projects due for re-assessment: card too old, or model or data version changed."""
    context = dataclasses.replace(state(ctx).context(), review_months=months)
    found = service.reassessment_due(context)
    if fmt == "json":
        emit_json(found)
        return
    for entry in found:
        typer.echo(f"{entry['project']:>4}  {entry['name']}: " + "; ".join(entry["reasons"]))
