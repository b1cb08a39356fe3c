"""What a pattern's matches are made of, read from its regular expression.

:func:`scope_of` derives a :class:`Scope` from the parsed expression:

- ``alphabet``: every character a match consumes belongs to it (lookarounds excluded);
- ``anchor``: every match consumes at least one character of it;
- ``min_width`` and ``max_width`` (``None``: unbounded) of a match;
- ``digit_run``: every match holds that many ASCII digits in a row;
- ``reach``: lookaheads inspect at most this many characters past where they stand;
- ``required``: one character every match holds, if one is known.

:func:`gate_of` derives a :class:`Gate`: strings of which every match holds one, so that
a text holding none of them need not be searched.

A pattern whose scope cannot be derived (case-insensitive parts, ``.``, negated classes,
``\\d`` or ``\\w``, back references, unbounded lookaheads, an unknown construct) or which
starts with a literal (``re`` already finds those places fast) gets no scope. The
analysis reads the parse tree of the standard ``re`` module (``re._parser``); if that
module changes shape, patterns get no scope and no gate: they are scanned whole, slower
but never different.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DIGITS",
    "Gate",
    "Ranges",
    "Scope",
    "char_class",
    "cost",
    "gate_of",
    "merge",
    "scope_of",
    "size",
    "subset",
]

# Code point ranges, ``(first, last)`` inclusive, sorted and not overlapping.
Ranges = tuple[tuple[int, int], ...]
_REPEAT_LIMIT = 1 << 16
DIGITS: Ranges = ((0x30, 0x39),)
# Characters common in text, with a weight per character (see cost()).
_COMMON: tuple[tuple[Ranges, int], ...] = (
    (((0x20, 0x20),), 60),  # space
    (((0x61, 0x7A),), 6),  # ASCII lower case
    (((0x41, 0x5A),), 3),  # ASCII upper case
)


class _UnsupportedError(Exception):
    """The expression uses something the analysis does not model."""


@functools.cache
def _space() -> Ranges:
    """Whitespace as ``\\s`` matches it in a str pattern (all of it below U+3001)."""
    return merge((c, c) for c in range(0x3001) if chr(c).isspace())


def merge(ranges: Iterable[tuple[int, int]]) -> Ranges:
    """The union of ``ranges``, as sorted ranges that neither overlap nor touch."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            if high > merged[-1][1]:
                merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return tuple(merged)


def size(ranges: Ranges) -> int:
    """How many code points ``ranges`` hold."""
    return sum(high - low + 1 for low, high in ranges)


def subset(inner: Ranges, outer: Ranges) -> bool:
    """Whether every code point of ``inner`` is in ``outer`` (``outer`` merged)."""
    return all(any(lo <= low and high <= hi for lo, hi in outer) for low, high in inner)


def cost(ranges: Ranges) -> int:
    """How often characters of ``ranges`` are expected in text, roughly."""
    total = size(ranges)
    for common, weight in _COMMON:
        for low, high in ranges:
            for lo, hi in common:
                overlap = min(high, hi) - max(low, lo) + 1
                if overlap > 0:
                    total += overlap * (weight - 1)
    return total


def char_class(ranges: Ranges) -> str:
    """A regex character class (``[...]``) matching exactly ``ranges``."""

    def escape(code: int) -> str:
        return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"

    parts = [
        escape(low) if low == high else f"{escape(low)}-{escape(high)}" for low, high in ranges
    ]
    return "[" + "".join(parts) + "]"


@dataclass(frozen=True, slots=True)
class Scope:
    """What every match of one pattern is made of (see the module docstring)."""

    alphabet: Ranges
    anchor: Ranges
    min_width: int
    max_width: int | None
    digit_run: int
    reach: int
    required: str = ""


@dataclass(frozen=True, slots=True)
class _Facts:
    alphabet: Ranges
    mandatory: tuple[Ranges, ...]  # each: a set of which every match consumes a character
    min_width: int
    max_width: int | None  # None: unbounded
    reach: int  # characters a lookahead inspects past the position it stands at
    digits_only: bool  # consumes ASCII digits only (maybe none)
    digit_run: int  # every match holds this many ASCII digits in a row


_ZERO_WIDTH = _Facts((), (), 0, 0, 0, True, 0)


def _name(op: object) -> str:
    return str(op)


def _class_ranges(items: Sequence[tuple[Any, Any]]) -> Ranges:
    ranges: list[tuple[int, int]] = []
    for op, value in items:
        kind = _name(op)
        if kind == "LITERAL":
            ranges.append((value, value))
        elif kind == "RANGE":
            ranges.append((value[0], value[1]))
        elif kind == "CATEGORY" and _name(value) in {"CATEGORY_SPACE", "CATEGORY_UNI_SPACE"}:
            ranges.extend(_space())
        else:  # NEGATE, digits or word characters of every script
            raise _UnsupportedError(kind)
    return merge(ranges)


def _one_char(ranges: Ranges) -> _Facts:
    digits = subset(ranges, DIGITS)
    return _Facts(ranges, (ranges,), 1, 1, 0, digits, 1 if digits else 0)


