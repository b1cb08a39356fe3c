"""Crosswalks: how Ethos's own practices answer each framework, and framework to framework.

A *practice* is something Ethos asks or does: a stage-1 questionnaire item
(``item:decision-impact``), a risk-catalogue entry (``risk:training-data-licence-unclear``)
or a mitigation (``mitigation:pii-scan-anonymisation``). The crosswalk file maps each
practice to framework nodes with a relationship read as *practice REL node*:

- ``equal``: the practice and the clause ask for the same thing;
- ``subset``: the practice covers part of what the clause asks;
- ``superset``: the practice covers all the clause asks, and more;
- ``intersects``: they overlap, neither contains the other.

Two frameworks are then linked through the practices they share (:func:`via_practices`);
the relationship of the derived pair is composed, and is ``related`` when set logic cannot
say more than "both touch the same practice".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ethos.domain.validation import invalid

__all__ = [
    "CROSSWALK_SCHEMA",
    "PRACTICE_KINDS",
    "Crosswalk",
    "CrosswalkLink",
    "Mapping_",
    "Relationship",
    "compose",
    "inverse",
    "via_practices",
]

CROSSWALK_SCHEMA = "ethos.crosswalk/1"
PRACTICE_KINDS = ("item", "risk", "mitigation")

PracticeId = Annotated[
    str, StringConstraints(pattern=r"^(item|risk|mitigation):[a-z0-9][a-z0-9_-]*$")
]
NodeRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*:\S+$")]


class Relationship(StrEnum):
    EQUAL = "equal"
    SUBSET = "subset"
    SUPERSET = "superset"
    INTERSECTS = "intersects"
    RELATED = "related"  # derived only: both sides touch one practice


_INVERSE = {
    Relationship.SUBSET: Relationship.SUPERSET,
    Relationship.SUPERSET: Relationship.SUBSET,
}


def inverse(rel: Relationship) -> Relationship:
    """``node REL practice`` from ``practice REL node``."""
    return _INVERSE.get(rel, rel)


def compose(first: Relationship, second: Relationship) -> Relationship:
    """``a R b`` from ``a first p`` and ``p second b``, as far as set logic allows.

    ``intersects`` in a result means the two overlap at least (they share ``p`` or part of
    it); ``related`` means nothing more can be said than that both touch ``p``.
    """
    s, e, sub, sup, x = (
        second,
        Relationship.EQUAL,
        Relationship.SUBSET,
        Relationship.SUPERSET,
        Relationship.INTERSECTS,
    )
    if first is e:
        return s
    if s is e or (first is s and first in (sub, sup)):
        return first
    if (first, s) in ((sup, x), (x, sub), (sup, sub)):
        return x  # a contains p, or b contains p: both hold part of p in common
    return Relationship.RELATED


class Mapping_(BaseModel):  # noqa: N801 - "Mapping" is taken by collections.abc
    """One practice-to-node link."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    node: NodeRef
    rel: Literal["equal", "subset", "superset", "intersects"]
    note: str | None = None

    @property
    def relationship(self) -> Relationship:
        return Relationship(self.rel)


class Crosswalk(BaseModel):
    """The versioned file of every practice's mappings."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_: Literal["ethos.crosswalk/1"] = Field(alias="schema")
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
    version: Annotated[int, Field(ge=1)]
    released: date
    practices: dict[PracticeId, Annotated[list[Mapping_], Field(min_length=1)]]

    @field_validator("practices")
    @classmethod
    def _no_repeats(cls, value: dict[str, list[Mapping_]]) -> dict[str, list[Mapping_]]:
        for practice, links in value.items():
            nodes = [m.node for m in links]
            repeated = sorted({n for n in nodes if nodes.count(n) > 1})
            if repeated:
                raise invalid(
                    f"{practice}: node(s) mapped twice: {', '.join(repeated)}",
                    f"{practice}: 두 번 연결된 노드: {', '.join(repeated)}",
                )
        return value

    def nodes(self) -> set[str]:
        """Every node id the crosswalk names."""
        return {m.node for links in self.practices.values() for m in links}

    def mappings_of(self, practice: str) -> list[Mapping_]:
        return list(self.practices.get(practice, []))

    def practices_for(self, node_ids: Iterable[str]) -> dict[str, list[Mapping_]]:
        """Practices mapped to any of ``node_ids``, with the matching links."""
        wanted = set(node_ids)
        found: dict[str, list[Mapping_]] = {}
        for practice, links in self.practices.items():
            hits = [m for m in links if m.node in wanted]
            if hits:
                found[practice] = hits
        return found


@dataclass(frozen=True, slots=True)
class CrosswalkLink:
    """``source REL target`` through ``practice``."""

    source: str
    target: str
    relationship: Relationship
    practice: str


def via_practices(
    crosswalk: Crosswalk,
    framework_of: Mapping[str, str] | None,
    source: str,
    target: str,
) -> list[CrosswalkLink]:
    """Links from nodes of framework ``source`` to nodes of ``target`` via shared practices.

    ``framework_of`` maps a node id to its framework id (by default the part before ``:``).
    The result is ordered by source node, target node and practice.
    """

    def framework(node: str) -> str:
        if framework_of is not None and node in framework_of:
            return framework_of[node]
        return node.split(":", 1)[0]

    links: list[CrosswalkLink] = []
    for practice, mappings in crosswalk.practices.items():
        froms = [m for m in mappings if framework(m.node) == source]
        tos = [m for m in mappings if framework(m.node) == target]
        for a in froms:
            for b in tos:
                if a.node == b.node:
                    continue
                rel = compose(inverse(a.relationship), b.relationship)
                links.append(CrosswalkLink(a.node, b.node, rel, practice))
    links.sort(key=lambda link: (link.source, link.target, link.practice))
    return links
