"""A Hyperscan expression that matches wherever a Python pattern can match.

:func:`superset_expression` reads a compiled pattern's parse tree (``re._parser``, as
:mod:`.scope` does) and writes an expression for Hyperscan (UTF-8 mode) whose language
contains the pattern's: every string the pattern matches, the expression matches too. A
text where the expression finds nothing therefore holds no match of the pattern, and
:mod:`.prescan` skips the pattern there. The converse need not hold: a hit only means
"search this pattern".

How each construct is written:

- lookarounds, ``\\b``, ``^`` and ``$`` are dropped (an assertion only restricts), except
  that a one-character lookbehind right after a one-character item narrows that item
  (``[AaSs](?<=[Aa])`` is ``[Aa]``), and such an item is distributed over an alternation
  whose branches start with lookbehinds;
- a character, class, category or ``.`` becomes its exact ASCII part, found by asking
  ``re`` itself about each of the 128 ASCII characters, plus its non-ASCII part: exact
  for literals and ranges; for ``\\d`` and ``\\s``, and for a case-insensitive ASCII
  item (the Kelvin sign matches ``k``, the long s ``s``), the characters ``re`` matches,
  found by asking it about every code point once per process; every non-ASCII code
  point otherwise (``\\w``, negated classes, ``.``). Hyperscan's own Unicode and case
  tables are never used, so nothing depends on the two engines agreeing;
- groups, alternations and repeats carry over; repeat bounds above
  :data:`REPEAT_LIMIT` are loosened to ``{n,}``;
- back references, conditionals and anything unknown give ``None``: the pattern is then
  searched in every text.
"""

from __future__ import annotations

import functools
import importlib
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["REPEAT_LIMIT", "superset_expression"]

# Repeat bounds above this are loosened: {0,20000} becomes {0,}, {300,} becomes {64,}.
REPEAT_LIMIT = 64
# Every non-ASCII code point that valid UTF-8 can hold (no surrogates).
_NON_ASCII: tuple[tuple[int, int], ...] = ((0x80, 0xD7FF), (0xE000, 0x10FFFF))
_SINGLE = {"LITERAL", "NOT_LITERAL", "IN", "ANY"}
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
# The flags that change which characters one item matches.
_CHAR_FLAGS = re.IGNORECASE | re.ASCII | re.DOTALL
# A category with more non-ASCII ranges than this (\w) counts as all of non-ASCII.
_CATEGORY_RANGES = 64


class _UnsupportedError(Exception):
    """The expression uses something that cannot be written as a superset."""


@dataclass(frozen=True, slots=True)
class _Chars:
    """A set of characters: ASCII as a 128-bit mask, the rest as code point ranges."""

    ascii: int
    other: tuple[tuple[int, int], ...]

    def __and__(self, other: _Chars) -> _Chars:
        ranges = []
        for low, high in self.other:
            for lo, hi in other.other:
                if max(low, lo) <= min(high, hi):
                    ranges.append((max(low, lo), min(high, hi)))
        return _Chars(self.ascii & other.ascii, tuple(sorted(ranges)))

    def render(self) -> str:
        """The characters as a Hyperscan class or single escaped character."""
        ranges = [*_mask_ranges(self.ascii), *self.other]
        if not ranges:
            raise _UnsupportedError("empty class")
        if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
            return _escape(ranges[0][0])
        parts = [
            _escape(low) if low == high else f"{_escape(low)}-{_escape(high)}"
            for low, high in ranges
        ]
        return "[" + "".join(parts) + "]"


def _mask_ranges(mask: int) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    code = 0
    while code < 128:
        if mask >> code & 1:
            start = code
            while code < 128 and mask >> code & 1:
                code += 1
            ranges.append((start, code - 1))
        else:
            code += 1
    return ranges


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x80 else f"\\x{{{code:x}}}"


def _name(op: object) -> str:
    return str(op)


