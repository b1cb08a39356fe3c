"""Use cases of the dataset register (``docs/datasets.md``).

Registering and versioning datasets, linking them to projects, the allowlist, retention, and
what projects read of them: risk-trigger facts and the card's training data. Reading files,
scans and disposal are in :mod:`ethos.services.dataset_access` (re-exported here), exports
in :mod:`ethos.services.dataset_exports`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ethos.domain.dataset_review import unanonymised
from ethos.domain.datasets import (
    Dataset,
    DatasetVersion,
    parse_dataset,
    record_digest,
    split_ref,
)
from ethos.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ethos.domain.licences import LicenceClass, LicencePolicy, any_true
from ethos.domain.projects import Project
from ethos.knowledge.catalogues import default_root
from ethos.knowledge.loading import load_model
from ethos.services.context import ServiceContext, resolve_project
from ethos.services.dataset_access import (
    clean_principal,
    compute_manifest,
    dispose_dataset,
    managed_dataset,
    open_dataset,
    record_scan,
    refuse_disposed,
    required_dataset,
    verified_version,
)
from ethos.store.unit_of_work import UnitOfWork

__all__ = [
    "DueDataset",
    "add_dataset",
    "card_training_data",
    "compute_manifest",
    "dataset_facts",
    "dispose_dataset",
    "due_datasets",
    "get_dataset",
    "grant_access",
    "licence_policy",
    "link_dataset",
    "list_datasets",
    "open_dataset",
    "record_scan",
    "revoke_access",
    "unlink_dataset",
    "verified_version",
]

LICENCES_FILE = "licences.yaml"


@functools.cache
def _policy_at(path: Path) -> LicencePolicy:
    return load_model(path, LicencePolicy)


def licence_policy(ctx: ServiceContext | None = None) -> LicencePolicy:
    """The licence classification: ``licences.yaml`` in the office's content folder if there
    is one, else the one shipped with Ethos."""
    if ctx is not None and ctx.content_root is not None:
        own = ctx.content_root / LICENCES_FILE
        if own.is_file():
            return _policy_at(own.resolve())
    return _policy_at(default_root().parent / LICENCES_FILE)


# ---------------------------------------------------------------- the register


def _with_files(raw: dict[str, Any], manifest_from: Path | None, base_dir: Path | None) -> None:
    files = raw.get("files")
    if manifest_from is not None:
        if isinstance(files, Mapping) and files.get("manifest"):
            raise InvalidInputError(
                "field files.manifest: listed in the file and asked of --manifest-from; give one",
                ko=(
                    "필드 files.manifest: 파일에도 적혀 있고 "
                    "--manifest-from으로도 요청했습니다. 하나만 "
                    "지정하세요"
                ),
            )
        root = manifest_from.expanduser().resolve()
        raw["files"] = {"root": str(root), "manifest": compute_manifest(root)}
    elif isinstance(files, Mapping) and isinstance(files.get("root"), str) and files["root"]:
        root = Path(files["root"]).expanduser()
        if not root.is_absolute() and base_dir is not None:
            root = base_dir / root
        raw["files"] = {**files, "root": str(root.resolve())}


def add_dataset(
    ctx: ServiceContext,
    data: Any,
    *,
    source: str = "dataset",
    manifest_from: Path | None = None,
    base_dir: Path | None = None,
) -> Dataset:
    """Register a dataset version from a mapping (a YAML or JSON file).

    With ``manifest_from`` the manifest is computed from that folder, which becomes the
    dataset's managed folder (``files.root``); a relative ``files.root`` in the file is read
    from ``base_dir``. A new version of a registered dataset keeps the earlier ones, and may
    be added only by its owner or a steward. People on ``access.allowlist`` are granted.
    """
    if not isinstance(data, Mapping):
        raise InvalidInputError(
            f"{source}: expected a mapping (see docs/datasets.md)",
            ko=f"{source}: 매핑이어야 합니다(docs/datasets.md 참고)",
        )
    raw = dict(data)
    try:
        _with_files(raw, manifest_from, base_dir)
    except InvalidInputError as exc:
        raise InvalidInputError(
            f"{source}: {exc.message}", ko=f"{source}: {exc.text('ko')}"
        ) from None
    record = parse_dataset(raw, source=source)
    policy = licence_policy(ctx)
    problems = record.check_licence_class(policy)
    if problems:
        raise InvalidInputError(
            "\n".join(f"{source}: {p}" for p in problems),
            ko="\n".join(f"{source}: {p}" for p in record.check_licence_class(policy, lang="ko")),
        )
    with ctx.store.for_reading().unit_of_work() as uow:
        existing = uow.datasets.get(record.id)
    if existing is not None:
        refuse_disposed(existing)
        if existing.version(record.version) is not None:
            raise ConflictError(
                f"dataset {record.id!r} version {record.version!r} is already registered; "
                "register the change as a new version",
                ko=(
                    f"데이터셋 {record.id!r} 버전 {record.version!r}은(는) "
                    "이미 등록되었습니다. 변경 사항은 새 버전으로 등록하세요"
                ),
            )
        managed_dataset(ctx, record.id, "add a version to")
    now = ctx.clock()
    digest = record_digest(record)
    with ctx.store.unit_of_work() as uow:
        uow.datasets.add_version(record, digest=digest, by=ctx.actor, at=now)
        granted = [
            p
            for p in dict.fromkeys(record.access.allowlist)
            if uow.datasets.grant(record.id, p, by=ctx.actor, at=now)
        ]
        uow.record(
            at=now,
            actor=ctx.actor,
            action="dataset.add",
            subject=f"dataset:{record.id}",
            payload={
                "dataset": record.id,
                "version": record.version,
                "digest": digest,
                "files": len(record.files.manifest),
                "bytes": record.files.total_bytes,
                "licence": record.legal.licence,
                "granted": granted,
            },
        )
        return required_dataset(uow, record.id)


def get_dataset(ctx: ServiceContext, ref: str) -> Dataset:
    """A dataset by id (``ID@VERSION`` is accepted; the version is checked)."""
    dataset_id, version = split_ref(ref)
    with ctx.store.for_reading().unit_of_work() as uow:
        dataset = required_dataset(uow, dataset_id)
    if version is not None and dataset.version(version) is None:
        raise NotFoundError(
            f"dataset {dataset_id!r} has no version {version!r}",
            ko=f"데이터셋 {dataset_id!r}에 버전 {version!r}이(가) 없습니다",
        )
    return dataset


def list_datasets(ctx: ServiceContext) -> list[Dataset]:
    """Every registered dataset, disposed ones included, by id."""
    with ctx.store.for_reading().unit_of_work() as uow:
        return uow.datasets.all()


def link_dataset(ctx: ServiceContext, ref: str, project_ref: str | int) -> bool:
    """Record that a project uses a dataset (``ID`` follows the newest version, ``ID@VERSION``
    pins one); ``False`` when the link was already so."""
    dataset_id, version = split_ref(ref)
    get_dataset(ctx, ref)
    with ctx.store.unit_of_work() as uow:
        dataset = required_dataset(uow, dataset_id)
        refuse_disposed(dataset)
        project = resolve_project(uow, project_ref)
        changed = uow.datasets.link(project.id, dataset_id, version, by=ctx.actor, at=ctx.clock())
        if changed:
            uow.record(
                at=ctx.clock(),
                actor=ctx.actor,
                action="dataset.linked",
                subject=f"project:{project.id}",
                payload={"dataset": dataset_id, "version": version},
            )
    return changed


def unlink_dataset(ctx: ServiceContext, ref: str, project_ref: str | int) -> None:
    """Remove a dataset from a project."""
    dataset_id, _ = split_ref(ref)
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        if not uow.datasets.unlink(project.id, dataset_id):
            raise NotFoundError(
                f"dataset {dataset_id!r} is not linked to {project.name!r}",
                ko=(
                    f"데이터셋 {dataset_id!r}은(는) 과제 {project.name!r}에 연결되어 있지 않습니다"
                ),
            )
        uow.record(
            at=ctx.clock(),
            actor=ctx.actor,
            action="dataset.unlinked",
            subject=f"project:{project.id}",
            payload={"dataset": dataset_id},
        )


def grant_access(ctx: ServiceContext, ref: str, principal: str) -> bool:
    """Put ``principal`` on the allowlist (owner or steward only); ``False`` if already on it."""
    who = clean_principal(principal)
    dataset = managed_dataset(ctx, ref, "grant access to")
    refuse_disposed(dataset)
    with ctx.store.unit_of_work() as uow:
        added = uow.datasets.grant(dataset.id, who, by=ctx.actor, at=ctx.clock())
        if added:
            uow.record(
                at=ctx.clock(),
                actor=ctx.actor,
                action="dataset.grant",
                subject=f"dataset:{dataset.id}",
                payload={"dataset": dataset.id, "principal": who},
            )
    return added


def revoke_access(ctx: ServiceContext, ref: str, principal: str) -> bool:
    """Take ``principal`` off the allowlist (owner or steward only); ``False`` if not on it.

    The owner and stewards read by the record itself; a new version changes them.
    """
    who = clean_principal(principal)
    dataset = managed_dataset(ctx, ref, "revoke access to")
    if who in dataset.stewards() and who not in dataset.allowlist:
        raise ConflictError(
            f"{who} is the owner or a steward of {dataset.id!r} by its record; register a new "
            "version to change that",
            ko=(
                f"{who}은(는) 데이터셋 {dataset.id!r}의 "
                "기록상 소유자나 스튜어드입니다. 바꾸려면 새 버전을 등록하세요"
            ),
        )
    with ctx.store.unit_of_work() as uow:
        removed = uow.datasets.revoke(dataset.id, who)
        if removed:
            uow.record(
                at=ctx.clock(),
                actor=ctx.actor,
                action="dataset.revoke",
                subject=f"dataset:{dataset.id}",
                payload={"dataset": dataset.id, "principal": who},
            )
    return removed


@dataclass(frozen=True, slots=True)
class DueDataset:
    dataset: Dataset
    retain_until: dt.date
    days_over: int


def due_datasets(ctx: ServiceContext, *, as_of: dt.date | None = None) -> list[DueDataset]:
    """Datasets not yet disposed whose newest version's retention date has passed."""
    day = as_of or ctx.clock().date()
    due = []
    for dataset in list_datasets(ctx):
        until = dataset.current.record.retention.retain_until
        if dataset.disposal is None and until is not None and until < day:
            due.append(DueDataset(dataset, until, (day - until).days))
    return sorted(due, key=lambda d: (d.retain_until, d.dataset.id))


