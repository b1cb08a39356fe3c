"""Frameworks as data: laws, guidelines and standards as trees of dated, typed nodes.

A framework (the EU AI Act, UNESCO's Recommendation, ISO/IEC 42001 Annex A ...) is a tree
of nodes. Each node has an id ``<framework id>:<local id>`` (``eu-ai-act:art-5.1.c``), the
reference text people cite ("Art. 5(1)(c)"), a type, titles and our own short summaries.
When a node says from when it applies, it keeps a list of dated entries: an amendment such
as the EU's Digital Omnibus deferral is a new entry with its own basis and status, never an
overwrite. Loading and cross-file checks live in :mod:`ethos.knowledge.frameworks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ethos.domain.validation import invalid

__all__ = [
    "Actor",
    "Applicability",
    "ApplicabilityStatus",
    "Framework",
    "FrameworkKind",
    "Node",
    "NodeType",
    "Source",
    "Strength",
    "Text",
    "effective_entry",
    "natural_key",
    "split_node_id",
]

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
FrameworkId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
NodeId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9.-]*$")]
ScopeKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*([_-][a-z0-9]+)*$")]


class _Content(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FrameworkKind(StrEnum):
    REGULATION = "regulation"
    DECREE = "decree"
    GUIDELINE = "guideline"
    RECOMMENDATION = "recommendation"
    STANDARD = "standard"
    CORPORATE_POLICY = "corporate_policy"


class NodeType(StrEnum):
    # normative content
    PROHIBITION = "prohibition"
    OBLIGATION = "obligation"
    CLASSIFICATION = "classification"
    EXEMPTION = "exemption"
    THRESHOLD = "threshold"
    PENALTY = "penalty"
    DEFINITION = "definition"
    PROVISION = "provision"
    VALUE = "value"
    PRINCIPLE = "principle"
    REQUIREMENT = "requirement"
    CONTROL = "control"
    RIGHT = "right"
    DOMAIN = "domain"
    # structure
    CHAPTER = "chapter"
    SECTION = "section"
    ARTICLE = "article"
    ANNEX = "annex"
    POINT = "point"
    PARAGRAPH = "paragraph"
    POLICY_AREA = "policy_area"
    FUNCTION = "function"
    CATEGORY = "category"
    SUBCATEGORY = "subcategory"
    GROUP = "group"


class Actor(StrEnum):
    """Who a node's duty or guidance is addressed to."""

    PROVIDER = "provider"
    DEPLOYER = "deployer"
    IMPORTER = "importer"
    DISTRIBUTOR = "distributor"
    AUTHORISED_REPRESENTATIVE = "authorised_representative"
    PRODUCT_MANUFACTURER = "product_manufacturer"
    AI_BUSINESS_OPERATOR = "ai_business_operator"
    FOREIGN_OPERATOR = "foreign_operator"
    ORGANISATION = "organisation"
    AI_ACTOR = "ai_actor"
    MEMBER_STATE = "member_state"
    GOVERNMENT = "government"
    PUBLIC_AUTHORITY = "public_authority"
    EVERYONE = "everyone"


class Strength(StrEnum):
    MUST = "must"
    SHOULD = "should"
    ENDEAVOUR = "endeavour"


class ApplicabilityStatus(StrEnum):
    """Where the legal basis of an application date stands."""

    IN_FORCE = "in_force"
    ADOPTED = "adopted"
    PROPOSED = "proposed"
    SUPERSEDED = "superseded"


class Text(_Content):
    """A short text in English and/or Korean; at least one must be given."""

    en: NonEmpty | None = None
    ko: NonEmpty | None = None

    @model_validator(mode="after")
    def _one_language(self) -> Self:
        if self.en is None and self.ko is None:
            raise invalid("give the text in en, ko or both", "en이나 ko, 또는 둘 다로 글을 주세요")
        return self

    def get(self, lang: str) -> str:
        """The text in ``lang``, falling back to the other language."""
        first, second = (self.ko, self.en) if lang == "ko" else (self.en, self.ko)
        return first or second or ""


class Source(_Content):
    """Where the text comes from: a citation and, where there is one, an address."""

    citation: NonEmpty
    url: NonEmpty | None = None


class Applicability(_Content):
    """From when a node applies, on what legal basis, and where that basis stands.

    ``scope`` narrows an entry to one route (for the EU AI Act: ``annex-i`` or
    ``annex-iii``); entries without a scope cover every route. ``enacted`` is the date the
    basis itself became law, where known; an entry whose basis is not law yet is
    ``proposed``. Entries are listed in the order they were made: amendments last.
    """

    applies_from: date
    basis: NonEmpty
    status: ApplicabilityStatus
    source: NonEmpty
    scope: ScopeKey | None = None
    enacted: date | None = None
    note: NonEmpty | None = None


