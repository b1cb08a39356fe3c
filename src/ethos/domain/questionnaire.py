"""The stage-1 questionnaire: dimensions, items and the maps between versions.

These are pydantic models because they are the schema of the content the ethics office
writes in YAML; loading and error reporting live in :mod:`ethos.knowledge.questionnaires`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ethos.domain.projects import Role
from ethos.domain.validation import invalid

__all__ = [
    "SCORE_MAX",
    "SCORE_MIN",
    "Dimension",
    "Item",
    "LocalizedText",
    "MigrationMap",
    "MigrationTarget",
    "Questionnaire",
]

SCORE_MIN = 1
SCORE_MAX = 5

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=40)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$", max_length=40)]
ClauseRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*:\S+$")]


class _Content(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalizedText(_Content):
    """A sentence in Korean and English; both are required."""

    en: NonEmpty
    ko: NonEmpty

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` (``ko`` or ``en``); English for anything else."""
        return self.ko if lang == "ko" else self.en


class Dimension(_Content):
    """One aspect the profile is summarised by, with what it asks about."""

    id: Key
    title: LocalizedText
    explanation: LocalizedText


class Item(_Content):
    """One question, scored 1 (little exposure) to 5 (high exposure)."""

    id: Slug
    dimension: Key
    aspect: Key
    text: LocalizedText
    anchors: dict[Literal[1, 3, 5], LocalizedText]
    roles: Annotated[list[Role], Field(min_length=1)]
    frameworks: list[ClauseRef] = Field(default_factory=list)

    @field_validator("anchors")
    @classmethod
    def _all_anchors(cls, anchors: dict[int, LocalizedText]) -> dict[int, LocalizedText]:
        missing = sorted({1, 3, 5} - set(anchors))
        if missing:
            raise invalid(
                f"labels for {missing} are missing (1, 3 and 5 are required)",
                f"{missing}의 라벨이 없습니다(1, 3, 5는 꼭 있어야 합니다)",
            )
        return anchors

    @field_validator("roles")
    @classmethod
    def _distinct_roles(cls, roles: list[Role]) -> list[Role]:
        if len(set(roles)) != len(roles):
            raise invalid("a role is listed twice", "같은 역할이 두 번 나옵니다")
        return roles


class MigrationTarget(_Content):
    """Where an old item's answers go: a new item id, and whether they must be given anew."""

    to: Slug
    reanswer: bool = False


class MigrationMap(_Content):
    """How answers to an earlier version carry over to this one.

    Every item of the earlier version must be listed: mapped to an item of this version
    (optionally asking for a fresh answer) or to ``null`` when dropped.
    """

    version: Annotated[int, Field(ge=1)]
    map: dict[Slug, Slug | MigrationTarget | None]

    def target(self, old_item: str) -> MigrationTarget | None:
        """Return where answers to ``old_item`` go, or ``None`` when it was dropped."""
        value = self.map[old_item]
        if value is None or isinstance(value, MigrationTarget):
            return value
        return MigrationTarget(to=value)


class Questionnaire(_Content):
    """A versioned questionnaire; immutable once answers reference the version.

    ``discussion_spread`` is the gap between the highest and lowest answer to an item at
    which the item is flagged for the task force to discuss (2 by default).
    """

    schema_: Literal["ethos.questionnaire/1"] = Field(alias="schema")
    id: Slug
    version: Annotated[int, Field(ge=1)]
    released: date
    title: LocalizedText
    description: LocalizedText
    discussion_spread: Annotated[int, Field(ge=1, le=SCORE_MAX - SCORE_MIN)] = 2
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    items: Annotated[list[Item], Field(min_length=1)]
    migrates_from: MigrationMap | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        dims = [d.id for d in self.dimensions]
        if len(set(dims)) != len(dims):
            raise invalid(
                "dimensions: an id is used twice",
                "dimensions: 같은 id가 두 번 쓰였습니다",
            )
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise invalid(
                    f"items: id {item.id!r} is used twice",
                    f"items: id {item.id!r}이(가) 두 번 쓰였습니다",
                )
            seen.add(item.id)
            if item.dimension not in dims:
                raise invalid(
                    f"items: {item.id!r} names unknown dimension {item.dimension!r}",
                    f"items: {item.id!r}이(가) 없는 차원 {item.dimension!r}을(를) 가리킵니다",
                )
        empty = [d for d in dims if not any(i.dimension == d for i in self.items)]
        if empty:
            raise invalid(
                f"dimensions: {empty} have no items",
                f"dimensions: {empty}에 문항이 없습니다",
            )
        if self.migrates_from is not None:
            if self.migrates_from.version >= self.version:
                raise invalid(
                    "migrates_from: version must be earlier than this version",
                    "migrates_from: version은 이 버전보다 앞서야 합니다",
                )
            for old in self.migrates_from.map:
                target = self.migrates_from.target(old)
                if target is not None and target.to not in seen:
                    raise invalid(
                        f"migrates_from: {old!r} maps to {target.to!r}, "
                        "not an item of this version",
                        f"migrates_from: {old!r}이(가) 가리키는 {target.to!r}은(는) "
                        "이 버전의 문항이 아닙니다",
                    )
        return self

    def item(self, item_id: str) -> Item:
        """Return the item with ``item_id``; raise ``KeyError`` when there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def items_for(self, role: Role) -> list[Item]:
        """Return the items meant for ``role``."""
        return [i for i in self.items if role in i.roles]

    def digest(self) -> str:
        """SHA-256 of the canonical content: unchanged by comments or YAML formatting."""
        data = self.model_dump(mode="json", by_alias=True)
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
