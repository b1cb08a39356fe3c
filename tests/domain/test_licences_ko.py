"""What is wrong in an SPDX licence expression, and where, in Korean as well as English."""

from __future__ import annotations

import re

import pytest

from ethos.domain.datasets import parse_dataset
from ethos.domain.errors import InvalidInputError
from ethos.domain.licences import LicenceExpressionError, parse_licence_expression
from tests.domain.test_datasets import dataset_data

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _position(text: str, token: str) -> int:
    """Where ``token`` starts in ``text``, counting characters from 1 (found independently)."""
    return text.index(token) + 1


# (expression, the offending token or None at the end, English as it was, Korean must hold)
CASES: list[tuple[str, str | None, str, list[str]]] = [
    (
        "MIT Apache-2.0",
        "Apache-2.0",
        "at character 5: expected AND, OR or the end of the expression, found 'Apache-2.0'",
        ["AND, OR 또는 표현식 끝", "'Apache-2.0'"],
    ),
    (
        "MIT AND",
        None,
        "at the end: expected a licence id or LicenseRef-..., the expression ended",
        ["표현식 끝:", "라이선스 id", "표현식이 끝났습니다"],
    ),
    (
        "(MIT OR Apache-2.0",
        None,
        "at the end: expected ')' to close the parenthesis, the expression ended",
        ["괄호를 닫는 ')'"],
    ),
    (
        "GPL-2.0 and MIT",
        "and",
        "at character 9: expected AND, OR or the end of the expression, found 'and' "
        "(operators are written in capitals: AND)",
        ["'and'", "대문자", "AND"],
    ),
    (
        "MIT OR and",
        "and",
        "at character 8: operators are written in capitals (AND)",
        ["대문자", "AND"],
    ),
    (
        "MIT WITH",
        None,
        "at the end: expected an exception id after WITH, the expression ended",
        ["WITH 뒤의 예외 id"],
    ),
    (
        "(MIT) WITH Classpath-exception-2.0",
        "WITH",
        "at character 7: expected AND, OR or ')': WITH follows a single licence, not a group, "
        "found 'WITH' (operators are written in capitals: WITH)",
        ["'WITH'", "라이선스 하나 뒤에"],
    ),
    (
        "Apache-2.0 OR MIT/2",
        "MIT/2",
        "at character 15: expected a licence id (letters, digits, '.', '-') or LicenseRef-..., "
        "found 'MIT/2'",
        ["'MIT/2'", "라이선스 id"],
    ),
    ("", None, "the expression is empty", ["비어 있습니다"]),
    ("NONE OR MIT", None, "NONE and NOASSERTION stand alone, never combined", ["홀로"]),
    ("M" * 1001, None, "longer than 1000 characters", ["1000자"]),
]


@pytest.mark.parametrize(("text", "token", "english", "korean_parts"), CASES)
def test_a_bad_expression_is_told_in_korean_naming_the_position(
    text: str, token: str | None, english: str, korean_parts: list[str]
) -> None:
    with pytest.raises(LicenceExpressionError) as caught:
        parse_licence_expression(text)
    error = caught.value
    assert str(error) == error.message == english  # the English is as it was
    korean = error.text("ko")
    assert _HANGUL.search(korean) and korean != english
    assert "expected" not in korean and "found" not in korean and "at character" not in korean
    for part in korean_parts:
        assert part in korean
    if token is not None:
        assert korean.startswith(f"{_position(text, token)}번째 문자 위치: ")
        assert f"at character {_position(text, token)}:" in english


def test_the_error_is_an_input_error_and_still_a_value_error() -> None:
    with pytest.raises(LicenceExpressionError) as caught:
        parse_licence_expression("MIT Apache-2.0")
    assert isinstance(caught.value, InvalidInputError)  # exit 2 in the CLI, 400 on the web
    assert isinstance(caught.value, ValueError)


def test_a_dataset_record_carries_the_korean_detail() -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_dataset(dataset_data(legal={"licence": "MIT Apache-2.0"}), source="--file d.yaml")
    english, korean = caught.value.message, caught.value.text("ko")
    assert (
        "field legal.licence: not an SPDX licence expression: at character 5: expected AND, OR "
        "or the end of the expression, found 'Apache-2.0'"
    ) in english
    assert (
        "필드 legal.licence: SPDX 라이선스 표현식이 아닙니다: 5번째 문자 위치: "
        "AND, OR 또는 표현식 끝이(가) 와야 하는데 'Apache-2.0'이(가) 있습니다"
    ) in korean
    assert "at character" not in korean and "expected" not in korean
