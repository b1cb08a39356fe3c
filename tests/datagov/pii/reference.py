"""A plain reference detector: every pattern scanned over the whole text, no pre-pass.

It follows the rules ``detect()`` documents (recognizer requirements, context words in
case-folded windows, negative words on the value's line, overlaps resolved by score,
length, position), written here the simplest way, with nothing shared with the analyzer
but the compiled recognizers and the normalisation (tested on its own). The tests compare
``detect()`` with it span by span: the pre-pass, gates and windows must change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ethos.datagov.pii import Span
from ethos.datagov.pii.normalize import normalize
from ethos.datagov.pii.schema import (
    CompiledPattern,
    CompiledRecognizer,
    RecognizerSet,
    default_recognizers,
)

_FEATURES = {
    "digit": lambda text: re.search("[0-9]", text) is not None,
    "hangul": lambda text: re.search("[\uac00-\ud7a3]", text) is not None,
    "upper": lambda text: re.search("[A-Z]", text) is not None,
    "at": lambda text: "@" in text,
    "colon": lambda text: ":" in text,
}


def _has(text: str, requirements: Collection[str]) -> bool:
    return all(_FEATURES[name](text) for name in requirements)


def _score(
    recognizer: CompiledRecognizer, pattern: CompiledPattern, text: str, start: int, end: int
) -> float | None:
    value = text[start:end]
    deny = recognizer.deny
    if deny and (value in deny or any(token in deny for token in value.split())):
        return None
    result = pattern.score
    if recognizer.validator is not None:
        adjustment = recognizer.validator(value)
        if adjustment is None:
            return None
        result += adjustment
    window = recognizer.context_window
    before = text[max(0, start - window) : start].casefold()
    after = text[end : end + window].casefold()
    if recognizer.context:
        if any(word in before or word in after for word in recognizer.context):
            result += recognizer.context_boost
        elif recognizer.context_required and not pattern.self_context:
            return None
    line = before.split("\n")[-1]
    if any(word in line for word in recognizer.negative_context):
        result -= recognizer.negative_penalty
    return round(min(1.0, max(0.0, result)), 4)


def reference_detect(
    text: str,
    *,
    types: Collection[str] | None = None,
    min_score: float = 0.5,
    recognizers: RecognizerSet | None = None,
) -> list[Span]:
    """What :func:`ethos.datagov.pii.detect` must return, computed the plain way."""
    chosen = recognizers or default_recognizers()
    normalized = normalize(text)
    plain = normalized.text
    candidates = []
    for order, recognizer in enumerate(chosen.recognizers):
        if types is not None and recognizer.type not in types:
            continue
        if not _has(plain, recognizer.requires):
            continue
        folded = plain.casefold()
        mentioned = not recognizer.context_required or any(
            word in folded for word in recognizer.context
        )
        for pattern in recognizer.patterns:
            if not mentioned and not pattern.self_context:
                continue
            if not _has(plain, pattern.requires):
                continue
            for match in pattern.regex.finditer(plain):
                start, end = match.span("value") if pattern.has_value_group else match.span()
                if start == end:
                    continue
                score = _score(recognizer, pattern, plain, start, end)
                if score is not None and score >= min_score:
                    candidates.append((score, end - start, start, end, order, recognizer.type))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[4]))
    kept: list[tuple[float, int, int, int, int, str]] = []
    for candidate in candidates:
        if all(candidate[3] <= other[2] or other[3] <= candidate[2] for other in kept):
            kept.append(candidate)
    kept.sort(key=lambda c: c[2])
    spans = []
    for score, _length, start, end, _order, type_name in kept:
        original_start, original_end = normalized.original_span(start, end)
        spans.append(Span(type_name, original_start, original_end, score))
    return spans
