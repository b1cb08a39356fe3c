"""A one-line progress bar on stderr: share done, shards, documents, documents/s, MB/s and
the time left, in English or Korean.

The share done is counted in bytes when the engine knows how many the pending shards
hold (uncompressed JSONL and text read by line), else in shards.
"""

from __future__ import annotations

import sys
import time
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
        """The progress line as it would be shown now."""
        elapsed = max(self._clock() - self._started, 1e-9)
        share = self.done()
        filled = int(share * _BAR)
        bar = "[" + "#" * filled + "." * (_BAR - filled) + "]"
        docs = _count(self._documents)
        rate = _count(self._documents / elapsed)
        speed = f"{self._bytes / elapsed / 1e6:.1f}"
        left = _duration(elapsed * (1 - share) / share) if 0 < share < 1 else None
        shards = f"{self._shards}/{self._total}"
        if self._ko:
            parts = [f"스캔 {bar} {share:.0%}", f"샤드 {shards}", f"문서 {docs}건"]
            parts += [f"초당 {rate}건", f"초당 {speed} MB"]
            if left is not None:
                parts.append(f"남은 시간 약 {left}")
        else:
            parts = [f"scan {bar} {share:.0%}", f"{shards} shards", f"{docs} docs"]
            parts += [f"{rate} docs/s", f"{speed} MB/s"]
            if left is not None:
                parts.append(f"about {left} left")
        return ", ".join(parts)

    def _show(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = self._clock()
        if not force and now - self._shown < _INTERVAL:
            return
        self._shown = now
        line = self.line()
        padding = " " * max(0, self._width - len(line))
        self._width = len(line)
        self._stream.write("\r" + line + padding)
        self._stream.flush()

    def close(self) -> None:
        if self.enabled and self._width:
            self._stream.write("\n")
            self._stream.flush()
