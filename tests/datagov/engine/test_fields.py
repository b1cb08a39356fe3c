"""A wrong --text-field or --id-field on JSONL input is a clear error before the scan."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from ethos.datagov.engine import PiiSpec, ReadOptions, ScanRequest, run_scan
from ethos.datagov.engine.errors import ScanInputError
from ethos.datagov.engine.fields import SAMPLE_RECORDS


def _lines(records: list[object]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def _scan(path: Path, **read: str) -> int:
    out = path.with_name("out.jsonl")
    request = ScanRequest(str(path), out, PiiSpec(), read=ReadOptions(**read), progress=False)
    return run_scan(request).documents


def test_a_field_none_of_the_first_records_has_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "mail.jsonl"
    path.write_bytes(_lines([{"id": i, "body": f"메일 {i}", "lang": "ko"} for i in range(300)]))
    with pytest.raises(ScanInputError) as raised:
        _scan(path)
    message = str(raised.value)
    assert message.startswith(f"mail.jsonl: its first {SAMPLE_RECORDS} records lack the text ")
    assert "'text' (fields there: body, id, lang); name the field with --text-field" in message
    korean = raised.value.text("ko")
    assert "text 필드 'text'" in korean and "있는 필드: body, id, lang" in korean
    assert not (tmp_path / "out.jsonl").exists()
    assert _scan(path, text_field="body") == 300
    with pytest.raises(ScanInputError, match="its first 100 records lack the id field 'doc'"):
        _scan(path, text_field="body", id_field="doc")


def test_one_record_with_the_field_among_the_first_is_enough(tmp_path: Path) -> None:
    records: list[object] = [{"body": "x"}] * (SAMPLE_RECORDS - 1) + [{"text": "y"}]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(_lines(records))
    assert _scan(path) == 1  # the others are rejects, as before
    rejects = (tmp_path / "out.rejects.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rejects) == SAMPLE_RECORDS - 1
    # a record past the first hundred does not count
    late = tmp_path / "late.jsonl"
    late.write_bytes(_lines([{"body": "x"}] * SAMPLE_RECORDS + [{"text": "y"}]))
    with pytest.raises(ScanInputError, match="its first 100 records lack"):
        _scan(late)


def test_lines_that_are_no_record_are_passed_over(tmp_path: Path) -> None:
    data = b"\n\xef\xbb\xbf{broken\n[1, 2]\n\xff\xfe\n" + _lines([{"body": "x"}])
    path = tmp_path / "odd.jsonl"
    path.write_bytes(data)
    with pytest.raises(ScanInputError, match="its first record lacks the text field"):
        _scan(path)
    # nothing readable at all: left to the scan, which rejects every line
    junk = tmp_path / "junk.jsonl"
    junk.write_bytes(b"{broken\n[1]\n")
    assert _scan(junk) == 0
    assert len((tmp_path / "out.rejects.jsonl").read_text().splitlines()) == 2


def test_compressed_files_are_checked_too(tmp_path: Path) -> None:
    path = tmp_path / "mail.jsonl.gz"
    path.write_bytes(gzip.compress(_lines([{"body": "x"}] * 5)))
    with pytest.raises(ScanInputError, match=r"mail\.jsonl\.gz: its first 5 records lack"):
        _scan(path)
    assert _scan(path, text_field="body") == 5


def test_a_side_file_without_the_field_does_not_stop_the_corpus(tmp_path: Path) -> None:
    """A manifest beside the data lacks the text field; its lines are rejects, as before."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a-manifest.jsonl").write_bytes(_lines([{"split": "train", "rows": 300}]))
    (corpus / "train.jsonl").write_bytes(_lines([{"text": f"문서 {i}"} for i in range(300)]))
    out = tmp_path / "out.jsonl"
    request = ScanRequest(str(corpus), out, PiiSpec(), progress=False)
    summary = run_scan(request)
    assert (summary.documents, summary.rejects) == (300, 1)
    # when no file has it, the message names the first file and says so
    (corpus / "train.jsonl").write_bytes(_lines([{"body": "x"}] * 3))
    with pytest.raises(ScanInputError) as raised:
        run_scan(request)
    assert str(raised.value).startswith(
        "a-manifest.jsonl: its first record lacks the text field 'text' "
        "(nor has any other of the 2 JSONL files) (fields there: rows, split)"
    )


def test_a_first_line_too_long_to_judge_by_is_passed_over(tmp_path: Path) -> None:
    """It is read a piece at a time and left out, not read whole into memory."""
    long_line = b'{"body": "' + b"x" * (3 << 20) + b'"}\n'
    path = tmp_path / "long.jsonl"
    path.write_bytes(long_line + _lines([{"body": "short"}]))
    with pytest.raises(ScanInputError, match="its first record lacks the text field") as raised:
        _scan(path)
    assert "fields there: body" in str(raised.value)
    # the one record read is the short one: a long line with the field does not count
    path.write_bytes(b'{"text": "' + b"x" * (3 << 20) + b'"}\n' + _lines([{"body": "y"}]))
    with pytest.raises(ScanInputError, match="its first record lacks"):
        _scan(path)
