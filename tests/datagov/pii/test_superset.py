"""Hyperscan superset expressions: wherever the Python pattern matches, so does the
expression. Checked with Hyperscan itself on chosen strings, on every code point for
single characters, and on every match of every shipped pattern in the test texts. All
texts are FAKE (see corpus.py)."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from ethos.datagov.pii.schema import default_recognizers
from ethos.datagov.pii.superset import REPEAT_LIMIT, superset_expression

from .corpus import eval_texts, prose, variants

if os.environ.get("CI") == "true":
    import hyperscan  # under CI the tests fail rather than skip without it
else:
    hyperscan = pytest.importorskip("hyperscan")

_FLAGS = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SINGLEMATCH


def _database(expression: str) -> Any:
    database = hyperscan.Database()
    database.compile(expressions=[expression.encode("ascii")], flags=_FLAGS)
    return database


def _matches(database: Any, text: str) -> bool:
    found: list[int] = []
    database.scan(text.encode("utf-8"), match_event_handler=lambda *args: found.append(1))
    return bool(found)


def _expression(pattern: str) -> str:
    expression = superset_expression(re.compile(pattern))
    assert expression is not None, pattern
    return expression


@pytest.mark.parametrize(
    ("pattern", "texts"),
    [
        pytest.param(r"\d{3}", ["123", "x٣٤٥y", "１２３", "७८९"], id="unicode-digits"),
        pytest.param(r"(?i)kelvin", ["KELVIN", "\u212aelvin", "kelvin"], id="kelvin-sign"),
        pytest.param(r"(?i)sir", ["SIR", "\u017fir", "s\u0130r", "s\u0131r"], id="long-s-and-i"),
        pytest.param(r"(?i)[a-z]{2}", ["\u212a\u017f", "aB"], id="caseless-range"),
        pytest.param(r"a\sb", ["a b", "a\u3000b", "a\u00a0b", "a\x1cb", "a\u2029b"], id="space"),
        pytest.param(r"\w+@", ["가나@", "é@", "_@", "٣@"], id="word"),
        pytest.param(r"x.y", ["x가y", "xéy", "x\ty"], id="any"),
        pytest.param(r"[^a-z]z", ["가z", "Zz", "\u212az"], id="negated"),
        pytest.param(r"[가-힣]{2}님", ["홍길님"], id="hangul"),
        pytest.param(r"(?<![0-9])[0-9]{2}\b(?= )", ["12 ", "a12 "], id="assertions-dropped"),
        pytest.param(r"^a|b$", ["a", "xb"], id="anchors-dropped"),
        pytest.param(r"a{0,20000}b", ["b", "a" * 30000 + "b"], id="huge-bound"),
        pytest.param(r"a{300,}b", ["a" * 300 + "b"], id="huge-minimum"),
        pytest.param(r"(?:ab|c)+?d", ["abcd", "cd"], id="lazy-alternation"),
        pytest.param(r"(?>a+)b", ["aab"], id="atomic"),
        pytest.param(r"a++b", ["aab"], id="possessive"),
        pytest.param(r"(?i:x(?-i:Y))", ["XY", "xY"], id="scoped-flags"),
        pytest.param(r"\U0001F600+!", ["\U0001f600\U0001f600!"], id="astral"),
    ],
)
def test_the_expression_matches_where_python_does(pattern: str, texts: list[str]) -> None:
    regex = re.compile(pattern)
    database = _database(_expression(pattern))
    for text in texts:
        assert regex.search(text) is not None, text  # the case is meaningful
        assert _matches(database, text), text


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("ab", r"\x61\x62", id="ascii-literals"),
        pytest.param("가", r"\x{ac00}", id="non-ascii-literal"),
        pytest.param("[0-9]{2,3}", r"[\x30-\x39]{2,3}", id="class-repeat"),
        pytest.param("(?i)k", r"[\x4b\x6b\x{212a}]", id="caseless-k"),
        pytest.param("(?i)e", r"[\x45\x65]", id="caseless-e"),
        pytest.param("[AaSs](?<=[Aa])x", r"[\x41\x61]\x78", id="lookbehind-narrows"),
        pytest.param(
            "[AaSs](?:(?<=[Aa])pi|(?<=[Ss])ecret)",
            r"(?:[\x41\x61]\x70\x69|[\x53\x73]\x65\x63\x72\x65\x74)",
            id="distributed-over-branches",
        ),
        pytest.param("a(?<![0-9]a)b", r"\x61\x62", id="negative-lookbehind-dropped"),
        pytest.param("x{0,20000}y", r"\x78*\x79", id="bound-loosened"),
        pytest.param("a(?:b){0}c", r"\x61\x63", id="zero-repeat"),
    ],
)
def test_expressions_are_written_as_expected(pattern: str, expected: str) -> None:
    assert _expression(pattern) == expected


def test_a_narrowed_expression_still_rejects_what_python_rejects() -> None:
    database = _database(_expression("[AaSs](?:(?<=[Aa])pi|(?<=[Ss])ecret)"))
    assert _matches(database, "api") and _matches(database, "Secret")
    assert not _matches(database, "Spi") and not _matches(database, "aecret")


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param(r"(a)\1", id="back-reference"),
        pytest.param(r"(a)?(?(1)b|c)", id="conditional"),
    ],
)
def test_what_cannot_be_written_gets_no_expression(pattern: str) -> None:
    assert superset_expression(re.compile(pattern)) is None


def test_bytes_patterns_get_no_expression() -> None:
    assert superset_expression(re.compile(b"abc")) is None  # type: ignore[arg-type]


_EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\d", r"\D", r"\s", r"\S", r"\w", r"\W", r".", r"(?s:.)", r"[^x]", r"(?i)k",
        r"(?i)s", r"(?i)i", r"(?i)[a-z]", r"(?i)[^a-z]", r"(?i)[\d_]", r"[가-힣]",
        r"(?i)가", r"[\s가-힣]", r"(?a:\w)", r"(?a:[\s])", r"(?i)\u212a", r"(?i)ß",
    ],
)  # fmt: skip
def test_single_characters_over_every_code_point(pattern: str) -> None:
    # Every character Python matches, in one text; the anchored expression matches the
    # whole text only if it admits every one of them.
    chosen = "".join(re.findall(pattern, _EVERY_CHARACTER))
    assert chosen
    database = _database(f"^(?:{_expression(pattern)})+$")
    assert _matches(database, chosen)


def test_every_match_of_every_shipped_pattern_is_in_its_expression() -> None:
    documents = eval_texts()
    texts = documents + variants(documents, 600, seed=41) + prose(300, seed=42)
    checked = 0
    for recognizer in default_recognizers().recognizers:
        for pattern in recognizer.patterns:
            expression = superset_expression(pattern.regex)
            assert expression is not None, pattern.name  # every shipped pattern is screened
            database = _database(expression)
            for text in texts:
                for match in pattern.regex.finditer(text):
                    # The matched string alone (its language), and the text it is in.
                    assert _matches(database, match.group(0)), (pattern.name, match.group(0))
                    checked += 1
                if pattern.regex.search(text) is not None:
                    assert _matches(database, text), pattern.name
    assert checked > 5000


def test_repeat_limit_keeps_expressions_small() -> None:
    expression = _expression("[a-z]{1,500}x")
    assert "500" not in expression and REPEAT_LIMIT < 500
