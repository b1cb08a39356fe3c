"""Documents as readers produce them, rejected lines, and windows over long texts.

A document's text is either held whole (``text``) or, for a very long plain-text line or
file, arrives in decoded pieces (``pieces``) so that it is never held whole. Processors see
every document as a sequence of :class:`Window` values: one for an ordinary document,
several overlapping ones for a long document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "OVERLAP_CHARS",
    "WINDOW_CHARS",
    "Document",
    "Reject",
    "StreamCounters",
    "Window",
    "windows",
]

# A window's core is about 1 Mi characters; neighbouring windows overlap by 4 Ki characters
# on each side, more than any recognizer's context window plus the longest value we expect.
WINDOW_CHARS = 1 << 20
OVERLAP_CHARS = 4096
_NEWLINE_SEARCH = 1 << 16
_SPACE_SEARCH = 1 << 10


@dataclass(slots=True)
class StreamCounters:
    """Counts kept while a streamed document is read: replacements and input bytes."""

    replaced: int = 0
    size: int = 0


@dataclass(slots=True)
class Document:
    """One input document.

    Attributes
    ----------
    id : str or int
        The ``--id-field`` value, or ``"<file>:<line>"`` (``"<file>"`` for whole files).
    text : str or None
        The whole text, or ``None`` when it arrives in ``pieces``.
    pieces : iterable of str or None
        The text in order, for documents too long to hold whole; read once.
    source : dict or None
        The JSON object a JSONL line held; the anonymised output keeps its other fields.
    replaced : int
        Undecodable byte sequences replaced by U+FFFD so far (final once read).
    size : int
        Size of the document's encoded input in bytes (final once read).
    where : str
        ``"<file>:<line>"`` for messages, whatever the id.
    """

    id: str | int
    text: str | None
    where: str = ""
    pieces: Iterable[str] | None = None
    source: dict[str, Any] | None = None
    replaced: int = 0
    size: int = 0
    counters: StreamCounters | None = field(default=None, repr=False)

    def final_counts(self) -> tuple[int, int]:
        """``(replaced, size)`` after the text has been read."""
        if self.counters is not None:
            return self.counters.replaced, self.counters.size
        return self.replaced, self.size


@dataclass(frozen=True, slots=True)
class Reject:
    """An input line that is not a document: where it is, why, and its raw content."""

    file: str
    line: int
    reason: str
    raw: str
    size: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "reason": self.reason, "raw": self.raw}


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch of a document that a processor scans at once.

    ``text`` starts at character ``offset`` of the document. Only results that start in
    ``text[core_start:core_end]`` belong to this window; the rest of ``text`` is overlap
    with the neighbours, there so that values and context crossing a cut are seen whole.
    """

    text: str
    offset: int
    core_start: int
    core_end: int

    @property
    def is_whole(self) -> bool:
        """Whether the window is the whole document."""
        return self.offset == 0 and self.core_start == 0 and self.core_end == len(self.text)


def _cut(buffer: str, low: int, high: int) -> int:
    """Where to end a core near ``high`` (but after ``low``): after a newline, else after
    a space, else at ``high``."""
    newline = buffer.rfind("\n", max(low, high - _NEWLINE_SEARCH), high)
    if newline >= 0:
        return newline + 1
    space = buffer.rfind(" ", max(low, high - _SPACE_SEARCH), high)
    if space >= 0:
        return space + 1
    return high


def windows(
    pieces: Iterable[str], *, size: int = WINDOW_CHARS, overlap: int = OVERLAP_CHARS
) -> Iterator[Window]:
    """Split a text arriving in ``pieces`` into windows whose cores tile it exactly.

    A text of at most ``size + overlap`` characters is one window. Memory stays within a
    few windows whatever the length of the text.
    """
    if isinstance(pieces, list) and len(pieces) == 1 and len(pieces[0]) < size + overlap:
        yield Window(pieces[0], 0, 0, len(pieces[0]))  # the common case, taken quickly
        return
    buffer = ""
    base = 0  # document offset of buffer[0]
    core_start = 0  # document offset
    for piece in pieces:
        buffer = buffer + piece if buffer else piece
        while len(buffer) + base - core_start >= size + overlap:
            relative = core_start - base
            cut = _cut(buffer, relative + 1, relative + size)
            core_end = base + cut
            low = max(core_start - overlap, base)
            high = core_end + overlap
            yield Window(
                buffer[low - base : high - base],
                low,
                core_start - low,
                core_end - low,
            )
            core_start = core_end
            drop = core_start - overlap - base
            if drop > len(buffer) // 2:
                buffer = buffer[drop:]
                base += drop
    low = max(core_start - overlap, base)
    text = buffer[low - base :]
    yield Window(text, low, core_start - low, len(text))
