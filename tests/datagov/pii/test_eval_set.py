"""The committed PII evaluation set: gold spans are well formed and the targets hold.

The set is ``benchmarks/data/pii_eval.jsonl``, built by ``benchmarks/make_pii_eval.py``
(all values FAKE). The shape checks here are written independently of the validators
in ``ethos.datagov.pii.validators``. Failing messages name document ids and types only,
never the values.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ethos.datagov.pii import detect

EVAL_SET = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "pii_eval.jsonl"
STRUCTURED = (
    "KR_RRN", "KR_FRN", "KR_PHONE", "KR_BRN", "KR_CRN", "KR_PASSPORT", "KR_DRIVER_LICENSE",
    "KR_BANK_ACCOUNT", "EMAIL", "CREDIT_CARD", "IBAN", "US_SSN", "PHONE", "IP_ADDRESS",
    "CREDENTIAL",
)  # fmt: skip
MIN_RECALL = 0.98
MIN_PRECISION = 0.95


def _plain(value: str) -> str:
    """NFKC, no zero-width space: what a reader sees."""
    return unicodedata.normalize("NFKC", value).replace("\u200b", "")


def _digits(value: str) -> str:
    return re.sub(r"[^0-9]", "", value)


def _luhn(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def _mod97(iban: str) -> bool:
    compact = iban.replace(" ", "")
    return int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 == 1


def _birth_date(digits: str, centuries: dict[str, int]) -> bool:
    try:
        born = datetime.date(
            centuries[digits[6]] + int(digits[:2]), int(digits[2:4]), int(digits[4:6])
        )
    except (KeyError, ValueError):
        return False
    return born <= datetime.date.today()


def _brn(digits: str) -> bool:
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False))
    total += int(digits[8]) * 5 // 10
    return len(digits) == 10 and (10 - total % 10) % 10 == int(digits[9])


def _crn(digits: str) -> bool:
    total = sum(int(d) * (1 + i % 2) for i, d in enumerate(digits[:12]))
    return len(digits) == 13 and (10 - total % 10) % 10 == int(digits[12])


SHAPES: dict[str, Any] = {
    "KR_RRN": lambda v: (
        re.fullmatch(r"[0-9]{6} ?- ?[1-4][0-9]{6}|[0-9]{6}[1-4][0-9]{6}", v)
        and _birth_date(_digits(v), {"1": 1900, "2": 1900, "3": 2000, "4": 2000})
    ),
    "KR_FRN": lambda v: (
        re.fullmatch(r"[0-9]{6}-?[5-8][0-9]{6}", v)
        and _birth_date(_digits(v), {"5": 1900, "6": 1900, "7": 2000, "8": 2000})
    ),
    "KR_PHONE": lambda v: (
        re.fullmatch(r"(\+82|0|\(0)[0-9 ().-]{7,18}", v) and 9 <= len(_digits(v)) <= 13
    ),
    "KR_BRN": lambda v: re.fullmatch(r"[0-9]{3}-?[0-9]{2}-?[0-9]{5}", v) and _brn(_digits(v)),
    "KR_CRN": lambda v: re.fullmatch(r"[0-9]{6}-?[0-9]{7}", v) and _crn(_digits(v)),
    "KR_PASSPORT": lambda v: re.fullmatch(r"[MSRODG]([0-9]{8}|[0-9]{3}[A-Z][0-9]{4})", v),
    "KR_DRIVER_LICENSE": lambda v: re.fullmatch(
        r"[0-9]{2}-[0-9]{2}-[0-9]{6}-[0-9]{2}|[0-9]{12}|[가-힣]{2,4} [0-9]{2}-[0-9]{6}-[0-9]{2}", v
    ),
    "KR_BANK_ACCOUNT": lambda v: (
        re.fullmatch(r"[0-9]+(-[0-9]+){0,3}", v) and 10 <= len(_digits(v)) <= 14
    ),
    "EMAIL": lambda v: re.fullmatch(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", v),
    "CREDIT_CARD": lambda v: (
        re.fullmatch(r"[0-9][0-9 -]{12,22}[0-9]", v)
        and 14 <= len(_digits(v)) <= 19
        and _luhn(_digits(v))
    ),
    "IBAN": lambda v: re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9 ]{10,36}", v) and _mod97(v),
    "US_SSN": lambda v: (
        re.fullmatch(r"[0-8][0-9]{2}([- ]?)[0-9]{2}\1[0-9]{4}", v)
        and not v.startswith(("000", "666"))
    ),
    "PHONE": lambda v: (
        re.fullmatch(r"[+(]?[0-9][0-9 ().-]{8,18}[0-9]", v) and 10 <= len(_digits(v)) <= 15
    ),
    "IP_ADDRESS": lambda v: re.fullmatch(
        r"([0-9]{1,3}\.){3}[0-9]{1,3}|[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}", v
    ),
    "CREDENTIAL": lambda v: (
        re.fullmatch(r"-----BEGIN [A-Z ]+-----\n[\s\S]+-----END [A-Z ]+-----", v)
        or re.fullmatch(r"[!-~]{6,}", v)
    ),
    "KR_ADDRESS": lambda v: (
        re.search(r"[가-힣]+(시|군|구) ", v) and re.search(r"[0-9]$|호$|번지$", v)
    ),
    "KR_PERSON": lambda v: re.fullmatch(r"[가-힣]{2,4}", v),
    "PERSON": lambda v: re.fullmatch(r"[A-Z][A-Za-z'.-]+( [A-Z][A-Za-z'.-]*)*", v),
}


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    with EVAL_SET.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_set_is_large_varied_and_labelled(documents: list[dict[str, Any]]) -> None:
    assert 1500 <= len(documents) <= 3000
    assert len({d["id"] for d in documents}) == len(documents)
    assert {d["lang"] for d in documents} == {"ko", "en", "mixed"}
    assert sum(1 for d in documents if not d["spans"]) >= 200  # documents with no PII
    counts = Counter(s["type"] for d in documents for s in d["spans"])
    assert set(counts) == set(SHAPES)
    assert min(counts.values()) >= 50
    assert EVAL_SET.stat().st_size < 2_000_000


def test_gold_spans_point_at_values_of_their_shape(documents: list[dict[str, Any]]) -> None:
    bad = []
    for document in documents:
        text = document["text"]
        previous_end = 0
        for span in document["spans"]:
            start, end, type_name = span["start"], span["end"], span["type"]
            value = _plain(text[start:end])
            ordered = previous_end <= start < end <= len(text)
            trimmed = value == value.strip()
            if not (ordered and trimmed and SHAPES[type_name](value)):
                bad.append(f"{document['id']}:{type_name}")
            previous_end = end
    assert bad == []


def test_structured_types_meet_targets(documents: list[dict[str, Any]]) -> None:
    gold: Counter[str] = Counter()
    found: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for document in documents:
        expected = {(s["type"], s["start"], s["end"]) for s in document["spans"]}
        predicted = {(s.type, s.start, s.end) for s in detect(document["text"])}
        gold.update(key[0] for key in expected)
        found.update(key[0] for key in predicted)
        correct.update(key[0] for key in expected & predicted)
    short = {}
    for type_name in STRUCTURED:
        recall = correct[type_name] / gold[type_name]
        precision = correct[type_name] / found[type_name] if found[type_name] else 0.0
        if recall < MIN_RECALL or precision < MIN_PRECISION:
            short[type_name] = (round(precision, 3), round(recall, 3))
    assert short == {}, "precision, recall below target"
