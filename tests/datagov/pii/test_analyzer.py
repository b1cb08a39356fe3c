"""The detect() contract: ordering, overlaps, options, isolation and hygiene."""

from __future__ import annotations

import ast
import itertools
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ethos.datagov.pii as pii
from ethos.datagov.pii import PiiError, Span, detect, load_recognizers

PACKAGE = Path(pii.__file__).parent

OVERLAP_FILE = """\
version: 1
recognizers:
  - type: SHORT_HIGH
    description: scores higher
    patterns: [{name: p, regex: 'bcd', score: 0.9}]
  - type: LONG_LOW
    description: longer but lower
    patterns: [{name: p, regex: 'abcde', score: 0.7}]
  - type: LONG_EQUAL
    description: same score as the next, longer
    patterns: [{name: p, regex: 'xyz12', score: 0.6}]
  - type: SHORT_EQUAL
    description: same score, shorter
    patterns: [{name: p, regex: 'yz1', score: 0.6}]
"""


def test_overlaps_resolved_by_score_then_length(tmp_path: Path) -> None:
    path = tmp_path / "overlap.yaml"
    path.write_text(OVERLAP_FILE, encoding="utf-8")
    spans = detect("abcde xyz12", recognizers=load_recognizers(path))
    assert spans == [Span("SHORT_HIGH", 1, 4, 0.9), Span("LONG_EQUAL", 6, 11, 0.6)]


def test_spans_sorted_and_disjoint_in_mixed_document() -> None:
    text = (
        "담당자 이서연입니다. 연락처 010-2345-6789, 이메일 seoyeon.lee@example.com.\n"
        "주소: 서울특별시 강남구 테헤란로 123. Card 4111 1111 1111 1111, "
        "server 10.20.30.40, Mr. John Smith, api_key=Zx9Yw8Vu7Ts6"
    )
    spans = detect(text)
    found = [(s.type, text[s.start : s.end]) for s in spans]
    assert found == [
        ("KR_PERSON", "이서연"),
        ("KR_PHONE", "010-2345-6789"),
        ("EMAIL", "seoyeon.lee@example.com"),
        ("KR_ADDRESS", "서울특별시 강남구 테헤란로 123"),
        ("CREDIT_CARD", "4111 1111 1111 1111"),
        ("IP_ADDRESS", "10.20.30.40"),
        ("PERSON", "John Smith"),
        ("CREDENTIAL", "Zx9Yw8Vu7Ts6"),
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert all(0.5 <= s.score <= 1.0 for s in spans)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("주문번호 2023-1234-5678 배송 완료", id="order-number"),
        pytest.param("Order #20240115-000123 shipped on 2024-01-15", id="order-and-date"),
        pytest.param("회의는 2024.03.15 14:30에 시작합니다", id="date-time"),
        pytest.param("Upgrade to version 1.2.3.4 of the library", id="version-string"),
        pytest.param("ISBN 978-89-954321-0-5, 978-0-306-40615-7", id="isbns"),
        pytest.param("가격은 1,234,567원이고 수량은 12개", id="price"),
        pytest.param("see RFC 3339 and ISO 8601:2019", id="standards"),
        pytest.param("The model scored 0.946 mean AP over 8 generators", id="metrics"),
        pytest.param("우편번호 06236, 내선 1234", id="postcode-extension"),
    ],
)
def test_hard_negatives_report_nothing(text: str) -> None:
    assert detect(text) == []


def test_types_filter() -> None:
    text = "010-1234-5678 jane@example.com"
    assert [s.type for s in detect(text, types={"EMAIL"})] == ["EMAIL"]
    assert detect(text, types=[]) == []


def test_min_score_filters() -> None:
    text = "번호 751231-2345676"  # date-valid RRN without checksum or context: 0.55
    assert [s.type for s in detect(text)] == ["KR_RRN"]
    assert detect(text, min_score=0.6) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"types": {"NOPE"}}, "unknown PII type", id="unknown-type"),
        pytest.param({"types": "EMAIL"}, "collection", id="string-types"),
        pytest.param({"min_score": 1.5}, "min_score", id="min-score"),
    ],
)
def test_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(PiiError, match=message):
        detect("x", **kwargs)  # type: ignore[arg-type]


def test_non_string_text_is_rejected() -> None:
    with pytest.raises(PiiError, match="bytes"):
        detect(b"010-1234-5678")  # type: ignore[arg-type]