def _sequence(items: Iterable[tuple[Any, Any]], flags: int) -> _Facts:
    alphabet: list[tuple[int, int]] = []
    mandatory: list[Ranges] = []
    low, high, reach = 0, 0, 0
    bounded = digits_only = True
    run = longest = 0  # digits in a row consumed so far, and the longest such run
    for op, value in items:
        facts = _item(_name(op), value, flags)
        alphabet.extend(facts.alphabet)
        mandatory.extend(facts.mandatory)
        reach = max(reach, facts.reach)
        low += facts.min_width
        if facts.max_width is None:
            bounded = False
        else:
            high += facts.max_width
        if facts.digits_only:
            run += facts.min_width  # zero-width items keep the digits on both sides together
        else:
            digits_only = False
            run = 0
            longest = max(longest, facts.digit_run)
        longest = max(longest, run)
    return _Facts(
        merge(alphabet),
        tuple(mandatory),
        low,
        high if bounded else None,
        reach,
        digits_only,
        longest,
    )


def _best(sets: Sequence[Ranges]) -> Ranges:
    """The set to look for: digits when some set is made of digits, else the rarest."""
    if any(subset(ranges, DIGITS) for ranges in sets):
        return DIGITS
    return min(sets, key=cost)


def _branch(alternatives: Sequence[Any], flags: int) -> _Facts:
    facts = [_sequence(alternative, flags) for alternative in alternatives]
    mandatory: tuple[Ranges, ...] = ()
    if all(f.mandatory for f in facts):
        # Every alternative consumes a character of its best set: of their union.
        mandatory = (merge(r for f in facts for r in _best(f.mandatory)),)
    widths = [f.max_width for f in facts]
    digits_only = all(f.digits_only for f in facts)
    return _Facts(
        merge(r for f in facts for r in f.alphabet),
        mandatory,
        min(f.min_width for f in facts),
        None if None in widths else max(w for w in widths if w is not None),
        max(f.reach for f in facts),
        digits_only,
        min(f.min_width if digits_only else f.digit_run for f in facts),
    )


def _repeat(value: Any, flags: int) -> _Facts:
    low, high, body = value
    facts = _sequence(body, flags)
    unbounded = high >= _REPEAT_LIMIT or facts.max_width is None
    return _Facts(
        facts.alphabet,
        facts.mandatory if low >= 1 else (),
        facts.min_width * low,
        None if unbounded else (facts.max_width or 0) * high,
        facts.reach,
        facts.digits_only,
        facts.min_width * low if facts.digits_only else (facts.digit_run if low >= 1 else 0),
    )


def _assertion(value: Any, flags: int) -> _Facts:
    direction, body = value
    facts = _sequence(body, flags)
    if facts.max_width is None:
        raise _UnsupportedError("unbounded lookaround")
    # Consumes nothing. A lookahead inspects its width; a lookbehind looks back (the text
    # before a window is always visible) but may hold a lookahead of its own.
    ahead = facts.max_width + facts.reach if direction == 1 else facts.reach
    return _Facts((), (), 0, 0, ahead, True, 0)


def _item(kind: str, value: Any, flags: int) -> _Facts:
    if kind in {"LITERAL", "IN"} and flags & re.IGNORECASE:
        raise _UnsupportedError("case-insensitive")
    if kind == "LITERAL":
        return _one_char(((value, value),))
    if kind == "IN":
        return _one_char(_class_ranges(value))
    if kind in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
        return _repeat(value, flags)
    if kind == "SUBPATTERN":
        _group, add_flags, del_flags, body = value
        return _sequence(body, (flags | add_flags) & ~del_flags)
    if kind == "ATOMIC_GROUP":
        return _sequence(value, flags)
    if kind == "BRANCH":
        return _branch(value[1], flags)
    if kind in {"ASSERT", "ASSERT_NOT"}:
        return _assertion(value, flags)
    if kind == "AT":
        return _ZERO_WIDTH
    raise _UnsupportedError(kind)  # ANY, NOT_LITERAL, GROUPREF, GROUPREF_EXISTS ...


def _literal_first(tree: Any) -> bool:
    """Whether the expression starts with a literal character: ``re`` then finds the
    places to try with a fast substring search, and a whole scan is cheap."""
    items = list(tree)
    while items:
        kind, value = items[0]
        if _name(kind) == "SUBPATTERN" and not value[1] & re.IGNORECASE:
            items = list(value[3])
            continue
        return _name(kind) == "LITERAL"
    return False


def scope_of(regex: re.Pattern[str]) -> Scope | None:
    """The :class:`Scope` of a compiled pattern, or ``None`` when it is best scanned whole."""
    if not isinstance(regex.pattern, str):
        return None
    try:
        tree = importlib.import_module("re._parser").parse(regex.pattern, regex.flags)
        facts = _sequence(tree, regex.flags)
        literal_first = _literal_first(tree)
    except (_UnsupportedError, ImportError, AttributeError, TypeError, ValueError, re.error):
        return None
    if not facts.mandatory or facts.min_width < 1 or literal_first:
        return None
    anchor = _best(facts.mandatory)
    if not subset(anchor, facts.alphabet):
        anchor = min(facts.mandatory, key=cost)
    # A character every match holds besides the anchor (e.g. the "-" of a separated
    # number): windows without it are skipped.
    singles = sorted(
        m[0][0] for m in facts.mandatory if len(m) == 1 and m[0][0] == m[0][1] and m != anchor
    )
    return Scope(
        facts.alphabet,
        anchor,
        facts.min_width,
        facts.max_width,
        facts.digit_run,
        # One more character than the lookaheads need: end-of-text tests at the end.
        facts.reach + 1,
        chr(singles[0]) if singles else "",
    )


