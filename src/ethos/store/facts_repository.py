"""Intake facts per project: every recorded revision is kept; the newest is current."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ethos.store.tables import ProjectFactsRow

__all__ = ["FactsRepository", "StoredFacts"]


@dataclass(frozen=True, slots=True)
class StoredFacts:
    project_id: int
    revision: int
    schema: str
    data: dict[str, Any]
    digest: str
    recorded_by: str
    recorded_at: datetime


def _stored(row: ProjectFactsRow) -> StoredFacts:
    return StoredFacts(
        project_id=row.project_id,
        revision=row.revision,
        schema=row.schema,
        data=json.loads(row.data),
        digest=row.digest,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


class FactsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def current(self, project_id: int) -> StoredFacts | None:
        row = self._session.scalars(
            select(ProjectFactsRow)
            .where(ProjectFactsRow.project_id == project_id)
            .order_by(ProjectFactsRow.revision.desc())
            .limit(1)
        ).first()
        return _stored(row) if row else None

    def history(self, project_id: int) -> list[StoredFacts]:
        rows = self._session.scalars(
            select(ProjectFactsRow)
            .where(ProjectFactsRow.project_id == project_id)
            .order_by(ProjectFactsRow.revision)
        )
        return [_stored(r) for r in rows]

    def add(
        self,
        *,
        project_id: int,
        schema: str,
        data: Mapping[str, Any],
        digest: str,
        recorded_by: str,
        recorded_at: datetime,
    ) -> StoredFacts:
        last = self._session.scalar(
            select(func.max(ProjectFactsRow.revision)).where(
                ProjectFactsRow.project_id == project_id
            )
        )
        row = ProjectFactsRow(
            project_id=project_id,
            revision=(last or 0) + 1,
            schema=schema,
            data=json.dumps(data, sort_keys=True, ensure_ascii=False),
            digest=digest,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
        )
        self._session.add(row)
        self._session.flush()
        return _stored(row)
