"""The progress line: shown on a terminal only, with documents/s and MB/s."""

from __future__ import annotations

import io

from ethos.datagov.engine.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal() -> None:
    stream = Terminal()
    progress = Progress(total_shards=2, done_shards=1, enabled=True, stream=stream)
    progress.advance(1500, 3_000_000)
    progress.shard_done()
    progress.close()
    shown = stream.getvalue()
    assert shown.startswith("\rscan: ")
    assert "2/2 shards, 1.5k docs" in shown
    assert "docs/s" in shown and "MB/s" in shown
    assert shown.endswith("\n")


def test_no_progress_off_a_terminal_or_when_quiet() -> None:
    plain = io.StringIO()
    progress = Progress(total_shards=1, done_shards=0, enabled=True, stream=plain)
    progress.advance(10, 10)
    progress.shard_done()
    progress.close()
    quiet = Terminal()
    muted = Progress(total_shards=1, done_shards=0, enabled=False, stream=quiet)
    muted.advance(10, 10)
    muted.shard_done()
    muted.close()
    assert plain.getvalue() == quiet.getvalue() == ""
