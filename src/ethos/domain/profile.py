"""The stage-1 profile: how exposed a project is, per dimension, and where members disagree.

Aggregation rules (also in docs/stage1.md):

* an item's score is the task force's consensus when one is recorded, otherwise the mean
  of the members' answers;
* a dimension's ``mean`` is the mean of its answered items' scores, each item weighing the
  same; ``min`` and ``max`` are the lowest and highest individual answers in it; ``by_role``
  is the mean of the individual answers given by members holding each role;
* an item is flagged for discussion when its highest and lowest answers differ by the
  questionnaire's ``discussion_spread`` (2 points) or more;
* stage 1 is complete when every role is on the task force, for every item at least one
  member of each role it is meant for has answered it, and every flagged item has a
  consensus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from statistics import fmean

from ethos.domain.projects import Member, Role, missing_roles
from ethos.domain.questionnaire import Questionnaire

__all__ = [
    "Answer",
    "Consensus",
    "DimensionStats",
    "ItemStats",
    "Profile",
    "compute_profile",
]


@dataclass(frozen=True, slots=True)
class Answer:
    """One member's score for one item, with an optional comment."""

    member_id: int
    item_id: str
    score: int
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Consensus:
    """The score the task force agreed on for an item, and why."""

    item_id: str
    score: int
    note: str
    recorded_by: str = ""


@dataclass(frozen=True, slots=True)
class ItemStats:
    """Answers to one item and how far apart they are."""

    item_id: str
    dimension: str
    scores: Mapping[int, int]
    consensus: int | None

    @property
    def spread(self) -> int:
        """Highest minus lowest answer; 0 with fewer than two answers."""
        return max(self.scores.values()) - min(self.scores.values()) if self.scores else 0

    @property
    def score(self) -> float | None:
        """Consensus if recorded, else the mean answer, else ``None``."""
        if self.consensus is not None:
            return float(self.consensus)
        return fmean(self.scores.values()) if self.scores else None


@dataclass(frozen=True, slots=True)
class DimensionStats:
    """Summary of one dimension; ``None`` where nothing was answered yet."""

    mean: float | None
    min: int | None
    max: int | None
    by_role: Mapping[Role, float]
    answers: int


@dataclass(frozen=True, slots=True)
class Profile:
    """The stage-1 profile of a project against one questionnaire version."""

    questionnaire_id: str
    questionnaire_version: int
    dimensions: Mapping[str, DimensionStats]
    items: Mapping[str, ItemStats]
    discuss: list[str]
    consensus: Mapping[str, int]
    missing_roles: list[Role]
    unanswered: Mapping[Role, list[str]] = field(default_factory=dict)

    @property
    def awaiting_consensus(self) -> list[str]:
        """Flagged items that have no consensus yet."""
        return [i for i in self.discuss if i not in self.consensus]

    @property
    def stage1_complete(self) -> bool:
        """Whether the task force has finished stage 1 (see the module docstring)."""
        return (
            not self.missing_roles
            and not any(self.unanswered.values())
            and not self.awaiting_consensus
        )


def compute_profile(
    questionnaire: Questionnaire,
    members: Iterable[Member],
    answers: Iterable[Answer],
    consensus: Iterable[Consensus] = (),
) -> Profile:
    """Compute the profile from the task force's answers.

    Parameters
    ----------
    questionnaire
        The version the answers refer to.
    members
        The task force; answers by anyone else are ignored.
    answers
        Every member's latest answer per item.
    consensus
        Scores the task force agreed on for items.
    """
    team = {m.id: m for m in members}
    agreed = {c.item_id: c.score for c in consensus}
    scores: dict[str, dict[int, int]] = {item.id: {} for item in questionnaire.items}
    for answer in answers:
        if answer.member_id in team and answer.item_id in scores:
            scores[answer.item_id][answer.member_id] = answer.score

    items = {
        item.id: ItemStats(item.id, item.dimension, scores[item.id], agreed.get(item.id))
        for item in questionnaire.items
    }
    dimensions = {
        dim.id: _dimension_stats([s for s in items.values() if s.dimension == dim.id], team)
        for dim in questionnaire.dimensions
    }
    discuss = [i for i, s in items.items() if s.spread >= questionnaire.discussion_spread]

    unanswered: dict[Role, list[str]] = {}
    roles_present = {m.role for m in team.values()}
    for role in Role:
        if role not in roles_present:
            continue
        unanswered[role] = [
            item.id
            for item in questionnaire.items_for(role)
            if not any(team[mid].role is role for mid in scores[item.id])
        ]

    return Profile(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        dimensions=dimensions,
        items=items,
        discuss=discuss,
        consensus={i: agreed[i] for i in scores if i in agreed},
        missing_roles=missing_roles(list(team.values())),
        unanswered=unanswered,
    )


def _dimension_stats(items: list[ItemStats], team: Mapping[int, Member]) -> DimensionStats:
    item_scores = [s for s in (i.score for i in items) if s is not None]
    individual = [(mid, v) for i in items for mid, v in i.scores.items()]
    values = [v for _, v in individual]
    by_role: dict[Role, float] = {}
    for role in Role:
        of_role = [v for mid, v in individual if team[mid].role is role]
        if of_role:
            by_role[role] = fmean(of_role)
    return DimensionStats(
        mean=fmean(item_scores) if item_scores else None,
        min=min(values) if values else None,
        max=max(values) if values else None,
        by_role=by_role,
        answers=len(values),
    )
