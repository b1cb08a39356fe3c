"""``ethos stats`` and ``ethos report``: the year in figures, and the accountability report."""

from __future__ import annotations

from typing import Any

import typer

from ethos.cli.app import emit_json, state
from ethos.cli.formats import OutputFormat
from ethos.services import stats as stats_service

__all__ = ["stats_command"]


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
