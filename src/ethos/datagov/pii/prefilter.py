"""The pre-pass of detect(): the windows where each pattern can match.

Scanning some 40 patterns over every document costs one regex scan each, and ``re``
tries most of them at every digit. Most patterns match short strings made of few
characters that always hold a digit or an ``@`` (see :mod:`.scope`).

:func:`plan_windows` assigns each pattern a :class:`WindowRule` over the runs that a
:class:`RunFinder` finds in one scan per document (maximal runs of the finder's alphabet
that hold an anchor character):

- *inside*: the pattern's alphabet lies in the finder's, so a match lies inside one run
  (at least ``min_width`` long, holding the required character);
- *around*: the match holds ``digit_run`` digits in a row, which lie in one run of the
  number finder, and is at most ``max_width`` long, so it lies within ``max_width``
  characters of that run.

The analyzer then searches each window from its start (no match crosses it, so the
search is in step with a scan of the whole text; lookbehinds still see the text before)
and lets the search see far enough past the window's end that every attempt starting in
it sees what it would see in the whole text; matches starting at or after the window's
end are dropped. The result equals a scan of the whole text; the tests check it.
Patterns without a scope, or whose anchor is a common character, are scanned whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .scope import DIGITS, Ranges, Scope, char_class, cost, merge, size, subset

__all__ = ["DIGITS_FINDER", "NUMBER_FINDER", "RunFinder", "WindowRule", "plan_windows", "windows"]

# Indexes of the number and the digits finders in the list plan_windows returns.
NUMBER_FINDER = 0
DIGITS_FINDER = 1
# Printable ASCII without lower-case letters: what numbers and codes are written with.
_NUMBER_CHARS: Ranges = ((0x20, 0x60), (0x7B, 0x7E))
_MAX_ANCHOR_COST = 10
_MAX_AROUND = 256


class RunFinder:
    """Finds the maximal runs of ``alphabet`` that hold an ``anchor`` character.

    Parameters
    ----------
    alphabet, anchor : Ranges
        Characters of the runs, and the characters a run must hold (within ``alphabet``).
    min_width : int
        Shorter runs are dropped.
    within : int, optional
        Index of another finder whose runs contain every run of this one (its alphabet
        contains this one's): only those runs are scanned.
    """

    __slots__ = (
        "_backward",
        "_forward",
        "_member",
        "_members",
        "_needs_non_ascii",
        "alphabet",
        "anchor",
        "min_width",
        "within",
    )

    _member: re.Pattern[str] | None
    _members: frozenset[str] | None

    def __init__(
        self, alphabet: Ranges, anchor: Ranges, min_width: int, within: int | None = None
    ) -> None:
        self.alphabet = alphabet
        self.anchor = anchor
        self.min_width = min_width
        self.within = within
        # An ASCII text holds no run when every anchor character is outside ASCII.
        self._needs_non_ascii = anchor[0][0] > 0x7F
        if anchor == alphabet:
            # Every character anchors: a run is found whole, and only if long enough. The
            # expression starts with one plain class, which re skips to quickly.
            chars = char_class(alphabet)
            self._forward = re.compile(f"{chars}{chars}{{{max(0, min_width - 1)},}}")
            self._member = self._members = None
        else:
            # From the first anchor character of a run to the run's end; the part of the
            # run before that character is found on the reversed text.
            self._forward = re.compile(char_class(anchor) + char_class(alphabet) + "*")
            self._member = re.compile(char_class(alphabet))
            small = size(alphabet) <= 256
            self._members = (
                frozenset(chr(c) for lo, hi in alphabet for c in range(lo, hi + 1))
                if small
                else None
            )
        self._backward = re.compile(char_class(alphabet) + "*")

    def runs(
        self,
        text: str,
        reversed_text: Callable[[], str],
        outer: list[tuple[int, int]] | None = None,
    ) -> list[tuple[int, int]]:
        """The runs of ``text``, as ``(start, end)`` in order.

        ``outer`` are the runs of the finder named by :attr:`within`, if any.
        """
        if self._needs_non_ascii and text.isascii():
            return []
        forward = self._forward
        if self._member is None:
            if outer is None:
                return [match.span() for match in forward.finditer(text)]
            minimum = self.min_width
            return [
                match.span()
                for start, end in outer
                if end - start >= minimum
                for match in forward.finditer(text, start, end)
            ]
        found: list[tuple[int, int]] = []
        length = len(text)
        member = self._member.match
        members = self._members
        minimum = self.min_width
        rev: str | None = None
        for match in forward.finditer(text):
            start, end = match.span()
            if members is not None:
                # Step back over the run's characters before its first anchor.
                while start and text[start - 1] in members:
                    start -= 1
            elif start and member(text, start - 1) is not None:
                if rev is None:
                    rev = reversed_text()
                back = self._backward.match(rev, length - start)
                if back is not None:
                    start -= back.end() - (length - start)
            if end - start >= minimum:
                found.append((start, end))
        return found


@dataclass(frozen=True, slots=True)
class WindowRule:
    """How one pattern's search windows follow from the runs of one finder.

    ``around`` is 0 for windows inside runs; otherwise windows reach ``around``
    characters to each side of the runs. Runs shorter than ``min_length``, or (inside)
    without the ``required`` character, are skipped.
    """

    finder: int
    around: int
    min_length: int
    required: str
    reach: int


# Windows closer than this are searched in one call: the gap holds no match, and a call
# costs more than skipping a few characters.
_GAP = 8


def windows(
    runs: list[tuple[int, int]], rule: WindowRule, length: int
) -> list[tuple[int, int, int]]:
    """The windows of ``rule`` around ``runs`` of a text of ``length`` characters.

    Each window is ``(start, end, stop)``: a search runs from ``start`` and may look up to
    ``stop``; matches start before ``end``. ``start`` may be negative and ``stop`` past
    the end: ``re`` clips both.
    """
    around, minimum = rule.around, rule.min_length
    merged: list[list[int]] = []
    for start, end in runs:
        if end - start < minimum:
            continue
        start -= around
        end += around
        if merged and start - merged[-1][1] <= _GAP:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    # A match starting before ``end`` consumes at most ``around`` characters past it.
    extra = around + rule.reach
    return [(start, min(end, length), end + extra) for start, end in merged]


def plan_windows(
    scopes: Sequence[Scope | None],
) -> tuple[list[RunFinder], list[WindowRule | None]]:
    """Run finders for ``scopes`` and, for each scope, its rule (``None``: scan whole).

    Finder 0 (:data:`NUMBER_FINDER`) finds numbers and codes: runs of digits,
    punctuation, spaces and capital letters. Every digit-anchored scope uses it: inside
    its runs when the scope's alphabet is made of such characters, around them when the
    scope's width is bounded. Finder 1 (:data:`DIGITS_FINDER`) finds runs of digits
    alone, within the numbers, for scopes made of digits only (compact numbers). Other
    scopes with a rare anchor share finders with the same anchor and a close alphabet.
    """
    numbers = [
        s
        for s in scopes
        if s is not None and s.anchor == DIGITS and subset(s.alphabet, _NUMBER_CHARS)
    ]
    number = merge([*DIGITS, *(r for s in numbers for r in s.alphabet)])
    compact = [s.min_width for s in numbers if subset(s.alphabet, DIGITS)]
    groups: list[tuple[Ranges, Ranges, int]] = [  # alphabet, anchor, minimum run length
        (number, DIGITS, 1),
        (DIGITS, DIGITS, min(compact, default=1)),
    ]
    rules = [_rule(scope, groups) for scope in scopes]
    finders = [
        RunFinder(alphabet, anchor, minimum, NUMBER_FINDER if index == DIGITS_FINDER else None)
        for index, (alphabet, anchor, minimum) in enumerate(groups)
    ]
    return finders, rules


def _rule(scope: Scope | None, groups: list[tuple[Ranges, Ranges, int]]) -> WindowRule | None:
    if scope is None:
        return None
    inside = (scope.min_width, scope.required, scope.reach)
    if scope.anchor == DIGITS and subset(scope.alphabet, DIGITS):
        return WindowRule(DIGITS_FINDER, 0, *inside)
    if scope.anchor == DIGITS and subset(scope.alphabet, groups[NUMBER_FINDER][0]):
        return WindowRule(NUMBER_FINDER, 0, *inside)
    if scope.digit_run and scope.max_width is not None and scope.max_width <= _MAX_AROUND:
        return WindowRule(NUMBER_FINDER, scope.max_width, scope.digit_run, "", scope.reach)
    if cost(scope.anchor) > _MAX_ANCHOR_COST:
        return None
    for index, (alphabet, anchor, minimum) in enumerate(groups[2:], start=2):
        union = merge(alphabet + scope.alphabet)
        close = size(union) <= min(size(alphabet), size(scope.alphabet)) + 6
        if anchor == scope.anchor and close:
            groups[index] = (union, anchor, min(minimum, scope.min_width))
            return WindowRule(index, 0, *inside)
    groups.append((scope.alphabet, scope.anchor, scope.min_width))
    return WindowRule(len(groups) - 1, 0, *inside)
