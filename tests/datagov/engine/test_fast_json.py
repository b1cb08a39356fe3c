"""orjson on the fast path gives exactly what the standard library's scanner gives."""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from ethos.datagov.engine import PiiSpec, ReadOptions
from ethos.datagov.engine import readers as reader_module
from ethos.datagov.engine.corpus import discover, plan_shards
from ethos.datagov.engine.readers import (
    PlainObjectParser,
    plain_object_parser,
    read_plain_jsonl,
    read_shard,
)
from ethos.datagov.engine.shards import ShardJob, process_shard
from tests.datagov.engine.conftest import eval_documents, jsonl_bytes, write_bytes
from tests.datagov.engine.test_fast_path import AWKWARD, _outputs, _shard_runs

if os.environ.get("CI") == "true":
    import orjson  # under CI the orjson path must be tested, never skipped
else:
    orjson = pytest.importorskip("orjson")

NAN, INF = float("nan"), float("inf")


def _nested(depth: int) -> bytes:
    """An object whose "m" holds lists nested so that the line is ``depth`` levels deep."""
    return b'{"text": "deep", "m": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}\n"


# Each line and the value both parsers must give for it (None: not a plain line).
TABLE: list[tuple[bytes, Any]] = [
    # raw control characters inside strings are invalid (strict); DEL is not a control
    (b'{"text": "a\tb"}\n', None),
    (b'{"text": "a\x00b"}\n', None),
    (b'{"text": "a\x1fb"}\n', None),
    (b'{"text": "a\rb"}\n', None),
    (b'{"text": "a\x7fb"}\n', {"text": "a\x7fb"}),
    (b'{"text": "\\t\\u0000\\/\\"\\\\"}\n', {"text": '\t\x00/"\\'}),
    # a lone surrogate escape is never plain (the general way replaces and counts it); a
    # pair is one character, as raw astral characters are
    (b'{"text": "\\ud800"}\n', None),
    (b'{"text": "\\udc00 x"}\n', None),
    (b'{"text": "x\\udc00\\ud800y"}\n', None),
    (b'{"text": "\\ud800\\ud800"}\n', None),
    (b'{"text": "\\ud800x"}\n', None),
    (b'{"text": "\\uD800\\u0041"}\n', None),
    (b'{"text": "\\ud83d\\ude00\\udc00"}\n', None),
    (b'{"\\ud800": 1, "text": ""}\n', None),
    (b'{"text": "", "m": [{"k": "\\udfff"}]}\n', None),
    (b'{"text": "\\ud83d\\ude00"}\n', {"text": "\U0001f600"}),
    (b'{"text": "\\uD83D\\uDE00 \\udbff\\udfff"}\n', {"text": "\U0001f600 \U0010ffff"}),
    (
        b'{"\\ud83d\\ude00": "\\ud800\\udc00", "text": ""}\n',
        {"\U0001f600": "\U00010000", "text": ""},
    ),
    (b'{"text": "\\\\ud800"}\n', {"text": "\\ud800"}),  # an escaped backslash, then text
    (b'{"text": "\xf0\x9f\x98\x80"}\n', {"text": "\U0001f600"}),
    (b'{"text": "\\u00e9\\uAC00"}\n', {"text": "\u00e9\uac00"}),
    # escaped Hangul from U+D000 on starts with \ud too, and is no surrogate: plain
    (b'{"text": "\\ud55c\\uae00 \\uD7A3"}\n', {"text": "\ud55c\uae00 \ud7a3"}),
    (b'{"text": "\\ud7ff\\ue000"}\n', {"text": "\ud7ff\ue000"}),
    # NaN and the infinities: the standard library takes them, orjson does not
    (b'{"text": "x", "s": NaN}\n', {"text": "x", "s": NAN}),
    (b'{"text": "x", "s": Infinity, "t": -Infinity}\n', {"text": "x", "s": INF, "t": -INF}),
    (b'{"text": "x", "s": nan}\n', None),
    # integers around and beyond 64 bits: orjson makes floats of those beyond
    (b'{"id": 9223372036854775807, "text": ""}\n', {"id": 2**63 - 1, "text": ""}),
    (b'{"id": 9223372036854775808, "text": ""}\n', {"id": 2**63, "text": ""}),
    (b'{"id": 18446744073709551615, "text": ""}\n', {"id": 2**64 - 1, "text": ""}),
    (b'{"id": 18446744073709551616, "text": ""}\n', {"id": 2**64, "text": ""}),
    (b'{"id": -9223372036854775808, "text": ""}\n', {"id": -(2**63), "text": ""}),
    (b'{"id": -9223372036854775809, "text": ""}\n', {"id": -(2**63) - 1, "text": ""}),
    (b'{"id": -0, "text": ""}\n', {"id": 0, "text": ""}),
    (b'{"text": "", "n": 1' + b"0" * 40 + b"}\n", {"text": "", "n": 10**40}),
    (
        b'{"text": "", "m": {"x": [1.5, {"y": -1' + b"0" * 30 + b"}]}}\n",
        {"text": "", "m": {"x": [1.5, {"y": -(10**30)}]}},
    ),
    (b'{"text": "", "n": 1' + b"0" * 5000 + b"}\n", None),  # beyond int()'s digit limit
    # floats: huge exponents, underflow, negative zero, the largest and smallest doubles
    (b'{"text": "", "f": 1e400, "g": -1E+400}\n', {"text": "", "f": INF, "g": -INF}),
    (b'{"text": "", "f": 1e-400, "g": -0.0}\n', {"text": "", "f": 0.0, "g": -0.0}),
    (b'{"text": "", "f": 1.7976931348623157e308}\n', {"text": "", "f": 1.7976931348623157e308}),
    (
        b'{"text": "", "f": 4.9e-324, "g": 2.2250738585072011e-308}\n',
        {"text": "", "f": 5e-324, "g": 2.225073858507201e-308},
    ),
    (
        b'{"text": "", "f": 9.2e18, "g": 1e19, "h": -9.3e18}\n',
        {"text": "", "f": 9.2e18, "g": 1e19, "h": -9.3e18},
    ),
    (
        b'{"a": 1e5, "b": 1E+5, "c": 1e-5, "d": 0e0, "e": 0.1, "f": 123456789012345678901e-3}\n',
        {"a": 1e5, "b": 1e5, "c": 1e-5, "d": 0.0, "e": 0.1, "f": 123456789012345678.901},
    ),
    (b'{"a": 01}\n', None),
    (b'{"a": .5}\n', None),
    (b'{"a": +1}\n', None),
    (b'{"a": 1.}\n', None),
    (b'{"a": 1e}\n', None),
    (b'{"a": -}\n', None),
    # duplicate keys: the last value wins, at the first key's place
    (b'{"b": 0, "a": 1, "b": 2}\n', {"b": 2, "a": 1}),
    (b'{"text": "one", "text": "two"}\n', {"text": "two"}),
    (b'{"text": {"x": 1}, "text": "flat"}\n', {"text": "flat"}),
    # nesting: 100 levels are read by orjson, deeper ones left to the standard library,
    # which gives up (RecursionError) near its recursion limit; orjson stops at 1024
    (_nested(100), {"text": "deep", "m": json.loads(b"[" * 99 + b"]" * 99)}),
    (_nested(150), {"text": "deep", "m": json.loads(b"[" * 149 + b"]" * 149)}),
    (_nested(1010), None),
    # ... also where a duplicate key discards the deep value
    (_nested(1010)[:-2] + b', "m": 1}\n', None),
    (_nested(150)[:-2] + b', "m": 1}\n', {"text": "deep", "m": 1}),
    (b'{"text": "' + b"[{" * 1000 + b'"}\n', {"text": "[{" * 1000}),  # only looks deep
    (_nested(1024), None),
    (_nested(1100), None),
    (_nested(5000), None),
    # what follows the object: nothing, "\n" or "\r\n", nothing else
    (b'{"a": 1}', {"a": 1}),
    (b'{"a": 1}\r\n', {"a": 1}),
    (b'{"a": 1} \n', None),
    (b'{"a": 1}\t\n', None),
    (b'{"a": 1}\r', None),
    (b'{"a": 1}\r\r\n', None),
    (b'{"a": 1}\n\n', None),
    (b'{"a": 1} ', None),
    (b'{"a": 1}{"b": 2}\n', None),
    (b'{"a": 1} {"b": 2}', None),
    (b'{"a": 1}\x00', None),
    (b'{"a": 1}\xc2\xa0\n', None),
    (b'{"a": 1}\xe2\x80\xa8\n', None),
    (b'{"a": 1}\xef\xbb\xbf\n', None),
    # what precedes and separates: JSON whitespace is space, tab, CR and LF only
    (b' {"a": 1}\n', None),
    (b'\xef\xbb\xbf{"a": 1}\n', None),
    (b'{ "a" :\r1 ,\t"b":2 }\n', {"a": 1, "b": 2}),
    (b'{"a":\x0c1}\n', None),
    (b'{"a":\xc2\xa01}\n', None),
    (b'{"a":\xe3\x80\x801}\n', None),
    # invalid UTF-8: stray bytes, overlong forms, encoded surrogates, beyond U+10FFFF
    (b'{"text": "\xff"}\n', None),
    (b'{"text": "\x80"}\n', None),
    (b'{"text": "\xc0\xaf"}\n', None),
    (b'{"text": "\xc1\xbf"}\n', None),
    (b'{"text": "\xe0\x80\xaf"}\n', None),
    (b'{"text": "\xf0\x80\x80\xaf"}\n', None),
    (b'{"text": "\xed\xa0\x80"}\n', None),
    (b'{"text": "\xed\xbf\xbf"}\n', None),
    (b'{"text": "\xf4\x90\x80\x80"}\n', None),
    (b'{"text": "\xf5\x80\x80\x80"}\n', None),
    (b'{"text": "\xe2\x82"}\n', None),
    (b'{"text": "\xe2\x82\xac"}\n', {"text": "\u20ac"}),
    (b'{"text": "\xf4\x8f\xbf\xbf\xef\xbf\xbe"}\n', {"text": "\U0010ffff\ufffe"}),
    (b'{"t\xff": "x"}\n', None),
    # line and paragraph separators, the byte order mark inside a string, empty keys
    (b'{"text": "\xe2\x80\xa8\xe2\x80\xa9\\u2028"}\n', {"text": "\u2028\u2029\u2028"}),
    (b'{"text": "\xef\xbb\xbf"}\n', {"text": "\ufeff"}),
    (b'{"": "", "text": ""}\n', {"": "", "text": ""}),
    (b'{"": 1, "": 2}\n', {"": 2}),
    # not objects, or not JSON
    (b"[1, 2]\n", None),
    (b'"text"\n', None),
    (b"1\n", None),
    (b"null\n", None),
    (b"{}\n", {}),
    (b"{}", {}),
    (b"{\n", None),
    (b"}\n", None),
    (b'{"a": 1,}\n', None),
    (b'{"a": [1,]}\n', None),
    (b"{'a': 1}\n", None),
    (b'{"a" 1}\n', None),
    (b"{1: 2}\n", None),
    (b'{"a": True}\n', None),
    (b'{"a": tru}\n', None),
    (b'{"a": "\\x"}\n', None),
    (b'{"a": "\\u12"}\n', None),
    (b'{"a": "\\u12G4"}\n', None),
    (b'{"a": "open}\n', None),
    (b'{"a": true, "b": false, "c": null}\n', {"a": True, "b": False, "c": None}),
]


