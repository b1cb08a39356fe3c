"""Portfolio statistics for a calendar year, every figure with the ids of what it counts.

Definitions (also in ``docs/report.md``): the year is ``[Y-01-01, Y+1-01-01)`` in UTC.
An assessment *starts* when its project is created, finishes stage 1 when stage 1 is
closed, and *completes* when its first card is issued. The findings of a year are those
created in it, withdrawn ones left out. Open P1 and P2 findings and projects due for
re-assessment are counted as of the moment the statistics are computed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from ethos.domain.projects import Project

__all__ = [
    "DATA_CATEGORIES",
    "STATS_SCHEMA",
    "FindingRecord",
    "YearData",
    "compute_stats",
    "year_bounds",
]

STATS_SCHEMA = "ethos.stats/1"
DATA_CATEGORIES = ("data_copyright", "data_sensitive", "data_representativeness")
RESOLVED = frozenset({"resolved", "verified", "accepted"})
OPEN = frozenset({"open", "resolved"})  # not yet verified, accepted or withdrawn


@dataclass(frozen=True, slots=True)
class FindingRecord:
    """What statistics need of a finding."""

    id: int
    project_id: int
    source: str
    catalogue_id: str | None
    clause_id: str | None
    category: str
    priority: str
    status: str
    created_at: datetime
    decided_at: datetime | None
    mitigations: tuple[str, ...] = ()
    title_en: str = ""
    title_ko: str = ""
    rationale: str = ""


@dataclass(frozen=True)
class YearData:
    """Everything the statistics read, loaded once."""

    projects: Sequence[Project]
    findings: Sequence[FindingRecord]
    first_cards: Mapping[int, datetime]
    dimension_means: Mapping[int, Mapping[str, float]]  # stage-1 profile per project
    due: Sequence[int]  # projects due for re-assessment now
    item_scores: Mapping[int, Mapping[str, float]] = field(default_factory=dict)


@cache
def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def _within(moment: datetime | None, year: int) -> bool:
    if moment is None:
        return False
    start, end = year_bounds(year)
    return start <= moment < end


def _count(ids: Iterable[int]) -> dict[str, Any]:
    listed = sorted(ids)
    return {"count": len(listed), "ids": listed}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _groups(findings: Sequence[FindingRecord], key: str, total: int) -> dict[str, Any]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for f in findings:
        grouped[getattr(f, key)].append(f.id)
    return {
        name: {**_count(ids), "share": _share(len(ids), total)}
        for name, ids in sorted(grouped.items())
    }


def _core(data: YearData, year: int) -> dict[str, Any]:
    """The figures compared year on year."""
    types = {p.id: p.type.value for p in data.projects}
    found = [f for f in data.findings if _within(f.created_at, year) and f.status != "withdrawn"]
    total = len(found)
    by_type: dict[str, Any] = {}
    for kind in sorted({types[f.project_id] for f in found}):
        subset = [f for f in found if types[f.project_id] == kind]
        by_type[kind] = {
            **_count(f.id for f in subset),
            "share": _share(len(subset), total),
            "by_category": _groups(subset, "category", len(subset)),
        }
    verified = [f for f in data.findings if f.status == "verified" and _within(f.decided_at, year)]
    days = [
        (f.decided_at - f.created_at).total_seconds() / 86400
        for f in verified
        if f.decided_at is not None
    ]
    data_ids = [f.id for f in found if f.category in DATA_CATEGORIES]
    return {
        "assessments": {
            "started": _count(p.id for p in data.projects if _within(p.created_at, year)),
            "stage1_closed": _count(
                p.id for p in data.projects if _within(p.stage1_closed_at, year)
            ),
            "completed": _count(pid for pid, at in data.first_cards.items() if _within(at, year)),
        },
        "findings": {
            **_count(f.id for f in found),
            "by_category": _groups(found, "category", total),
            "data_problems": {**_count(data_ids), "share": _share(len(data_ids), total)},
            "by_project_type": by_type,
            "by_priority": _groups(found, "priority", total),
            "by_source": _groups(found, "source", total),
            "resolved": {
                **_count(f.id for f in found if f.status in RESOLVED),
                "share": _share(sum(f.status in RESOLVED for f in found), total),
            },
            "verified": {
                **_count(f.id for f in found if f.status == "verified"),
                "share": _share(sum(f.status == "verified" for f in found), total),
            },
        },
        "verification": {
            **_count(f.id for f in verified),
            "median_days": round(statistics.median(days), 2) if days else None,
        },
    }


def _change(now: Any, before: Any) -> Any:
    """Differences of every count and share between two :func:`_core` results."""
    if isinstance(now, dict) and isinstance(before, dict):
        out = {}
        for key in now:
            if key == "ids":
                continue
            if key in before:
                diff = _change(now[key], before[key])
                if diff is not None and diff != {}:
                    out[key] = diff
            elif isinstance(now[key], dict) and "count" in now[key]:
                out[key] = _change(now[key], {"count": 0})
        return out
    if isinstance(now, int | float) and isinstance(before, int | float):
        if isinstance(now, bool) or isinstance(before, bool):
            return None
        return round(now - before, 4)
    return None


def _distribution(
    closed: Sequence[int], scores: Mapping[int, Mapping[str, float]]
) -> dict[str, Any]:
    """Per key (a dimension or an item): how many of the ``closed`` projects have a score,
    their mean, and the projects by score rounded half up to 1-5."""
    bins: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    values: dict[str, list[float]] = defaultdict(list)
    for pid in closed:
        for key, value in scores.get(pid, {}).items():
            bins[key][min(5, max(1, int(value + 0.5)))].append(pid)
            values[key].append(value)
    return {
        key: {
            "projects": len(values[key]),
            "mean": round(statistics.fmean(values[key]), 2),
            "histogram": {str(score): _count(bins[key].get(score, [])) for score in range(1, 6)},
        }
        for key in sorted(values)
    }


def _profiles(data: YearData, year: int) -> dict[str, Any]:
    closed = [p.id for p in data.projects if _within(p.stage1_closed_at, year)]
    return _distribution(closed, data.dimension_means)


def _items(data: YearData, year: int) -> dict[str, Any]:
    closed = [p.id for p in data.projects if _within(p.stage1_closed_at, year)]
    return _distribution(closed, data.item_scores)


def compute_stats(data: YearData, year: int, *, as_of: datetime) -> dict[str, Any]:
    """The statistics of ``year``, compared with the year before."""
    current = _core(data, year)
    previous = _core(data, year - 1)
    open_now = [f for f in data.findings if f.status in OPEN]
    return {
        "schema": STATS_SCHEMA,
        "year": year,
        "as_of": as_of.isoformat(timespec="seconds"),
        **current,
        "open": {
            level: _count(f.id for f in open_now if f.priority == level) for level in ("P1", "P2")
        },
        "reassessment_due": _count(data.due),
        "profiles": _profiles(data, year),
        "items": _items(data, year),
        "previous_year": {"year": year - 1, **previous},
        "change": _change(current, previous),
    }
