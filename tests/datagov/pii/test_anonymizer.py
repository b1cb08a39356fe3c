"""Operators: placeholder, mask, pseudonym and drop."""

from __future__ import annotations

import re

import pytest

from ethos.datagov.pii import AnonymizedText, PiiError, Span, anonymize, detect

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
TEXT = "연락처 010-1234-5678로, 메일 jane@example.com"


def test_placeholder_uses_type_name() -> None:
    result = anonymize(TEXT, detect(TEXT), operator="placeholder")
    assert result == AnonymizedText(
        text="연락처 <KR_PHONE>로, 메일 <EMAIL>", dropped=False, replaced=2
    )


def test_placeholder_is_the_default() -> None:
    assert anonymize(TEXT, detect(TEXT)).text == "연락처 <KR_PHONE>로, 메일 <EMAIL>"


def test_mask_keeps_length_and_separators() -> None:
    result = anonymize(TEXT, detect(TEXT), operator="mask")
    assert result.text == "연락처 ***-****-****로, 메일 ****@*******.***"
    assert len(result.text) == len(TEXT)


def test_pseudonym_is_consistent_across_documents_and_formats() -> None:
    first = anonymize(
        "전화 010-1234-5678", detect("전화 010-1234-5678"), operator="pseudonym", key=KEY
    )
    second = anonymize(
        "call 01012345678 now", detect("call 01012345678 now"), operator="pseudonym", key=KEY
    )
    token = first.text.removeprefix("전화 ")
    assert re.fullmatch(r"<KR_PHONE_[0-9a-f]{8}>", token)
    assert second.text == f"call {token} now"


def test_pseudonym_depends_on_key_and_value() -> None:
    text = "a jane@example.com b john@example.com"
    spans = detect(text)
    with_key = anonymize(text, spans, operator="pseudonym", key=KEY).text
    with_other = anonymize(text, spans, operator="pseudonym", key=OTHER_KEY).text
    assert with_key != with_other
    first, second = with_key.split()[1], with_key.split()[3]
    assert first != second


def test_pseudonym_output_holds_neither_value_nor_key() -> None:
    text = "mail jane@example.com"
    result = anonymize(text, detect(text), operator="pseudonym", key=KEY)
    assert "jane" not in result.text
    assert KEY.decode() not in result.text


@pytest.mark.parametrize("key", [None, b"short"])
def test_pseudonym_requires_a_long_enough_key(key: bytes | None) -> None:
    with pytest.raises(PiiError, match="key"):
        anonymize(TEXT, detect(TEXT), operator="pseudonym", key=key)


def test_drop_flags_document_with_any_span() -> None:
    result = anonymize(TEXT, detect(TEXT), operator="drop")
    assert result == AnonymizedText(text="", dropped=True, replaced=2)


def test_drop_keeps_clean_document() -> None:
    assert anonymize("nothing here", [], operator="drop") == AnonymizedText(
        text="nothing here", dropped=False, replaced=0
    )


def test_spans_in_any_order_are_applied_by_position() -> None:
    spans = list(reversed(detect(TEXT)))
    assert anonymize(TEXT, spans).text == "연락처 <KR_PHONE>로, 메일 <EMAIL>"


def test_original_offsets_with_full_width_text() -> None:
    text = "번호 ０１０－１２３４－５６７８로"
    assert anonymize(text, detect(text)).text == "번호 <KR_PHONE>로"


def test_unknown_operator_is_rejected() -> None:
    with pytest.raises(PiiError, match="unknown operator"):
        anonymize(TEXT, [], operator="shred")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "spans",
    [
        pytest.param([Span("EMAIL", 5, 500, 0.9)], id="past-end"),
        pytest.param([Span("EMAIL", 3, 3, 0.9)], id="empty"),
        pytest.param([Span("EMAIL", 0, 5, 0.9), Span("KR_PHONE", 4, 8, 0.9)], id="overlap"),
    ],
)
def test_bad_spans_are_rejected_without_values(spans: list[Span]) -> None:
    with pytest.raises(PiiError) as caught:
        anonymize(TEXT, spans)
    assert "010" not in str(caught.value)
    assert "연락처" not in str(caught.value)
