"""Anonymisation of detected spans: :func:`anonymize`.

Operators
---------
placeholder
    Each span becomes its type in angle brackets, e.g. ``<KR_RRN>``.
mask
    Each letter and digit of a span becomes ``*``; separators, spaces and punctuation
    stay, so the length and the layout are kept (``010-1234-5678`` -> ``***-****-****``).
pseudonym
    Each span becomes ``<TYPE_xxxxxxxx>``, the first 8 hex digits of HMAC-SHA256 under a
    caller's key of the type and the canonical value (NFKC, case-folded, without spaces,
    hyphens and zero-width characters). The same value gets the same pseudonym in every
    document under one key; the key is never part of the output.
drop
    When any span is present the whole document is dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from .errors import PiiError
from .span import Span

__all__ = ["AnonymizedText", "Operator", "anonymize"]

Operator = Literal["placeholder", "mask", "pseudonym", "drop"]
OPERATORS: frozenset[str] = frozenset(get_args(Operator))
MIN_KEY_BYTES = 16
_IGNORED_IN_PSEUDONYM = str.maketrans(
    dict.fromkeys(" \t\r\n-\u00ad\u200b\u200c\u200d\u2060\ufeff", None)
)


@dataclass(frozen=True, slots=True)
class AnonymizedText:
    """The result of :func:`anonymize`.

    Attributes
    ----------
    text : str
        The anonymised text; empty when the document was dropped.
    dropped : bool
        Whether the ``drop`` operator dropped the document.
    replaced : int
        How many spans were replaced (for ``drop``, how many spans caused the drop).
    """

    text: str
    dropped: bool
    replaced: int


def _mask(value: str) -> str:
    return "".join("*" if ch.isalnum() else ch for ch in value)


def _pseudonym(type_name: str, value: str, key: bytes) -> str:
    canonical = unicodedata.normalize("NFKC", value).casefold().translate(_IGNORED_IN_PSEUDONYM)
    message = f"{type_name}\x00{canonical}".encode()
    digest = hmac.new(key, message, hashlib.sha256).hexdigest()
    return f"<{type_name}_{digest[:8]}>"


def _checked(text: str, spans: Sequence[Span]) -> list[Span]:
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    previous_end = 0
    for span in ordered:
        if not 0 <= span.start < span.end <= len(text):
            raise PiiError(
                f"span {span.type} [{span.start}, {span.end}) is outside the text "
                f"of length {len(text)} or empty",
                ko=f"구간 {span.type} [{span.start}, {span.end})이(가) 길이 {len(text)}인 "
                "텍스트를 벗어나거나 비어 있습니다",
            )
        if span.start < previous_end:
            raise PiiError(
                f"span {span.type} [{span.start}, {span.end}) overlaps another span",
                ko=f"구간 {span.type} [{span.start}, {span.end})이(가) 다른 구간과 겹칩니다",
            )
        previous_end = span.end
    return ordered


def anonymize(
    text: str,
    spans: Sequence[Span],
    *,
    operator: Operator = "placeholder",
    key: bytes | None = None,
) -> AnonymizedText:
    """Replace detected spans in a text.

    Parameters
    ----------
    text : str
        The original text the spans were detected in.
    spans : sequence of Span
        Non-overlapping spans with offsets into ``text``, e.g. from :func:`detect`.
    operator : {"placeholder", "mask", "pseudonym", "drop"}, default "placeholder"
        How to replace each span (see the module documentation).
    key : bytes, optional
        Secret key of at least 16 bytes for ``pseudonym``; required by it, unused by
        the other operators. Keep it outside the data.

    Returns
    -------
    AnonymizedText
        The new text, whether it was dropped, and how many spans were replaced.

    Raises
    ------
    PiiError
        On an unknown operator, a missing or short key for ``pseudonym``, or spans that
        fall outside the text or overlap. Messages hold offsets, never values.
    """
    if operator not in OPERATORS:
        raise PiiError(
            f"unknown operator {operator!r}; use one of {sorted(OPERATORS)}",
            ko=f"알 수 없는 연산자 {operator!r}: {sorted(OPERATORS)} 중 하나를 쓰십시오",
        )
    if operator == "pseudonym" and (key is None or len(key) < MIN_KEY_BYTES):
        raise PiiError(
            f"the pseudonym operator needs a key of at least {MIN_KEY_BYTES} bytes",
            ko=f"가명 연산자에는 {MIN_KEY_BYTES}바이트 이상의 키가 필요합니다",
        )
    ordered = _checked(text, spans)
    if operator == "drop":
        if ordered:
            return AnonymizedText(text="", dropped=True, replaced=len(ordered))
        return AnonymizedText(text=text, dropped=False, replaced=0)
    parts: list[str] = []
    position = 0
    for span in ordered:
        parts.append(text[position : span.start])
        value = text[span.start : span.end]
        if operator == "placeholder":
            parts.append(f"<{span.type}>")
        elif operator == "mask":
            parts.append(_mask(value))
        else:
            assert key is not None
            parts.append(_pseudonym(span.type, value, key))
        position = span.end
    parts.append(text[position:])
    return AnonymizedText(text="".join(parts), dropped=False, replaced=len(ordered))
