"""Readers: every format and compression, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ethos.datagov.engine import (
    Document,
    InputFormat,
    ReadOptions,
    Reject,
    ScanInputError,
    discover,
    plan_shards,
    read_shard,
)
from ethos.datagov.engine.readers import PIECE_BYTES
from tests.datagov.engine.conftest import (
    COMPRESSIONS,
    SAMPLE,
    write_bytes,
    write_jsonl,
    write_parquet,
    write_text,
)

Item = Document | Reject


def read_all(location: Path | str, options: ReadOptions | None = None, **kw: object) -> list[Item]:
    corpus = discover(str(location), **kw)  # type: ignore[arg-type]
    options = options or ReadOptions()
    items: list[Item] = []
    for shard in plan_shards(corpus.files, shard_bytes=1 << 30, whole_files=options.whole_files):
        for item in read_shard(shard, options):
            if isinstance(item, Document) and item.text is None:
                assert item.pieces is not None
                item.text = "".join(item.pieces)
            items.append(item)
    return items


def texts(items: list[Item]) -> list[str | None]:
    return [item.text for item in items if isinstance(item, Document)]


def ids(items: list[Item]) -> list[str | int]:
    return [item.id for item in items if isinstance(item, Document)]


@pytest.mark.parametrize("compression", COMPRESSIONS)
def test_jsonl_every_compression(tmp_path: Path, compression: str) -> None:
    path = write_jsonl(tmp_path / "docs.jsonl", SAMPLE, compression)
    items = read_all(path)
    assert texts(items) == [r["text"] for r in SAMPLE]
    assert ids(items) == ["docs.jsonl:1", "docs.jsonl:2", "docs.jsonl:3"]
    assert [i.source for i in items if isinstance(i, Document)] == SAMPLE


@pytest.mark.parametrize("compression", COMPRESSIONS)
def test_text_every_compression(tmp_path: Path, compression: str) -> None:
    lines = [r["text"] for r in SAMPLE]
    path = write_text(tmp_path / "docs.txt", lines, compression)
    items = read_all(path)
    assert texts(items) == lines
    assert ids(items) == ["docs.txt:1", "docs.txt:2", "docs.txt:3"]


@pytest.mark.parametrize("codec", ["none", "snappy", "gzip", "zstd"])
def test_parquet_every_codec(tmp_path: Path, codec: str) -> None:
    path = write_parquet(tmp_path / "docs.parquet", SAMPLE, codec=codec, row_group_size=2)
    items = read_all(path)
    assert texts(items) == [r["text"] for r in SAMPLE]
    assert ids(items) == ["docs.parquet:1", "docs.parquet:2", "docs.parquet:3"]
    with_ids = read_all(path, ReadOptions(id_field="id"))
    assert ids(with_ids) == ["a", "b", "c"]


@pytest.mark.parametrize(("compression", "name"), [("gzip", "x.jsonl"), ("zstd", "x.data")])
def test_compression_is_recognised_by_magic_bytes(
    tmp_path: Path, compression: str, name: str
) -> None:
    path = write_jsonl(tmp_path / name, SAMPLE, compression)
    [file] = discover(str(path)).files
    assert file.compression.value == compression
    assert file.format is InputFormat.JSONL  # sniffed through the compression for x.data
    assert texts(read_all(path)) == [r["text"] for r in SAMPLE]


def test_sniffing_a_plain_text_file_with_an_unknown_name(tmp_path: Path) -> None:
    path = write_text(tmp_path / "notes.log", ["one", "two"])
    assert discover(str(path)).files[0].format is InputFormat.TEXT


def test_malformed_lines_become_rejects_with_their_line_numbers(tmp_path: Path) -> None:
    lines = [
        '{"text": "first"}',
        '{"text": "broken"',
        '{"text": "third"}',
        "[1, 2]",
        '{"body": "no text field"}',
        '{"text": 5}',
        "",
        '{"text": null}',
        '{"text": "last"}',
    ]
    path = write_bytes(tmp_path / "d.jsonl", ("\n".join(lines) + "\n").encode())
    items = read_all(path)
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [(r.file, r.line) for r in rejects] == [
        ("d.jsonl", 2),
        ("d.jsonl", 4),
        ("d.jsonl", 5),
        ("d.jsonl", 6),
        ("d.jsonl", 8),
    ]
    reasons = [r.reason for r in rejects]
    assert reasons[0].startswith("malformed JSON at column")
    assert reasons[1] == "not a JSON object but list"
    assert reasons[2] == "missing text field 'text'"
    assert reasons[3] == "text field 'text' is int, not a string"
    assert reasons[4] == "text field 'text' is null, not a string"
    assert rejects[0].raw == lines[1]
    assert ids(items) == ["d.jsonl:1", "d.jsonl:3", "d.jsonl:9"]


def test_another_text_field(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"body": "x"}, {"text": "y"}])
    items = read_all(path, ReadOptions(text_field="body"))
    assert texts(items) == ["x"]
    [reject] = [i for i in items if isinstance(i, Reject)]
    assert (reject.line, reject.reason) == (2, "missing text field 'body'")


def test_id_field_values_and_their_rejects(tmp_path: Path) -> None:
    records = [
        {"id": "doc-1", "text": "a"},
        {"id": 7, "text": "b"},
        {"text": "no id"},
        {"id": True, "text": "bool id"},
        {"id": [1], "text": "list id"},
    ]
    items = read_all(write_jsonl(tmp_path / "d.jsonl", records), ReadOptions(id_field="id"))
    assert ids(items) == ["doc-1", 7]
    assert [(r.line, r.reason) for r in items if isinstance(r, Reject)] == [
        (3, "missing id field 'id'"),
        (4, "id field 'id' must be a string or an integer"),
        (5, "id field 'id' must be a string or an integer"),
    ]


def test_undecodable_bytes_are_replaced_and_counted(tmp_path: Path) -> None:
    jsonl = write_bytes(tmp_path / "d.jsonl", b'{"text": "caf\xe9 ok"}\n{"text": "fine"}\n')
    items = read_all(jsonl)
    first, second = (i for i in items if isinstance(i, Document))
    assert (first.text, first.replaced, second.replaced) == ("caf\ufffd ok", 1, 0)
    text = write_bytes(tmp_path / "d.txt", b"a\xff\xfeb\nclean\n")
    first, second = (i for i in read_all(text) if isinstance(i, Document))
    assert first.text is not None and first.text.count("\ufffd") == first.replaced == 2
    assert second.replaced == 0


def test_a_real_replacement_character_is_not_counted(tmp_path: Path) -> None:
    path = write_text(tmp_path / "d.txt", ["already \ufffd here"])
    [document] = read_all(path)
    assert isinstance(document, Document) and document.replaced == 0


def test_lone_surrogate_escapes_are_replaced_and_counted(tmp_path: Path) -> None:
    path = write_bytes(tmp_path / "d.jsonl", b'{"text": "x\\ud800y", "k\\udfff": 1}\n')
    [document] = read_all(path)
    assert isinstance(document, Document)
    assert document.text == "x\ufffdy" and document.replaced == 2
    assert document.source == {"text": "x\ufffdy", "k\ufffd": 1}


def test_empty_files_have_no_documents(tmp_path: Path) -> None:
    for name in ("e.jsonl", "e.txt"):
        assert read_all(write_bytes(tmp_path / name, b"")) == []
    assert read_all(write_bytes(tmp_path / "g.jsonl", b"", "gzip")) == []


def test_text_lines_keep_empty_lines_and_drop_bom_and_crlf(tmp_path: Path) -> None:
    path = write_bytes(tmp_path / "d.txt", b"\xef\xbb\xbfone\r\n\r\ntwo\r\nthree")
    assert texts(read_all(path)) == ["one", "", "two", "three"]


def test_jsonl_bom_and_blank_lines(tmp_path: Path) -> None:
    path = write_bytes(tmp_path / "d.jsonl", b'\xef\xbb\xbf{"text": "a"}\n\n  \n{"text": "b"}\n')
    items = read_all(path)
    assert texts(items) == ["a", "b"]
    assert ids(items) == ["d.jsonl:1", "d.jsonl:4"]


def test_a_long_text_line_arrives_in_pieces(tmp_path: Path) -> None:
    # A CR right before a read boundary and a 3-byte character across one.
    long_line = "x" * (PIECE_BYTES - 1) + "가" + "y" * (PIECE_BYTES * 2 - 1)
    data = (long_line + "\r\n").encode() + b"x" * (PIECE_BYTES - 1) + b"\r\nshort\n"
    path = write_bytes(tmp_path / "d.txt", data)
    corpus = discover(str(path))
    [shard] = plan_shards(corpus.files, shard_bytes=1 << 30)
    items = read_shard(shard, ReadOptions())
    first = next(items)
    assert isinstance(first, Document) and first.text is None and first.pieces is not None
    pieces = list(first.pieces)
    assert len(pieces) > 1
    assert "".join(pieces) == long_line
    assert first.final_counts() == (0, len(long_line.encode()) + 2)
    second = next(items)
    assert isinstance(second, Document)
    assert second.text is None and second.pieces is not None
    assert "".join(second.pieces) == "x" * (PIECE_BYTES - 1)
    third = next(items)
    assert isinstance(third, Document)
    assert (third.id, third.text) == ("d.txt:3", "short")


def test_a_partly_read_long_line_is_skipped_to_its_end(tmp_path: Path) -> None:
    data = b"z" * (PIECE_BYTES * 3) + b"\nafter\n"
    corpus = discover(str(write_bytes(tmp_path / "d.txt", data)))
    [shard] = plan_shards(corpus.files, shard_bytes=1 << 30)
    items = read_shard(shard, ReadOptions())
    first = next(items)
    assert isinstance(first, Document) and first.pieces is not None
    next(iter(first.pieces))  # read one piece only
    second = next(items)
    assert isinstance(second, Document) and (second.id, second.text) == ("d.txt:2", "after")


def test_one_document_per_file(tmp_path: Path) -> None:
    write_bytes(tmp_path / "c" / "b.txt", b"first file\nsecond line\n")
    write_bytes(tmp_path / "c" / "a.txt", b"\xef\xbb\xbfsmall", "gzip")
    big = ("line of text\n" * (PIECE_BYTES // 6)).encode()
    write_bytes(tmp_path / "c" / "sub" / "big.txt", big, "zstd")
    items = read_all(tmp_path / "c", ReadOptions(whole_files=True))
    assert ids(items) == ["a.txt", "b.txt", "sub/big.txt"]
    assert texts(items) == ["small", "first file\nsecond line\n", big.decode()]


def test_parquet_missing_column_is_an_error_naming_field_and_file(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "p.parquet", [{"body": "x"}])
    with pytest.raises(ScanInputError, match=r"p\.parquet: no text field 'text' \(columns: body\)"):
        read_all(path)
    with pytest.raises(ScanInputError, match="no id field 'doc'"):
        read_all(path, ReadOptions(text_field="body", id_field="doc"))


def test_parquet_non_string_column_is_an_error(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "p.parquet", [{"text": 1}])
    with pytest.raises(ScanInputError, match="text field 'text' has type int64, not string"):
        read_all(path)


def test_parquet_nulls_are_rejects_with_row_numbers(tmp_path: Path) -> None:
    records = [{"text": "a", "id": 1}, {"text": None, "id": 2}, {"text": "c", "id": None}]
    items = read_all(write_parquet(tmp_path / "p.parquet", records), ReadOptions(id_field="id"))
    assert ids(items) == [1]
    assert [(r.line, r.reason) for r in items if isinstance(r, Reject)] == [
        (2, "text field 'text' is null"),
        (3, "id field 'id' is null"),
    ]


def test_parquet_binary_text_is_decoded_with_replacement(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"text": pa.array([b"ok", b"bad\xff"], pa.binary())}), path)
    documents = [i for i in read_all(path) if isinstance(i, Document)]
    assert [(d.text, d.replaced) for d in documents] == [("ok", 0), ("bad\ufffd", 1)]


def test_a_whole_file_compressed_parquet_is_refused(tmp_path: Path) -> None:
    source = write_parquet(tmp_path / "p.parquet", SAMPLE)
    packed = write_bytes(tmp_path / "q.parquet.gz", source.read_bytes(), "gzip")
    with pytest.raises(ScanInputError, match="decompress it"):
        discover(str(packed))


def test_sources_are_json_objects_for_rewriting(tmp_path: Path) -> None:
    record = {"text": "x", "meta": {"lang": "ko"}}
    [document] = read_all(write_jsonl(tmp_path / "d.jsonl", [record]))
    assert isinstance(document, Document)
    assert json.dumps(document.source) == json.dumps(record)
