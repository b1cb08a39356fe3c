"""The ethics office's catalogues: potential findings (risks), mitigations, the priority matrix.

Schemas of the YAML content in ``ethos/knowledge/catalogues``. Trigger rules use the rule
language of :mod:`ethos.domain.rules` over the facts listed in :func:`trigger_facts`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ethos.domain.errors import InvalidInputError
from ethos.domain.questionnaire import ClauseRef, LocalizedText, Slug
from ethos.domain.rules import Condition, parse_condition
from ethos.domain.validation import invalid

__all__ = [
    "EvidenceKind",
    "FindingCategory",
    "LevelOutOfRangeError",
    "Mitigation",
    "MitigationCatalogue",
    "Priority",
    "PriorityMatrix",
    "RiskCatalogue",
    "RiskEntry",
]


class FindingCategory(StrEnum):
    """What kind of problem a finding is; the first three are data problems."""

    DATA_COPYRIGHT = "data_copyright"
    DATA_SENSITIVE = "data_sensitive"
    DATA_REPRESENTATIVENESS = "data_representativeness"
    PRIVACY = "privacy"
    FAIRNESS = "fairness"
    HARMFUL_CONTENT = "harmful_content"
    SECURITY_MISUSE = "security_misuse"
    TRANSPARENCY = "transparency"
    OVERSIGHT_ACCOUNTABILITY = "oversight_accountability"
    SOCIETAL_ENVIRONMENTAL = "societal_environmental"
    LEGAL = "legal"


class EvidenceKind(StrEnum):
    """What shows that a mitigation was carried out."""

    DOCUMENT = "document"
    TEST_RESULT = "test_result"
    REVIEW_RECORD = "review_record"
    CHECK_RECORD = "check_record"


class Priority(StrEnum):
    """P1: resolve before the next lifecycle stage; P2: before release; P3: monitor."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


Level = Annotated[int, Field(ge=1, le=5)]
ConditionField = Annotated[Condition, BeforeValidator(parse_condition)]


def _refuse_duplicate_ids(ids: list[str]) -> None:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise invalid(
            f"entries: ids used twice: {', '.join(duplicates)}",
            f"entries: 두 번 쓰인 id: {', '.join(duplicates)}",
        )


class _Content(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Mitigation(_Content):
    """A measure the task force can plan, and the evidence that shows it was done."""

    id: Slug
    title: LocalizedText
    text: LocalizedText
    evidence: Annotated[list[EvidenceKind], Field(min_length=1)]
    frameworks: list[ClauseRef] = Field(default_factory=list)


class MitigationCatalogue(_Content):
    schema_: Literal["ethos.mitigation-catalogue/1"] = Field(alias="schema")
    id: Slug
    version: Annotated[int, Field(ge=1)]
    released: date
    entries: Annotated[list[Mitigation], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        _refuse_duplicate_ids([e.id for e in self.entries])
        return self

    def get(self, mitigation_id: str) -> Mitigation:
        for entry in self.entries:
            if entry.id == mitigation_id:
                return entry
        raise KeyError(mitigation_id)


class RiskEntry(_Content):
    """A potential finding and the profile conditions that make it apply."""

    id: Slug
    category: FindingCategory
    title: LocalizedText
    description: LocalizedText
    when: ConditionField
    severity: Level
    likelihood: Level
    mitigations: Annotated[list[Slug], Field(min_length=1)]
    frameworks: list[ClauseRef] = Field(default_factory=list)


class RiskCatalogue(_Content):
    """Potential findings; triggers read the profile of ``questionnaire`` (its newest version)."""

    schema_: Literal["ethos.risk-catalogue/1"] = Field(alias="schema")
    id: Slug
    version: Annotated[int, Field(ge=1)]
    released: date
    questionnaire: Slug = "ethos-stage1"
    entries: Annotated[list[RiskEntry], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        _refuse_duplicate_ids([e.id for e in self.entries])
        return self

    def get(self, risk_id: str) -> RiskEntry:
        for entry in self.entries:
            if entry.id == risk_id:
                return entry
        raise KeyError(risk_id)


class LevelOutOfRangeError(InvalidInputError, ValueError):
    """A severity or likelihood outside 1-5 given to :meth:`PriorityMatrix.priority`.

    Also a ``ValueError``, as it was before it carried Korean.
    """


class PriorityMatrix(_Content):
    """Priority for each severity (rows, 1-5) and likelihood (columns, 1-5)."""

    schema_: Literal["ethos.priority-matrix/1"] = Field(alias="schema")
    version: Annotated[int, Field(ge=1)]
    matrix: dict[Level, Annotated[list[Priority], Field(min_length=5, max_length=5)]]

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if sorted(self.matrix) != [1, 2, 3, 4, 5]:
            raise invalid(
                "matrix: rows for severities 1, 2, 3, 4 and 5 are required",
                "matrix: 심각도 1, 2, 3, 4, 5의 행이 모두 있어야 합니다",
            )
        return self

    def priority(self, severity: int, likelihood: int) -> Priority:
        """The priority of a finding with ``severity`` and ``likelihood`` (each 1-5)."""
        if not (1 <= severity <= 5 and 1 <= likelihood <= 5):
            raise LevelOutOfRangeError(
                "severity and likelihood run from 1 to 5",
                ko="심각도와 발생 가능성은 1부터 5까지입니다",
            )
        return self.matrix[severity][likelihood - 1]
