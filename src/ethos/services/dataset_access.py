"""Reading a registered dataset's files, recording scans, and disposal (``docs/datasets.md``).

:func:`open_dataset` lets only the owner, a steward or someone on the allowlist through
(default deny), refuses disposed datasets and files that no longer match the manifest, and
writes every attempt to the audit trail as ``dataset.access``. Disposal deletes only the
manifest's files under the folders the register records for the dataset. Audit payloads hold
ids, versions, principals, purposes and counts, never file contents.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ethos.domain.datasets import (
    Dataset,
    DatasetVersion,
    Disposal,
    DisposalMethod,
    ScanKind,
    parse_scan_summary,
    split_ref,
)
from ethos.domain.errors import (
    AccessDeniedError,
    ConflictError,
    EthosError,
    InvalidInputError,
    NotFoundError,
)
from ethos.domain.projects import parse_enum
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import UnitOfWork

__all__ = [
    "audit_event",
    "clean_principal",
    "clean_text",
    "compute_manifest",
    "dispose_dataset",
    "managed_dataset",
    "open_dataset",
    "record_scan",
    "refuse_disposed",
    "required_dataset",
    "verified_version",
]

_CHUNK = 1 << 20
_MAX_TEXT = 1000


# ---------------------------------------------------------------- files


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def compute_manifest(folder: Path, *, option: str = "--manifest-from") -> list[dict[str, Any]]:
    """Every regular file under ``folder`` with its SHA-256 and size, hashed in chunks (never
    loaded whole); symbolic links and special files are refused, so the manifest names only
    files that lie under the folder."""
    if not folder.is_dir():
        raise InvalidInputError(
            f"{option} {folder}: not a folder", ko=f"{option} {folder}: 폴더가 아닙니다"
        )
    entries: list[dict[str, Any]] = []
    for current, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if (Path(current) / d).is_symlink()]:
            path = Path(current) / name
            relative = path.relative_to(folder).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                raise InvalidInputError(
                    f"{option} {folder}: {relative} is a symbolic link; register regular files",
                    ko=(
                        f"{option} {folder}: {relative}은(는) "
                        "심볼릭 링크입니다. 일반 파일을 등록하세요"
                    ),
                )
            if not stat.S_ISREG(mode):
                raise InvalidInputError(
                    f"{option} {folder}: {relative} is not a regular file",
                    ko=f"{option} {folder}: {relative}은(는) 일반 파일이 아닙니다",
                )
            try:
                sha, size = _sha256(path)
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                raise InvalidInputError(
                    f"{option} {folder}: {relative}: {reason}",
                    ko=f"{option} {folder}: {relative}: 읽을 수 없습니다({reason})",
                ) from None
            entries.append({"path": relative, "sha256": sha, "bytes": size})
    return entries


def _located(root: Path, relative: str) -> Path:
    """``relative`` under ``root`` with every folder on the way resolved; refuses a path that
    leads outside ``root`` (through a symbolic link) or is itself a link."""
    real_root = root.resolve()
    candidate = real_root.joinpath(*relative.split("/"))
    parent = candidate.parent.resolve()
    if parent != real_root and not parent.is_relative_to(real_root):
        raise ConflictError(
            f"{relative}: leads outside the dataset's folder {root}; refused",
            ko=f"{relative}: 데이터셋 폴더 {root} 밖을 가리킵니다. 거부했습니다",
        )
    target = parent / candidate.name
    if target.is_symlink():
        raise ConflictError(
            f"{relative}: is a symbolic link; refused",
            ko=f"{relative}: 심볼릭 링크입니다. 거부했습니다",
        )
    return target


# ---------------------------------------------------------------- guards


def audit_event(ctx: ServiceContext, action: str, subject: str, payload: Mapping[str, Any]) -> None:
    with ctx.store.unit_of_work() as uow:
        uow.record(at=ctx.clock(), actor=ctx.actor, action=action, subject=subject, payload=payload)


def clean_text(value: str, option: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidInputError(f"{option}: empty", ko=f"{option}: 비어 있습니다")
    if len(text) > _MAX_TEXT:
        raise InvalidInputError(
            f"{option}: longer than {_MAX_TEXT} characters",
            ko=f"{option}: {_MAX_TEXT}자보다 깁니다",
        )
    return text


def clean_principal(value: str) -> str:
    text = value.strip()
    if not text or len(text) > 200 or any(c.isspace() or c == "," for c in text):
        raise InvalidInputError(
            f"principal {value[:40]!r}: a user name without spaces or commas",
            ko=f"principal {value[:40]!r}: 공백이나 쉼표가 없는 사용자 이름이어야 합니다",
        )
    return text


def required_dataset(uow: UnitOfWork, dataset_id: str) -> Dataset:
    dataset = uow.datasets.get(dataset_id)
    if dataset is None:
        raise NotFoundError(
            f"dataset {dataset_id!r} not found (see `ethos datasets list`)",
            ko=f"데이터셋 {dataset_id!r}을(를) 찾을 수 없습니다(`ethos datasets list` 참고)",
        )
    return dataset


# What a non-steward may not do to a dataset, in the Korean message.
_ACTION_KO = {
    "dispose of": "폐기할",
    "add a version to": "버전을 추가할",
    "grant access to": "접근을 허용할",
    "revoke access to": "접근 허용을 취소할",
}


def managed_dataset(ctx: ServiceContext, ref: str, action: str) -> Dataset:
    """The dataset, if the actor is its owner or a steward; a refusal is audited."""
    dataset_id, _ = split_ref(ref)
    with ctx.store.for_reading().unit_of_work() as uow:
        dataset = required_dataset(uow, dataset_id)
    if ctx.actor not in dataset.stewards():
        audit_event(
            ctx,
            "dataset.denied",
            f"dataset:{dataset.id}",
            {"dataset": dataset.id, "principal": ctx.actor, "action": action},
        )
        raise AccessDeniedError(
            f"{ctx.actor} may not {action} dataset {dataset.id!r}: only its owner or a steward may",
            ko=(
                f"{ctx.actor}은(는) 데이터셋 {dataset.id!r}에 "
                f"대해 {_ACTION_KO.get(action, action)} "
                "권한이 없습니다. 소유자나 스튜어드만 할 수 있습니다"
            ),
        )
    return dataset


def refuse_disposed(dataset: Dataset) -> None:
    if dataset.disposal is not None:
        raise ConflictError(
            f"dataset {dataset.id!r} was disposed on {dataset.disposal.at.date().isoformat()}",
            ko=(
                f"데이터셋 {dataset.id!r}은(는) {dataset.disposal.at.date().isoformat()}에 "
                "폐기되었습니다"
            ),
        )


# ---------------------------------------------------------------- access


def _refusal(
    dataset: Dataset | None, found: DatasetVersion | None, what: str, who: str
) -> tuple[str, EthosError] | None:
    if dataset is None or found is None:
        return "not_found", NotFoundError(f"{what} not found", ko=f"{what}: 찾을 수 없습니다")
    if dataset.disposal is not None:
        day = dataset.disposal.at.date().isoformat()
        return "disposed", ConflictError(
            f"dataset {dataset.id!r} was disposed on {day}",
            ko=f"데이터셋 {dataset.id!r}은(는) {day}에 폐기되었습니다",
        )
    if not dataset.may_read(who):
        return "not_allowed", AccessDeniedError(
            f"{who} may not read dataset {dataset.id!r}: not its owner, a steward or on its "
            "allowlist (a steward can grant access: `ethos datasets grant`)",
            ko=(
                f"{who}은(는) 데이터셋 {dataset.id!r}을(를) "
                "읽을 수 없습니다. 소유자나 스튜어드가 아니고 허용 목록에도 "
                "없습니다(스튜어드가 `ethos datasets grant`로 "
                "접근을 허용할 수 있습니다)"
            ),
        )
    return None


def _attempt(ctx: ServiceContext, ref: str, who: str, why: str) -> tuple[Dataset, DatasetVersion]:
    """The dataset version ``who`` asks for, or an audited refusal."""
    dataset_id, version = split_ref(ref)
    with ctx.store.for_reading().unit_of_work() as uow:
        dataset = uow.datasets.get(dataset_id)
    found = dataset.version(version) if dataset is not None else None
    what = f"dataset {dataset_id!r}" + (f" version {version!r}" if version else "")
    refusal = _refusal(dataset, found, what, who)
    if refusal is not None:
        _access_event(ctx, dataset_id[:100], who, why, "denied", reason=refusal[0])
        raise refusal[1]
    assert dataset is not None
    assert found is not None
    return dataset, found


def _access_event(
    ctx: ServiceContext,
    dataset_id: str,
    principal: str,
    purpose: str,
    outcome: str,
    **extra: Any,
) -> None:
    payload = {
        "dataset": dataset_id,
        "principal": principal,
        "purpose": purpose,
        "outcome": outcome,
    }
    audit_event(ctx, "dataset.access", f"dataset:{dataset_id}", payload | extra)


def _check_files(version: DatasetVersion) -> tuple[list[Path], str | None]:
    """The manifest's files, each checked against its size and SHA-256; the first problem."""
    record = version.record
    if record.files.root is None:
        return [], "no folder is recorded for its files (files.root)"
    root, paths = Path(record.files.root), []
    for entry in record.files.manifest:
        try:
            path = _located(root, entry.path)
            sha, size = _sha256(path) if path.is_file() else ("", -1)
        except ConflictError as exc:
            return [], exc.message
        except OSError as exc:
            return [], f"{entry.path}: cannot be read ({exc.strerror or type(exc).__name__})"
        if size < 0:
            return [], f"{entry.path}: missing"
        if (sha, size) != (entry.sha256, entry.bytes):
            return [], f"{entry.path}: content differs from the manifest (sha256 {sha[:12]}...)"
        paths.append(path)
    return paths, None