# ---------------------------------------------------------------- projects: facts and card


def _linked(uow: UnitOfWork, project_id: int) -> list[tuple[Dataset, DatasetVersion]]:
    linked = []
    for dataset_id, pinned in uow.datasets.links_of_project(project_id):
        dataset = uow.datasets.get(dataset_id)
        if dataset is not None:
            linked.append((dataset, dataset.version(pinned) or dataset.current))
    return linked


def dataset_facts(
    uow: UnitOfWork, project: Project, *, policy: LicencePolicy | None = None
) -> dict[str, Any]:
    """What risk triggers may read of the datasets a project uses.

    ``datasets.count`` always; with at least one dataset linked, ``datasets.licence_unknown``,
    ``datasets.share_alike``, ``datasets.non_commercial``, ``datasets.no_derivatives``,
    ``datasets.personal_data_unanonymised`` and ``datasets.representativeness_missing``: true
    when it holds for any linked dataset, false when for none, and left out when unknown.
    """
    linked = _linked(uow, project.id)
    facts: dict[str, Any] = {"datasets.count": len(linked)}
    if not linked:
        return facts
    terms = [(d, v, v.record.terms(policy or licence_policy())) for d, v in linked]
    facts |= {
        "datasets.licence_unknown": any(t.cls is LicenceClass.UNKNOWN for _, _, t in terms),
        "datasets.share_alike": any_true([t.share_alike for _, _, t in terms]),
        "datasets.non_commercial": any_true([t.non_commercial for _, _, t in terms]),
        "datasets.no_derivatives": any(t.cls is LicenceClass.NO_DERIVATIVES for _, _, t in terms),
        "datasets.personal_data_unanonymised": any_true([unanonymised(d, v) for d, v, _ in terms]),
        "datasets.representativeness_missing": any(
            not v.record.representativeness.documented for _, v, _ in terms
        ),
    }
    return {k: v for k, v in facts.items() if v is not None}


_REGISTERED = {"en": "registered dataset {id}", "ko": "등록 데이터셋 {id}"}
_DISPOSED = {"en": "disposed {day}", "ko": "{day} 폐기"}


def card_training_data(uow: UnitOfWork, project_id: int, *, lang: str) -> list[dict[str, str]]:
    """The datasets linked to a project as the card lists training data."""
    entries = []
    for dataset, version in _linked(uow, project_id):
        note = _REGISTERED[lang].format(id=dataset.id)
        if dataset.disposal is not None:
            note += "; " + _DISPOSED[lang].format(day=dataset.disposal.at.date().isoformat())
        record = version.record
        entries.append(
            {
                "name": record.title,
                "version": record.version,
                "licence": record.legal.licence,
                "description": note,
            }
        )
    return entries
