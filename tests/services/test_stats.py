"""``year_stats`` against a ledger the test keeps itself while seeding random records."""

from __future__ import annotations

import dataclasses
import random
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ethos.domain.catalogue import FindingCategory
from ethos.domain.errors import InvalidInputError
from ethos.services import cards, findings, stats
from ethos.services.context import ServiceContext
from tests.services.conftest import project_with_profile


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


DATA = {"data_copyright", "data_sensitive", "data_representativeness"}
MATRIX = {  # the shipped priority matrix, rows by severity, columns by likelihood 1-5
    5: ["P2", "P1", "P1", "P1", "P1"],
    4: ["P2", "P2", "P1", "P1", "P1"],
    3: ["P3", "P2", "P2", "P2", "P1"],
    2: ["P3", "P3", "P2", "P2", "P2"],
    1: ["P3", "P3", "P3", "P3", "P2"],
}


def seed(ctx: ServiceContext, clock: Clock, rng: random.Random) -> dict[str, Any]:
    """Projects in 2025 and 2026 with random manual findings; returns what was made."""
    ledger: dict[str, Any] = {"projects": [], "findings": [], "cards": {}}
    categories = [c.value for c in FindingCategory]
    for index in range(8):
        year = 2025 if index < 3 else 2026
        clock.now = datetime(year, 1 + index, 10, 9, tzinfo=UTC)
        kind = ["product_development", "applied_research", "basic_research"][index % 3]
        fair = 1 + index % 4
        pid = project_with_profile(ctx, fair=fair, safe=2, kind=kind)
        ledger["projects"].append({"id": pid, "year": year, "type": kind, "fair": fair})
        for _ in range(rng.randint(2, 6)):
            sev, lik = rng.randint(1, 5), rng.randint(1, 5)
            category = rng.choice(categories)
            f = findings.add_finding(
                ctx,
                pid,
                category=category,
                title=f"finding {category}",
                severity=sev,
                likelihood=lik,
            )
            entry = {
                "id": f.id,
                "year": year,
                "type": kind,
                "category": category,
                "priority": MATRIX[sev][lik - 1],
                "status": "open",
                "days": None,
            }
            outcome = rng.choice(["open", "resolved", "verified", "verified"])
            if outcome != "open":
                findings.assign_finding(ctx, pid, f.id, owner="T", due=clock.now.date())
                findings.add_evidence(ctx, pid, f.id, url="https://example.org/r", note="report")
                findings.resolve_finding(ctx, pid, f.id, note="done")
                entry["status"] = "resolved"
            if outcome == "verified":
                days = rng.randint(1, 40)
                before = clock.now
                clock.now = before + timedelta(days=days)
                findings.verify_finding(ctx, pid, f.id, member="E")
                clock.now = before
                entry["status"] = "verified"
                entry["days"] = days
                entry["verified_year"] = (before + timedelta(days=days)).year
            ledger["findings"].append(entry)
        if index in (1, 4, 6):
            card = cards.build_card(ctx, pid, lang="en")
            cards.record_issue(ctx, card, rendered=b"card", fmt="md")
            ledger["cards"][pid] = year
    clock.now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    return ledger


@pytest.fixture
def seeded(fctx: ServiceContext) -> tuple[ServiceContext, dict[str, Any]]:
    clock = Clock(datetime(2025, 1, 1, tzinfo=UTC))
    ctx = dataclasses.replace(fctx, clock=clock)
    return ctx, seed(ctx, clock, random.Random(7))


