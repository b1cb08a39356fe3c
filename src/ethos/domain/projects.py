"""Projects and their task forces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from ethos.domain.errors import InvalidInputError

__all__ = [
    "LifecycleStage",
    "Member",
    "Project",
    "ProjectType",
    "Role",
    "missing_roles",
    "parse_enum",
]

E = TypeVar("E", bound=StrEnum)


class ProjectType(StrEnum):
    """Kinds of AI project; risks differ between them."""

    BASIC_RESEARCH = "basic_research"
    APPLIED_RESEARCH = "applied_research"
    PRODUCT_DEVELOPMENT = "product_development"


class LifecycleStage(StrEnum):
    """Where a project stands in its life."""

    PLANNING = "planning"
    DEVELOPMENT = "development"
    VALIDATION = "validation"
    RELEASE = "release"
    RETIRED = "retired"


class Role(StrEnum):
    """The three kinds of expertise a task force brings together."""

    TECHNICAL = "technical"
    BUSINESS = "business"
    ETHICS = "ethics"


def parse_enum(kind: type[E], value: str, *, field: str) -> E:
    """Return the member of ``kind`` named ``value`` or raise a clear error.

    Parameters
    ----------
    kind
        The enumeration.
    value
        What the user gave.
    field
        Name of the option or field, used in the message.
    """
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidInputError(
            f"{field}: {value!r} is not one of: {allowed}",
            ko=f"{field}: {value!r}은(는) 다음 중 하나가 아닙니다: {allowed}",
        ) from None


@dataclass(frozen=True, slots=True)
class Project:
    """An AI project under assessment."""

    id: int
    name: str
    description: str
    purpose: str
    type: ProjectType
    lifecycle_stage: LifecycleStage
    created_by: str
    created_at: datetime
    questionnaire_id: str
    questionnaire_version: int
    stage1_closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Member:
    """A person on a project's task force, with the expertise they bring."""

    id: int
    project_id: int
    name: str
    role: Role


def missing_roles(members: list[Member]) -> list[Role]:
    """Return the roles no member of the task force holds, in canonical order."""
    present = {m.role for m in members}
    return [role for role in Role if role not in present]
