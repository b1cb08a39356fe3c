"""The PII package's errors carry Korean with the same facts as the English.

They are Ethos errors (``text("ko")``) and stay ``ValueError`` s. Every value is FAKE.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ethos.datagov.pii import (
    PiiError,
    RecognizerConfigError,
    Span,
    anonymize,
    detect,
    load_recognizers,
)
from ethos.domain.errors import ContentError, EthosError, InvalidInputError
from tests.datagov.pii.test_schema import GOOD_RECOGNIZER, write

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _korean(error: EthosError) -> str:
    korean, english = error.text("ko"), error.text("en")
    assert korean != english
    assert HANGUL.search(korean), korean
    # The same numbers (positions, lengths, line numbers) in both languages.
    assert set(re.findall(r"\d+", english)) <= set(re.findall(r"\d+", korean)), korean
    return korean


def test_the_classes_are_ethos_errors_and_value_errors() -> None:
    assert issubclass(PiiError, InvalidInputError) and issubclass(PiiError, ValueError)
    assert issubclass(RecognizerConfigError, ContentError)
    assert issubclass(RecognizerConfigError, PiiError)


@pytest.mark.parametrize(
    ("call", "fact"),
    [
        (lambda: detect(b"bytes"), "bytes"),  # type: ignore[arg-type]
        (lambda: detect("x", min_score=2.0), "min_score"),
        (lambda: detect("x", types="EMAIL"), "types"),
        (lambda: detect("x", types=["NOT_A_TYPE"]), "NOT_A_TYPE"),
        (lambda: anonymize("abc", [Span("EMAIL", 2, 9, 0.9)]), "[2, 9)"),
        (
            lambda: anonymize("abcdef", [Span("EMAIL", 0, 3, 0.9), Span("EMAIL", 2, 5, 0.9)]),
            "[2, 5)",
        ),
        (lambda: anonymize("abc", [], operator="shred"), "'shred'"),
        (lambda: anonymize("abc", [], operator="pseudonym", key=b"short"), "16"),
    ],
)
def test_input_errors_in_korean(call: object, fact: str) -> None:
    with pytest.raises(PiiError) as caught:
        call()  # type: ignore[operator]
    assert fact in caught.value.text("en")
    assert fact in _korean(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "facts"),
    [
        ("TCK-{{DIGITS}}", "TCK-(", ["TICKET (#0)", "'patterns.0.regex'"]),
        ("{{DIGITS}}", "{{MISSING}}", ["TICKET (#0)", "MISSING"]),
        ("score: 0.6", "score: 1.6", ["TICKET (#0)", "'patterns.0.score'", "1"]),
        ("    context: [ticket]", "    validator: nope", ["'validator'", "kr_rrn"]),
        ("    description: Internal ticket id\n", "", ["'description'"]),
        ("    context: [ticket]", "    context: [ticket", ["YAML"]),
    ],
)
def test_recognizer_file_errors_in_korean(
    tmp_path: Path, old: str, new: str, facts: list[str]
) -> None:
    assert old in GOOD_RECOGNIZER
    with pytest.raises(RecognizerConfigError) as caught:
        load_recognizers(write(tmp_path, GOOD_RECOGNIZER.replace(old, new)))
    facts = ["custom.yaml", *facts]
    korean = _korean(caught.value)
    for fact in facts:
        assert fact in caught.value.text("en"), caught.value.text("en")
        assert fact in korean, korean


def test_a_duplicate_type_in_korean(tmp_path: Path) -> None:
    with pytest.raises(RecognizerConfigError) as caught:
        load_recognizers(write(tmp_path, GOOD_RECOGNIZER * 2))
    assert "TICKET (#1)" in _korean(caught.value)
    assert "중복" in caught.value.text("ko")


def test_an_unreadable_file_in_korean(tmp_path: Path) -> None:
    with pytest.raises(RecognizerConfigError) as caught:
        load_recognizers(tmp_path / "absent.yaml")
    assert "absent.yaml" in _korean(caught.value)


def test_a_broken_recognizers_file_is_the_servers_fault_on_the_web() -> None:
    from ethos.web.errors import status_of

    error = RecognizerConfigError("custom.yaml: invalid YAML", ko="custom.yaml: YAML 오류")
    assert status_of(error)[0] == 500
    assert status_of(PiiError("min_score must be between 0 and 1", ko="..."))[0] == 400
