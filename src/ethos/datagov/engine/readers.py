"""Streaming readers: one shard in, documents and rejected lines out, in input order.

JSONL
    One JSON object per line; the text is the ``text_field`` value. A line that is not
    valid JSON, not an object, lacks the text field (or the id field) or holds a non-string
    text becomes a :class:`Reject` naming file, line and reason; the run goes on. Blank
    lines are not documents. A line is held in memory whole (one line at a time).
Text
    One document per line (the line without its ``\\n`` or ``\\r\\n``); empty lines are
    documents too, so output line *n* belongs to input line *n*. With ``whole_files``,
    one document per file. A line or file longer than 1 MiB is read in pieces, never whole.
Parquet
    The ``text_field`` column, read in record batches of the shard's row groups; a null
    text is a reject. A missing column is an error for the whole run.

Undecodable UTF-8 bytes become U+FFFD and are counted; a UTF-8 byte order mark at the
start of a file is dropped. Default ids are ``<file>:<line>`` (``<file>:<row>`` for
Parquet, 1-based, ``<file>`` for whole files).

:func:`read_plain_jsonl` parses its lines with ``orjson`` when that is installed (the
``scan`` extra) and ``ETHOS_FAST_JSON`` is not ``0``, else with the standard library's
scanner; either way it gives the same values (see :func:`plain_object_parser`).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any, BinaryIO

from .compression import open_binary
from .corpus import InputFile, InputFormat, Shard
from .decoding import CountingDecoder, decode_counted, scrub_surrogates
from .documents import Document, Reject, StreamCounters
from .fields import check_columns

__all__ = [
    "PlainLine",
    "ReadOptions",
    "plain_object_parser",
    "read_plain_jsonl",
    "read_shard",
]

PIECE_BYTES = 1 << 20
_BATCH_ROWS = 1024
_BOM = b"\xef\xbb\xbf"
_MISSING = object()


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Where the text and the id are, and what a text document is."""

    text_field: str = "text"
    id_field: str | None = None
    whole_files: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "text_field": self.text_field,
            "id_field": self.id_field,
            "whole_files": self.whole_files,
        }


Item = Document | Reject


def read_shard(shard: Shard, options: ReadOptions) -> Iterator[Item]:
    """The documents and rejects of one shard, in input order.

    A streamed document (``text is None``) must be read to its end before the next item
    is requested.
    """
    file = shard.file
    if file.format is InputFormat.PARQUET:
        yield from _read_parquet(shard, options)
        return
    with open_binary(file.path, file.compression) as stream:
        if shard.start:
            stream.seek(shard.start)
        if file.format is InputFormat.JSONL:
            yield from _read_jsonl(stream, shard, options)
        elif options.whole_files:
            yield _whole_file(stream, file)
        else:
            yield from _read_text_lines(stream, shard)


def _lines(stream: BinaryIO, shard: Shard) -> Iterator[tuple[int, bytes]]:
    position = shard.start
    number = shard.first_line
    while shard.stop < 0 or position < shard.stop:
        raw = stream.readline()
        if not raw:
            return
        position += len(raw)  # the byte order mark too: shard.stop counts it
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        yield number, raw
        number += 1


def _strip_newline(raw: bytes) -> bytes:
    if raw.endswith(b"\n"):
        raw = raw[:-1]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
    return raw


_DECODER = json.JSONDecoder()
# What _DECODER.decode() calls once it has skipped leading whitespace; typeshed omits it.
_SCAN_VALUE: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]


def _read_jsonl(stream: BinaryIO, shard: Shard, options: ReadOptions) -> Iterator[Item]:
    name = shard.file.name
    for number, raw in _lines(stream, shard):
        item = _jsonl_item(raw, number, name, options)
        if item is not None:
            yield item


def _jsonl_item(raw: bytes, number: int, name: str, options: ReadOptions) -> Item | None:
    """The document or reject of one JSONL line; ``None`` for a blank line."""
    if not raw or raw.isspace():
        return None
    text, replaced = decode_counted(raw)
    try:
        record = _DECODER.decode(text)  # what json.loads(text) calls
    except json.JSONDecodeError as error:
        reason = f"malformed JSON at column {error.colno}: {error.msg}"
        return Reject(name, number, reason, text.rstrip("\r\n"), len(raw))
    except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
        reason = "an integer with too many digits"
        return Reject(name, number, reason, text.rstrip("\r\n"), len(raw))
    except RecursionError:
        reason = "JSON nested too deeply"
        return Reject(name, number, reason, text.rstrip("\r\n"), len(raw))
    if not isinstance(record, dict):
        reason = f"not a JSON object but {type(record).__name__}"
        return Reject(name, number, reason, text.rstrip("\r\n"), len(raw))
    if b"\\ud" in raw or b"\\uD" in raw:
        record, scrubbed = scrub_surrogates(record)
        replaced += scrubbed
    item = _jsonl_document(record, options, name, number)
    if isinstance(item, str):
        return Reject(name, number, item, text.rstrip("\r\n"), len(raw))
    item.replaced = replaced
    item.size = len(raw)
    return item


