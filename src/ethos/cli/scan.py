"""``ethos scan``: scan training corpora for personal information and toxicity, and report.

Every scan writes one result line per input document, in input order; bad lines go to a
rejects file; messages and summaries hold counts, types and locations, never values.
"""

from __future__ import annotations

import dataclasses
import os
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ethos.cli.app import emit_json, state
from ethos.datagov.engine import (
    DEFAULT_SHARD_BYTES,
    Engine,
    InputFormat,
    PiiSpec,
    ProcessorSpec,
    ReadOptions,
    ScanInputError,
    ScanRequest,
    ScanSummary,
    ToxicitySpec,
    run_scan,
)
from ethos.datagov.engine.report import ResultReport, summarize_file
from ethos.datagov.pii.anonymizer import MIN_KEY_BYTES
from ethos.datagov.pii.schema import default_recognizers

__all__ = ["scan_app"]

scan_app = typer.Typer(
    help="Scan training corpora for personal information and toxicity.", no_args_is_help=True
)

KEY_ENV = "ETHOS_PSEUDONYM_KEY"


class OperatorChoice(StrEnum):
    PLACEHOLDER = "placeholder"
    MASK = "mask"
    PSEUDONYM = "pseudonym"
    DROP = "drop"


class ActionChoice(StrEnum):
    DROP = "drop"
    MASK = "mask"
    TAG = "tag"


class DocPer(StrEnum):
    LINE = "line"
    FILE = "file"


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


INPUT = typer.Option(
    None,
    "--in",
    help="A file, a directory or a glob of JSONL, Parquet or text files (.gz/.zst ok).",
)
OUT = typer.Option(..., "--out", help="Result file: one JSON line per input document.")
TEXT_FIELD = typer.Option("text", "--text-field", help="JSON field or Parquet column of the text.")
ID_FIELD = typer.Option(
    None, "--id-field", help="Field or column of the document id (default: <file>:<line>)."
)
FORMAT = typer.Option(None, "--format", help="Force the input format: jsonl, parquet or text.")
DOC_PER = typer.Option(
    DocPer.LINE, "--doc-per", help="Text input: one document per line, or per file."
)
REJECTS = typer.Option(
    None, "--rejects", help="Where rejected input lines go (default: <out>.rejects.jsonl)."
)
WORKERS = typer.Option(1, "--workers", min=1, help="Worker processes (or Ray CPUs).")
ENGINE = typer.Option(Engine.LOCAL, "--engine", help="local (processes) or ray.")
SHARD_MB = typer.Option(
    None,
    "--shard-mb",
    min=0.001,
    help=f"Target shard size in MiB (default: about 32 shards of 0.25 to "
    f"{DEFAULT_SHARD_BYTES >> 20} MiB).",
)
WORK_DIR = typer.Option(
    None, "--work-dir", help="Parts and markers of the run (default: <out>.work)."
)
KEEP_WORK = typer.Option(False, "--keep-work", help="Keep the work directory after merging.")
RESTART = typer.Option(False, "--restart", help="Discard an unfinished run instead of resuming.")
QUIET = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary.")
DATASET = typer.Option(
    None,
    "--dataset",
    help="Scan a registered dataset (ID or ID@VERSION) instead of --in: only for its owner, "
    "stewards and allowlist; the access and the counts found are recorded with it.",
)


def _read_key(key_file: Path | None) -> bytes | None:
    """The pseudonym key from ``--key-file`` or the environment; never printed."""
    if key_file is not None:
        try:
            key = key_file.read_bytes().rstrip(b"\r\n")
        except OSError as error:
            raise ScanInputError(
                f"--key-file {key_file}: cannot be read ({error.strerror})",
                ko=f"--key-file {key_file}: 읽을 수 없습니다({error.strerror})",
            ) from None
        source = f"--key-file {key_file}"
    elif os.environ.get(KEY_ENV):
        key = os.environ[KEY_ENV].encode("utf-8")
        source = f"${KEY_ENV}"
    else:
        return None
    if len(key) < MIN_KEY_BYTES:
        raise ScanInputError(
            f"{source}: the key must have at least {MIN_KEY_BYTES} bytes",
            ko=f"{source}: 키는 {MIN_KEY_BYTES}바이트 이상이어야 합니다",
        )
    return key


