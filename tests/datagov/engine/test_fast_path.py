"""The shard loop's fast path (JSONL, detection only) gives the general path's bytes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ethos.datagov.engine import PiiSpec, ReadOptions, ScanRequest, run_scan
from ethos.datagov.engine import shards as shard_module
from ethos.datagov.engine.corpus import discover, plan_shards
from ethos.datagov.engine.documents import OVERLAP_CHARS, WINDOW_CHARS
from ethos.datagov.engine.readers import read_plain_jsonl, read_shard
from ethos.datagov.engine.shards import ShardJob, process_shard, read_marker
from ethos.datagov.pii import detect
from tests.datagov.engine.conftest import eval_documents, jsonl_bytes, write_bytes

# Lines the fast path must hand to the general one, and the general one's verdicts.
AWKWARD = [
    b'{"id": "ok-1", "text": "call 010-2345-6789"}\r\n',  # CRLF
    b'  {"id": "lead", "text": "leading blanks"}\n',
    b'{"id": "trail", "text": "trailing blanks"}   \n',
    b'{"id": "two", "text": "x"} {"id": 3}\n',  # extra data: a reject
    b'{"id": "bad", "text": oops}\n',
    b"[1, 2, 3]\n",
    b'"just a string"\n',
    b"\n",
    b"   \t \n",
    b'{"id": "nul", "text": null}\n',
    b'{"id": "num", "text": 12}\n',
    b'{"text": "no id here"}\n',
    b'{"id": true, "text": "bool id"}\n',
    b'{"id": 1.5, "text": "float id"}\n',
    b'{"id": null, "text": "null id"}\n',
    b'{"id": "sur", "text": "lone \\ud800 surrogate kim@example.com"}\n',
    b'{"id": "SUR", "text": "upper \\uD83D escape"}\n',
    b'{"id": "pair", "text": "\\uc5f0\\ub77d\\ucc98 010-9876-5432 \\ud83d\\ude00"}\n',
    b'{"id": "hangul", "text": "\\ud55c\\uad6d \\uc5f0\\ub77d\\ucc98 010-9876-5432"}\n',
    b'{"id": "bytes", "text": "broken \xff\xfe utf-8 a@example.com"}\n',
    b'{"id": "deep", "text": "nested", "meta": {"a": [1, {"b": "\\u00e9"}]}}\n',
    b'{"id": 12345678901234567890, "text": "big integer id"}\n',
    b'{"id": "quote \\" and \\\\ and \\u2028", "text": "mail lee@example.org"}\n',
    b'{"id": "last", "text": "no newline at the end"}',
]


def _corpus(tmp_path: Path, name: str, compression: str = "none") -> Path:
    documents = eval_documents(300)
    lines = [jsonl_bytes([d]) for d in documents]
    for position, line in enumerate(AWKWARD[:-1]):  # spread the awkward lines about
        lines.insert(position * 13, line)
    data = b"\xef\xbb\xbf" + b"".join(lines) + AWKWARD[-1]
    return write_bytes(tmp_path / "in" / name, data, compression)


def _outputs(tmp_path: Path, location: Path, *, fast: bool, **options: Any) -> dict[str, Any]:
    """The bytes of every output and the summary, with the fast path on or off."""
    label = f"{'fast' if fast else 'general'}-{options.get('workers', 1)}"
    out = tmp_path / label / "pii.jsonl"
    shard_module.FAST_PATH = fast
    try:
        summary = run_scan(
            ScanRequest(location=str(location), output=out, progress=False, **options)
        )
    finally:
        shard_module.FAST_PATH = True
    counts = {k: v for k, v in vars_of(summary).items() if k not in ("seconds", "outputs")}
    return {
        "results": out.read_bytes(),
        "rejects": (tmp_path / label / "pii.rejects.jsonl").read_bytes(),
        "summary": counts,
    }


def vars_of(summary: Any) -> dict[str, Any]:
    return {name: getattr(summary, name) for name in summary.__slots__}


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("compression", ["none", "gzip", "zstd"])
@pytest.mark.parametrize("id_field", [None, "id"])
def test_fast_and_general_paths_write_the_same_bytes(
    tmp_path: Path, workers: int, compression: str, id_field: str | None
) -> None:
    suffix = {"none": "", "gzip": ".gz", "zstd": ".zst"}[compression]
    location = _corpus(tmp_path, f"mixed.jsonl{suffix}", compression)
    options: dict[str, Any] = {
        "spec": PiiSpec(),
        "read": ReadOptions(id_field=id_field),
        "workers": workers,
        "shard_bytes": 9_000,
    }
    fast = _outputs(tmp_path, location, fast=True, **options)
    general = _outputs(tmp_path, location, fast=False, **options)
    assert fast == general
    summary = fast["summary"]
    # 24 awkward lines: 2 blank, 6 rejects whatever the id, 4 more (id missing or not a
    # string or integer) when ids come from a field
    rejects = 6 if id_field is None else 10
    assert (summary["documents"], summary["rejects"]) == (300 + len(AWKWARD) - 2 - rejects, rejects)
    assert summary["replaced"] >= 3  # two surrogate escapes and the broken bytes
    # independent check of the ordinary lines: detect() on each text
    lines = [json.loads(line) for line in fast["results"].split(b"\n")[:-1]]
    by_id = {line["id"]: line["spans"] for line in lines}
    for document in eval_documents(300):
        key = document["id"] if id_field else None
        if key is not None:
            expected = detect(document["text"])
            assert by_id[key] == [
                {"type": s.type, "start": s.start, "end": s.end, "score": s.score} for s in expected
            ]


def test_a_document_of_several_windows_takes_the_general_way(tmp_path: Path) -> None:
    filler = "평범한 문장입니다. ordinary words here. "
    text = (filler * (2 * (WINDOW_CHARS + OVERLAP_CHARS) // len(filler)))[
        : WINDOW_CHARS + OVERLAP_CHARS
    ]
    cut = WINDOW_CHARS - 8  # a value across where the first window's core may end
    text = text[:cut] + " 010-2345-6789 kim@example.com " + text[cut:]
    assert len(text) >= WINDOW_CHARS + OVERLAP_CHARS
    records = [
        {"id": "small", "text": "mail lee@example.org"},
        {"id": "huge", "text": text},
        {"id": "after", "text": "call 02-123-4567"},
    ]
    location = write_bytes(tmp_path / "in" / "big.jsonl", jsonl_bytes(records))
    options: dict[str, Any] = {"spec": PiiSpec(), "read": ReadOptions(id_field="id")}
    fast = _outputs(tmp_path, location, fast=True, **options)
    assert fast == _outputs(tmp_path, location, fast=False, **options)
    huge = json.loads(fast["results"].split(b"\n")[1])
    found = {(s["type"], text[s["start"] : s["end"]]) for s in huge["spans"]}
    assert ("EMAIL", "kim@example.com") in found


def test_a_byte_order_mark_does_not_shift_shard_boundaries(tmp_path: Path) -> None:
    # The first shard once counted its lines without the mark, and so read the first
    # line of the next shard too whenever a line ended 1-3 bytes before its end.
    lines = [jsonl_bytes([{"text": f"line {n}"}]) for n in range(1, 41)]
    location = write_bytes(tmp_path / "bom.jsonl", b"\xef\xbb\xbf" + b"".join(lines))
    corpus = discover(str(location))
    for shard_bytes in range(len(lines[0]) - 3, len(lines[0]) + 40):
        shards = plan_shards(corpus.files, shard_bytes=shard_bytes, whole_files=False)
        assert len(shards) > 1
        plain = [item for s in shards for item in read_plain_jsonl(s, ReadOptions())]
        texts = [item[1] for item in plain if isinstance(item, tuple)]
        assert texts == [f"line {n}" for n in range(1, 41)], shard_bytes
        general = [item for s in shards for item in read_shard(s, ReadOptions())]
        assert [d.text for d in general] == [f"line {n}" for n in range(1, 41)]  # type: ignore[union-attr]


def _shard_runs(tmp_path: Path, location: Path, read: ReadOptions) -> list[Any]:
    """Per shard: the progress calls, the part bytes and the marker's counts."""
    corpus = discover(str(location))
    runs: list[Any] = []
    for fast in (True, False):
        workdir = tmp_path / f"work-{fast}"
        workdir.mkdir()
        shard_module.FAST_PATH = fast
        try:
            found = []
            for shard in plan_shards(corpus.files, shard_bytes=1 << 20, whole_files=False):
                calls: list[tuple[int, int]] = []

                def record(documents: int, size: int, calls: list[Any] = calls) -> None:
                    calls.append((documents, size))

                job = ShardJob(shard, read, PiiSpec(), str(workdir))
                process_shard(job, record)
                marker = read_marker(workdir, shard.index)
                assert marker is not None
                counts = replace(marker, seconds=0.0, pid=0)
                parts = sorted((p.name, p.read_bytes()) for p in workdir.glob("*.jsonl"))
                found.append((calls, parts, counts))
            runs.append(found)
        finally:
            shard_module.FAST_PATH = True
    return runs