# An ordinary JSONL line, as read_plain_jsonl gives it: id, text, the whole record, line
# number and size in bytes. Nothing was replaced in it.
PlainLine = tuple[str | int, str, dict[str, Any], int, int]


def read_plain_jsonl(shard: Shard, options: ReadOptions) -> Iterator[Item | PlainLine]:
    """What :func:`read_shard` gives for a JSONL shard, but with every ordinary line (valid
    UTF-8, one JSON object and a line ending, no lone surrogate escape, a string text, a
    string or integer id) as a :data:`PlainLine` tuple instead of a :class:`Document`: the
    common case, without building objects the caller may not need. Other lines take the
    general way, so they give what :func:`read_shard` gives.
    """
    file = shard.file
    name = file.name
    text_field, id_field = options.text_field, options.id_field
    plain_object = plain_object_parser()
    with open_binary(file.path, file.compression) as stream:
        if shard.start:
            stream.seek(shard.start)
        position, number, stop = shard.start, shard.first_line - 1, shard.stop
        while stop < 0 or position < stop:
            raw = stream.readline()
            if not raw:
                return
            number += 1
            position += len(raw)
            if number == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
            record = plain_object(raw)
            if record is not None:
                text = record.get(text_field)
                if type(text) is str:
                    if id_field is None:
                        yield f"{name}:{number}", text, record, number, len(raw)
                        continue
                    doc_id = record.get(id_field)
                    if type(doc_id) is str or type(doc_id) is int:
                        yield doc_id, text, record, number, len(raw)
                        continue
            item = _jsonl_item(raw, number, name, options)
            if item is not None:
                yield item


def _plain_object(raw: bytes) -> dict[str, Any] | None:
    """The JSON object of a line that is valid UTF-8, one object and at most a line ending,
    and holds no lone surrogate escape; ``None`` for any other line (the standard
    library's scanner). A pair of surrogate escapes is one character, as in orjson."""
    if not raw.startswith(b"{"):
        return None
    try:
        line = raw.decode("utf-8")
        record, end = _SCAN_VALUE(line, 0)
    except (ValueError, StopIteration, RecursionError):  # undecodable, malformed, too deep
        return None
    if end < len(line) and line[end:] not in ("\n", "\r\n"):
        return None  # trailing blanks or more JSON: left to decode() to judge
    if type(record) is not dict:
        return None
    if _has_surrogate_escape(raw) and scrub_surrogates(record)[1]:
        return None  # a lone surrogate: replaced and counted by the general way
    return record


# A surrogate escape, \\ud800 to \\udfff in either case. Escaped Hangul (\\ud55c is 한, as
# json.dumps writes it by default) is not one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")


def _has_surrogate_escape(raw: bytes) -> bool:
    """Whether ``raw`` may hold a surrogate escape (an escaped backslash followed by
    ``ud800`` counts too: the parsed value then says whether a surrogate is lone)."""
    # rfind, not in: searching backwards tests for the rare backslash first, not the "u"
    return raw.rfind(b"\\u") >= 0 and _SURROGATE_ESCAPE.search(raw) is not None


PlainObjectParser = Callable[[bytes], dict[str, Any] | None]


def plain_object_parser(*, fast_json: bool | None = None) -> PlainObjectParser:
    """What :func:`read_plain_jsonl` parses each line with: ``orjson`` when it is installed
    and ``fast_json`` is true (by default: unless ``ETHOS_FAST_JSON=0``), else the
    standard library's scanner. Both give the same value for every line (or both
    ``None``) when the parser is called no deeper in the stack than it was made (the
    standard library's scanner gives up sooner on deep nesting when called deeper).
    """
    if fast_json is None:
        fast_json = os.environ.get("ETHOS_FAST_JSON", "1") != "0"
    if fast_json:
        try:
            import orjson
        except ImportError:
            pass
        else:
            return _orjson_plain_object(orjson.loads, orjson.JSONDecodeError, _stack_depth())
    return _plain_object


