"""``ethos datasets``: the dataset register, access to it, retention and disposal, exports
(docs/datasets.md)."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ethos.cli.app import emit_json, state
from ethos.cli.files import read_data_file
from ethos.cli.formats import OutputFormat
from ethos.cli.output import write_atomically
from ethos.domain.dataset_review import Severity
from ethos.domain.datasets import Dataset
from ethos.domain.errors import InvalidInputError
from ethos.services import datasets as service
from ethos.services.dataset_exports import export_dataset
from ethos.services.dataset_review import RegisterReview, review_register

__all__ = ["dataset_summary", "datasets_app"]

datasets_app = typer.Typer(
    help="The dataset register: provenance, licences, privacy, access, retention and disposal "
    "(docs/datasets.md).",
    no_args_is_help=True,
)

FORMAT = typer.Option(OutputFormat.TEXT, "--format", help="text or json")
DATASET = typer.Argument(..., help="Dataset id, or ID@VERSION.")
PROJECT = typer.Argument(..., help="Project id or exact name.")
PRINCIPAL = typer.Argument(..., help="User name to grant or revoke.")

LABELS: dict[str, dict[str, str]] = {
    "title": {"en": "title", "ko": "제목"},
    "version": {"en": "version", "ko": "버전"},
    "versions": {"en": "versions", "ko": "버전 이력"},
    "licence": {"en": "licence", "ko": "라이선스"},
    "terms": {"en": "licence terms", "ko": "라이선스 조건"},
    "copyright": {"en": "copyright", "ko": "저작권"},
    "provenance": {"en": "provenance", "ko": "출처"},
    "published": {"en": "published", "ko": "공개일"},
    "citation": {"en": "cite as", "ko": "인용 정보"},
    "owner": {"en": "owner", "ko": "소유자"},
    "stewards": {"en": "stewards", "ko": "관리자"},
    "allowlist": {"en": "allowlist", "ko": "허용 목록"},
    "files": {"en": "files", "ko": "파일"},
    "folder": {"en": "managed folder", "ko": "관리 폴더"},
    "personal": {"en": "personal data", "ko": "개인정보"},
    "anonymisation": {"en": "anonymisation", "ko": "익명화"},
    "confidentiality": {"en": "confidentiality", "ko": "기밀 등급"},
    "representativeness": {"en": "representativeness", "ko": "대표성"},
    "intended": {"en": "intended uses", "ko": "허용 용도"},
    "prohibited": {"en": "prohibited uses", "ko": "금지 용도"},
    "retention": {"en": "retain until", "ko": "보존 기한"},
    "projects": {"en": "projects", "ko": "연결 과제"},
    "scans": {"en": "last scans", "ko": "최근 검사"},
    "disposed": {"en": "disposed", "ko": "폐기됨"},
    "none": {"en": "none", "ko": "없음"},
    "missing": {"en": "not recorded", "ko": "기록 없음"},
}
MESSAGES = {
    "added": {
        "en": "dataset {id} version {version} registered",
        "ko": "데이터셋 {id} 버전 {version} 등록됨",
    },
    "linked": {
        "en": "dataset {id} linked to project {project}",
        "ko": "데이터셋 {id}을(를) 과제 {project}에 연결함",
    },
    "unchanged": {"en": "no change: already so", "ko": "변경 없음: 이미 그렇게 되어 있음"},
    "unlinked": {
        "en": "dataset {id} unlinked from project {project}",
        "ko": "데이터셋 {id}과(와) 과제 {project}의 연결을 해제함",
    },
    "granted": {
        "en": "{who} may now read dataset {id}",
        "ko": "{who}에게 데이터셋 {id} 열람 권한을 부여함",
    },
    "revoked": {
        "en": "{who} taken off the allowlist of {id}",
        "ko": "{who}을(를) {id} 허용 목록에서 제외함",
    },
    "not_listed": {
        "en": "{who} was not on the allowlist of {id}",
        "ko": "{who}은(는) {id} 허용 목록에 없었음",
    },
    "due_none": {
        "en": "no dataset is past its retention date",
        "ko": "보존 기한이 지난 데이터셋 없음",
    },
    "due": {
        "en": "{id}: retain until {until}, {days} day(s) over",
        "ko": "{id}: 보존 기한 {until}, {days}일 초과",
    },
    "disposed": {
        "en": "dataset {id} disposed ({method}): {files} file(s), {bytes} bytes deleted, "
        "{missing} already gone; the record is kept",
        "ko": "데이터셋 {id} 폐기({method}): 파일 {files}개, {bytes}바이트 삭제, "
        "{missing}개는 이미 없음; 등록 기록은 보존됨",
    },
    "exported": {"en": "written to {path}", "ko": "{path}에 저장함"},
    "review_head": {
        "en": "{id} (version {version}): {count} problem(s)",
        "ko": "{id} (버전 {version}): 문제 {count}건",
    },
    "review_undecided": {
        "en": "  undecided, for want of {facts}: {check}",
        "ko": "  판단 보류({facts} 없음): {check}",
    },
    "review_total": {
        "en": "{datasets} dataset(s) reviewed as of {day} (checks v{version}): {problems} "
        "problem(s), {high} high, {medium} medium, {low} low; {disposed} disposed, not reviewed",
        "ko": "{day} 기준 데이터셋 {datasets}개 검토(점검 항목 v{version}): 문제 {problems}건 "
        "(높음 {high}, 중간 {medium}, 낮음 {low}); 폐기된 {disposed}개는 검토하지 않음",
    },
}


def _label(key: str, lang: str) -> str:
    return LABELS[key][lang]


def _say(lang: str, key: str, **values: Any) -> str:
    return MESSAGES[key][lang].format(**values)


def dataset_summary(dataset: Dataset, terms: dict[str, Any]) -> dict[str, Any]:
    """What lists show of a dataset: its newest version, access, retention, state."""
    record = dataset.current.record
    return {
        "id": dataset.id,
        "title": record.title,
        "version": record.version,
        "versions": [v.record.version for v in dataset.versions],
        "licence": record.legal.licence,
        "licence_terms": terms,
        "owner": record.access.owner,
        "stewards": list(record.access.stewards),
        "allowlist": list(dataset.allowlist),
        "projects": list(dataset.projects),
        "files": len(record.files.manifest),
        "bytes": record.files.total_bytes,
        "retain_until": (
            record.retention.retain_until.isoformat() if record.retention.retain_until else None
        ),
        "scans": {
            kind.value: {
                "counts": scan.counts,
                "recorded_at": scan.recorded_at.isoformat(),
                "recorded_by": scan.recorded_by,
            }
            for kind, scan in dataset.scans.items()
        },
        "disposed": dataset.disposed,
        "disposal": dataset.disposal.to_json() if dataset.disposal else None,
    }


def _terms(ctx: Any, dataset: Dataset) -> dict[str, Any]:
    return dataset.current.record.terms(service.licence_policy(ctx)).to_json()


@datasets_app.command("add")
def add(
    ctx: typer.Context,
    file: Path = typer.Option(..., "--file", help="The dataset record, in YAML or JSON."),
    manifest_from: Path = typer.Option(
        None,
        "--manifest-from",
        help="Compute the file manifest by hashing every file under this folder, which "
        "becomes the dataset's managed folder.",
    ),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Register a dataset, or a new version of one (earlier versions are kept)."""
    cli = state(ctx)
    context = cli.context()
    dataset = service.add_dataset(
        context,
        read_data_file(file),
        source=f"--file {file}",
        manifest_from=manifest_from,
        base_dir=file.parent,
    )
    if fmt is OutputFormat.JSON:
        emit_json(dataset_summary(dataset, _terms(context, dataset)))
        return
    typer.echo(_say(cli.lang, "added", id=dataset.id, version=dataset.current.record.version))