def test_progress_calls_parts_and_markers_are_the_same(tmp_path: Path) -> None:
    location = _corpus(tmp_path, "p.jsonl")
    fast, general = _shard_runs(tmp_path, location, ReadOptions(id_field="id"))
    assert fast == general
    calls = fast[0][0]
    assert len(calls) >= 2 and calls[0][0] == 256  # every 256 documents, then the rest
    assert sum(d for d, _ in calls) == fast[0][2].documents


def test_plain_lines_are_what_the_general_reader_reads(tmp_path: Path) -> None:
    location = _corpus(tmp_path, "r.jsonl")
    shard = plan_shards(discover(str(location)).files, shard_bytes=1 << 30, whole_files=False)
    options = ReadOptions(id_field="id")
    general = list(read_shard(shard[0], options))
    plain = list(read_plain_jsonl(shard[0], options))
    assert len(plain) == len(general)
    tuples = 0
    for mine, theirs in zip(plain, general, strict=True):
        if isinstance(mine, tuple):
            tuples += 1
            doc_id, text, record, number, size = mine
            assert (doc_id, text, record, size, 0) == (
                theirs.id,  # type: ignore[union-attr]
                theirs.text,  # type: ignore[union-attr]
                theirs.source,  # type: ignore[union-attr]
                theirs.size,
                theirs.replaced,  # type: ignore[union-attr]
            )
            assert theirs.where.endswith(f":{number}")  # type: ignore[union-attr]
        else:
            assert mine == theirs
    assert 300 <= tuples < len(general)  # the awkward lines went the general way


def test_only_jsonl_detection_takes_the_fast_path(tmp_path: Path) -> None:
    jsonl = _corpus(tmp_path, "o.jsonl")
    text = write_bytes(tmp_path / "in" / "o.txt", b"call 010-2345-6789\nnothing\n")
    cases = [
        (jsonl, PiiSpec(), True),
        (jsonl, PiiSpec(operator="mask"), False),
        (jsonl, PiiSpec(operator="drop"), False),
        (text, PiiSpec(), False),
    ]
    for location, spec, expected in cases:
        files = discover(str(location)).files
        shard = plan_shards(files, shard_bytes=1 << 30, whole_files=False)[0]
        job = ShardJob(shard, ReadOptions(), spec, str(tmp_path / "w"))
        assert (shard_module._detects_only(job, spec.build()) is not None) is expected
        shard_module.FAST_PATH = False
        try:
            assert shard_module._detects_only(job, spec.build()) is None
        finally:
            shard_module.FAST_PATH = True
