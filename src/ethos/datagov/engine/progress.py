"""A one-line progress display on stderr: shards, documents, documents/s and MB/s."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]

_INTERVAL = 0.2


def _count(value: float) -> str:
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"


class Progress:
    """Shows progress when ``enabled`` and the stream is a terminal; otherwise silent."""

    def __init__(
        self, *, total_shards: int, done_shards: int, enabled: bool, stream: TextIO | None = None
    ) -> None:
        self._stream = stream or sys.stderr
        self.enabled = enabled and self._stream.isatty()
        self._total = total_shards
        self._shards = done_shards
        self._documents = 0
        self._bytes = 0
        self._started = time.monotonic()
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

    def _show(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._shown < _INTERVAL:
            return
        self._shown = now
        elapsed = max(now - self._started, 1e-9)
        line = (
            f"scan: {self._shards}/{self._total} shards, {_count(self._documents)} docs, "
            f"{_count(self._documents / elapsed)} docs/s, "
            f"{self._bytes / elapsed / 1e6:.1f} MB/s"
        )
        padding = " " * max(0, self._width - len(line))
        self._width = len(line)
        self._stream.write("\r" + line + padding)
        self._stream.flush()

    def close(self) -> None:
        if self.enabled and self._width:
            self._stream.write("\n")
            self._stream.flush()
