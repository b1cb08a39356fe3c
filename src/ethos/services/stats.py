"""``ethos stats``: the figures of a year, each traceable to the records it counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ethos.domain.errors import InvalidInputError
from ethos.domain.profile import compute_profile
from ethos.domain.projects import Project
from ethos.domain.stats import FindingRecord, YearData, compute_stats
from ethos.services.cards import reassessment_due
from ethos.services.context import ServiceContext

__all__ = ["Records", "load_records", "year_stats"]

FIRST_YEAR = 2000


@dataclass(frozen=True)
class Records:
    """All that the statistics and the report read, loaded in one transaction."""

    data: YearData
    check_records: list[tuple[int, int, str, datetime]]
    project_names: dict[int, str]

    @property
    def projects(self) -> list[Project]:
        return list(self.data.projects)

    @property
    def findings(self) -> list[FindingRecord]:
        return list(self.data.findings)


def load_records(ctx: ServiceContext) -> Records:
    """Load projects, findings, profiles and card issues with a few bulk reads."""
    due = [d["project"] for d in reassessment_due(ctx)]
    with ctx.store.unit_of_work() as uow:
        repo = uow.stats
        projects = repo.projects()
        findings = repo.findings()
        first_cards = repo.first_card_issues()
        members = repo.members()
        answers = repo.answers()
        consensus = repo.consensus()
        checks = repo.check_records()
    means: dict[int, dict[str, float]] = {}
    items: dict[int, dict[str, float]] = {}
    for project in projects:
        if project.stage1_closed_at is None:
            continue
        key = (project.id, project.questionnaire_id, project.questionnaire_version)
        questionnaire = ctx.questionnaires.get(*key[1:])
        profile = compute_profile(
            questionnaire, members.get(project.id, []), answers.get(key, []), consensus.get(key, [])
        )
        means[project.id] = {
            dim: stats.mean for dim, stats in profile.dimensions.items() if stats.mean is not None
        }
        items[project.id] = {
            item_id: score
            for item_id, item in profile.items.items()
            if (score := item.score) is not None
        }
    data = YearData(projects, findings, first_cards, means, due, items)
    return Records(data, checks, {p.id: p.name for p in projects})


def check_year(year: int, now: datetime) -> None:
    if not FIRST_YEAR <= year <= now.year:
        raise InvalidInputError(
            f"--year: {year} is not between {FIRST_YEAR} and {now.year}",
            ko=f"--year: {year}은(는) {FIRST_YEAR}년과 {now.year}년 사이가 아닙니다",
        )


def year_stats(ctx: ServiceContext, year: int, records: Records | None = None) -> dict[str, Any]:
    """The statistics of ``year`` (see :mod:`ethos.domain.stats` for the definitions)."""
    now = ctx.clock()
    check_year(year, now)
    loaded = records if records is not None else load_records(ctx)
    return compute_stats(loaded.data, year, as_of=now)