@datasets_app.command("list")
def list_(ctx: typer.Context, fmt: OutputFormat = FORMAT) -> None:
    """List registered datasets (disposed ones too)."""
    cli = state(ctx)
    context = cli.context()
    found = service.list_datasets(context)
    if fmt is OutputFormat.JSON:
        emit_json([dataset_summary(d, _terms(context, d)) for d in found])
        return
    for d in found:
        record = d.current.record
        mark = f"  [{_label('disposed', cli.lang)}]" if d.disposed else ""
        typer.echo(
            f"{d.id:<28} {record.version:<10} {record.legal.licence:<24} {record.title}{mark}"
        )


def _line(key: str, value: Any, lang: str) -> None:
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value) if value else _label("none", lang)
    typer.echo(f"{_label(key, lang)}: {value}")


def _block(key: str, text: str, lang: str) -> None:
    """A value of several lines (a BibTeX entry): the first after the label, the rest
    indented below it."""
    first, *rest = text.splitlines() or [""]
    typer.echo(f"{_label(key, lang)}: {first}")
    for line in rest:
        typer.echo(f"  {line}")


@datasets_app.command("show")
def show(ctx: typer.Context, ref: str = DATASET, fmt: OutputFormat = FORMAT) -> None:
    """Show a dataset: the newest version's record (or ID@VERSION's), access and state."""
    cli = state(ctx)
    context = cli.context()
    dataset = service.get_dataset(context, ref)
    _, _, asked = ref.partition("@")
    version = dataset.version(asked or None) or dataset.current
    terms = version.record.terms(service.licence_policy(context)).to_json()
    if fmt is OutputFormat.JSON:
        emit_json(
            dataset_summary(dataset, _terms(context, dataset))
            | {
                "shown_version": version.record.version,
                "shown_licence_terms": terms,
                "record": version.record.to_json(),
                "history": [
                    {
                        "version": v.record.version,
                        "digest": v.digest,
                        "recorded_by": v.recorded_by,
                        "recorded_at": v.recorded_at.isoformat(),
                    }
                    for v in dataset.versions
                ],
            }
        )
        return
    lang, r = cli.lang, version.record
    typer.echo(f"# {dataset.id} · {r.title}")
    _line("version", r.version, lang)
    _line("versions", [v.record.version for v in dataset.versions], lang)
    _line("licence", f"{r.legal.licence} ({terms['class']})", lang)
    flag = {True: "yes", False: "no", None: "?"}
    _line(
        "terms",
        f"use {terms['permitted_use']}, attribution {flag[terms['attribution']]}, "
        f"share-alike {flag[terms['share_alike']]}",
        lang,
    )
    _line("copyright", r.legal.copyright.value, lang)
    _line("provenance", f"{r.provenance.origin} ({r.provenance.method.value})", lang)
    publication, missing = r.publication, _label("missing", lang)
    published = publication.date if publication else None
    _line("published", published.isoformat() if published else missing, lang)
    _block("citation", (publication.citation if publication else "") or missing, lang)
    _line("owner", r.access.owner, lang)
    _line("stewards", r.access.stewards, lang)
    _line("allowlist", dataset.allowlist, lang)
    _line("files", f"{len(r.files.manifest)} ({r.files.total_bytes} bytes)", lang)
    _line("folder", r.files.root or _label("missing", lang), lang)
    _line("personal", r.privacy.personal_data.value, lang)
    _line("anonymisation", r.privacy.anonymisation or _label("missing", lang), lang)
    _line("confidentiality", r.privacy.confidentiality.value, lang)
    rep = r.representativeness
    _line("representativeness", [*rep.languages, *rep.domains] or _label("missing", lang), lang)
    _line("intended", r.uses.intended, lang)
    _line("prohibited", r.uses.prohibited, lang)
    until = r.retention.retain_until
    _line("retention", until.isoformat() if until else _label("missing", lang), lang)
    _line("projects", dataset.projects, lang)
    _line(
        "scans",
        [f"{k.value} {s.total} ({s.recorded_at.date()})" for k, s in dataset.scans.items()],
        lang,
    )
    if dataset.disposal is not None:
        d = dataset.disposal
        _line("disposed", f"{d.at.date()} {d.method.value} by {d.by}: {d.reason}", lang)