def test_stats_match_an_independent_count(seeded: tuple[ServiceContext, dict[str, Any]]) -> None:
    ctx, ledger = seeded
    got = stats.year_stats(ctx, 2026)
    mine = [f for f in ledger["findings"] if f["year"] == 2026]
    total = len(mine)
    assert got["findings"]["count"] == total
    assert got["findings"]["ids"] == sorted(f["id"] for f in mine)
    by_category = Counter(f["category"] for f in mine)
    assert {k: v["count"] for k, v in got["findings"]["by_category"].items()} == by_category
    for name, figure in got["findings"]["by_category"].items():
        assert figure["share"] == round(by_category[name] / total, 4)
        assert figure["ids"] == sorted(f["id"] for f in mine if f["category"] == name)
    data = [f for f in mine if f["category"] in DATA]
    assert got["findings"]["data_problems"]["count"] == len(data)
    by_priority = Counter(f["priority"] for f in mine)
    assert {k: v["count"] for k, v in got["findings"]["by_priority"].items()} == by_priority
    by_type = Counter(f["type"] for f in mine)
    assert {k: v["count"] for k, v in got["findings"]["by_project_type"].items()} == by_type
    for kind, figure in got["findings"]["by_project_type"].items():
        per_category = Counter(f["category"] for f in mine if f["type"] == kind)
        assert {k: v["count"] for k, v in figure["by_category"].items()} == per_category
    resolved = [f for f in mine if f["status"] in ("resolved", "verified")]
    verified = [f for f in mine if f["status"] == "verified"]
    assert got["findings"]["resolved"]["count"] == len(resolved)
    assert got["findings"]["verified"]["count"] == len(verified)
    in_year = [f for f in ledger["findings"] if f.get("verified_year") == 2026]
    assert got["verification"]["count"] == len(in_year)
    assert got["verification"]["median_days"] == statistics.median(f["days"] for f in in_year)
    still_open = [f for f in ledger["findings"] if f["status"] in ("open", "resolved")]
    for level in ("P1", "P2"):
        expected = sorted(f["id"] for f in still_open if f["priority"] == level)
        assert got["open"][level]["ids"] == expected

    projects_2026 = sorted(p["id"] for p in ledger["projects"] if p["year"] == 2026)
    assert got["assessments"]["started"]["ids"] == projects_2026
    assert got["assessments"]["stage1_closed"]["ids"] == projects_2026
    completed = sorted(pid for pid, year in ledger["cards"].items() if year == 2026)
    assert got["assessments"]["completed"]["ids"] == completed
    assert sum(d["projects"] for d in got["profiles"].values()) > 0
    for dimension in got["profiles"].values():
        counted = sum(b["count"] for b in dimension["histogram"].values())
        assert counted == dimension["projects"] == len(projects_2026)
    # items, from what project_with_profile answers: every member gives fair-a the project's
    # "fair" score and safe-a 2; only the business member answers safe-b, with 1
    items = got["items"]
    ledger_2026 = [p for p in ledger["projects"] if p["year"] == 2026]
    by_fair = {str(n): sorted(p["id"] for p in ledger_2026 if p["fair"] == n) for n in range(1, 6)}
    assert {n: b["ids"] for n, b in items["fair-a"]["histogram"].items()} == by_fair
    assert items["fair-a"]["mean"] == round(statistics.fmean(p["fair"] for p in ledger_2026), 2)
    assert items["safe-a"]["histogram"]["2"]["ids"] == projects_2026
    assert items["safe-b"]["mean"] == 1.0
    assert items["safe-b"]["histogram"]["1"]["ids"] == projects_2026


def test_change_against_the_previous_year(seeded: tuple[ServiceContext, dict[str, Any]]) -> None:
    ctx, ledger = seeded
    got = stats.year_stats(ctx, 2026)
    count = {y: sum(f["year"] == y for f in ledger["findings"]) for y in (2025, 2026)}
    assert got["previous_year"]["year"] == 2025
    assert got["previous_year"]["findings"]["count"] == count[2025]
    assert got["change"]["findings"]["count"] == count[2026] - count[2025]
    started = {y: sum(p["year"] == y for p in ledger["projects"]) for y in (2025, 2026)}
    assert got["change"]["assessments"]["started"]["count"] == started[2026] - started[2025]


def test_a_year_outside_the_record_is_refused(
    seeded: tuple[ServiceContext, dict[str, Any]],
) -> None:
    ctx, _ = seeded
    with pytest.raises(InvalidInputError, match="--year: 2030 is not between 2000 and 2026"):
        stats.year_stats(ctx, 2030)
    empty = stats.year_stats(ctx, 2010)
    assert empty["findings"]["count"] == 0 and empty["findings"]["resolved"]["share"] is None
