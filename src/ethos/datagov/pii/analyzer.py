"""Detection of personal information in text: :func:`detect`.

The analyzer knows nothing about anonymisation; it returns :class:`Span` values.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Collection, Iterator

from .errors import PiiError
from .normalize import normalize
from .schema import CompiledPattern, CompiledRecognizer, RecognizerSet, default_recognizers
from .span import Span

__all__ = ["detect"]

_FEATURES = {
    "digit": re.compile(r"[0-9]"),
    "hangul": re.compile(r"[\uac00-\ud7a3]"),
    "upper": re.compile(r"[A-Z]"),
}
_LITERAL_FEATURES = {"at": "@", "colon": ":"}

# A candidate: (score, length, start, end, recognizer order, type name).
_Candidate = tuple[float, int, int, int, int, str]


class _Text:
    """The normalised text with lazily computed cheap facts used to skip recognizers."""

    __slots__ = ("_features", "_folded", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._features: dict[str, bool] = {}
        self._folded: str | None = None

    def has(self, requirements: frozenset[str]) -> bool:
        for name in requirements:
            present = self._features.get(name)
            if present is None:
                literal = _LITERAL_FEATURES.get(name)
                if literal is not None:
                    present = literal in self.text
                else:
                    present = _FEATURES[name].search(self.text) is not None
                self._features[name] = present
            if not present:
                return False
        return True

    def mentions(self, words: tuple[str, ...]) -> bool:
        if self._folded is None:
            self._folded = self.text.casefold()
        return any(word in self._folded for word in words)


@functools.lru_cache(maxsize=64)
def _select(
    recognizers: RecognizerSet, types: frozenset[str] | None
) -> tuple[CompiledRecognizer, ...]:
    if types is None:
        return recognizers.recognizers
    unknown = types - recognizers.types
    if unknown:
        raise PiiError(f"unknown PII type(s): {', '.join(sorted(unknown))}")
    return tuple(r for r in recognizers.recognizers if r.type in types)


def _denied(value: str, deny: frozenset[str]) -> bool:
    return value in deny or any(token in deny for token in value.split())


def _score(
    recognizer: CompiledRecognizer, pattern: CompiledPattern, text: str, start: int, end: int
) -> float | None:
    """Score one match, or ``None`` when it is rejected."""
    value = text[start:end]
    if recognizer.deny and _denied(value, recognizer.deny):
        return None
    score = pattern.score
    if recognizer.validator is not None:
        adjustment = recognizer.validator(value)
        if adjustment is None:
            return None
        score += adjustment
    window = recognizer.context_window
    if recognizer.context or recognizer.negative_context:
        before = text[max(0, start - window) : start].casefold()
        if recognizer.context:
            after = text[end : end + window].casefold()
            if any(word in before or word in after for word in recognizer.context):
                score += recognizer.context_boost
            elif recognizer.context_required and not pattern.self_context:
                return None
        # A negative word labels the value only on its own line: a form's "주문번호"
        # line says nothing about the phone number on the next one.
        same_line = before[before.rfind("\n") + 1 :]
        if any(word in same_line for word in recognizer.negative_context):
            score -= recognizer.negative_penalty
    return round(min(1.0, max(0.0, score)), 4)


def _candidates(
    selected: tuple[CompiledRecognizer, ...], text: _Text, min_score: float
) -> Iterator[_Candidate]:
    for order, recognizer in enumerate(selected):
        if not text.has(recognizer.requires):
            continue
        mentioned = not recognizer.context_required or text.mentions(recognizer.context)
        if not mentioned and not recognizer.has_self_context:
            continue
        for pattern in recognizer.patterns:
            if not mentioned and not pattern.self_context:
                continue
            if pattern.requires and not text.has(pattern.requires):
                continue
            for match in pattern.regex.finditer(text.text):
                start, end = match.span("value") if pattern.has_value_group else match.span()
                if start == end:
                    continue
                score = _score(recognizer, pattern, text.text, start, end)
                if score is not None and score >= min_score:
                    yield (score, end - start, start, end, order, recognizer.type)


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep non-overlapping candidates: higher score first, then longer, then earlier."""
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[4]))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[_Candidate] = []
    for candidate in candidates:
        start, end = candidate[2], candidate[3]
        index = bisect.bisect_left(starts, end)
        if index > 0 and ends[index - 1] > start:
            continue
        starts.insert(index, start)
        ends.insert(index, end)
        kept.insert(index, candidate)
    return kept


def detect(
    text: str,
    *,
    types: Collection[str] | None = None,
    min_score: float = 0.5,
    recognizers: RecognizerSet | None = None,
) -> list[Span]:
    """Find personal information in a text.

    Parameters
    ----------
    text : str
        The text to scan. Matching runs on a normalised copy (NFKC, ASCII dashes, no
        zero-width characters); offsets refer to the original ``text``.
    types : collection of str, optional
        Report only these type names; all types when ``None``.
    min_score : float, default 0.5
        Drop detections scoring below this, before overlaps are resolved.
    recognizers : RecognizerSet, optional
        Recognizers from :func:`load_recognizers`; the shipped set when ``None``.

    Returns
    -------
    list of Span
        Non-overlapping detections sorted by start. Where detections overlap, the higher
        score wins, then the longer span.

    Raises
    ------
    PiiError
        When ``text`` is not a string, ``min_score`` is outside ``[0, 1]`` or ``types``
        names an unknown type.
    """
    if not isinstance(text, str):
        raise PiiError(f"text must be str, not {type(text).__name__}")
    if not 0.0 <= min_score <= 1.0:
        raise PiiError("min_score must be between 0 and 1")
    if isinstance(types, str):
        raise PiiError("types must be a collection of type names, not a string")
    selected = _select(
        recognizers or default_recognizers(), None if types is None else frozenset(types)
    )
    if not text or not selected:
        return []
    normalized = normalize(text)
    found = _resolve(list(_candidates(selected, _Text(normalized.text), min_score)))
    spans = []
    for score, _length, start, end, _order, type_name in found:
        original_start, original_end = normalized.original_span(start, end)
        spans.append(Span(type=type_name, start=original_start, end=original_end, score=score))
    return spans