@datasets_app.command("link")
def link(ctx: typer.Context, ref: str = DATASET, project: str = PROJECT) -> None:
    """Record that a project uses a dataset (ID follows the newest version; ID@VERSION pins)."""
    cli = state(ctx)
    changed = service.link_dataset(cli.context(), ref, project)
    key = "linked" if changed else "unchanged"
    typer.echo(_say(cli.lang, key, id=ref, project=project))


@datasets_app.command("unlink")
def unlink(ctx: typer.Context, ref: str = DATASET, project: str = PROJECT) -> None:
    """Remove a dataset from a project."""
    cli = state(ctx)
    service.unlink_dataset(cli.context(), ref, project)
    typer.echo(_say(cli.lang, "unlinked", id=ref, project=project))


@datasets_app.command("grant")
def grant(ctx: typer.Context, ref: str = DATASET, principal: str = PRINCIPAL) -> None:
    """Let a person read the dataset's files through Ethos (owner or steward only)."""
    cli = state(ctx)
    added = service.grant_access(cli.context(), ref, principal)
    typer.echo(_say(cli.lang, "granted" if added else "unchanged", who=principal, id=ref))


@datasets_app.command("revoke")
def revoke(ctx: typer.Context, ref: str = DATASET, principal: str = PRINCIPAL) -> None:
    """Take a person off the allowlist (owner or steward only)."""
    cli = state(ctx)
    removed = service.revoke_access(cli.context(), ref, principal)
    typer.echo(_say(cli.lang, "revoked" if removed else "not_listed", who=principal, id=ref))


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            f"--as-of: {text!r} is not a date (YYYY-MM-DD)",
            ko=f"--as-of: {text!r}은(는) 날짜(YYYY-MM-DD)가 아닙니다",
        ) from None


