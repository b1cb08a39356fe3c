"""Ethics-office records: added, read, and withdrawn (never deleted, never edited in place)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ethos.domain.office import (
    OfficeKind,
    OfficeRecord,
    OfficeRecordData,
    canonical_data,
    parse_office_record,
)
from ethos.store.tables import OfficeRecordRow

__all__ = ["OfficeRecordRepository"]


def _record(row: OfficeRecordRow) -> OfficeRecord:
    body = parse_office_record(json.loads(row.data), source=f"stored office record {row.id}")
    return OfficeRecord(
        id=row.id,
        body=body,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        withdrawn_at=row.withdrawn_at,
        withdrawn_reason=row.withdrawn_reason,
        replaced_by=row.replaced_by,
    )


class OfficeRecordRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, body: OfficeRecordData, *, created_by: str, created_at: dt.datetime
    ) -> OfficeRecord:
        row = OfficeRecordRow(
            kind=body.kind,
            main_date=body.main_date,
            end_date=body.end_date,
            year=body.main_date.year,
            data=json.dumps(canonical_data(body), sort_keys=True, ensure_ascii=False),
            created_at=created_at,
            created_by=created_by,
            updated_at=created_at,
        )
        self._session.add(row)
        self._session.flush()
        return _record(row)

    def get(self, record_id: int) -> OfficeRecord | None:
        row = self._session.get(OfficeRecordRow, record_id)
        return _record(row) if row else None

    def list(
        self,
        *,
        kind: OfficeKind | None = None,
        year: int | None = None,
        include_withdrawn: bool = False,
    ) -> list[OfficeRecord]:
        """Records oldest first; ``year`` keeps those active in it (see
        :meth:`OfficeRecord.active_in`)."""
        query = select(OfficeRecordRow)
        if kind is not None:
            query = query.where(OfficeRecordRow.kind == kind.value)
        if year is not None:
            query = query.where(
                OfficeRecordRow.main_date <= dt.date(year, 12, 31),
                or_(
                    OfficeRecordRow.end_date.is_(None),
                    OfficeRecordRow.end_date >= dt.date(year, 1, 1),
                ),
            )
        if not include_withdrawn:
            query = query.where(OfficeRecordRow.withdrawn_at.is_(None))
        query = query.order_by(OfficeRecordRow.main_date, OfficeRecordRow.id)
        return [_record(row) for row in self._session.scalars(query)]

    def withdraw(
        self,
        record_id: int,
        *,
        reason: str,
        at: dt.datetime,
        replaced_by: int | None = None,
    ) -> bool:
        """Mark a record withdrawn; ``False`` when it does not exist or already was."""
        result = self._session.execute(
            update(OfficeRecordRow)
            .where(OfficeRecordRow.id == record_id, OfficeRecordRow.withdrawn_at.is_(None))
            .values(
                withdrawn_at=at, withdrawn_reason=reason, replaced_by=replaced_by, updated_at=at
            )
            .execution_options(synchronize_session="fetch")
        )
        self._session.flush()
        return bool(getattr(result, "rowcount", 0))