def verified_version(
    ctx: ServiceContext, ref: str, *, principal: str, purpose: str, require_files: bool = True
) -> tuple[Dataset, DatasetVersion, list[Path]]:
    """Check access and the files of a dataset version; audits the attempt either way.

    Without ``require_files`` a dataset whose files Ethos does not hold is let through with
    no paths (an export describes it from its manifest).
    """
    who, why = clean_principal(principal), clean_text(purpose, "purpose")
    dataset, version = _attempt(ctx, ref, who, why)
    paths, problem = _check_files(version)
    if problem is not None and (require_files or version.record.files.root is not None):
        _access_event(
            ctx, dataset.id, who, why, "refused", version=version.record.version, problem=problem
        )
        raise ConflictError(
            f"dataset {dataset.id!r} version {version.record.version!r}: {problem}; not opened",
            ko=(
                f"데이터셋 {dataset.id!r} 버전 {version.record.version!r}: "
                f"{problem}. 열지 않았습니다"
            ),
        )
    _access_event(
        ctx, dataset.id, who, why, "granted", version=version.record.version, files=len(paths)
    )
    return dataset, version, paths


def open_dataset(
    ctx: ServiceContext, dataset_id: str, *, principal: str, purpose: str
) -> list[Path]:
    """The files of a dataset (``ID`` for the newest version, or ``ID@VERSION``) for
    ``principal`` to read for ``purpose``.

    Refused (:class:`AccessDeniedError`) unless the principal is the owner, a steward or on
    the allowlist; refused for a disposed dataset, and when a file is missing or differs from
    the manifest (the error names the file). Every attempt is audited as ``dataset.access``
    with the dataset, principal, purpose and outcome.
    """
    return verified_version(ctx, dataset_id, principal=principal, purpose=purpose)[2]


