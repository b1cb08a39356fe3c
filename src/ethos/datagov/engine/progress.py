"""A one-line progress bar on stderr: share done, shards, documents, documents/s, MB/s and
the time left, in English or Korean.

The share done is counted in bytes when the engine knows how many the pending shards
hold (uncompressed JSONL and text read by line), else in shards.
"""

from __future__ import annotations

import os
import sys
import time
import unicodedata
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress"]

_INTERVAL = 0.2
_BAR = 20


def _count(value: float) -> str:
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: two for wide characters (Hangul), else one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns(stream: TextIO) -> int:
    """The width of the terminal behind ``stream``; 80 when it cannot be told."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):  # not a file, or not a terminal
        return 80


def _duration(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour on."""
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Shows progress when ``enabled`` and the stream is a terminal; otherwise silent.

    Parameters
    ----------
    total_shards, done_shards : int
        Shards in the scan, and those already done when it starts (resumed).
    enabled : bool
        Show anything at all.
    stream : text stream, optional
        Where to write; standard error by default.
    pending_bytes : int, optional
        The bytes the shards still to do hold, when known: the share done is counted in
        bytes then, else in shards.
    lang : str
        ``"en"`` or ``"ko"``.
    clock : callable, optional
        Seconds, monotonic (tests pass their own).
    columns : int, optional
        The terminal's width; asked of the stream when not given. A line never fills it
        (a full line would wrap and could not be redrawn): the bar shrinks, then the
        least needed parts are left out.
    """

    def __init__(
        self,
        *,
        total_shards: int,
        done_shards: int,
        enabled: bool,
        stream: TextIO | None = None,
        pending_bytes: int | None = None,
        lang: str = "en",
        clock: Callable[[], float] = time.monotonic,
        columns: int | None = None,
    ) -> None:
        self._stream = stream or sys.stderr
        self.enabled = enabled and self._stream.isatty()
        self._total = total_shards
        self._resumed = done_shards
        self._shards = done_shards
        self._pending_bytes = pending_bytes if pending_bytes else None
        self._ko = lang == "ko"
        self._clock = clock
        self._documents = 0
        self._bytes = 0
        self._started = clock()
        self._shown = 0.0
        self._width = 0
        self._columns = columns if columns is not None else _columns(self._stream)

    def advance(self, documents: int, size: int) -> None:
        """Count ``documents`` more documents of ``size`` bytes."""
        self._documents += documents
        self._bytes += size
        self._show()

    def shard_done(self) -> None:
        self._shards += 1
        self._show(force=self._shards == self._total)

    def done(self) -> float:
        """The share of this run's work done, from 0 to 1."""
        pending = self._total - self._resumed
        if self._shards >= self._total or pending <= 0:
            return 1.0
        if self._pending_bytes is not None:
            return min(self._bytes / self._pending_bytes, 0.999)
        return (self._shards - self._resumed) / pending

    def line(self) -> str:
        """The progress line as it would be shown now, narrower than the terminal."""
        elapsed = max(self._clock() - self._started, 1e-9)
        share = self.done()
        docs = _count(self._documents)
        rate = _count(self._documents / elapsed)
        speed = f"{self._bytes / elapsed / 1e6:.1f}"
        left = _duration(elapsed * (1 - share) / share) if 0 < share < 1 else None
        shards = f"{self._shards}/{self._total}"
        # (text, rank): the lower a part's rank, the sooner it is left out when too wide
        if self._ko:
            parts = [(f"샤드 {shards}", 1), (f"문서 {docs}건", 3), (f"초당 {rate}건", 2)]
            parts += [(f"초당 {speed} MB", 0)]
            parts += [(f"남은 시간 약 {left}", 4)] if left is not None else []
            name = "스캔"
        else:
            parts = [(f"{shards} shards", 1), (f"{docs} docs", 3), (f"{rate} docs/s", 2)]
            parts += [(f"{speed} MB/s", 0)]
            parts += [(f"about {left} left", 4)] if left is not None else []
            name = "scan"

        def fitted(bar: int, kept: list[tuple[str, int]]) -> str:
            filled = int(share * bar)
            head = f"{name} [{'#' * filled}{'.' * (bar - filled)}]" if bar else name
            return ", ".join([f"{head} {share:.0%}", *(text for text, _rank in kept)])

        # The full bar, then a shorter one, then fewer parts, then only the share.
        line = fitted(_BAR, parts)
        if _width(line) < self._columns:
            return line
        kept = list(parts)
        while True:
            line = fitted(_BAR // 2, kept)
            if _width(line) < self._columns or not kept:
                break
            kept.remove(min(kept, key=lambda part: part[1]))
        if _width(line) >= self._columns:
            line = fitted(0, [])
        return line

    def _show(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = self._clock()
        if not force and now - self._shown < _INTERVAL:
            return
        self._shown = now
        line = self.line()
        width = _width(line)
        padding = " " * max(0, self._width - width)
        self._width = width
        self._stream.write("\r" + line + padding)
        self._stream.flush()

    def close(self) -> None:
        if self.enabled and self._width:
            self._stream.write("\n")
            self._stream.flush()