def _outcome(parse: PlainObjectParser, raw: bytes) -> str:
    """What ``parse`` gives, exactly: its repr tells types, key order, -0.0 and NaN apart."""
    value = parse(raw)
    assert value is None or type(value) is dict
    return repr(value)


def _parsers() -> tuple[PlainObjectParser, PlainObjectParser]:
    stdlib, fast = plain_object_parser(fast_json=False), plain_object_parser(fast_json=True)
    assert fast is not stdlib  # orjson is installed here
    return stdlib, fast


@pytest.mark.parametrize(("raw", "expected"), TABLE, ids=range(len(TABLE)))
def test_awkward_lines_give_the_same_value_with_and_without_orjson(
    raw: bytes, expected: Any
) -> None:
    stdlib, fast = _parsers()
    assert _outcome(stdlib, raw) == _outcome(fast, raw) == repr(expected)


def test_the_lines_of_the_fast_path_tests_give_the_same_value() -> None:
    stdlib, fast = _parsers()
    lines = [*AWKWARD, *(jsonl_bytes([d]) for d in eval_documents(200))]
    for raw in lines:
        assert _outcome(stdlib, raw) == _outcome(fast, raw), raw


def test_big_integers_and_deep_nesting_are_left_to_the_standard_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The guard is needed: orjson alone reads these lines differently."""
    stdlib, fast = _parsers()
    big = b'{"id": 18446744073709551616, "text": "x"}\n'
    assert orjson.loads(big)["id"] == float(2**64)  # a float, not the integer
    assert stdlib(big) == fast(big) == {"id": 2**64, "text": "x"}
    assert type(fast(big)["id"]) is int  # type: ignore[index]
    deep = _nested(1010)
    assert orjson.loads(deep)["text"] == "deep"
    assert stdlib(deep) is None and fast(deep) is None
    hidden = _nested(1010)[:-2] + b', "m": 1}\n'  # the deep value is discarded
    assert orjson.loads(hidden) == {"text": "deep", "m": 1}
    assert stdlib(hidden) is None and fast(hidden) is None
    # and it is only the standard library that decides these, not orjson
    calls: list[bytes] = []
    scanner = reader_module._plain_object

    def counted(raw: bytes) -> dict[str, Any] | None:
        calls.append(raw)
        return scanner(raw)

    monkeypatch.setattr(reader_module, "_plain_object", counted)
    assert fast(b'{"id": 1, "text": "x"}\n') == {"id": 1, "text": "x"}
    assert fast(big) == {"id": 2**64, "text": "x"}
    assert fast(b'{"text": "x", "s": NaN}\n') is not None
    assert calls == [big, b'{"text": "x", "s": NaN}\n']


# -- random lines ------------------------------------------------------------------------

_CHARS = (
    "abcXYZ019 _-.,:;!?@#" + "가나다한글ㄱㅏ" + "漢字ひらがな" + "\u00e9\u00df\u0301"
    "\u2028\u2029\ufeff\ufffe\uffff\u200b\u00a0\u3000\U0001f600\U00010000\U0010ffff"
    '"\\/\b\f\n\r\t\x00\x01\x1f\x7f'
)
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f"}
_SHORT_ESCAPES |= {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(rng: random.Random) -> str:
    """A JSON string literal: escaped or raw characters, now and then a surrogate escape or
    a raw control character (which makes the line invalid)."""
    out = ['"']
    for _ in range(rng.choice([0, 1, 3, 8, 20])):
        char = rng.choice(_CHARS)
        roll = rng.random()
        if roll < 0.002:
            out.append(rng.choice(["\\ud800", "\\uDC00", "\\ud83d\\ude00", "\\uD83D\\uDE00"]))
        elif roll < 0.1 and ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04{rng.choice('xX')}}")
        elif char in _SHORT_ESCAPES and (roll < 0.995 or char in '"\\'):
            out.append(_SHORT_ESCAPES[char])
        elif char < " " and roll < 0.995:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)  # raw: a control character here is invalid JSON
    out.append('"')
    return "".join(out)


_INTEGERS = [0, 1, 7, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64 - 1, 2**64, 10**19, 10**25]


def _number(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return str(rng.choice([1, -1]) * rng.choice([*_INTEGERS, rng.randrange(10**6)]))
    if roll < 0.75:
        value = rng.choice([rng.random(), rng.uniform(-1e20, 1e20), rng.random() * 1e-300])
        return rng.choice([repr(value), f"{value:.17e}", f"{value:.3E}", f"{value:.20g}"])
    if roll < 0.98:  # digits, fraction and exponent of any size
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 25)))
        text = rng.choice(["", "-"]) + (digits.lstrip("0") or "0")
        if rng.random() < 0.5:
            text += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 20)))
        if rng.random() < 0.5:
            text += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 400))
        return text
    return rng.choice(["NaN", "Infinity", "-Infinity", "-0", "-0.0", "1E400", "01", "1.", ".5"])


def _blank(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.8:
        return ""
    if roll < 0.995:
        return rng.choice([" ", "\t", "\r", "  ", "\r\n "])
    return rng.choice(["\x0c", "\u00a0", "\u3000"])  # not JSON whitespace


def _value(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth > 4 or roll < 0.35:
        return _string(rng)
    if roll < 0.6:
        return _number(rng)
    if roll < 0.67:
        return rng.choice(["true", "false", "null"])
    if roll < 0.8:
        items = [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
        return "[" + ",".join(_blank(rng) + item + _blank(rng) for item in items) + "]"
    return _object(rng, depth + 1)


def _object(rng: random.Random, depth: int) -> str:
    keys = ["text", "id", "", "meta", "text"] + [_string(rng)[1:-1] for _ in range(2)]
    members = []
    for _ in range(rng.randint(0, 5)):  # keys repeat now and then
        key = '"' + rng.choice(keys) + '"'
        members.append(_blank(rng) + key + _blank(rng) + ":" + _blank(rng) + _value(rng, depth))
    return "{" + ",".join(members) + _blank(rng) + "}"


_ENDINGS = ["", "\n", "\r\n", *["\n"] * 9, " \n", "\r", " ", "\t\n", ' {"a": 1}\n', "}\n", "\x00"]
_BYTES = [
    b"\x00",
    b"\xff",
    b"\xc0",
    b"\xed\xa0\x80",
    b"\xf4\x90",
    b'"',
    b"\\",
    b"{",
    b"}",
    b",",
    b":",
]


def _random_line(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.9:
        text = _object(rng, 0)
    elif roll < 0.95:
        text = _value(rng, 1)
    else:
        text = _blank(rng) + _object(rng, 0)
    raw = (text + rng.choice(_ENDINGS)).encode("utf-8")
    if rng.random() < 0.25:  # damage it: insert, drop or replace a byte or a few
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(raw) + 1)
            piece = rng.choice([*_BYTES, bytes([rng.randrange(256)])])
            cut = rng.choice([0, 1])
            raw = raw[:at] + (piece if rng.random() < 0.7 else b"") + raw[at + cut :]
    return raw


def test_random_lines_give_the_same_value_with_and_without_orjson(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdlib, fast = _parsers()
    rng = random.Random(20261122)
    lines = [_random_line(rng) for _ in range(4000)]
    deferred: list[bool] = []  # per line left to the standard library: a value or not

    def counted(raw: bytes) -> dict[str, Any] | None:
        value = stdlib(raw)
        deferred.append(value is not None)
        return value

    monkeypatch.setattr(reader_module, "_plain_object", counted)
    values = 0
    for raw in lines:
        mine = _outcome(fast, raw)
        assert mine == _outcome(stdlib, raw), raw
        values += mine != "None"
    # both kinds are well represented; orjson read most of the objects itself, and the
    # standard library decided both ways for the lines orjson rejected or doubted
    assert 0.3 * len(lines) < values < 0.8 * len(lines)
    assert values - sum(deferred) > 0.2 * len(lines)
    assert sum(deferred) > 100 and deferred.count(False) > 500


# -- switching it on and off --------------------------------------------------------------


def test_the_switch_and_a_missing_orjson_select_the_standard_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdlib = reader_module._plain_object
    monkeypatch.delenv("ETHOS_FAST_JSON", raising=False)
    assert plain_object_parser() is not stdlib
    monkeypatch.setenv("ETHOS_FAST_JSON", "1")
    assert plain_object_parser() is not stdlib
    monkeypatch.setenv("ETHOS_FAST_JSON", "0")
    assert plain_object_parser() is stdlib
    assert plain_object_parser(fast_json=True) is not stdlib  # the argument wins
    monkeypatch.delenv("ETHOS_FAST_JSON")
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson now fails
    assert plain_object_parser() is stdlib
    assert plain_object_parser(fast_json=True) is stdlib


# -- the engine, end to end ---------------------------------------------------------------

# Lines where orjson alone would differ, or the standard library gives up: the run goes on.
ENGINE_LINES = [
    b'{"id": 18446744073709551616, "text": "big id kim@example.com"}\n',
    b'{"id": -9223372036854775809, "text": "negative big id 010-2345-6789"}\n',
    b'{"id": "nan", "text": "mail lee@example.org", "score": NaN}\n',
    b'{"id": "inf", "text": "plain words", "score": 1e400}\n',
    b'{"id": "dup", "text": "first", "text": "second 010-9876-5432"}\n',
    b'{"id": "ctl", "text": "raw\ttab"}\n',
    b'{"id": "ls", "text": "\xe2\x80\xa8 separators \xe2\x80\xa9 kim@example.com"}\n',
    b'{"id": "overlong", "text": "\xc0\xaf kim@example.com"}\n',
    b'{"id": "deep1010", "text": "x", "m": ' + b"[" * 1009 + b"]" * 1009 + b"}\n",
    b'{"id": "deep3000", "text": "x", "m": ' + b"[" * 3000 + b"]" * 3000 + b"}\n",
    b'{"id": "hidden", "text": "x", "m": ' + b"[" * 1009 + b"]" * 1009 + b', "m": 1}\n',
    b'{"id": "nested", "text": "x", "m": ' + b"[" * 150 + b"]" * 150 + b"}\n",
    b'{"id": "digits", "text": "x", "n": 1' + b"0" * 5000 + b"}\n",
    b'{"id": "", "": "", "text": ""}\n',
]


def _engine_corpus(tmp_path: Path, name: str, compression: str = "none") -> Path:
    lines = [jsonl_bytes([d]) for d in eval_documents(200)]
    for position, line in enumerate([*AWKWARD[:-1], *ENGINE_LINES]):
        lines.insert(position * 5, line)
    data = b"\xef\xbb\xbf" + b"".join(lines) + AWKWARD[-1]
    return write_bytes(tmp_path / "in" / name, data, compression)


def _run(tmp_path: Path, location: Path, label: str, *, fast: bool, **options: Any) -> Any:
    (tmp_path / label).mkdir()
    return _outputs(tmp_path / label, location, fast=fast, **options)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("compression", ["none", "zstd"])
@pytest.mark.parametrize("id_field", [None, "id"])
def test_the_engine_writes_the_same_bytes_with_and_without_orjson(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: int,
    compression: str,
    id_field: str | None,
) -> None:
    suffix = {"none": "", "zstd": ".zst"}[compression]
    location = _engine_corpus(tmp_path, f"mixed.jsonl{suffix}", compression)
    options: dict[str, Any] = {
        "spec": PiiSpec(),
        "read": ReadOptions(id_field=id_field),
        "workers": workers,
        "shard_bytes": 9_000,
    }
    monkeypatch.delenv("ETHOS_FAST_JSON", raising=False)
    with_orjson = _run(tmp_path, location, "orjson", fast=True, **options)
    monkeypatch.setenv("ETHOS_FAST_JSON", "0")
    with_stdlib = _run(tmp_path, location, "stdlib", fast=True, **options)
    general = _run(tmp_path, location, "general", fast=False, **options)
    assert with_orjson == with_stdlib == general
    rejects = [json.loads(line) for line in with_orjson["rejects"].splitlines()]
    reasons = {r["reason"] for r in rejects}
    assert "JSON nested too deeply" in reasons  # "deep1010" and "deep3000"
    assert "an integer with too many digits" in reasons
    results = [json.loads(line) for line in with_orjson["results"].splitlines()]
    ids = {r["id"] for r in results}
    if id_field:
        assert {2**64, -(2**63) - 1, "nan", "inf", "dup", "ls", "overlong", "nested", ""} <= ids
        assert not {"ctl", "deep1010", "deep3000", "hidden", "digits"} & ids
        starts = {line.split(b",")[0] for line in with_orjson["results"].splitlines()}
        assert {b'{"id":18446744073709551616', b'{"id":-9223372036854775809'} <= starts
        dup = next(r for r in results if r["id"] == "dup")
        assert [s["type"] for s in dup["spans"]] == ["KR_PHONE"]  # in "second ...", not "first"


def test_progress_parts_and_markers_are_the_same_with_and_without_orjson(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = _engine_corpus(tmp_path, "p.jsonl")
    read = ReadOptions(id_field="id")
    monkeypatch.delenv("ETHOS_FAST_JSON", raising=False)
    (tmp_path / "on").mkdir()
    (tmp_path / "off").mkdir()
    with_orjson = _shard_runs(tmp_path / "on", location, read)
    monkeypatch.setenv("ETHOS_FAST_JSON", "0")
    with_stdlib = _shard_runs(tmp_path / "off", location, read)
    # fast and general within each run, and the fast runs of both parsers
    assert with_orjson[0] == with_orjson[1] == with_stdlib[0] == with_stdlib[1]


def test_the_fast_path_reads_with_orjson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
    loads = orjson.loads

    def counted(raw: bytes) -> Any:
        calls.append(raw)
        return loads(raw)

    monkeypatch.setattr(orjson, "loads", counted)
    monkeypatch.delenv("ETHOS_FAST_JSON", raising=False)
    location = _engine_corpus(tmp_path, "c.jsonl")
    shard = plan_shards(discover(str(location)).files, shard_bytes=1 << 30, whole_files=False)[0]
    plain = list(read_plain_jsonl(shard, ReadOptions(id_field="id")))
    general = list(read_shard(shard, ReadOptions(id_field="id")))
    assert len(plain) == len(general)
    assert len(calls) >= 200  # every ordinary line went through orjson
    job = ShardJob(shard, ReadOptions(id_field="id"), PiiSpec(), str(tmp_path / "w"))
    (tmp_path / "w").mkdir()
    calls.clear()
    stats = process_shard(job)
    assert len(calls) >= 200 and stats.documents >= 200
    monkeypatch.setenv("ETHOS_FAST_JSON", "0")
    calls.clear()
    assert list(read_plain_jsonl(shard, ReadOptions(id_field="id"))) == plain
    assert calls == []


def test_the_bracket_count_is_the_plain_count() -> None:
    """``_brackets`` skips counting when a find says there is nothing to count."""
    rng = random.Random(7)
    lines = [*AWKWARD, *(_random_line(rng) for _ in range(2000))]
    lines += [b"{}", b'{"a": "{"}', b'{"a": "["}', b'{"a": [[{}]]}\n', b"{" * 9, b"{" + b"[" * 9]
    for raw in lines:
        if raw.startswith(b"{"):
            assert reader_module._brackets(raw) == raw.count(b"[") + raw.count(b"{"), raw


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="from 3.12 the JSON scanner's C recursion has its own limit; this is 3.11's",
)
def test_a_parser_made_deep_in_the_stack_leaves_more_lines_to_the_standard_library() -> None:
    """The standard library gives up sooner when called with many frames on the stack; a
    parser made there knows it (a duplicate key hides the nesting from orjson's result)."""
    hidden = _nested(520)[:-2] + b', "m": 1}\n'
    assert len(hidden) < 2 * (sys.getrecursionlimit() - 250)  # too short for the old rule

    def at_depth(frames: int) -> tuple[str, str]:
        if frames:
            return at_depth(frames - 1)
        stdlib, fast = _parsers()
        return _outcome(stdlib, hidden), _outcome(fast, hidden)

    shallow = at_depth(0)
    assert shallow == (repr({"text": "deep", "m": 1}),) * 2
    deep = at_depth(sys.getrecursionlimit() - 520 - 30)
    assert deep == ("None", "None")  # the standard library gave up, and decided
    # a long text does not hide the nesting outside it
    hidden = b'{"text": "' + b"[x] " * 1000 + hidden[len(b'{"text": "') :]
    assert at_depth(0) == (repr({"text": "[x] " * 1000 + "deep", "m": 1}),) * 2
    assert at_depth(sys.getrecursionlimit() - 520 - 30) == ("None", "None")