def _stack_depth() -> int:
    """How many frames are on the stack of the caller's caller."""
    depth = 0
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


# Nesting deeper than this, and floats this large, go to the standard library to decide.
_DEEP = 100
_LARGE = 9.2e18  # orjson reads an integer beyond 64 bits as a float; 2**63 > 9.2e18
# The standard library's scanner gives up (RecursionError) at a nesting depth of the
# recursion limit less the frames already on the stack: those of the caller that made
# the parser (measured then), and at most this many more (the parser's own, and slack).
_MARGIN = 50


def _orjson_plain_object(
    loads: Callable[[bytes], Any], error: type[Exception], stack: int
) -> PlainObjectParser:
    """:func:`_plain_object`, parsing with orjson where it is sure to agree.

    orjson reads the bytes (it validates UTF-8, rejects raw control characters in strings,
    lets the last of duplicate keys win, as the standard library does). Where the two may
    differ, the standard library's scanner decides: every line orjson rejects (NaN and
    Infinity, numbers beyond a double, invalid UTF-8, nesting beyond 1024 levels, syntax
    errors, lone surrogate escapes), every object holding a float of 9.2e18 or more in
    size (orjson's reading of an integer beyond 64 bits; the standard library keeps the
    integer), every object nested more than 100 levels deep (the standard library's
    limit depends on the call stack), and every line long enough to hold nesting the
    standard library may give up on, outside its strings, and with that many ``[`` and
    ``{`` (a duplicate key's discarded value may be that deep and not show in the
    result). Lines not ending in ``}`` followed by nothing, ``\\n`` or ``\\r\\n`` are not
    plain, as for :func:`_plain_object`. A pair of surrogate escapes is one character in
    both; a lone one makes orjson reject the line, and :func:`_plain_object` finds it.
    """
    # The scanner reads this deep at least, called with ``stack`` frames on the stack.
    deep = sys.getrecursionlimit() - stack - _MARGIN
    long_line = 2 * deep  # a line must be this long to be that deep

    def plain_object(raw: bytes) -> dict[str, Any] | None:
        if not raw.startswith(b"{") or not raw.endswith((b"}\n", b"}", b"}\r\n")):
            return None
        try:
            record = loads(raw)
        except error:
            return _plain_object(raw)
        if type(record) is not dict or _doubtful(record, 1):
            return _plain_object(raw)
        if len(raw) >= long_line:
            # Brackets in strings nest nothing: the bytes outside the object's strings
            # (each string takes at least as many bytes as it has characters) must hold
            # two for each level.
            outside = len(raw) - sum(len(v) for v in record.values() if type(v) is str)
            if outside >= long_line and _brackets(raw) >= deep:
                return _plain_object(raw)
        return record

    return plain_object


def _brackets(raw: bytes) -> int:
    """How many ``[`` and ``{`` a line that starts with ``{`` holds. Counting bytes is a
    slow loop and finding one is fast: most lines hold no other bracket."""
    braces = raw.count(b"{") if raw.find(b"{", 1) >= 0 else 1
    return braces + (raw.count(b"[") if raw.find(b"[") >= 0 else 0)


def _doubtful(container: dict[str, Any] | list[Any], depth: int) -> bool:
    """Whether orjson's value may not be the standard library's: a float of 9.2e18 or more
    in size, or nesting deeper than 100 levels."""
    values: Iterable[Any] = container.values() if isinstance(container, dict) else container
    for value in values:
        kind = type(value)
        if kind is float:
            if value >= _LARGE or value <= -_LARGE:
                return True
        elif (kind is dict or kind is list) and (depth >= _DEEP or _doubtful(value, depth + 1)):
            return True
    return False


def _jsonl_document(
    record: dict[str, Any], options: ReadOptions, name: str, number: int
) -> Document | str:
    """The document of one JSON object, or the reason it is rejected."""
    value = record.get(options.text_field, _MISSING)
    if value is _MISSING:
        return f"missing text field '{options.text_field}'"
    if not isinstance(value, str):
        kind = "null" if value is None else type(value).__name__
        return f"text field '{options.text_field}' is {kind}, not a string"
    if options.id_field is None:
        return Document(id=f"{name}:{number}", text=value, where=f"{name}:{number}", source=record)
    doc_id = record.get(options.id_field, _MISSING)
    if doc_id is _MISSING:
        return f"missing id field '{options.id_field}'"
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int):
        return f"id field '{options.id_field}' must be a string or an integer"
    return Document(id=doc_id, text=value, where=f"{name}:{number}", source=record)


