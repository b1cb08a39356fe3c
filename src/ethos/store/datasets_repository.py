"""The dataset register: versions, allowlists, links to projects, scans, disposal."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ethos.domain.datasets import (
    Dataset,
    DatasetRecord,
    DatasetVersion,
    Disposal,
    DisposalMethod,
    ScanKind,
    ScanSummary,
    parse_dataset,
)
from ethos.store.tables import (
    DatasetGrantRow,
    DatasetLinkRow,
    DatasetRow,
    DatasetScanRow,
    DatasetVersionRow,
)

__all__ = ["DatasetRepository"]


def _json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _disposal(text: str | None) -> Disposal | None:
    if text is None:
        return None
    raw = json.loads(text)
    return Disposal(
        at=dt.datetime.fromisoformat(raw["at"]),
        by=raw["by"],
        method=DisposalMethod(raw["method"]),
        reason=raw["reason"],
        files=raw["files"],
        bytes=raw["bytes"],
        missing=raw["missing"],
    )


class DatasetRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _dataset(self, row: DatasetRow) -> Dataset:
        versions = self._session.scalars(
            select(DatasetVersionRow)
            .where(DatasetVersionRow.dataset_id == row.id)
            .order_by(DatasetVersionRow.id)
        )
        grants = self._session.scalars(
            select(DatasetGrantRow.principal)
            .where(DatasetGrantRow.dataset_id == row.id)
            .order_by(DatasetGrantRow.principal)
        )
        projects = self._session.scalars(
            select(DatasetLinkRow.project_id)
            .where(DatasetLinkRow.dataset_id == row.id)
            .order_by(DatasetLinkRow.project_id)
        )
        scans: dict[ScanKind, ScanSummary] = {}
        for scan in self._session.scalars(
            select(DatasetScanRow)
            .where(DatasetScanRow.dataset_id == row.id)
            .order_by(DatasetScanRow.id)
        ):
            kind = ScanKind(scan.kind)
            scans[kind] = ScanSummary(
                kind, json.loads(scan.summary), scan.recorded_by, scan.recorded_at
            )
        return Dataset(
            id=row.id,
            versions=tuple(
                DatasetVersion(
                    record=parse_dataset(json.loads(v.data), source=f"stored dataset {row.id}"),
                    digest=v.digest,
                    recorded_by=v.recorded_by,
                    recorded_at=v.recorded_at,
                )
                for v in versions
            ),
            allowlist=tuple(grants),
            projects=tuple(projects),
            scans=scans,
            disposal=_disposal(row.disposal),
        )

    def get(self, dataset_id: str) -> Dataset | None:
        row = self._session.get(DatasetRow, dataset_id)
        return self._dataset(row) if row else None

    def all(self) -> list[Dataset]:
        rows = self._session.scalars(select(DatasetRow).order_by(DatasetRow.id))
        return [self._dataset(r) for r in rows]

    def add_version(self, record: DatasetRecord, *, digest: str, by: str, at: dt.datetime) -> None:
        """Register ``record`` (creating the dataset with its first version)."""
        if self._session.get(DatasetRow, record.id) is None:
            self._session.add(DatasetRow(id=record.id, created_at=at, created_by=by))
            self._session.flush()
        self._session.add(
            DatasetVersionRow(
                dataset_id=record.id,
                version=record.version,
                data=_json(record.to_json()),
                digest=digest,
                recorded_by=by,
                recorded_at=at,
            )
        )
        self._session.flush()

    def grant(self, dataset_id: str, principal: str, *, by: str, at: dt.datetime) -> bool:
        """Put ``principal`` on the allowlist; ``False`` when already there."""
        if self._session.get(DatasetGrantRow, (dataset_id, principal)) is not None:
            return False
        self._session.add(
            DatasetGrantRow(
                dataset_id=dataset_id, principal=principal, granted_by=by, granted_at=at
            )
        )
        self._session.flush()
        return True

    def revoke(self, dataset_id: str, principal: str) -> bool:
        """Take ``principal`` off the allowlist; ``False`` when not on it."""
        result = self._session.execute(
            delete(DatasetGrantRow).where(
                DatasetGrantRow.dataset_id == dataset_id, DatasetGrantRow.principal == principal
            )
        )
        self._session.flush()
        return bool(getattr(result, "rowcount", 0))

    def link(
        self, project_id: int, dataset_id: str, version: str | None, *, by: str, at: dt.datetime
    ) -> bool:
        """Link (or re-pin) a dataset to a project; ``False`` when nothing changed."""
        row = self._session.get(DatasetLinkRow, (project_id, dataset_id))
        if row is not None:
            if row.version == version:
                return False
            row.version, row.linked_by, row.linked_at = version, by, at
        else:
            self._session.add(
                DatasetLinkRow(
                    project_id=project_id,
                    dataset_id=dataset_id,
                    version=version,
                    linked_by=by,
                    linked_at=at,
                )
            )
        self._session.flush()
        return True

    def unlink(self, project_id: int, dataset_id: str) -> bool:
        result = self._session.execute(
            delete(DatasetLinkRow).where(
                DatasetLinkRow.project_id == project_id, DatasetLinkRow.dataset_id == dataset_id
            )
        )
        self._session.flush()
        return bool(getattr(result, "rowcount", 0))

    def links_of_project(self, project_id: int) -> list[tuple[str, str | None]]:
        """(dataset id, pinned version or ``None``) of every dataset a project uses."""
        rows = self._session.execute(
            select(DatasetLinkRow.dataset_id, DatasetLinkRow.version)
            .where(DatasetLinkRow.project_id == project_id)
            .order_by(DatasetLinkRow.dataset_id)
        )
        return [(d, v) for d, v in rows]

    def add_scan(
        self,
        dataset_id: str,
        kind: ScanKind,
        counts: Mapping[str, int],
        *,
        by: str,
        at: dt.datetime,
    ) -> None:
        self._session.add(
            DatasetScanRow(
                dataset_id=dataset_id,
                kind=kind.value,
                summary=_json(counts),
                recorded_by=by,
                recorded_at=at,
            )
        )
        self._session.flush()

    def mark_disposed(self, dataset_id: str, disposal: Disposal) -> bool:
        """Record the disposal; ``False`` when the dataset was already disposed."""
        result = self._session.execute(
            update(DatasetRow)
            .where(DatasetRow.id == dataset_id, DatasetRow.disposed_at.is_(None))
            .values(disposed_at=disposal.at, disposal=_json(disposal.to_json()))
            .execution_options(synchronize_session="fetch")
        )
        self._session.flush()
        return bool(getattr(result, "rowcount", 0))