def record_scan(
    ctx: ServiceContext, dataset_id: str, kind: str = "pii", summary: Any = None
) -> Dataset:
    """Keep the summary of a PII or toxicity scan (counts by type only) with the dataset."""
    scan_kind = parse_enum(ScanKind, kind, field="kind")
    counts = parse_scan_summary(summary)
    ident, _ = split_ref(dataset_id)
    with ctx.store.unit_of_work() as uow:
        dataset = required_dataset(uow, ident)
        refuse_disposed(dataset)
        uow.datasets.add_scan(ident, scan_kind, counts, by=ctx.actor, at=ctx.clock())
        uow.record(
            at=ctx.clock(),
            actor=ctx.actor,
            action="dataset.scan",
            subject=f"dataset:{ident}",
            payload={"dataset": ident, "kind": scan_kind.value, "counts": counts},
        )
        return required_dataset(uow, ident)


# ---------------------------------------------------------------- disposal


def _disposal_plan(dataset: Dataset) -> list[tuple[Path, Path]]:
    """(managed folder, file) of every file of every version; refuses the whole plan when a
    path would lead outside its folder."""
    plan: dict[Path, Path] = {}
    for version in dataset.versions:
        files = version.record.files
        if files.root is None:
            continue
        root = Path(files.root).resolve()
        if root == Path(root.anchor):
            raise ConflictError(
                f"dataset {dataset.id!r}: files.root is a file-system root",
                ko=f"데이터셋 {dataset.id!r}: files.root가 파일 시스템의 루트입니다",
            )
        for entry in files.manifest:
            try:
                plan.setdefault(_located(root, entry.path), root)
            except ConflictError as exc:
                raise ConflictError(
                    f"dataset {dataset.id!r} version {version.record.version!r}: {exc.message}; "
                    "nothing was deleted",
                    ko=(
                        f"데이터셋 {dataset.id!r} 버전 {version.record.version!r}: "
                        f"{exc.text('ko')}. 아무것도 지우지 않았습니다"
                    ),
                ) from None
    return [(root, path) for path, root in plan.items()]


