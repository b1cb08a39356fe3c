"""The declarative rule evaluator: every operator, three-valued logic, and parse errors."""

from __future__ import annotations

from typing import Any

import pytest

from ethos.domain.rules import Truth, evaluate, parse_condition

FACTS: dict[str, Any] = {
    "project.type": "product_development",
    "dimension.fairness.mean": 3.5,
    "facts.markets": ["EU", "KR"],
    "facts.public_sector": False,
    "facts.flop": 2e25,
    "facts.revenue": None,
}

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


@pytest.mark.parametrize(
    ("rule", "truth"),
    [
        ({"eq": ["project.type", "product_development"]}, T),
        ({"ne": ["project.type", "product_development"]}, F),
        ({"gte": ["dimension.fairness.mean", 3.5]}, T),
        ({"gt": ["dimension.fairness.mean", 3.5]}, F),
        ({"lt": ["facts.flop", 1e25]}, F),
        ({"lte": ["facts.flop", 2e25]}, T),
        ({"in": ["project.type", ["basic_research", "product_development"]]}, T),
        ({"contains": ["facts.markets", "EU"]}, T),
        ({"contains": ["facts.markets", "US"]}, F),
        ({"intersects": ["facts.markets", ["US", "KR"]]}, T),
        ({"known": "facts.revenue"}, F),
        ({"unknown": "facts.revenue"}, T),
        ({"eq": ["facts.public_sector", False]}, T),
        ({"gt": ["project.type", 3]}, F),  # a text fact is never greater than a number
        ({"eq": ["facts.revenue", 5]}, U),
        ({"eq": ["nowhere", 5]}, U),
        ({"not": {"eq": ["nowhere", 5]}}, U),
        ({"not": {"eq": ["project.type", "x"]}}, T),
        ({"all": [{"eq": ["nowhere", 1]}, {"eq": ["project.type", "x"]}]}, F),
        ({"all": [{"eq": ["nowhere", 1]}, {"eq": ["project.type", "product_development"]}]}, U),
        ({"any": [{"eq": ["nowhere", 1]}, {"eq": ["project.type", "product_development"]}]}, T),
        ({"any": [{"eq": ["nowhere", 1]}, {"eq": ["project.type", "x"]}]}, U),
        ({"any": [{"eq": ["project.type", "y"]}, {"eq": ["project.type", "x"]}]}, F),
    ],
)
def test_operators(rule: dict[str, Any], truth: Truth) -> None:
    assert evaluate(parse_condition(rule), FACTS).truth is truth


def test_unknown_outcomes_name_the_missing_facts() -> None:
    rule = {"all": [{"eq": ["facts.revenue", 1]}, {"any": [{"gt": ["facts.users", 5]}]}]}
    outcome = evaluate(parse_condition(rule), FACTS)
    assert outcome.truth is Truth.UNKNOWN
    assert outcome.missing == {"facts.revenue", "facts.users"}
    assert parse_condition(rule).paths() == {"facts.revenue", "facts.users"}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"eq": ["a", 1], "ne": ["a", 2]}, r"^when: expected a mapping with exactly one operator"),
        ({"all": []}, r"^when\.all: expected a non-empty list"),
        (
            {"all": [{"eq": ["a", 1]}, {"gte": ["a", "high"]}]},
            r"^when\.all\[1\]\.gte: expected a number",
        ),
        ({"in": ["a", "x"]}, r"^when\.in: expected a non-empty list of values"),
        ({"eq": ["a b", 1]}, r"^when\.eq: a fact path"),
        ({"eval": "__import__('os')"}, r"^when: unknown operator 'eval'"),
        (
            {"any": [{"not": {"lt": ["a"]}}]},
            r"^when\.any\[0\]\.not\.lt: expected \[fact path, value\]",
        ),
    ],
)
def test_parse_errors_name_the_position(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_condition(rule)
