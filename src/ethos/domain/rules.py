"""A small declarative rule language, evaluated without Python ``eval``.

Rules are written in YAML as nested mappings with one operator each::

    all:
      - gte: [dimension.fairness.mean, 3.5]
      - in: [project.type, [applied_research, product_development]]
      - not: {eq: [facts.public_sector, true]}

Operators: ``all``, ``any``, ``not``; ``eq``, ``ne``, ``gt``, ``gte``, ``lt``, ``lte``
(``[path, value]``); ``in`` (``[path, [values]]``: the fact is one of the values);
``contains`` (``[path, value]``: the fact, a list, holds the value); ``intersects``
(``[path, [values]]``: the fact, a list, holds any of them); ``known`` and ``unknown``
(``path``). Facts are a flat mapping from dotted paths to values.

Evaluation is three-valued (Kleene logic): a comparison on a fact that is missing or null
is *unknown*, and the outcome says which facts were missing, so callers never mistake
"we don't know" for "no".
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ethos.domain.validation import invalid

__all__ = [
    "All",
    "AnyOf",
    "Compare",
    "Condition",
    "Known",
    "Not",
    "Outcome",
    "Truth",
    "evaluate",
    "parse_condition",
]


class Truth(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A condition's truth, and the facts whose absence left it unknown."""

    truth: Truth
    missing: frozenset[str] = frozenset()

    @property
    def holds(self) -> bool:
        """True only when the condition is known to hold."""
        return self.truth is Truth.TRUE


class Condition:
    """Base of the parsed condition tree."""

    def paths(self) -> set[str]:
        """Every fact path the condition reads."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class All(Condition):
    parts: tuple[Condition, ...]

    def paths(self) -> set[str]:
        return set().union(*(p.paths() for p in self.parts))


@dataclass(frozen=True, slots=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def paths(self) -> set[str]:
        return set().union(*(p.paths() for p in self.parts))


@dataclass(frozen=True, slots=True)
class Not(Condition):
    part: Condition

    def paths(self) -> set[str]:
        return self.part.paths()


@dataclass(frozen=True, slots=True)
class Compare(Condition):
    op: str
    path: str
    value: Any

    def paths(self) -> set[str]:
        return {self.path}


@dataclass(frozen=True, slots=True)
class Known(Condition):
    path: str
    negate: bool = False

    def paths(self) -> set[str]:
        return {self.path}


def _in(fact: Any, values: Any) -> bool:
    return bool(fact in values)


def _contains(fact: Any, value: Any) -> bool:
    return isinstance(fact, (list, tuple, set, frozenset)) and value in fact


def _intersects(fact: Any, values: Any) -> bool:
    return isinstance(fact, (list, tuple, set, frozenset)) and any(v in fact for v in values)


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": _in,
    "contains": _contains,
    "intersects": _intersects,
}
_ORDERED = {"gt", "gte", "lt", "lte"}
_LIST_ARGUMENT = {"in", "intersects"}


def _path(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value or " " in value:
        raise invalid(
            f"{where}: a fact path (dotted name) is expected, got {value!r}",
            f"{where}: 사실 경로(점으로 이은 이름)가 와야 하는데 {value!r}이(가) 왔습니다",
        )
    return value


def parse_condition(raw: Any, where: str = "when") -> Condition:
    """Parse YAML data into a condition; errors name the position, e.g. ``when.all[2].gte``.

    A malformed condition raises a validation problem in English and Korean
    (:func:`ethos.domain.validation.invalid`, a ``ValueError``), so the function serves as a
    pydantic validator and a content file's reader gets the problem in their language.
    """
    if isinstance(raw, Condition):
        return raw
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise invalid(
            f"{where}: expected a mapping with exactly one operator",
            f"{where}: 연산자가 정확히 하나인 매핑이어야 합니다",
        )
    ((op, arg),) = raw.items()
    here = f"{where}.{op}"
    if op in ("all", "any"):
        if not isinstance(arg, Sequence) or isinstance(arg, str) or not arg:
            raise invalid(
                f"{here}: expected a non-empty list of conditions",
                f"{here}: 조건이 하나 이상 든 목록이어야 합니다",
            )
        parts = tuple(parse_condition(p, f"{here}[{i}]") for i, p in enumerate(arg))
        return All(parts) if op == "all" else AnyOf(parts)
    if op == "not":
        return Not(parse_condition(arg, here))
    if op in ("known", "unknown"):
        return Known(_path(arg, here), negate=op == "unknown")
    if op in _COMPARISONS:
        if not isinstance(arg, Sequence) or isinstance(arg, str) or len(arg) != 2:
            raise invalid(
                f"{here}: expected [fact path, value]", f"{here}: [사실 경로, 값] 꼴이어야 합니다"
            )
        path, value = _path(arg[0], here), arg[1]
        if op in _LIST_ARGUMENT and (not isinstance(value, list) or not value):
            raise invalid(
                f"{here}: expected a non-empty list of values",
                f"{here}: 값이 하나 이상 든 목록이어야 합니다",
            )
        if op in _ORDERED and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise invalid(
                f"{here}: expected a number to compare with",
                f"{here}: 비교할 값은 숫자여야 합니다",
            )
        return Compare(op, path, tuple(value) if isinstance(value, list) else value)
    allowed = ", ".join(["all", "any", "not", "known", "unknown", *_COMPARISONS])
    raise invalid(
        f"{where}: unknown operator {op!r} (allowed: {allowed})",
        f"{where}: 알 수 없는 연산자 {op!r}(쓸 수 있는 연산자: {allowed})",
    )


def evaluate(condition: Condition, facts: Mapping[str, Any]) -> Outcome:
    """Evaluate ``condition`` over ``facts`` in three-valued logic."""
    if isinstance(condition, Known):
        present = facts.get(condition.path) is not None
        return Outcome(Truth.TRUE if present != condition.negate else Truth.FALSE)
    if isinstance(condition, Compare):
        fact = facts.get(condition.path)
        if fact is None:
            return Outcome(Truth.UNKNOWN, frozenset({condition.path}))
        if condition.op in _ORDERED and (
            isinstance(fact, bool) or not isinstance(fact, (int, float))
        ):
            return Outcome(Truth.FALSE)
        held = _COMPARISONS[condition.op](fact, condition.value)
        return Outcome(Truth.TRUE if held else Truth.FALSE)
    if isinstance(condition, Not):
        inner = evaluate(condition.part, facts)
        flipped = {Truth.TRUE: Truth.FALSE, Truth.FALSE: Truth.TRUE}.get(inner.truth, Truth.UNKNOWN)
        return Outcome(flipped, inner.missing)
    if isinstance(condition, (All, AnyOf)):
        outcomes = [evaluate(p, facts) for p in condition.parts]
        decisive = Truth.FALSE if isinstance(condition, All) else Truth.TRUE
        if any(o.truth is decisive for o in outcomes):
            return Outcome(decisive)
        missing = frozenset().union(*(o.missing for o in outcomes))
        if any(o.truth is Truth.UNKNOWN for o in outcomes):
            return Outcome(Truth.UNKNOWN, missing)
        other = Truth.TRUE if decisive is Truth.FALSE else Truth.FALSE
        return Outcome(other)
    raise TypeError(f"not a condition: {type(condition).__name__}")
