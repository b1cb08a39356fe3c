"""The progress bar: shown on a terminal only, with the share done, documents/s, MB/s and
the time left, in English and Korean."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from ethos.datagov.engine import PiiSpec, ReadOptions, ScanRequest, run_scan
from ethos.datagov.engine.corpus import discover, plan_shards
from ethos.datagov.engine.progress import Progress
from ethos.datagov.engine.run import _pending_bytes
from ethos.datagov.engine.shards import ShardJob


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_counts_bytes_when_it_knows_how_many_are_pending() -> None:
    clock, stream = Clock(), Terminal()
    progress = Progress(
        total_shards=4,
        done_shards=0,
        enabled=True,
        stream=stream,
        pending_bytes=10_000_000,
        clock=clock,
        columns=200,
    )
    clock.now += 5
    progress.advance(2000, 2_500_000)
    # a quarter of the bytes in 5 s: 400 docs/s, 0.5 MB/s, 15 s to go
    assert progress.done() == 0.25
    line = progress.line()
    assert line.startswith("scan [" + "#" * 5 + "." * 15 + "] 25%")
    assert "0/4 shards, 2.0k docs, 400 docs/s, 0.5 MB/s, about 0:15 left" in line
    assert stream.getvalue() == "\r" + line  # shown at once: the first show


def test_the_bar_counts_shards_otherwise_and_leaves_out_resumed_ones() -> None:
    clock = Clock()
    progress = Progress(
        total_shards=6, done_shards=2, enabled=True, stream=Terminal(), clock=clock, columns=200
    )
    clock.now += 30
    progress.advance(100, 1000)
    progress.shard_done()
    # one of the four shards this run does, in 30 s: 90 s to go
    assert progress.done() == 0.25
    assert "3/6 shards" in progress.line() and "about 1:30 left" in progress.line()
    for _ in range(3):
        progress.shard_done()
    assert progress.done() == 1.0
    assert "100%" in progress.line() and "left" not in progress.line()


def test_the_bar_in_korean() -> None:
    clock = Clock()
    progress = Progress(
        total_shards=2,
        done_shards=0,
        enabled=True,
        stream=Terminal(),
        pending_bytes=4_000_000,
        lang="ko",
        clock=clock,
        columns=200,
    )
    clock.now += 4000
    progress.advance(1500, 1_000_000)
    line = progress.line()
    # a quarter in 4,000 s: 12,000 s (3:20:00) to go
    assert line.startswith("스캔 [#####")
    assert "25%, 샤드 0/2, 문서 1.5k건, 초당 0건, 초당 0.0 MB, 남은 시간 약 3:20:00" in line


def test_bytes_never_claim_the_whole_scan_before_its_last_shard() -> None:
    progress = Progress(
        total_shards=1, done_shards=0, enabled=True, stream=Terminal(), pending_bytes=10
    )
    progress.advance(5, 12)  # more than announced (a byte order mark, say)
    assert progress.done() < 1.0
    progress.shard_done()
    assert progress.done() == 1.0


def test_progress_on_a_terminal_ends_its_line() -> None:
    stream = Terminal()
    progress = Progress(total_shards=2, done_shards=1, enabled=True, stream=stream, columns=200)
    progress.advance(1500, 3_000_000)
    progress.shard_done()
    progress.close()
    shown = stream.getvalue()
    assert shown.startswith("\rscan [")
    assert "100%, 2/2 shards, 1.5k docs" in shown
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


def _corpus(path: Path, count: int) -> bytes:
    lines = [
        json.dumps({"id": i, "text": f"문서 {i} " + "x" * (i % 50)}) + "\n" for i in range(count)
    ]
    data = "".join(lines).encode()
    path.write_bytes(data)
    return data


def test_the_pending_bytes_are_the_bytes_the_engine_counts(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    data = _corpus(corpus, 3000)
    request = ScanRequest(str(corpus), tmp_path / "out.jsonl", PiiSpec(), progress=False)
    shards = plan_shards(discover(str(corpus)).files, shard_bytes=16_000)
    assert len(shards) > 3
    jobs = [ShardJob(s, ReadOptions(), request.spec, str(tmp_path)) for s in shards]
    assert _pending_bytes(jobs, request) == len(data)
    assert run_scan(request).bytes == len(data)
    # compressed: the bytes read are not the file's, so the bar counts shards
    packed = tmp_path / "corpus.jsonl.gz"
    packed.write_bytes(gzip.compress(data))
    zipped = plan_shards(discover(str(packed)).files, shard_bytes=16_000)
    zipped_jobs = [ShardJob(s, ReadOptions(), request.spec, str(tmp_path)) for s in zipped]
    assert _pending_bytes(zipped_jobs, request) is None


def test_a_scan_shows_its_bar_in_the_language_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus, 500)
    for lang, first in (("en", "\rscan ["), ("ko", "\r스캔 [")):
        stream = Terminal()
        monkeypatch.setattr(sys, "stderr", stream)
        out = tmp_path / f"out-{lang}.jsonl"
        run_scan(ScanRequest(str(corpus), out, PiiSpec(), lang=lang, shard_bytes=4096))
        shown = stream.getvalue()
        assert shown.startswith(first) and shown.endswith("\n")
        last = shown.rstrip("\n").rsplit("\r", 1)[-1]
        assert "100%" in last and ("500 docs" in last or "문서 500건" in last)


def test_the_line_fits_the_terminal_in_either_language() -> None:
    """A line as wide as the terminal wraps and cannot be redrawn: the bar shrinks, then
    the least needed parts go; Hangul takes two columns."""
    for lang, columns in (("en", 80), ("ko", 80), ("en", 60), ("ko", 50), ("en", 12)):
        clock = Clock()
        progress = Progress(
            total_shards=1234,
            done_shards=0,
            enabled=True,
            stream=Terminal(),
            pending_bytes=10**12,
            lang=lang,
            clock=clock,
            columns=columns,
        )
        clock.now += 3600
        progress.advance(123_456_789, 250 * 10**9)
        line = progress.line()
        width = sum(2 if "\uac00" <= ch <= "\ud7a3" else 1 for ch in line)
        assert width < columns, (lang, columns, line)
        assert "25%" in line
        if columns >= 50:  # room for the time left, which goes last
            assert ("about 3:00:00 left" in line) or ("남은 시간 약 3:00:00" in line)
    wide = Progress(total_shards=1, done_shards=0, enabled=True, stream=Terminal(), columns=80)
    assert wide.line().startswith("scan [" + "." * 20 + "] 0%")  # room for the whole bar


def test_a_shorter_korean_line_blanks_out_the_columns_of_the_longer_one() -> None:
    clock, stream = Clock(), Terminal()
    progress = Progress(
        total_shards=2,
        done_shards=0,
        enabled=True,
        stream=stream,
        lang="ko",
        clock=clock,
        columns=200,
    )
    clock.now += 10
    progress.shard_done()  # half done: the time left is shown
    clock.now += 10
    progress.shard_done()  # all done: it is not, and the line is shorter
    first, second = stream.getvalue().split("\r")[1:]

    def columns(text: str) -> int:
        return sum(2 if "\uac00" <= ch <= "\ud7a3" else 1 for ch in text)

    assert "남은 시간" in first and "남은 시간" not in second
    assert columns(second) == columns(first)  # the padding covers what was there