def test_empty_text() -> None:
    assert detect("") == []


def test_nothing_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        detect("주민등록번호 900101-1234568, password: hunter22x")
    assert caplog.records == []


def _imports(module: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize(
    "module", ["analyzer.py", "schema.py", "validators.py", "normalize.py", "span.py"]
)
def test_analyzer_side_does_not_import_the_anonymizer(module: str) -> None:
    assert not any("anonymizer" in name for name in _imports(PACKAGE / module))


def test_anonymizer_depends_only_on_span_and_errors() -> None:
    local = {name for name in _imports(PACKAGE / "anonymizer.py") if name in {"span", "errors"}}
    assert local == {"span", "errors"}
    assert not any(
        name in {"analyzer", "schema", "normalize", "validators"}
        for name in _imports(PACKAGE / "anonymizer.py")
    )


def test_nothing_compiles_at_import() -> None:
    code = (
        "import ethos.datagov.pii\n"
        "from ethos.datagov.pii.schema import default_recognizers\n"
        "print(default_recognizers.cache_info().currsize)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0"


def test_public_surface_is_small() -> None:
    assert set(pii.__all__) == {
        "AnonymizedText",
        "Operator",
        "PiiError",
        "RecognizerConfigError",
        "RecognizerSet",
        "Span",
        "anonymize",
        "detect",
        "load_recognizers",
        "prepare",
    }


def test_every_type_is_documented_and_tested() -> None:
    docs = (PACKAGE.parents[3] / "docs" / "pii-types.md").read_text(encoding="utf-8")
    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    for type_name in pii.schema.default_recognizers().types:
        assert f"| `{type_name}` |" in docs, type_name
        assert f"def test_{type_name.lower()}_positive(" in tests, type_name
        assert f"def test_{type_name.lower()}_negative(" in tests, type_name


SELF_CONTEXT_FILE = """\
version: 1
recognizers:
  - type: TICKET
    description: a number reported only near a context word, or right after its own label
    patterns:
      - {name: bare, regex: '(?P<value>[0-9]{6})', score: 0.3}
      - {name: labelled, regex: 'TK(?P<value>[0-9]{6})', score: 0.7, self_context: true}
    context: [ticket]
    context_boost: 0.4
    context_required: true
    negative_context: [void]
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ticket 123456", [(7, 13)], id="context-word"),
        pytest.param("TK123456", [(2, 8)], id="self-context-pattern"),
        pytest.param("number 123456", [], id="no-context"),
        pytest.param("void ticket 123456", [], id="negative-word-same-line"),
        pytest.param("void\nticket 123456", [(12, 18)], id="negative-word-other-line"),
    ],
)
def test_self_context_and_line_scoped_negative_context(
    tmp_path: Path, text: str, expected: list[tuple[int, int]]
) -> None:
    path = tmp_path / "self_context.yaml"
    path.write_text(SELF_CONTEXT_FILE, encoding="utf-8")
    spans = detect(text, recognizers=load_recognizers(path))
    assert [(s.start, s.end) for s in spans] == expected


@pytest.mark.parametrize(
    "options",
    [{}, {"types": ["EMAIL", "KR_RRN", "KR_PHONE"]}, {"min_score": 0.9}, {"min_score": 0.0}],
)
def test_a_detector_returns_what_detect_returns(options: dict[str, Any]) -> None:
    from ethos.datagov.pii.analyzer import detector

    from .corpus import eval_texts

    find = detector(**options)
    texts = eval_texts()[:600]
    found = [find(text) for text in texts]
    assert found == [detect(text, **options) for text in texts]
    assert sum(map(len, found)) > 300


def test_a_detector_checks_its_options_at_once_and_its_texts_later() -> None:
    from ethos.datagov.pii.analyzer import detector

    with pytest.raises(PiiError, match="unknown PII type"):
        detector(types=["NOPE"])
    with pytest.raises(PiiError, match="min_score"):
        detector(min_score=1.5)
    with pytest.raises(PiiError, match="bytes"):
        detector()(b"kim@example.com")  # type: ignore[arg-type]


def test_a_detector_reads_its_types_once() -> None:
    from ethos.datagov.pii.analyzer import detector

    text = "mail kim@example.com now"
    assert detector(types=iter(["EMAIL"]))(text) == detect(text, types=["EMAIL"]) != []