def _overwrite(path: Path) -> None:
    size = path.stat().st_size
    zeros = bytes(min(size, _CHUNK))
    with path.open("r+b") as handle:
        left = size
        while left > 0:
            handle.write(zeros[: min(left, len(zeros))])
            left -= len(zeros)
        handle.flush()
        os.fsync(handle.fileno())


def _prune(root: Path, path: Path) -> None:
    folder = path.parent
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def dispose_dataset(ctx: ServiceContext, ref: str, *, method: str, reason: str) -> Dataset:
    """Delete (or overwrite, then delete) the dataset's files under its managed folders, and
    keep the register entry marked disposed with a disposal record (date, method, actor,
    files, bytes). Files already gone are counted as missing. Only the owner or a steward
    may dispose; nothing outside the managed folders is touched.
    """
    how = parse_enum(DisposalMethod, method, field="--method")
    why = clean_text(reason, "--reason")
    dataset = managed_dataset(ctx, ref, "dispose of")
    refuse_disposed(dataset)
    plan = _disposal_plan(dataset)
    deleted = size = missing = 0
    for root, path in plan:
        if not path.exists():
            missing += 1
            continue
        try:
            length = path.stat().st_size
            if how is DisposalMethod.OVERWRITE:
                _overwrite(path)
            path.unlink()
        except OSError as exc:
            problem = f"{path.relative_to(root).as_posix()}: {exc.strerror or type(exc).__name__}"
            audit_event(
                ctx,
                "dataset.dispose_failed",
                f"dataset:{dataset.id}",
                {"dataset": dataset.id, "deleted": deleted, "problem": problem},
            )
            raise ConflictError(
                f"dataset {dataset.id!r}: {problem}; {deleted} file(s) deleted so far, the "
                "dataset is not marked disposed; run dispose again once fixed",
                ko=(
                    f"데이터셋 {dataset.id!r}: {problem}. "
                    f"지금까지 파일 {deleted}개를 지웠고, 데이터셋은 "
                    "폐기로 표시하지 않았습니다. 문제를 고친 뒤 dispose를 "
                    "다시 실행하세요"
                ),
            ) from None
        deleted, size = deleted + 1, size + length
        _prune(root, path)
    disposal = Disposal(ctx.clock(), ctx.actor, how, why, deleted, size, missing)
    with ctx.store.unit_of_work() as uow:
        if not uow.datasets.mark_disposed(dataset.id, disposal):
            raise ConflictError(
                f"dataset {dataset.id!r} was disposed at the same time",
                ko=f"데이터셋 {dataset.id!r}이(가) 같은 시각에 폐기되었습니다",
            )
        uow.record(
            at=disposal.at,
            actor=ctx.actor,
            action="dataset.disposed",
            subject=f"dataset:{dataset.id}",
            payload={"dataset": dataset.id, **disposal.to_json()},
        )
        return required_dataset(uow, dataset.id)
