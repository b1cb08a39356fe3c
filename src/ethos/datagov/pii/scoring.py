"""Scoring of candidate matches: deny list, validate hook, context words.

:class:`Document` holds the normalised text of one :func:`detect` call and what is
computed at most once for it: cheap features, the case-folded, lower-case and reversed
text, and whether a recognizer's context words occur at all. Context words are looked up
in the case-folded document between offsets, with one expression per recognizer, instead
of case-folding slices around every match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .prescan import WordScan
from .schema import CompiledPattern, CompiledRecognizer

__all__ = ["FEATURES", "Candidate", "Document", "MentionIndex", "score"]

# A candidate: (-score, -length, start, recognizer order, end, type name), so that plain
# tuple order is the order overlaps are resolved in.
Candidate = tuple[float, int, int, int, int, str]

_DIGIT = re.compile(r"[0-9]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_UPPER = re.compile(r"[A-Z]")
# Every feature a recognizer or pattern may require (see schema.Requirement), in the
# order of the bits of Document.features().
FEATURES = ("digit", "hangul", "upper", "at", "colon")


@dataclass(frozen=True, slots=True)
class MentionIndex:
    """One Hyperscan scan for the context words of several recognizers at once: ``scan``
    has one group of words per recognizer, ``groups`` maps ``id(recognizer)`` to its
    group."""

    scan: WordScan
    groups: dict[int, int]


class Document:
    """The normalised text with facts computed on first use.

    With a :class:`MentionIndex`, whether the recognizers it covers have a context word in
    the text is answered by one scan of the case-folded text, the first time one is asked.
    """

    __slots__ = (
        "_aligned",
        "_features",
        "_folded",
        "_index",
        "_lowered",
        "_mentioned",
        "_mentions",
        "_reversed",
        "text",
    )

    def __init__(self, text: str, mentions: MentionIndex | None = None) -> None:
        self.text = text
        self._features: int | None = None
        self._folded: str | None = None
        self._aligned = False
        self._lowered: str | None = None
        self._mentions: dict[int, bool] = {}
        self._reversed: str | None = None
        self._index = mentions
        # The groups of the index with a word in the text; None: not scanned (yet).
        self._mentioned: frozenset[int] | None = None

    def features(self) -> int:
        """A bit mask: bit ``i`` is set when the text has feature ``FEATURES[i]``."""
        if self._features is None:
            text = self.text
            self._features = (
                (_DIGIT.search(text) is not None)
                | (not text.isascii() and _HANGUL.search(text) is not None) << 1
                | (_UPPER.search(text) is not None) << 2
                | ("@" in text) << 3
                | (":" in text) << 4
            )
        return self._features

    def folded(self) -> str:
        """The case-folded text."""
        if self._folded is None:
            self._folded = self.text.casefold()
            # Case folding maps most characters to one; when every character does,
            # offsets agree and slices of the folded text are folded slices.
            self._aligned = len(self._folded) == len(self.text)
        return self._folded

    def mentions(self, recognizer: CompiledRecognizer) -> bool:
        """Whether any context word of ``recognizer`` occurs anywhere in the text."""
        key = id(recognizer)
        known = self._mentions.get(key)
        if known is None:
            folded = self.folded()
            index = self._index
            group = None if index is None else index.groups.get(key)
            if group is not None and self._mentioned is None:
                self._mentioned = index.scan.scan(folded)  # type: ignore[union-attr]
                if self._mentioned is None:  # cannot be scanned: ask each recognizer
                    self._index = None
            if group is not None and self._mentioned is not None:
                known = group in self._mentioned
            else:
                # Substring tests beat one expression: many words share first letters.
                known = any(word in folded for word in recognizer.context)
            self._mentions[key] = known
        return known

    def lowered(self) -> str | None:
        """The text in lower case if it is ASCII, else ``None``."""
        if self._lowered is None and self.text.isascii():
            self._lowered = self.text.lower()
        return self._lowered

    def reversed(self) -> str:
        """The text, last character first."""
        if self._reversed is None:
            self._reversed = self.text[::-1]
        return self._reversed

    def context_near(
        self, recognizer: CompiledRecognizer, start: int, end: int
    ) -> tuple[bool, bool]:
        """Whether a context word occurs within the window before or after
        ``[start, end)``, and whether a negative word occurs before it on its line."""
        folded = self.folded()
        window = recognizer.context_window
        low = max(0, start - window)
        if not self._aligned:
            return self._context_sliced(recognizer, low, start, end)
        context = recognizer.context_pattern
        near = context is not None and (
            context.search(folded, low, start) is not None
            or context.search(folded, end, end + window) is not None
        )
        negative = recognizer.negative_pattern
        if negative is None:
            return near, False
        # A negative word labels the value only on its own line: a form's "주문번호"
        # line says nothing about the phone number on the next one.
        line = folded.rfind("\n", low, start) + 1 or low
        return near, negative.search(folded, line, start) is not None

    def _context_sliced(
        self, recognizer: CompiledRecognizer, low: int, start: int, end: int
    ) -> tuple[bool, bool]:
        text = self.text
        before = text[low:start].casefold()
        after = text[end : end + recognizer.context_window].casefold()
        near = any(word in before or word in after for word in recognizer.context)
        same_line = before[before.rfind("\n") + 1 :]
        return near, any(word in same_line for word in recognizer.negative_context)


def _denied(value: str, deny: frozenset[str]) -> bool:
    return value in deny or any(token in deny for token in value.split())


def score(
    recognizer: CompiledRecognizer,
    pattern: CompiledPattern,
    doc: Document,
    start: int,
    end: int,
) -> float | None:
    """Score one match, or ``None`` when it is rejected."""
    value = doc.text[start:end]
    if recognizer.deny and _denied(value, recognizer.deny):
        return None
    result = pattern.score
    if recognizer.validator is not None:
        adjustment = recognizer.validator(value)
        if adjustment is None:
            return None
        result += adjustment
    if recognizer.context or recognizer.negative_context:
        near, negative = doc.context_near(recognizer, start, end)
        if near:
            result += recognizer.context_boost
        elif recognizer.context and recognizer.context_required and not pattern.self_context:
            return None
        if negative:
            result -= recognizer.negative_penalty
    rounded = _ROUNDED.get(result)
    if rounded is None:
        rounded = round(min(1.0, max(0.0, result)), 4)
        if len(_ROUNDED) < _MAX_ROUNDED:  # the sums of a few constants: few values
            _ROUNDED[result] = rounded
    return rounded


# Each raw score seen, clamped to [0, 1] and rounded to 4 places (round() is slow).
_ROUNDED: dict[float, float] = {}
_MAX_ROUNDED = 4096
