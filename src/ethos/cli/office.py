"""``ethos office``: the ethics office's own records (docs/office.md).

Member names of a committee are personal data: they are stored, but no command prints them
unless the committee record says ``publish_names: true`` or ``show --with-names`` asks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
import yaml

from ethos.cli.app import emit_json, state
from ethos.cli.files import read_data_file
from ethos.cli.formats import OutputFormat
from ethos.domain.office import OfficeKind, OfficeRecord
from ethos.services import office as service

__all__ = ["office_app"]

office_app = typer.Typer(
    help="The ethics office's own records: committees, meetings, red-team exercises, "
    "education, partnerships, policy watch (docs/office.md).",
    no_args_is_help=True,
)

FORMAT = typer.Option(OutputFormat.TEXT, "--format", help="text or json")
RECORD = typer.Argument(..., help="Office record id.")
REASON = typer.Option(..., "--reason", help="Why the record is withdrawn (kept with it).")

KIND_LABELS = {
    OfficeKind.COMMITTEE: {"en": "committee", "ko": "위원회·조직"},
    OfficeKind.MEETING: {"en": "meeting", "ko": "회의"},
    OfficeKind.RED_TEAM: {"en": "red team", "ko": "레드팀"},
    OfficeKind.EDUCATION: {"en": "education", "ko": "교육"},
    OfficeKind.PARTNERSHIP: {"en": "partnership", "ko": "협력"},
    OfficeKind.POLICY_WATCH: {"en": "policy watch", "ko": "정책 동향"},
}
MESSAGES = {
    "added": {
        "en": "office record {id} added: {kind}, {year}",
        "ko": "기록 {id} 추가: {kind}, {year}",
    },
    "withdrawn": {"en": "office record {id} withdrawn", "ko": "기록 {id} 철회됨"},
    "replaced": {
        "en": "office record {id} withdrawn and replaced by {new}",
        "ko": "기록 {id} 철회, {new}(으)로 대체됨",
    },
    "withheld": {
        "en": "{n} member name(s) withheld (publish_names is false); --with-names shows them",
        "ko": "위원 이름 {n}개 비공개 (publish_names: false); --with-names로 표시",
    },
    "ongoing": {"en": "ongoing", "ko": "진행 중"},
    "withdrawn_note": {"en": "withdrawn {at}: {reason}", "ko": "철회 {at}: {reason}"},
}


def _say(lang: str, key: str, **values: Any) -> str:
    return MESSAGES[key][lang].format(**values)


def _label(record: OfficeRecord, lang: str) -> str:
    return KIND_LABELS[record.kind][lang]


def record_summary(record: OfficeRecord) -> dict[str, Any]:
    """What a list shows of a record: never member names."""
    return {
        "id": record.id,
        "kind": record.kind.value,
        "year": record.year,
        "main_date": record.body.main_date.isoformat(),
        "end_date": record.body.end_date.isoformat() if record.body.end_date else None,
        "headline": {"en": record.body.headline("en"), "ko": record.body.headline("ko")},
        "withdrawn": record.withdrawn,
        "replaced_by": record.replaced_by,
    }


@office_app.command("add")
def add(
    ctx: typer.Context,
    file: Path = typer.Option(
        ..., "--file", help="One record, or a list of records, in YAML or JSON."
    ),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Add records from a file; a list is recorded whole or not at all."""
    cli = state(ctx)
    data = read_data_file(file)
    records = service.add_records(cli.context(), data, source=f"--file {file}")
    if fmt is OutputFormat.JSON:
        summaries = [record_summary(r) for r in records]
        emit_json(summaries if isinstance(data, list) else summaries[0])
        return
    for r in records:
        typer.echo(_say(cli.lang, "added", id=r.id, kind=_label(r, cli.lang), year=r.year))


@office_app.command("list")
def list_(
    ctx: typer.Context,
    kind: str = typer.Option(
        None, "--kind", help="committee, meeting, red_team, education, partnership, policy_watch"
    ),
    year: int = typer.Option(None, "--year", help="Only records active in this year."),
    include_withdrawn: bool = typer.Option(False, "--all", help="Include withdrawn records."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """List records, oldest first."""
    cli = state(ctx)
    records = service.list_records(
        cli.context(), kind=kind, year=year, include_withdrawn=include_withdrawn
    )
    if fmt is OutputFormat.JSON:
        emit_json([record_summary(r) for r in records])
        return
    for r in records:
        mark = " [withdrawn]" if r.withdrawn else ""
        typer.echo(
            f"{r.id:>4}  {r.kind.value:<12} {r.body.main_date}  {r.year}{mark}  "
            f"{r.body.headline(cli.lang)}"
        )


@office_app.command("show")
def show(
    ctx: typer.Context,
    record_id: int = RECORD,
    with_names: bool = typer.Option(
        False, "--with-names", help="Show committee member names even when not published."
    ),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Show one record (withdrawn ones too)."""
    cli = state(ctx)
    record = service.get_record(cli.context(), record_id)
    names = True if with_names else None
    data = record.to_json(include_names=names)
    if fmt is OutputFormat.JSON:
        emit_json(data)
        return
    end = record.body.end_date or _say(cli.lang, "ongoing")
    span = f"{record.body.main_date}" + (f" – {end}" if end != record.body.main_date else "")
    typer.echo(f"# {record.id} · {_label(record, cli.lang)} · {span}")
    typer.echo(f"# {record.created_by}, {record.created_at.isoformat(timespec='seconds')}")
    if record.withdrawn_at is not None:
        at = record.withdrawn_at.isoformat(timespec="seconds")
        typer.echo("# " + _say(cli.lang, "withdrawn_note", at=at, reason=record.withdrawn_reason))
        if record.replaced_by is not None:
            typer.echo(f"# -> {record.replaced_by}")
    typer.echo(yaml.safe_dump(data["data"], allow_unicode=True, sort_keys=False).rstrip())
    if data["names_withheld"]:
        typer.echo(_say(cli.lang, "withheld", n=data["names_withheld"]), err=True)


@office_app.command("withdraw")
def withdraw(
    ctx: typer.Context, record_id: int = RECORD, reason: str = REASON, fmt: OutputFormat = FORMAT
) -> None:
    """Withdraw a record: it stays, marked withdrawn with the reason."""
    cli = state(ctx)
    record = service.withdraw_record(cli.context(), record_id, reason=reason)
    if fmt is OutputFormat.JSON:
        emit_json(record_summary(record))
    else:
        typer.echo(_say(cli.lang, "withdrawn", id=record.id))


@office_app.command("replace")
def replace(
    ctx: typer.Context,
    record_id: int = RECORD,
    file: Path = typer.Option(..., "--file", help="The corrected record, in YAML or JSON."),
    reason: str = REASON,
    fmt: OutputFormat = FORMAT,
) -> None:
    """Correct a record: withdraw it and add the corrected version, in one transaction."""
    cli = state(ctx)
    data = read_data_file(file)
    old, new = service.replace_record(
        cli.context(), record_id, data, reason=reason, source=f"--file {file}"
    )
    if fmt is OutputFormat.JSON:
        emit_json({"withdrawn": record_summary(old), "added": record_summary(new)})
    else:
        typer.echo(_say(cli.lang, "replaced", id=old.id, new=new.id))
