"""Stage 1 on the command line: answers, consensus, the profile, closing the stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from ethos.cli.app import emit_json, state
from ethos.cli.files import read_data_file
from ethos.cli.formats import ProfileFormat
from ethos.cli.output import write_atomically
from ethos.domain.errors import InvalidInputError
from ethos.domain.questionnaire import SCORE_MAX, SCORE_MIN, Item
from ethos.reports.profile import profile_json, profile_table
from ethos.reports.radar import radar_svg
from ethos.services import stage1 as service
from ethos.services.context import ServiceContext

__all__ = ["answer", "consensus", "profile", "stage1_app"]

stage1_app = typer.Typer(help="Close or reopen stage 1 of an assessment.", no_args_is_help=True)


def _read_sheet(path: Path) -> list[service.SheetEntry]:
    data = read_data_file(path)
    try:
        return service.parse_answer_sheet(data)
    except InvalidInputError as exc:
        raise InvalidInputError(
            f"--file {path}: {exc.message}", ko=f"--file {path}: {exc.text('ko')}"
        ) from None


def _ask(item: Item, lang: str, number: int, total: int) -> service.SheetEntry | None:
    typer.echo(f"\n[{number}/{total}] {item.id}: {item.text.get(lang)}")
    for point in (1, 3, 5):
        typer.echo(f"   {point} = {item.anchors[point].get(lang)}")
    prompt = "점수 (1-5, 건너뛰려면 Enter)" if lang == "ko" else "Score (1-5, Enter to skip)"
    while True:
        raw = typer.prompt(prompt, default="", show_default=False).strip()
        if not raw:
            return None
        if raw.isdigit() and SCORE_MIN <= int(raw) <= SCORE_MAX:
            break
        typer.echo("1-5" if lang == "ko" else "Please give a whole number from 1 to 5.")
    comment = typer.prompt("의견 (선택)" if lang == "ko" else "Comment (optional)", default="")
    return service.SheetEntry(item.id, int(raw), comment.strip())


def _interactive(context: ServiceContext, project: str, member: str, lang: str) -> list[Any]:
    view = service.stage1_profile(context, project)
    who = next((m for m in view.members if m.name == member or str(m.id) == member.strip()), None)
    if who is None:
        raise InvalidInputError(
            f"--member: {member!r} is not on the task force of project {view.project.name!r}",
            ko=f"--member: {member!r}은(는) 과제 {view.project.name!r}의 TF에 없습니다",
        )
    items = view.questionnaire.items_for(who.role)
    entries = []
    for n, item in enumerate(items, start=1):
        entry = _ask(item, lang, n, len(items))
        if entry is not None:
            entries.append(entry)
    if not entries:
        raise InvalidInputError("no answers given", ko="입력된 응답이 없습니다")
    return entries


def answer(
    ctx: typer.Context,
    project: str = typer.Argument(..., help="Project id or name."),
    member: str = typer.Option(..., "--member", help="Member id or name."),
    file: Path = typer.Option(
        None, "--file", help="YAML or JSON: item id -> score, or -> {score, comment}."
    ),
    interactive: bool = typer.Option(
        False, "--interactive", help="Ask item by item (the default when no --file is given)."
    ),
) -> None:
    """Record a member's answers, from a file or item by item."""
    cli = state(ctx)
    context = cli.context()
    if file is not None and interactive:
        raise InvalidInputError(
            "give either --file or --interactive, not both",
            ko="--file과 --interactive 중 하나만 지정하세요",
        )
    if file is None:
        entries = _interactive(context, project, member, cli.lang)
        count = service.submit_answers(context, project, member=member, entries=entries)
    else:
        entries = _read_sheet(file)
        try:
            count = service.submit_answers(context, project, member=member, entries=entries)
        except InvalidInputError as exc:
            raise InvalidInputError(
                f"--file {file}: {exc.message}", ko=f"--file {file}: {exc.text('ko')}"
            ) from None
    typer.echo(f"recorded {count} answer(s)")


def consensus(
    ctx: typer.Context,
    project: str = typer.Argument(..., help="Project id or name."),
    item: str = typer.Option(..., "--item", help="Item id."),
    score: int = typer.Option(..., "--score", help="Agreed score, 1-5."),
    note: str = typer.Option(..., "--note", help="How the task force reached it."),
) -> None:
    """Record the task force's agreed score for an item."""
    service.record_consensus(state(ctx).context(), project, item=item, score=score, note=note)
    typer.echo(f"recorded consensus {score} for {item}")


def profile(
    ctx: typer.Context,
    project: str = typer.Argument(..., help="Project id or name."),
    fmt: ProfileFormat = typer.Option(ProfileFormat.TABLE, "--format", help="table, json or svg"),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """Show the stage-1 profile."""
    cli = state(ctx)
    view = service.stage1_profile(cli.context(), project)
    if fmt is ProfileFormat.JSON:
        if out is None:
            emit_json(profile_json(view.project, view.profile))
            return
        text = json.dumps(profile_json(view.project, view.profile), ensure_ascii=False, indent=2)
    elif fmt is ProfileFormat.SVG:
        text = radar_svg(view.questionnaire, view.profile, lang=cli.lang)
    else:
        text = profile_table(view.project, view.questionnaire, view.profile, lang=cli.lang)
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomically(out, text.encode())
        typer.echo(f"wrote {out}")


@stage1_app.command("close")
def close(ctx: typer.Context, project: str) -> None:
    """Close stage 1 (every role answered, every flagged item agreed)."""
    view = service.close_stage1(state(ctx).context(), project)
    typer.echo(f"stage 1 of {view.project.name} closed")


@stage1_app.command("reopen")
def reopen(
    ctx: typer.Context,
    project: str,
    reason: str = typer.Option(..., "--reason", help="Why answers must change."),
) -> None:
    """Reopen a closed stage 1."""
    service.reopen_stage1(state(ctx).context(), project, reason=reason)
    typer.echo("stage 1 reopened")
