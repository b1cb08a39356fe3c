"""What the analysis reads from a regular expression: scopes and gates, worked out by hand."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from ethos.datagov.pii.schema import Requirement
from ethos.datagov.pii.scope import DIGITS, Gate, char_class, gate_of, scope_of
from ethos.datagov.pii.scoring import FEATURES, Document


def _chars(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(chr(c) for low, high in ranges for c in range(low, high + 1))


@pytest.mark.parametrize(
    ("regex", "alphabet", "anchor", "widths", "digit_run", "reach", "required"),
    [
        # 6 digits, an optional space, "-", an optional space, 7 digits; the lookahead
        # reads 2 characters, plus one for the end-of-text test.
        pytest.param(
            r"[0-9]{6}[ ]?-[ ]?[0-9]{7}(?![-.][0-9])",
            " -0123456789", "0123456789", (14, 16), 7, 3, "-", id="separated-number",
        ),
        pytest.param(
            r"(?<![0-9])[0-9]{3}(?:[0-9]{2})?(?![0-9])",
            "0123456789", "0123456789", (3, 5), 3, 2, "", id="digits-with-lookarounds",
        ),
        # Digits in a row, counted conservatively: a branch counts as its weakest
        # alternative's own run (2, the "-" breaks the other), not joined to the next.
        pytest.param(
            r"(?:[0-9]{4}|[0-9]{2}-[0-9]{2})[0-9]{2}",
            "-0123456789", "0123456789", (6, 7), 2, 1, "", id="branch",
        ),
        pytest.param(
            r"[a-z]{1,4}@[a-z]+\.(?:com|kr)",
            ".@abcdefghijklmnopqrstuvwxyz", "@", (6, None), 0, 1, ".", id="unbounded-at",
        ),
        pytest.param(
            r"(?P<value>[A-Z]{2}[0-9]{2})(?=[ ]?[A-Z])",
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", (4, 4), 2, 3, "",
            id="value-group-and-lookahead",
        ),
    ],
)  # fmt: skip
def test_scope_of_shapes(
    regex: str,
    alphabet: str,
    anchor: str,
    widths: tuple[int, int | None],
    digit_run: int,
    reach: int,
    required: str,
) -> None:
    scope = scope_of(re.compile(regex))
    assert scope is not None
    assert _chars(scope.alphabet) == alphabet
    assert _chars(scope.anchor) == anchor
    assert (scope.min_width, scope.max_width) == widths
    assert scope.digit_run == digit_run
    assert scope.reach == reach
    assert scope.required == required


@pytest.mark.parametrize(
    "regex",
    [
        pytest.param(r"(?i:id)[0-9]{5}", id="case-insensitive"),
        pytest.param(r"id.[0-9]{5}", id="any-character"),
        pytest.param(r"[^a-z][0-9]{5}", id="negated-class"),
        pytest.param(r"\d{5}", id="unicode-digits"),
        pytest.param(r"\w+@\w+", id="word-characters"),
        pytest.param(r"(?P<d>[0-9])(?P=d)", id="back-reference"),
        pytest.param(r"[0-9]{3}(?=.*x)", id="unbounded-lookahead"),
        pytest.param(r"010-[0-9]{4}-[0-9]{4}", id="literal-first"),
        pytest.param(r"[0-9]*", id="may-be-empty"),
    ],
)
def test_scope_of_gives_up_on(regex: str) -> None:
    assert scope_of(re.compile(regex)) is None


@pytest.mark.parametrize(
    ("regex", "words", "exact"),
    [
        pytest.param(
            r"[Bb](?<![A-Za-z][Bb])(?i:earer)[ ]+[A-Za-z]{16,}", ("bearer",), False,
            id="caseless",
        ),
        pytest.param(r"(?:서울|부산)[ ]?[0-9]{2}", ("부산", "서울"), True, id="korean-words"),
        pytest.param(r"A(?:KIA|SIA)[A-Z0-9]{16}", ("KIA", "SIA"), True, id="branch-beats-run"),
        pytest.param(r"[0-9]{3}(?:-[0-9]{4}){2}", ("-",), True, id="repeated-group"),
        pytest.param(r"(?:ab|c)?[0-9]", None, True, id="optional-only"),
        pytest.param(r"0[0-9]{9}", None, True, id="literal-first-one-character"),
        pytest.param(r"010[0-9]{8}", ("010",), True, id="literal-first-longer"),
    ],
)  # fmt: skip
def test_gate_of_words(regex: str, words: tuple[str, ...] | None, exact: bool) -> None:
    gate = gate_of(re.compile(regex))
    assert gate == (None if words is None else Gate(words, exact))


def test_caseless_non_ascii_letters_never_gate_ascii_texts_out() -> None:
    # (?i:ſ) matches "s" and the Kelvin sign matches "k": a gate built from these letters
    # must still let ASCII texts through.
    for regex, text in [("(?i:ſecret)", "secret"), ("(?i:\u212aey)", "key")]:
        pattern = re.compile(regex)
        assert pattern.search(text) is not None
        gate = gate_of(pattern)
        assert gate is None or gate.passes(text, text.lower())


def test_gate_checks_exact_words_in_any_text_and_caseless_ones_in_ascii_only() -> None:
    exact = Gate(("서울",), exact=True)
    assert exact.passes("주소 서울", None) and not exact.passes("주소 부산", None)
    caseless = Gate(("bearer",), exact=False)
    assert caseless.passes("BEARER x", "bearer x") and not caseless.passes("token x", "token x")
    assert caseless.passes("Bearer é", None)  # not ASCII: not gated
    many = Gate(tuple(f"w{i}" for i in range(30)), exact=True)
    assert many.pattern is not None  # many words: one expression
    assert many.passes("has w17 here", None) and not many.passes("has x99", None)


def test_char_class_round_trips() -> None:
    ranges = ((0x20, 0x20), (0x2D, 0x2E), (0x30, 0x39), (0xAC00, 0xD7A3), (0x1F600, 0x1F600))
    pattern = re.compile(char_class(ranges) + "+")
    text = " -.0129가힣\U0001f600"
    assert pattern.fullmatch(text) is not None
    assert pattern.search("/:a") is None
    assert char_class(DIGITS) == "[\\u0030-\\u0039]"


def test_features_follow_the_schema_requirements() -> None:
    assert set(FEATURES) == set(get_args(Requirement))
    samples = {"digit": "a1", "hangul": "가", "upper": "A", "at": "@", "colon": ":"}
    for bit, name in enumerate(FEATURES):
        assert Document(samples[name]).features() == 1 << bit
    assert Document("plain text").features() == 0