@datasets_app.command("due")
def due(
    ctx: typer.Context,
    as_of: str = typer.Option(None, "--as-of", help="Day to judge by (default: today)."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """List datasets past their retention date that are not yet disposed."""
    cli = state(ctx)
    found = service.due_datasets(cli.context(), as_of=_date(as_of))
    if fmt is OutputFormat.JSON:
        emit_json(
            [
                {
                    "id": d.dataset.id,
                    "title": d.dataset.current.record.title,
                    "version": d.dataset.current.record.version,
                    "retain_until": d.retain_until.isoformat(),
                    "days_over": d.days_over,
                    "disposal_method": d.dataset.current.record.retention.disposal_method.value,
                }
                for d in found
            ]
        )
        return
    if not found:
        typer.echo(_say(cli.lang, "due_none"))
    for d in found:
        typer.echo(_say(cli.lang, "due", id=d.dataset.id, until=d.retain_until, days=d.days_over))


@datasets_app.command("review")
def review(
    ctx: typer.Context,
    as_of: str = typer.Option(None, "--as-of", help="Day to judge by (default: today)."),
    fmt: OutputFormat = FORMAT,
    fail_on: Severity = typer.Option(
        None,
        "--fail-on",
        help="Exit with status 1 when a problem of this severity or worse is found.",
    ),
) -> None:
    """The weekly review of data issues: every check of dataset-checks.yaml over each dataset
    not yet disposed (licence, privacy, scans, content safety, representativeness, retention)."""
    cli = state(ctx)
    found = review_register(cli.context(), as_of=_date(as_of))
    if fmt is OutputFormat.JSON:
        emit_json(_review_json(found, cli.lang))
    else:
        _print_review(found, cli.lang)
    if fail_on is not None and any(
        p.check.severity.rank <= fail_on.rank for r in found.reviews for p in r.problems
    ):
        raise typer.Exit(1)


def _severities(found: RegisterReview) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for r in found.reviews:
        for p in r.problems:
            counts[p.check.severity.value] += 1
    return counts


def _review_json(found: RegisterReview, lang: str) -> dict[str, Any]:
    return {
        "as_of": found.as_of.isoformat(),
        "checks_version": found.checks_version,
        "datasets": [
            {
                "id": r.dataset.id,
                "version": r.dataset.current.record.version,
                "title": r.dataset.current.record.title,
                "problems": [p.to_json(lang) for p in r.problems],
                "undecided": [{"check": c, "missing": list(m)} for c, m in r.undecided],
            }
            for r in found.reviews
        ],
        "counts": {"problems": found.problems, **_severities(found)},
        "disposed_not_reviewed": found.disposed,
    }


def _print_review(found: RegisterReview, lang: str) -> None:
    for r in found.reviews:
        if not r.problems and not r.undecided:
            continue
        record = r.dataset.current.record
        typer.echo(
            _say(
                lang, "review_head", id=r.dataset.id, version=record.version, count=len(r.problems)
            )
        )
        for p in r.problems:
            check = p.check
            typer.echo(f"  [{check.severity.label(lang)}] {check.id}: {check.title.get(lang)}")
            typer.echo(f"      {check.advice.get(lang)}")
        for check_id, missing in r.undecided:
            typer.echo(_say(lang, "review_undecided", check=check_id, facts=", ".join(missing)))
    typer.echo(
        _say(
            lang,
            "review_total",
            datasets=len(found.reviews),
            day=found.as_of.isoformat(),
            version=found.checks_version,
            problems=found.problems,
            disposed=found.disposed,
            **_severities(found),
        )
    )


class DisposalChoice(StrEnum):
    DELETE = "delete"
    OVERWRITE = "overwrite"


@datasets_app.command("dispose")
def dispose(
    ctx: typer.Context,
    ref: str = DATASET,
    method: DisposalChoice = typer.Option(..., "--method", help="delete or overwrite"),
    reason: str = typer.Option(..., "--reason", help="Why the dataset is disposed (kept)."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Delete the dataset's managed files and record the disposal; the record is kept."""
    cli = state(ctx)
    dataset = service.dispose_dataset(cli.context(), ref, method=method.value, reason=reason)
    disposal = dataset.disposal
    assert disposal is not None
    if fmt is OutputFormat.JSON:
        emit_json({"id": dataset.id, "disposal": disposal.to_json()})
        return
    typer.echo(
        _say(
            cli.lang,
            "disposed",
            id=dataset.id,
            method=disposal.method.value,
            files=disposal.files,
            bytes=disposal.bytes,
            missing=disposal.missing,
        )
    )


class ExportChoice(StrEnum):
    CROISSANT = "croissant"
    SPDX = "spdx"


@datasets_app.command("export")
def export(
    ctx: typer.Context,
    ref: str = DATASET,
    fmt: ExportChoice = typer.Option(..., "--format", help="croissant or spdx"),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """Export Croissant JSON-LD (with RAI fields) or an SPDX 3 document; an audited access."""
    cli = state(ctx)
    document = export_dataset(cli.context(), ref, fmt=fmt.value)
    if out is None:
        emit_json(document)
        return
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    write_atomically(out, text.encode("utf-8"))
    typer.echo(_say(cli.lang, "exported", path=out), err=True)