def _types(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = tuple(sorted({name.strip() for name in value.split(",") if name.strip()}))
    known = default_recognizers().types
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise ScanInputError(
            f"--types: unknown type(s) {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(sorted(known))}",
            ko=(
                f"--types: 알 수 없는 유형 {', '.join(unknown) or '(지정 없음)'}. "
                f"알려진 유형: {', '.join(sorted(known))}"
            ),
        )
    return names


def _messages(summary: ScanSummary, lang: str, rejects: str) -> list[str]:
    mb = summary.bytes / 1e6
    ko = lang == "ko"
    lines = [
        (
            f"문서 {summary.documents:,}건({mb:.1f} MB)을 {summary.seconds:.1f}초에 검사했습니다: "
            f"탐지된 문서 {summary.flagged:,}건, 샤드 {summary.shards}개 중 "
            f"{summary.resumed}개는 이전 실행에서 이어받음."
            if ko
            else f"scanned {summary.documents:,} documents ({mb:.1f} MB) in "
            f"{summary.seconds:.1f} s: {summary.flagged:,} with findings; "
            f"{summary.shards} shards, {summary.resumed} resumed from an earlier run."
        )
    ]
    if summary.dropped:
        lines.append(
            f"출력에서 제외된 문서 {summary.dropped:,}건."
            if ko
            else f"{summary.dropped:,} documents left out of the filtered output."
        )
    if summary.rejects:
        lines.append(
            f"거부된 입력 줄 {summary.rejects:,}건(처음: {summary.first_reject}); {rejects} 참고."
            if ko
            else f"{summary.rejects:,} input lines rejected (first: {summary.first_reject}); "
            f"see {rejects}."
        )
    if summary.replaced:
        lines.append(
            f"디코딩할 수 없는 바이트 {summary.replaced:,}곳을 U+FFFD로 바꿈 "
            f"(문서 {summary.replaced_documents:,}건, 처음: {summary.first_replaced})."
            if ko
            else f"{summary.replaced:,} undecodable byte sequences replaced by U+FFFD in "
            f"{summary.replaced_documents:,} documents (first: {summary.first_replaced})."
        )
    if summary.skipped_files:
        lines.append(
            f"확장자를 알 수 없는 파일 {summary.skipped_files}개를 건너뜀(--format으로 지정)."
            if ko
            else f"{summary.skipped_files} files skipped for an unknown extension (see --format)."
        )
    return lines


@dataclasses.dataclass(frozen=True)
class _Common:
    """The options ``scan pii`` and ``scan toxicity`` share (Typer needs each declared on
    each command; this carries them on from there)."""

    location: str | None
    dataset: str | None
    out: Path
    text_field: str
    id_field: str | None
    input_format: InputFormat | None
    doc_per: DocPer
    rejects: Path | None
    workers: int
    engine: Engine
    shard_mb: float | None
    work_dir: Path | None
    keep_work: bool
    restart: bool
    quiet: bool

    @classmethod
    def pick(cls, values: dict[str, Any]) -> _Common:
        """The shared options out of a command's parameters (its ``locals()``)."""
        return cls(**{field.name: values[field.name] for field in dataclasses.fields(cls)})


def _run(
    ctx: typer.Context, *, spec: ProcessorSpec, transformed: Path | None, common: _Common
) -> None:
    location, dataset, out, quiet = common.location, common.dataset, common.out, common.quiet
    if (location is None) == (dataset is None):
        raise ScanInputError(
            "give either --in PATH or --dataset ID",
            ko="--in PATH와 --dataset ID 중 하나만 지정하세요",
        )
    files: tuple[Path, ...] | None = None
    kind = "pii" if isinstance(spec, PiiSpec) else "toxicity"
    if dataset is not None:
        # The register (and with it the store) is loaded only for --dataset.
        from ethos.services import datasets

        cli = state(ctx)
        opened = datasets.open_dataset(
            cli.context(), dataset, principal=cli.actor, purpose=f"scan {kind}"
        )
        files = tuple(opened)
        location = os.path.commonpath([str(p.parent) for p in files]) if files else "."
    assert location is not None
    request = ScanRequest(
        location=location,
        files=files,
        output=out,
        spec=spec,
        read=ReadOptions(
            text_field=common.text_field,
            id_field=common.id_field,
            whole_files=common.doc_per is DocPer.FILE,
        ),
        transformed=transformed,
        rejects=common.rejects,
        format=common.input_format,
        workers=common.workers,
        engine=common.engine,
        shard_bytes=(max(1, int(common.shard_mb * 2**20)) if common.shard_mb is not None else None),
        work_dir=common.work_dir,
        keep_work=common.keep_work,
        restart=common.restart,
        progress=not quiet,
        lang=state(ctx).lang,
    )
    summary = run_scan(request)
    if dataset is not None:
        from ethos.services import datasets

        found = summarize_file(out).by_type
        datasets.record_scan(state(ctx).context(), dataset, kind, dict(found))
    if not quiet:
        lang = state(ctx).lang
        for line in _messages(summary, lang, str(request.rejects_path)):
            typer.echo(line, err=True)
        counts = summarize_file(out).by_type
        if counts:
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            listed = ", ".join(f"{name} {count:,}" for name, count in ordered)
            typer.echo(("유형별: " if lang == "ko" else "by type: ") + listed, err=True)


@scan_app.command("pii")
def scan_pii(
    ctx: typer.Context,
    location: str = INPUT,
    out: Path = OUT,
    anonymize: Path = typer.Option(
        None, "--anonymize", help="Also write the documents anonymised to this JSONL file."
    ),
    operator: OperatorChoice = typer.Option(
        None, "--operator", help="placeholder (default), mask, pseudonym or drop."
    ),
    key_file: Path = typer.Option(
        None, "--key-file", help=f"Pseudonym key file (else ${KEY_ENV}); at least 16 bytes."
    ),
    types: str = typer.Option(None, "--types", help="Comma-separated PII types (default: all)."),
    min_score: float = typer.Option(0.5, "--min-score", min=0.0, max=1.0),
    text_field: str = TEXT_FIELD,
    id_field: str = ID_FIELD,
    input_format: InputFormat = FORMAT,
    doc_per: DocPer = DOC_PER,
    rejects: Path = REJECTS,
    workers: int = WORKERS,
    engine: Engine = ENGINE,
    shard_mb: float | None = SHARD_MB,
    work_dir: Path = WORK_DIR,
    keep_work: bool = KEEP_WORK,
    restart: bool = RESTART,
    quiet: bool = QUIET,
    dataset: str = DATASET,
) -> None:
    """Detect personal information; one line {"id", "spans": [...]} per document."""
    if operator is not None and anonymize is None:
        raise ScanInputError(
            "--operator needs --anonymize OUT.jsonl",
            ko="--operator에는 --anonymize OUT.jsonl이 필요합니다",
        )
    chosen = (operator or OperatorChoice.PLACEHOLDER).value if anonymize is not None else None
    key = _read_key(key_file) if chosen == "pseudonym" else None
    spec = PiiSpec(operator=chosen, key=key, types=_types(types), min_score=min_score)
    _run(ctx, spec=spec, transformed=anonymize, common=_Common.pick(locals()))


@scan_app.command("toxicity")
def scan_toxicity(
    ctx: typer.Context,
    location: str = INPUT,
    out: Path = OUT,
    threshold: float = typer.Option(
        None,
        "--threshold",
        help="Raise a label at this score (default: each label's threshold in the "
        "shipped thresholds.yaml).",
    ),
    action: ActionChoice = typer.Option(
        None, "--action", help="drop, mask or tag flagged documents (needs --filtered)."
    ),
    filtered: Path = typer.Option(
        None, "--filtered", help="Write the documents after --action to this JSONL file."
    ),
    model: str = typer.Option(
        "default",
        "--model",
        help="Shipped model: 'default' (learnt from MIT-licensed data only) or 'sharealike' "
        "(also from BEEP!: finds more Korean abuse and hate, flags more clean Korean text; "
        "its weights are CC BY-SA 4.0, see docs/sources.md).",
    ),
    text_field: str = TEXT_FIELD,
    id_field: str = ID_FIELD,
    input_format: InputFormat = FORMAT,
    doc_per: DocPer = DOC_PER,
    rejects: Path = REJECTS,
    workers: int = WORKERS,
    engine: Engine = ENGINE,
    shard_mb: float | None = SHARD_MB,
    work_dir: Path = WORK_DIR,
    keep_work: bool = KEEP_WORK,
    restart: bool = RESTART,
    quiet: bool = QUIET,
    dataset: str = DATASET,
) -> None:
    """Score toxicity; one line {"id", "score", "labels": [...], "targets": [...]} each."""
    if (action is None) != (filtered is None):
        raise ScanInputError(
            "--action and --filtered OUT.jsonl go together",
            ko="--action과 --filtered OUT.jsonl은 함께 지정해야 합니다",
        )
    chosen = action.value if action is not None else None
    spec = ToxicitySpec(action=chosen, threshold=threshold, model=model)
    _run(ctx, spec=spec, transformed=filtered, common=_Common.pick(locals()))


def _table(report: ResultReport, lang: str) -> str:
    ko = lang == "ko"
    if report.kind == "toxicity":
        head: tuple[str, ...] = ("레이블", "문서") if ko else ("label", "documents")
    else:
        head = ("유형", "탐지", "문서") if ko else ("type", "spans", "documents")
    ordered = sorted(report.by_type.items(), key=lambda item: (-item[1], item[0]))
    rows: list[tuple[str, ...]] = [
        (name, str(count))
        if report.kind == "toxicity"
        else (name, str(count), str(report.documents_by_type[name]))
        for name, count in ordered
    ]
    widths = [max([len(head[i])] + [len(row[i]) for row in rows]) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(head)).rstrip()]
    for row in rows:
        lines.append(
            "  ".join(
                cell.rjust(widths[i]) if i else cell.ljust(widths[i]) for i, cell in enumerate(row)
            )
        )
    total = (
        f"문서 {report.documents}건 중 {report.flagged}건에서 탐지"
        if ko
        else f"{report.flagged} of {report.documents} documents with findings"
    )
    return "\n".join([*lines, total])


@scan_app.command("report")
def scan_report(
    ctx: typer.Context,
    results: Path = typer.Argument(..., help="A result file of 'scan pii' or 'scan toxicity'."),
    output_format: ReportFormat = typer.Option(
        ReportFormat.TABLE, "--format", help="table or json"
    ),
) -> None:
    """Counts by PII type (or toxicity label) and documents with findings."""
    report = summarize_file(results)
    if output_format is ReportFormat.JSON:
        emit_json(report.to_json())
    else:
        typer.echo(_table(report, state(ctx).lang))
