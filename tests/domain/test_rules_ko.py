"""A malformed rule condition is described in Korean too, at the same position."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from ethos.domain.catalogue import ConditionField
from ethos.domain.validation import describe_problem

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


class _Rule(BaseModel):
    """A model reading a condition as the content schemas do."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    when: ConditionField


# (rule, the English text as it was before Korean was added, what the Korean must hold)
CASES: list[tuple[dict[str, Any], str, list[str]]] = [
    (
        {"eq": ["a", 1], "ne": ["a", 2]},
        "when: expected a mapping with exactly one operator",
        ["연산자가 정확히 하나인 매핑"],
    ),
    ({"all": []}, "when.all: expected a non-empty list of conditions", ["조건이 하나 이상"]),
    (
        {"all": [{"eq": ["a", 1]}, {"gte": ["a", "high"]}]},
        "when.all[1].gte: expected a number to compare with",
        ["숫자여야"],
    ),
    ({"in": ["a", "x"]}, "when.in: expected a non-empty list of values", ["값이 하나 이상"]),
    (
        {"eq": ["a b", 1]},
        "when.eq: a fact path (dotted name) is expected, got 'a b'",
        ["사실 경로", "'a b'"],
    ),
    (
        {"eval": "__import__('os')"},
        "when: unknown operator 'eval' (allowed: all, any, not, known, unknown, eq, ne, gt, "
        "gte, lt, lte, in, contains, intersects)",
        ["알 수 없는 연산자 'eval'", "intersects"],
    ),
    (
        {"any": [{"not": {"lt": ["a"]}}]},
        "when.any[0].not.lt: expected [fact path, value]",
        ["[사실 경로, 값]"],
    ),
]


@pytest.mark.parametrize(("rule", "english", "korean_parts"), CASES)
def test_a_bad_condition_reads_in_korean_at_the_same_position(
    rule: dict[str, Any], english: str, korean_parts: list[str]
) -> None:
    with pytest.raises(ValidationError) as caught:
        _Rule.model_validate({"when": rule})
    (detail,) = caught.value.errors()
    assert describe_problem(detail) == english  # unchanged, and without "Value error, "
    korean = describe_problem(detail, "ko")
    position = english.split(": ", 1)[0]
    assert korean.startswith(f"{position}: ")
    assert _HANGUL.search(korean.removeprefix(position))
    for part in korean_parts:
        assert part in korean
    assert english.split(": ", 1)[1] not in korean  # not the English text again