def _python_source(kind: str, value: Any) -> str:
    """Source of a ``re`` pattern matching exactly what one single-character item does."""
    if kind == "LITERAL":
        return _py_escape(value)
    if kind == "NOT_LITERAL":
        return f"[^{_py_escape(value)}]"
    if kind == "ANY":
        return "."
    parts = []
    for op, item in value:
        sub = _name(op)
        if sub == "NEGATE":
            parts.append("^")
        elif sub == "LITERAL":
            parts.append(_py_escape(item))
        elif sub == "RANGE":
            parts.append(f"{_py_escape(item[0])}-{_py_escape(item[1])}")
        elif sub == "CATEGORY" and _name(item) in _CATEGORIES:
            parts.append(_CATEGORIES[_name(item)])
        else:
            raise _UnsupportedError(sub)
    return "[" + "".join(parts) + "]"


def _py_escape(code: int) -> str:
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"


@functools.lru_cache(maxsize=1024)
def _ascii_mask(source: str, flags: int) -> int:
    """Which ASCII characters ``re`` matches with ``source``: asked, not assumed."""
    compiled = re.compile(source, flags)
    return sum(1 << code for code in range(128) if compiled.fullmatch(chr(code)) is not None)


def _chars(kind: str, value: Any, flags: int) -> _Chars:
    """The characters one single-character item matches, or a superset of them."""
    char_flags = flags & _CHAR_FLAGS
    mask = _ascii_mask(_python_source(kind, value), char_flags)
    caseless = bool(flags & re.IGNORECASE)
    if caseless and _ascii_only(kind, value):
        # Case-insensitive ASCII: the few non-ASCII characters re equates with it.
        compiled = re.compile(_python_source(kind, value), char_flags)
        matched = [ord(c) for c in _caseless_ascii() if compiled.fullmatch(c) is not None]
        return _Chars(mask, _non_ascii((code, code) for code in matched))
    if kind == "LITERAL" and not caseless:
        return _Chars(mask, _non_ascii(((value, value),)))
    if kind == "IN" and not caseless:
        ranges: list[tuple[int, int]] = []
        for op, item in value:
            sub = _name(op)
            if sub == "LITERAL":
                ranges.append((item, item))
            elif sub == "RANGE":
                ranges.append((item[0], item[1]))
            elif sub == "CATEGORY" and "NOT" not in _name(item):
                ranges.extend(_category(_CATEGORIES[_name(item)], char_flags))
            else:
                return _Chars(mask, _NON_ASCII)  # a negation
        return _Chars(mask, _non_ascii(ranges))
    return _Chars(mask, _NON_ASCII)


def _ascii_only(kind: str, value: Any) -> bool:
    """Whether an item lists ASCII characters only (no category, no negation)."""
    if kind == "LITERAL":
        return bool(value < 0x80)
    if kind != "IN":
        return False
    for op, item in value:
        sub = _name(op)
        if not ((sub == "LITERAL" and item < 0x80) or (sub == "RANGE" and item[1] < 0x80)):
            return False
    return True


@functools.cache
def _caseless_ascii() -> str:
    """The non-ASCII characters that ``re`` matches case-insensitively with some ASCII
    character (the Kelvin sign, the long s, dotted and dotless i), found by asking ``re``
    about every code point once."""
    return "".join(re.findall(r"(?i)[\x00-\x7f]", _non_ascii_text()))


@functools.lru_cache(maxsize=16)
def _category(source: str, flags: int) -> tuple[tuple[int, int], ...]:
    """The non-ASCII characters of a category (``\\d``, ``\\s``, ``\\w``) as ``re``
    matches them here, asked once per code point; every non-ASCII character when they
    form more than :data:`_CATEGORY_RANGES` ranges."""
    if flags & re.ASCII:
        return ()
    codes = sorted(ord(c) for c in re.findall(source, _non_ascii_text(), flags))
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return tuple(ranges) if len(ranges) <= _CATEGORY_RANGES else _NON_ASCII


@functools.cache
def _non_ascii_text() -> str:
    """Every non-ASCII code point that UTF-8 can hold, in order, as one string."""
    codes = array("I", range(0x80, 0xD800))
    codes.extend(range(0xE000, 0x110000))
    return codes.tobytes().decode("utf-32-le" if codes.itemsize == 4 else "utf-32")


