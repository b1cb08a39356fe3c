"""Text normalisation before matching, with a map back to original offsets.

Matching runs on a normalised copy of the text: NFKC (full-width digits, letters and
punctuation become ASCII), dash-like characters become ``-`` and zero-width or
bidirectional control characters are removed. :class:`NormalizedText` keeps, for every
character of the copy, where it came from, so spans found on the copy are reported in
offsets of the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["NormalizedText", "normalize"]

_REMOVED = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASHES, "-"))
# One-to-one replacements applied before anything else, so offsets do not move: full-width
# ASCII forms (what NFKC does to them), the ideographic and no-break spaces, and dashes.
_ONE_TO_ONE = str.maketrans(
    {
        **{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
        "\u3000": " ",
        "\u00a0": " ",
        **dict.fromkeys(_DASHES, "-"),
    }
)
_ONE_TO_ONE_CHARS = re.compile(f"[\uff01-\uff5e\u3000\u00a0{_DASHES}]")
_NEEDS_WORK = re.compile(f"[{_REMOVED}{_DASHES}]")
# Runs that NFKC leaves untouched and that no following combining mark can join:
# printable ASCII and precomposed Hangul syllables (the bulk of Korean and English text).
_SAFE_RUN = re.compile(r"[\t\n\r\x20-\x7e\uac00-\ud7a3]+")


def _joins_previous(ch: str) -> bool:
    """Whether ``ch`` composes with the character before it (combining mark or jamo)."""
    return unicodedata.combining(ch) != 0 or "\u1160" <= ch <= "\u11ff"


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised copy of a text and the offsets it came from.

    Attributes
    ----------
    text : str
        The normalised text that recognizers match against.
    starts, ends : tuple[int, ...] or None
        For character ``i`` of ``text``, the original characters are
        ``original[starts[i]:ends[i]]``. ``None`` when offsets did not move.
    """

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty ``[start, end)`` range of :attr:`text` to original offsets."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for matching and keep an offset map to the original.

    Parameters
    ----------
    text : str
        The original text.

    Returns
    -------
    NormalizedText
        The copy to match against; when offsets do not move, no map is built.
    """
    if text.isascii():
        return NormalizedText(text)
    if _ONE_TO_ONE_CHARS.search(text) is not None:
        text = text.translate(_ONE_TO_ONE)
    if unicodedata.is_normalized("NFKC", text) and _NEEDS_WORK.search(text) is None:
        return NormalizedText(text)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    length = len(text)
    while pos < length:
        run = _SAFE_RUN.match(text, pos)
        if run is not None and not (run.end() < length and _joins_previous(text[run.end()])):
            end = run.end()
            parts.append(run.group())
            starts.extend(range(pos, end))
            ends.extend(range(pos + 1, end + 1))
            pos = end
            continue
        if run is not None and run.end() - 1 > pos:
            # Copy the run except its last character, which starts the next cluster.
            end = run.end() - 1
            parts.append(text[pos:end])
            starts.extend(range(pos, end))
            ends.extend(range(pos + 1, end + 1))
            pos = end
        end = pos + 1
        while end < length and _joins_previous(text[end]):
            end += 1
        cluster = unicodedata.normalize("NFKC", text[pos:end])
        cluster = "".join(ch for ch in cluster if ch not in _REMOVED).translate(_DASH_TABLE)
        parts.append(cluster)
        starts.extend([pos] * len(cluster))
        ends.extend([end] * len(cluster))
        pos = end
    return NormalizedText("".join(parts), tuple(starts), tuple(ends))
