"""Finding the files of a corpus and cutting them into shards."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from ethos.datagov.engine import (
    Document,
    InputFormat,
    ReadOptions,
    ScanInputError,
    discover,
    plan_shards,
    read_shard,
)
from tests.datagov.engine.conftest import SAMPLE, write_bytes, write_jsonl, write_parquet


def test_a_directory_is_every_known_file_below_it_in_order(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_jsonl(root / "b.jsonl", SAMPLE)
    write_jsonl(root / "a" / "z.jsonl.gz", SAMPLE, "gzip")
    write_bytes(root / "c.txt.zst", b"x\n", "zstd")
    write_parquet(root / "d.parquet", SAMPLE)
    write_bytes(root / ".hidden.jsonl", b"{}\n")
    write_bytes(root / "_SUCCESS", b"")
    write_bytes(root / ".cache" / "e.jsonl", b"{}\n")
    write_bytes(root / "README.md", b"# about\n")
    corpus = discover(str(root))
    assert [f.name for f in corpus.files] == ["a/z.jsonl.gz", "b.jsonl", "c.txt.zst", "d.parquet"]
    assert [f.format for f in corpus.files] == [
        InputFormat.JSONL,
        InputFormat.JSONL,
        InputFormat.TEXT,
        InputFormat.PARQUET,
    ]
    assert corpus.skipped == 1  # README.md
    forced = discover(str(root), forced=InputFormat.TEXT)
    assert "README.md" in [f.name for f in forced.files]


def test_a_glob_pattern(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "in" / "x1.jsonl", SAMPLE)
    write_jsonl(tmp_path / "in" / "deep" / "x2.jsonl", SAMPLE)
    write_jsonl(tmp_path / "in" / "y.jsonl", SAMPLE)
    corpus = discover(str(tmp_path / "in" / "**" / "x*.jsonl"))
    assert [f.name for f in corpus.files] == ["deep/x2.jsonl", "x1.jsonl"]


def test_nothing_to_read_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScanInputError, match="input not found"):
        discover(str(tmp_path / "missing.jsonl"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ScanInputError, match="no input files found"):
        discover(str(tmp_path / "empty"))
    with pytest.raises(ScanInputError, match="no input files found"):
        discover(str(tmp_path / "*.jsonl"))


def _random_lines(seed: int, count: int) -> bytes:
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        length = rng.choice([0, 1, 5, 40, 300, 2000])
        lines.append(f"{number}:" + "가a"[number % 2] * length)
    return "\n".join(lines).encode()  # no newline after the last line


@pytest.mark.parametrize("shard_bytes", [1, 100, 1000, 7777, 1 << 20])
def test_shards_tile_the_file_and_start_at_line_starts(tmp_path: Path, shard_bytes: int) -> None:
    data = _random_lines(shard_bytes, 400)
    path = write_bytes(tmp_path / "t.txt", data)
    shards = plan_shards(discover(str(path)).files, shard_bytes=shard_bytes)
    assert shards[0].start == 0 and shards[-1].stop == len(data)
    for before, after in itertools.pairwise(shards):
        assert before.stop == after.start
        assert data[after.start - 1 : after.start] == b"\n"
    for shard in shards:
        # independent count of the lines before the shard
        assert shard.first_line == data[: shard.start].count(b"\n") + 1
        assert shard.stop > shard.start
    if shard_bytes >= len(data):
        assert len(shards) == 1
    else:
        assert len(shards) > 1


def test_reading_every_shard_gives_every_line_once(tmp_path: Path) -> None:
    data = _random_lines(3, 500)
    path = write_bytes(tmp_path / "t.txt", data)
    files = discover(str(path)).files
    whole = [
        (d.id, d.text)
        for d in read_shard(plan_shards(files, shard_bytes=1 << 30)[0], ReadOptions())
    ]
    parts = [
        (d.id, d.text)
        for shard in plan_shards(files, shard_bytes=997)
        for d in read_shard(shard, ReadOptions())
    ]
    expected = [(f"t.txt:{n}", line) for n, line in enumerate(data.decode().split("\n"), 1)]
    assert whole == parts == expected


def test_compressed_files_and_whole_files_are_one_shard_each(tmp_path: Path) -> None:
    write_bytes(tmp_path / "c" / "a.txt.gz", b"x\n" * 5000, "gzip")
    write_bytes(tmp_path / "c" / "b.txt", b"y\n" * 5000)
    files = discover(str(tmp_path / "c")).files
    shards = plan_shards(files, shard_bytes=100)
    assert [(s.file.name, s.stop) for s in shards[:1]] == [("a.txt.gz", -1)]
    assert len(shards) > 2
    assert len(plan_shards(files, shard_bytes=100, whole_files=True)) == 2


def test_parquet_shards_are_row_group_ranges(tmp_path: Path) -> None:
    records = [{"text": f"row {n}"} for n in range(100)]
    path = write_parquet(tmp_path / "p.parquet", records, row_group_size=10)
    files = discover(str(path)).files
    shards = plan_shards(files, shard_bytes=1)
    assert [(s.start, s.stop, s.first_line) for s in shards] == [
        (g, g + 1, g * 10 + 1) for g in range(10)
    ]
    read = [d for s in shards for d in read_shard(s, ReadOptions())]
    assert [d.id for d in read if isinstance(d, Document)] == [
        f"p.parquet:{n}" for n in range(1, 101)
    ]
    assert len(plan_shards(files, shard_bytes=1 << 30)) == 1


def test_shard_size_must_be_positive(tmp_path: Path) -> None:
    files = discover(str(write_jsonl(tmp_path / "d.jsonl", SAMPLE))).files
    with pytest.raises(ScanInputError, match="positive"):
        plan_shards(files, shard_bytes=0)