def _non_ascii(ranges: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The part of ``ranges`` above ASCII, without surrogates, sorted and merged."""
    clipped = _Chars(0, tuple(sorted((max(lo, 0x80), hi) for lo, hi in ranges if hi >= 0x80)))
    merged: list[tuple[int, int]] = []
    for low, high in (clipped & _Chars(0, _NON_ASCII)).other:
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return tuple(merged)


def _lookbehind_chars(value: Any, flags: int) -> _Chars | None:
    """The characters of a positive one-character lookbehind, else ``None``."""
    direction, body = value
    items = list(body)
    if direction != -1 or len(items) != 1:
        return None
    kind = _name(items[0][0])
    return _chars(kind, items[0][1], flags) if kind in _SINGLE else None


def _starts_with_lookbehind(alternative: Any, flags: int) -> bool:
    items = list(alternative)
    return bool(items) and (
        _name(items[0][0]) == "ASSERT" and _lookbehind_chars(items[0][1], flags) is not None
    )


# A piece of a translated sequence: written text, or one character set still open to
# narrowing by a lookbehind that follows it.
_Piece = str | _Chars


def _sequence(items: Iterable[tuple[Any, Any]], flags: int, first: _Chars | None = None) -> str:
    pieces: list[_Piece] = [] if first is None else [first]
    for op, value in items:
        kind = _name(op)
        previous = pieces[-1] if pieces and isinstance(pieces[-1], _Chars) else None
        if kind in _SINGLE:
            pieces.append(_chars(kind, value, flags))
        elif kind == "ASSERT":
            narrow = _lookbehind_chars(value, flags)
            if previous is not None and narrow is not None:
                pieces[-1] = previous & narrow
        elif kind in {"ASSERT_NOT", "AT"}:
            continue
        elif kind == "BRANCH":
            alternatives = value[1]
            if previous is not None and all(
                _starts_with_lookbehind(a, flags) for a in alternatives
            ):
                pieces.pop()
                written = [_sequence(a, flags, previous) for a in alternatives]
            else:
                written = [_sequence(a, flags) for a in alternatives]
            pieces.append("(?:" + "|".join(written) + ")")
        elif kind == "SUBPATTERN":
            _group, add_flags, del_flags, body = value
            inner = _sequence(body, (flags | add_flags) & ~del_flags)
            pieces.append(f"(?:{inner})" if inner else "")
        elif kind == "ATOMIC_GROUP":
            inner = _sequence(value, flags)
            pieces.append(f"(?:{inner})" if inner else "")
        elif kind in _REPEATS:
            pieces.append(_repeat(value, flags))
        else:  # GROUPREF, GROUPREF_EXISTS, ...
            raise _UnsupportedError(kind)
    return "".join(p if isinstance(p, str) else p.render() for p in pieces)


def _repeat(value: Any, flags: int) -> str:
    low, high, body = value
    items = list(body)
    inner = _sequence(items, flags)
    if not inner:
        return ""
    single = len(items) == 1 and _name(items[0][0]) in _SINGLE
    maximum = importlib.import_module("re._parser").MAXREPEAT
    low = min(low, REPEAT_LIMIT)
    if high == maximum or high > REPEAT_LIMIT:
        bounds = "*" if low == 0 else "+" if low == 1 else f"{{{low},}}"
    elif (low, high) == (0, 1):
        bounds = "?"
    elif low == high:
        bounds = f"{{{low}}}"
    else:
        bounds = f"{{{low},{high}}}"
    if low == high == 1:
        return inner
    if high == 0:
        return ""  # x{0} matches the empty string
    return f"{inner}{bounds}" if single else f"(?:{inner}){bounds}"


def superset_expression(regex: re.Pattern[str]) -> str | None:
    """A Hyperscan expression matching every string ``regex`` matches (``None``: none
    could be written). Compile it with ``HS_FLAG_UTF8``; it is ASCII text."""
    if not isinstance(regex.pattern, str):
        return None
    try:
        tree = importlib.import_module("re._parser").parse(regex.pattern, regex.flags)
        expression = _sequence(tree, regex.flags)
    except (_UnsupportedError, ImportError, AttributeError, TypeError, ValueError, re.error):
        return None
    return expression or None
