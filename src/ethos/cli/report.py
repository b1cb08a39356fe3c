"""``ethos stats`` and ``ethos report``: the year in figures, and the accountability report."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ethos.cli.app import emit_json, state
from ethos.cli.formats import OutputFormat
from ethos.cli.output import write_atomically
from ethos.domain.errors import InvalidInputError
from ethos.reports.annual import render_report_html, render_report_markdown, render_report_pdf
from ethos.services import report as report_service
from ethos.services import stats as stats_service

__all__ = ["report_command", "stats_command"]


def _line(label: str, figure: dict[str, Any]) -> str:
    share = figure.get("share")
    tail = f" ({share:.0%})" if isinstance(share, float) else ""
    return f"  {label:<28} {figure['count']:>6}{tail}"


def stats_command(
    ctx: typer.Context,
    year: int = typer.Option(..., "--year", help="Calendar year (UTC)."),
    fmt: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", help="text or json"),
) -> None:
    """Figures of a year: assessments, findings by category, type and priority, resolution."""
    data = stats_service.year_stats(state(ctx).context(), year)
    if fmt is OutputFormat.JSON:
        emit_json(data)
        return
    a, f = data["assessments"], data["findings"]
    typer.echo(f"{year} (as of {data['as_of']})")
    typer.echo(_line("assessments started", a["started"]))
    typer.echo(_line("stage 1 closed", a["stage1_closed"]))
    typer.echo(_line("completed (card issued)", a["completed"]))
    typer.echo(_line("findings", f))
    for name, figure in f["by_category"].items():
        typer.echo(_line(f"  {name}", figure))
    typer.echo(_line("data problems", f["data_problems"]))
    for name, figure in f["by_priority"].items():
        typer.echo(_line(f"  {name}", figure))
    typer.echo(_line("resolved", f["resolved"]))
    typer.echo(_line("verified", f["verified"]))
    median = data["verification"]["median_days"]
    typer.echo(f"  {'median days to verification':<28} {median if median is not None else '-':>6}")
    typer.echo(_line("open P1 (now)", data["open"]["P1"]))
    typer.echo(_line("open P2 (now)", data["open"]["P2"]))
    typer.echo(_line("due for re-assessment", data["reassessment_due"]))


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    PDF = "pdf"
    JSON = "json"


def report_command(
    ctx: typer.Context,
    year: int = typer.Option(..., "--year", help="Calendar year (UTC)."),
    lang: str = typer.Option(None, "--lang", help="ko or en (default: the global --lang)."),
    fmt: ReportFormat = typer.Option(ReportFormat.HTML, "--format", help="md, html, pdf or json"),
    out: Path = typer.Option(None, "--out", help="File to write (default: stdout; PDF: needed)."),
    organisation: str = typer.Option("", "--organisation", help="Name on the title page."),
) -> None:
    """The annual AI ethics accountability report, built from the records."""
    cli = state(ctx)
    language = lang or cli.lang
    if language not in ("ko", "en"):
        raise InvalidInputError(
            f"--lang: {language!r} is not one of: ko, en",
            ko=f"--lang: {language!r}은(는) ko, en 중 하나가 아닙니다",
        )
    if fmt is ReportFormat.PDF and out is None:
        raise InvalidInputError(
            "--format pdf: give --out FILE.pdf", ko="--format pdf: --out FILE.pdf를 지정하세요"
        )
    report = report_service.build_report(
        cli.context(), year, lang=language, organisation=organisation.strip()
    )
    if fmt is ReportFormat.JSON:
        data = (json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    elif fmt is ReportFormat.MD:
        data = render_report_markdown(report).encode("utf-8")
    elif fmt is ReportFormat.HTML:
        data = render_report_html(report).encode("utf-8")
    else:
        data, _pages = render_report_pdf(report)
    if out is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    write_atomically(out, data)
    typer.echo(f"report: {out}", err=True)