def _read_text_lines(stream: BinaryIO, shard: Shard) -> Iterator[Item]:
    name = shard.file.name
    position = shard.start
    number = shard.first_line
    while shard.stop < 0 or position < shard.stop:
        raw = stream.readline(PIECE_BYTES)
        if not raw:
            return
        if number == 1 and raw.startswith(_BOM):
            position += len(_BOM)
            raw = raw[len(_BOM) :]
        if raw.endswith(b"\n") or len(raw) < PIECE_BYTES:
            text, replaced = decode_counted(_strip_newline(raw))
            position += len(raw)
            where = f"{name}:{number}"
            yield Document(id=where, text=text, where=where, replaced=replaced, size=len(raw))
        else:
            counters = StreamCounters()
            pieces = _long_line(stream, raw, counters)
            where = f"{name}:{number}"
            yield Document(id=where, text=None, where=where, pieces=pieces, counters=counters)
            for _unread in pieces:  # the consumer stopped early: skip the rest of the line
                pass
            position += counters.size
        number += 1


def _long_line(stream: BinaryIO, first: bytes, counters: StreamCounters) -> Iterator[str]:
    """The decoded pieces of a line longer than one read, without its line ending."""
    decoder = CountingDecoder()
    raw = first
    carry = b""
    while True:
        counters.size += len(raw)
        last = not raw or raw.endswith(b"\n")
        data = _strip_newline(carry + raw) if last else carry + raw
        carry = b""
        if not last and data.endswith(b"\r"):
            data, carry = data[:-1], b"\r"
        text = decoder.decode(data, final=last)
        counters.replaced = decoder.replaced
        if text:
            yield text
        if last:
            return
        raw = stream.readline(PIECE_BYTES)


def _whole_file(stream: BinaryIO, file: InputFile) -> Document:
    head = stream.read(PIECE_BYTES)
    more = stream.read(PIECE_BYTES)
    size = len(head) + len(more)
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    if not more:
        text, replaced = decode_counted(head)
        return Document(id=file.name, text=text, where=file.name, replaced=replaced, size=size)
    counters = StreamCounters()
    return Document(
        id=file.name,
        text=None,
        where=file.name,
        pieces=_file_pieces(stream, (head, more), counters),
        counters=counters,
    )


def _file_pieces(
    stream: BinaryIO, first: tuple[bytes, bytes], counters: StreamCounters
) -> Iterator[str]:
    decoder = CountingDecoder()
    for data in first:
        counters.size += len(data)
        yield decoder.decode(data)
    while data := stream.read(PIECE_BYTES):
        counters.size += len(data)
        yield decoder.decode(data)
    yield decoder.decode(b"", final=True)
    counters.replaced = decoder.replaced


def _read_parquet(shard: Shard, options: ReadOptions) -> Iterator[Item]:
    import pyarrow.parquet as pq

    file = shard.file
    check_columns(file, options)
    columns = [options.text_field]
    if options.id_field is not None:
        columns.append(options.id_field)
    row = shard.first_line
    parquet = pq.ParquetFile(file.path)
    try:
        batches = parquet.iter_batches(
            batch_size=_BATCH_ROWS,
            row_groups=list(range(shard.start, shard.stop)),
            columns=columns,
            use_threads=False,
        )
        for batch in batches:
            texts = batch.column(0).to_pylist()
            ids = batch.column(1).to_pylist() if options.id_field is not None else None
            for position, value in enumerate(texts):
                yield _parquet_item(value, ids, position, row + position, file, options)
            row += len(texts)
    finally:
        parquet.close()


def _parquet_item(
    value: str | bytes | None,
    ids: list[Any] | None,
    position: int,
    row: int,
    file: InputFile,
    options: ReadOptions,
) -> Item:
    if value is None:
        return Reject(file.name, row, f"text field '{options.text_field}' is null", "")
    replaced = 0
    if isinstance(value, bytes):
        size = len(value)
        value, replaced = decode_counted(value)
    else:
        size = len(value.encode("utf-8"))
    doc_id: str | int = f"{file.name}:{row}"
    if ids is not None:
        raw_id = ids[position]
        if raw_id is None:
            return Reject(file.name, row, f"id field '{options.id_field}' is null", "", size)
        doc_id = (
            raw_id
            if isinstance(raw_id, int | str) and not isinstance(raw_id, bool)
            else str(raw_id)
        )
    return Document(id=doc_id, text=value, where=f"{file.name}:{row}", replaced=replaced, size=size)
