"""Normalisation and the offset map back to the original text."""

from __future__ import annotations

import pytest

from ethos.datagov.pii import detect
from ethos.datagov.pii.normalize import normalize


def test_ascii_text_needs_no_map() -> None:
    normalized = normalize("plain ascii 010-1234-5678")
    assert normalized.starts is None
    assert normalized.original_span(3, 7) == (3, 7)


def test_korean_text_in_nfc_needs_no_map() -> None:
    assert normalize("안녕하세요 010-1234-5678로").starts is None


def test_full_width_digits_and_dashes_become_ascii() -> None:
    normalized = normalize("０１０－１２３４‐５６７８")
    assert normalized.text == "010-1234-5678"
    assert normalized.starts is None


def test_zero_width_characters_are_removed_and_mapped() -> None:
    text = "a\u200bb\ufeffc"
    normalized = normalize(text)
    assert normalized.text == "abc"
    assert normalized.original_span(1, 3) == (2, 5)


def test_one_character_expanding_maps_to_its_source() -> None:
    text = "x㈜y"  # NFKC: ㈜ -> (주)
    normalized = normalize(text)
    assert normalized.text == "x(주)y"
    assert normalized.original_span(1, 4) == (1, 2)
    assert normalized.original_span(4, 5) == (2, 3)


def test_decomposed_hangul_is_composed() -> None:
    text = "\u1100\u1161\u11a8 1"  # 각 as conjoining jamo
    normalized = normalize(text)
    assert normalized.text == "각 1"
    assert normalized.original_span(0, 1) == (0, 3)


@pytest.mark.parametrize(
    ("text", "type_name", "expected"),
    [
        pytest.param(
            "번호 ０１０－１２３４－５６７８로", "KR_PHONE", (3, 16), id="full-width-phone"
        ),
        pytest.param("010\u200b-1234-5678", "KR_PHONE", (0, 14), id="zero-width-inside"),
        pytest.param("\u200b010-1234-5678\u200b로", "KR_PHONE", (1, 14), id="zero-width-around"),
        pytest.param(
            "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ으로", "EMAIL", (0, 16), id="full-width-email"
        ),
        pytest.param(
            "card ４１１１ １１１１ １１１１ １１１１", "CREDIT_CARD", (5, 24), id="fw-card"
        ),
        pytest.param("㈜에테 010-1234-5678", "KR_PHONE", (4, 17), id="expanded-char-before"),
        pytest.param("a\u00adb 010\u20131234\u20135678", "KR_PHONE", (4, 17), id="en-dashes"),
    ],
)
def test_detect_reports_original_offsets(
    text: str, type_name: str, expected: tuple[int, int]
) -> None:
    spans = [s for s in detect(text) if s.type == type_name]
    assert [(s.start, s.end) for s in spans] == [expected]