class Node(_Content):
    """One clause, principle, control or grouping of a framework."""

    id: NodeId
    ref: NonEmpty
    type: NodeType
    title: Text | None = None
    summary: Text | None = None
    quote: NonEmpty | None = None
    note: NonEmpty | None = None
    roles: list[Actor] = Field(default_factory=list)
    strength: Strength | None = None
    applicability: list[Applicability] = Field(default_factory=list)
    children: list[Node] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.title is None and self.note is None:
            raise invalid(
                "a node without a title needs a note saying why (mark the gap)",
                "제목 없는 노드에는 그 까닭을 적은 note가 있어야 합니다(빈 곳 표시)",
            )
        if len(set(self.roles)) != len(self.roles):
            raise invalid("roles: a role is listed twice", "roles: 같은 역할이 두 번 나옵니다")
        return self

    @property
    def framework_id(self) -> str:
        return split_node_id(self.id)[0]

    @property
    def local_id(self) -> str:
        return split_node_id(self.id)[1]

    def walk(self) -> Iterator[Node]:
        """This node and every descendant, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


class Framework(_Content):
    """A framework file: metadata and the tree of nodes."""

    schema_: Literal["ethos.framework/1"] = Field(alias="schema")
    id: FrameworkId
    title: Text
    kind: FrameworkKind
    jurisdiction: NonEmpty
    binding: bool
    version: NonEmpty
    source: Source
    licence_note: NonEmpty
    nodes: Annotated[list[Node], Field(min_length=1)]

    @model_validator(mode="after")
    def _check(self) -> Self:
        seen: set[str] = set()
        for node in self.walk():
            if node.framework_id != self.id:
                raise invalid(
                    f"node {node.id!r}: the part before ':' must be the framework id {self.id!r}",
                    f"노드 {node.id!r}: ':' 앞부분은 프레임워크 id {self.id!r}여야 합니다",
                )
            if node.id in seen:
                raise invalid(
                    f"node {node.id!r}: id is used twice",
                    f"노드 {node.id!r}: id가 두 번 쓰였습니다",
                )
            seen.add(node.id)
        self._check_nesting()
        return self

    def _check_nesting(self) -> None:
        """A node ``x.y`` must sit under node ``x`` wherever ``x`` exists."""
        ancestors: dict[str, tuple[str, ...]] = {}

        def visit(node: Node, path: tuple[str, ...]) -> None:
            ancestors[node.local_id] = path
            for child in node.children:
                visit(child, (*path, node.local_id))

        for top in self.nodes:
            visit(top, ())
        for local, path in ancestors.items():
            parts = local.split(".")
            for cut in range(len(parts) - 1, 0, -1):
                prefix = ".".join(parts[:cut])
                if prefix in ancestors and prefix not in path:
                    raise invalid(
                        f"node '{self.id}:{local}' is not placed under its parent "
                        f"'{self.id}:{prefix}'",
                        f"노드 '{self.id}:{local}'이(가) 부모 '{self.id}:{prefix}' 아래에 "
                        "있지 않습니다",
                    )

    def walk(self) -> Iterator[Node]:
        """Every node of the framework, depth first."""
        for node in self.nodes:
            yield from node.walk()


def split_node_id(node_id: str) -> tuple[str, str]:
    """Split ``eu-ai-act:art-5.1.c`` into ``("eu-ai-act", "art-5.1.c")``."""
    framework, _, local = node_id.partition(":")
    return framework, local


def effective_entry(
    entries: list[Applicability], as_of: date, *, scope: str | None = None
) -> Applicability | None:
    """The entry that governs ``as_of``: the last one listed whose basis is law by then.

    Entries are kept in the order they were made, so an amendment comes after what it
    amends. Proposals are ignored, and so are entries enacted after ``as_of`` and entries
    with a different scope (unscoped entries count for every scope). ``None`` when no entry
    qualifies.
    """
    usable = [
        e
        for e in entries
        if e.status != ApplicabilityStatus.PROPOSED
        and (e.scope is None or e.scope == scope)
        and (e.enacted is None or e.enacted <= as_of)
    ]
    return usable[-1] if usable else None


def natural_key(node_id: str) -> tuple[tuple[int, str], ...]:
    """Sort key that puts ``art-9`` before ``art-10``."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part)
        for part in re.split(r"(\d+)", node_id)
        if part
    )
