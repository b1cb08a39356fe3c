"""Text normalisation before matching, with a map back to original offsets.

Matching runs on a normalised copy of the text: NFKC (full-width digits, letters and
punctuation become ASCII), dash-like characters become ``-`` and zero-width or
bidirectional control characters are removed. :class:`NormalizedText` keeps, for every
character of the copy, where it came from, so spans found on the copy are reported in
offsets of the original.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence

__all__ = ["KEPT_BY_NFKC_CHANGED_HERE", "NormalizedText", "normalize", "unchanged"]

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
# The characters this module removes or replaces although NFKC may keep them: a text in
# NFKC holding none of them is left exactly as it is (see unchanged()).
KEPT_BY_NFKC_CHANGED_HERE = _REMOVED + _DASHES
_NEEDS_WORK = re.compile(f"[{KEPT_BY_NFKC_CHANGED_HERE}]")
# Characters that NFKC leaves as they are when nothing joins them: printable ASCII and
# precomposed Hangul syllables (the bulk of Korean and English text). Every other
# character, and a safe one followed by a mark that joins it, is normalised as a cluster.
_UNSAFE = re.compile(r"[^\t\n\r\x20-\x7e\uac00-\ud7a3]")
# Clusters repeat (ㅋ, emoji, curly quotes): each distinct one is normalised once.
_CLUSTER_CACHE_SIZE = 4096


def _joins_previous(ch: str) -> bool:
    """Whether ``ch`` composes with the character before it (combining mark or jamo)."""
    return unicodedata.combining(ch) != 0 or "\u1160" <= ch <= "\u11ff"


_clusters: dict[str, str] = {}


def _normalize_cluster(cluster: str) -> str:
    """A character and the marks joining it: NFKC, ignorable characters removed, dashes."""
    done = _clusters.get(cluster)
    if done is None:
        done = unicodedata.normalize("NFKC", cluster)
        done = "".join(ch for ch in done if ch not in _REMOVED).translate(_DASH_TABLE)
        if len(_clusters) >= _CLUSTER_CACHE_SIZE:
            _clusters.clear()
        _clusters[cluster] = done
    return done


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

    __slots__ = ("_marks", "_pieces", "text")

    def __init__(self, text: str, pieces: Sequence[tuple[int, int, int, int]] = ()) -> None:
        self.text = text
        # Where offsets move: (start in text, length in text, original start, original
        # end) of each piece that came from a cluster other than one kept character.
        self._pieces = tuple(pieces)
        self._marks = [piece[0] for piece in self._pieces]

    def __repr__(self) -> str:
        return f"NormalizedText(text={self.text!r}, pieces={len(self._pieces)})"

    def _origin(self, index: int) -> tuple[int, int]:
        """The original characters of character ``index`` of :attr:`text`."""
        found = bisect.bisect_right(self._marks, index) - 1
        if found < 0:
            return index, index + 1
        start, length, original_start, original_end = self._pieces[found]
        if index < start + length:
            return original_start, original_end
        shift = original_end - (start + length)
        return index + shift, index + shift + 1

    @property
    def starts(self) -> tuple[int, ...] | None:
        """For each character of :attr:`text`, where its original characters start."""
        if not self._pieces:
            return None
        return tuple(self._origin(i)[0] for i in range(len(self.text)))

    @property
    def ends(self) -> tuple[int, ...] | None:
        """For each character of :attr:`text`, where its original characters end."""
        if not self._pieces:
            return None
        return tuple(self._origin(i)[1] for i in range(len(self.text)))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty ``[start, end)`` range of :attr:`text` to original offsets."""
        if not self._pieces:
            return start, end
        return self._origin(start)[0], self._origin(end - 1)[1]


def unchanged(text: str, *, changed_here: bool) -> bool:
    """Whether :func:`normalize` returns ``text`` as it is, with no offset map.

    ``changed_here`` says whether ``text`` holds a character of
    :data:`KEPT_BY_NFKC_CHANGED_HERE` (a caller that has scanned the text already knows).
    """
    return not changed_here and (text.isascii() or unicodedata.is_normalized("NFKC", text))


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
    if unicodedata.is_normalized("NFKC", text) and _NEEDS_WORK.search(text) is None:
        # Checked before the one-to-one replacements: NFKC changes full-width forms and
        # the two spaces, so this text holds none of them, and _NEEDS_WORK covers the
        # dashes. The replacements would leave it as it is.
        return NormalizedText(text)
    if _ONE_TO_ONE_CHARS.search(text) is not None:
        text = text.translate(_ONE_TO_ONE)
    if unicodedata.is_normalized("NFKC", text) and _NEEDS_WORK.search(text) is None:
        return NormalizedText(text)
    # The text is a sequence of clusters: a character and the marks that join it. Each
    # is normalised on its own; a safe character with no mark after it stays as it is.
    parts: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    length = len(text)
    copied = 0  # text[:copied] is dealt with
    out = 0  # length of the normalised text so far
    for match in _UNSAFE.finditer(text):
        position = match.start()
        if position < copied:
            continue  # a mark already taken into the cluster before it
        start = position
        if position and position - 1 >= copied and _joins_previous(text[position]):
            start = position - 1  # a mark on a safe character: they form the cluster
        end = position + 1
        while end < length and _joins_previous(text[end]):
            end += 1
        if start > copied:
            parts.append(text[copied:start])
            out += start - copied
        cluster = text[start:end]
        done = _normalize_cluster(cluster)
        parts.append(done)
        if len(cluster) != 1 or len(done) != 1:
            pieces.append((out, len(done), start, end))
        out += len(done)
        copied = end
    parts.append(text[copied:])
    return NormalizedText("".join(parts), pieces)
