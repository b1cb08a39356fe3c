"""The value type shared by the analyzer and the anonymizer."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Span"]


@dataclass(frozen=True, slots=True)
class Span:
    """One detected piece of personal information.

    Attributes
    ----------
    type : str
        Type name, e.g. ``"KR_RRN"`` or ``"EMAIL"`` (see ``docs/pii-types.md``).
    start, end : int
        Character offsets into the original text, ``text[start:end]`` is the value.
    score : float
        Confidence in ``[0, 1]``.
    """

    type: str
    start: int
    end: int
    score: float
