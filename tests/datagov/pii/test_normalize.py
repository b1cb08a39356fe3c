"""Normalisation and the offset map back to the original text."""

from __future__ import annotations

import random
import unicodedata

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


def _reference(text: str) -> tuple[str, list[int], list[int]]:
    """Normalise the plain way: every character with the marks that join it is a cluster,
    normalised on its own; each output character maps to its whole cluster. A text that
    is already normalised keeps its offsets."""
    from ethos.datagov.pii.normalize import _DASHES, _REMOVED

    one_to_one = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
    one_to_one.update({"\u3000": " ", "\u00a0": " "} | dict.fromkeys(_DASHES, "-"))
    text = "".join(one_to_one.get(ch, ch) for ch in text)
    if unicodedata.is_normalized("NFKC", text) and not set(text) & set(_REMOVED + _DASHES):
        # Nothing to change: offsets do not move (the documented shortcut).
        return text, list(range(len(text))), list(range(1, len(text) + 1))
    out, starts, ends = [], [], []
    position = 0
    while position < len(text):
        end = position + 1
        while end < len(text) and (
            unicodedata.combining(text[end]) or "\u1160" <= text[end] <= "\u11ff"
        ):
            end += 1
        cluster = unicodedata.normalize("NFKC", text[position:end])
        cluster = "".join(ch for ch in cluster if ch not in _REMOVED)
        cluster = "".join("-" if ch in _DASHES else ch for ch in cluster)
        out.append(cluster)
        starts += [position] * len(cluster)
        ends += [end] * len(cluster)
        position = end
    return "".join(out), starts, ends


_POOL = [
    *"abcXYZ019 -.:@\n\t", *"가나다한", "ㅋ", "ㅏ", "\u1100", "\u1161", "\u11a8", "\u0301",
    "\u0308", "e\u0301", "\uff10", "\uff21", "\uff0d", "\u2013", "\u2212", "\u3000", "\u00a0",
    "\u200b", "\ufeff", "\u00ad", "\u202e", "㈜", "ﬁ", "①", "½", "ß", "İ", "😀", "о", "…",
    "™", "\u212b", "ｱ", "ﾞ", "\u3099", "カ",
]  # fmt: skip


def test_offsets_match_the_plain_per_cluster_normalisation() -> None:
    rng = random.Random(20261122)
    for _ in range(5000):
        text = "".join(rng.choice(_POOL) for _ in range(rng.randint(0, 14)))
        normalized = normalize(text)
        plain, starts, ends = _reference(text)
        assert normalized.text == plain, text
        assert list(normalized.starts or range(len(plain))) == starts, text
        assert list(normalized.ends or range(1, len(plain) + 1)) == ends, text
        for start in range(len(plain)):
            end = rng.randint(start + 1, len(plain))
            assert normalized.original_span(start, end) == (starts[start], ends[end - 1])