# A gate with more strings than this looks for them with one regular expression.
_GATE_WORDS_FOR_REGEX = 24


@dataclass(frozen=True, slots=True)
class Gate:
    """Strings of which every match of a pattern holds one.

    ``exact``: look for them in the text as it is. Otherwise they are lower case and hold
    letters the pattern matches in either case: look for them in the lower-case form of
    an ASCII text, and do not gate other texts (outside ASCII, case folding is wider).
    """

    words: tuple[str, ...]
    exact: bool
    pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        many = len(self.words) > _GATE_WORDS_FOR_REGEX
        compiled = re.compile("|".join(map(re.escape, self.words))) if many else None
        object.__setattr__(self, "pattern", compiled)

    def passes(self, text: str, lowered: str | None) -> bool:
        """Whether ``text`` (with ``lowered``, its lower-case form if ASCII) may match."""
        if not self.exact:
            if lowered is None:
                return True
            text = lowered
        if self.pattern is not None:
            return self.pattern.search(text) is not None
        return any(map(text.__contains__, self.words))


# A string of a gate: its characters and whether they are exact (see Gate).
_Word = tuple[str, bool]


def gate_of(regex: re.Pattern[str]) -> Gate | None:
    """The :class:`Gate` of a pattern, or ``None`` when no such strings are known."""
    if not isinstance(regex.pattern, str):
        return None
    try:
        tree = importlib.import_module("re._parser").parse(regex.pattern, regex.flags)
        candidates = _words(tree, regex.flags)
        literal_first = _literal_first(tree)
    except (ImportError, AttributeError, TypeError, ValueError, re.error):
        return None
    if not candidates:
        return None
    best = max(candidates, key=_strength)
    if literal_first and min(len(word) for word, _exact in best) < 2:
        return None  # no cheaper than the scan, which looks for that character anyway
    exact = all(is_exact for _word, is_exact in best)
    words = {word if exact else word.lower() for word, _is_exact in best}
    return Gate(tuple(sorted(words)), exact)


def _strength(words: frozenset[_Word]) -> tuple[int, bool, int]:
    """Longer shortest string first, then exact, then fewer strings."""
    return (min(len(w) for w, _ in words), all(e for _, e in words), -len(words))


def _letter(kind: str, value: Any, flags: int) -> _Word | None:
    """The one character a consuming item matches (lower case if not exact), if any."""
    if kind == "LITERAL":
        char = chr(value)
        if not flags & re.IGNORECASE:
            return char, True
        # Outside ASCII, a case-insensitive letter may match an ASCII one (K, ſ ...).
        return (char.lower(), False) if char.isascii() else None
    if kind == "IN" and all(_name(op) == "LITERAL" for op, _ in value):
        chars = {chr(code) for _, code in value}
        if len(chars) == 1 and not flags & re.IGNORECASE:
            return chars.pop(), True
        lowered = {char.lower() for char in chars}
        if len(lowered) == 1 and all(char.isascii() for char in chars):
            return lowered.pop(), False
    return None


def _words(items: Iterable[tuple[Any, Any]], flags: int) -> list[frozenset[_Word]]:
    """Sets of strings: every match holds one string of each set."""
    found: list[frozenset[_Word]] = []
    run: list[_Word] = []

    def close() -> None:
        if run:
            found.append(frozenset({("".join(c for c, _ in run), all(e for _, e in run))}))
            run.clear()

    pending = list(items)
    pending.reverse()
    while pending:
        op, value = pending.pop()
        kind = _name(op)
        if kind == "SUBPATTERN":
            # A group: its items continue the sequence, with its flags (a marker item
            # restores the flags after it).
            _group, add_flags, del_flags, body = value
            pending.append(("_FLAGS", flags))
            pending.extend(reversed(list(body)))
            flags = (flags | add_flags) & ~del_flags
            continue
        if kind == "_FLAGS":
            flags = value
            continue
        if kind in {"ASSERT", "ASSERT_NOT", "AT"}:
            continue  # consumes nothing: the letters on both sides stay together
        letter = _letter(kind, value, flags)
        if letter is not None:
            run.append(letter)
            continue
        close()
        if kind == "BRANCH":
            alternatives = [_words(alternative, flags) for alternative in value[1]]
            if all(alternatives):
                found.append(frozenset().union(*(max(a, key=_strength) for a in alternatives)))
        elif kind in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"} and value[0] >= 1:
            found.extend(_words(value[2], flags))
        elif kind == "ATOMIC_GROUP":
            found.extend(_words(value, flags))
    close()
    return found
