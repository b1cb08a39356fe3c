"""The Hyperscan pre-scan changes nothing but speed: detect() with it returns the spans
of detect() without it and of the plain reference detector. All texts are FAKE (see
corpus.py)."""

from __future__ import annotations

import importlib.util
import os
import random
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ethos.datagov.pii import Span, analyzer, detect, load_recognizers
from ethos.datagov.pii.analyzer import _detect, _plan
from ethos.datagov.pii.normalize import KEPT_BY_NFKC_CHANGED_HERE, normalize, unchanged
from ethos.datagov.pii.prescan import build_prescan, build_word_scan, prescan_available
from ethos.datagov.pii.schema import RecognizerSet, default_recognizers
from ethos.datagov.pii.scoring import Document

from .corpus import eval_texts, prose, variants
from .reference import reference_detect
from .test_prefilter import STRUCTURED, TRICKY_FILE

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"

if os.environ.get("CI") == "true":
    import hyperscan  # noqa: F401 - under CI the pre-scan must be tested, never skipped
elif not prescan_available():
    pytest.skip("no pre-scan: hyperscan missing or ETHOS_PII_PRESCAN=0", allow_module_level=True)

_ODD = [
    "\u200b", "\u00ad", "\u2013", "\uff0d", "\u3000", "\u00a0", "\uff11", "\u212a", "\u017f",
    "\u0130", "ß", "ﬀ", "가", "님", "\u1100\u1161", "e\u0301", "٣", "\U0001f600", "\ufeff",
    "\ud800", "\udfff",
]  # fmt: skip


def _random_texts(count: int, seed: int) -> list[str]:
    """Texts of random digits, separators, letters and odd characters (zero-width,
    full-width, case-folding oddities, jamo, combining marks, lone surrogates)."""
    rng = random.Random(seed)
    pieces = [*"0123456789-. @:+()/_", "010", "82", "bearer ", "token=", "Mr ", "Kim", *_ODD]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(count)]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    documents = eval_texts()
    return (
        documents
        + variants(documents, 800, seed=31)
        + prose(300, seed=32)
        + _random_texts(1500, seed=33)
    )


def _without_prescan(text: str, recognizers: RecognizerSet, **options: Any) -> list[Span]:
    types = options.get("types")
    plan = _plan(recognizers, None if types is None else frozenset(types), prescan=False)
    assert plan.prescan is None
    return _detect(plan, text, options.get("min_score", 0.5))


def test_the_shipped_plan_screens_every_pattern() -> None:
    plan = _plan(default_recognizers(), None)
    assert plan.prescan is not None
    assert plan.prescan.always == frozenset()
    assert len(plan.prescan.screened) == len(plan.steps) >= 40


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({}, id="all-types"),
        pytest.param({"types": STRUCTURED}, id="structured"),
        pytest.param({"min_score": 0.0}, id="every-score"),
    ],
)
def test_detect_equals_detect_without_the_prescan(
    texts: list[str], options: dict[str, Any]
) -> None:
    recognizers = default_recognizers()
    differing = [
        text[:80]
        for text in texts
        if detect(text, **options) != _without_prescan(text, recognizers, **options)
    ]
    assert differing == []


def test_random_texts_match_the_plain_reference() -> None:
    for text in _random_texts(600, seed=34):
        assert detect(text) == reference_detect(text), text


def test_most_prose_is_skipped_at_once() -> None:
    # The repository's own prose (the realistic benchmark corpus without its labelled
    # documents) holds few values, and the pre-scan says so for most documents; texts
    # with values in them are never skipped.
    spec = importlib.util.spec_from_file_location("pii_realistic", BENCHMARKS / "pii_realistic.py")
    assert spec is not None and spec.loader is not None
    realistic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(realistic)
    plan = _plan(default_recognizers(), None)
    assert plan.prescan is not None
    texts = realistic.prose_documents()
    skipped = 0
    for text in texts:
        scanned = plan.prescan.scan(normalize(text).text)
        assert scanned is not None
        skipped += not scanned[0]
    assert len(texts) > 300 and skipped > 0.75 * len(texts)
    for text in eval_texts():
        if reference_detect(text):
            scanned = plan.prescan.scan(normalize(text).text)
            assert scanned is not None and scanned[0], text


def test_custom_patterns_that_cannot_be_screened_run_on_every_text(tmp_path: Path) -> None:
    path = tmp_path / "tricky.yaml"
    path.write_text(TRICKY_FILE, encoding="utf-8")
    recognizers = load_recognizers(path)
    plan = _plan(recognizers, None)
    assert plan.prescan is not None
    names = {step.recognizer.type: step.index for step in plan.steps}
    assert plan.prescan.always == {names["BACKREF"]}
    for text in ["1123 2234 id:12345", "abc 1234-56 7890 CODE 12345", "none here", "11"]:
        assert detect(text, recognizers=recognizers) == reference_detect(
            text, recognizers=recognizers
        )


def test_texts_utf8_cannot_encode_are_searched_in_full() -> None:
    plan = _plan(default_recognizers(), None)
    assert plan.prescan is not None
    text = "\ud800 연락처 010-2345-6789"
    assert plan.prescan.scan(text) is None
    assert detect(text) == reference_detect(text) != []


def test_the_scan_reports_characters_normalisation_changes() -> None:
    plan = _plan(default_recognizers(), None)
    assert plan.prescan is not None
    for char in KEPT_BY_NFKC_CHANGED_HERE:
        scanned = plan.prescan.scan(f"plain {char} text")
        assert scanned is not None and scanned[1], hex(ord(char))
    scanned = plan.prescan.scan("plain ｔext 가")
    assert scanned is not None and not scanned[1]


def test_unchanged_texts_are_what_normalize_returns() -> None:
    for text in _random_texts(3000, seed=36) + prose(200, seed=37):
        changed_here = re.search(f"[{KEPT_BY_NFKC_CHANGED_HERE}]", text) is not None
        if unchanged(text, changed_here=changed_here):
            normalized = normalize(text)
            assert normalized.text == text
            assert normalized.starts is None


def test_the_prescan_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    regexes = [re.compile("[0-9]{3}")]
    assert build_prescan(regexes) is not None
    monkeypatch.setenv("ETHOS_PII_PRESCAN", "0")
    assert build_prescan(regexes) is None
    assert not prescan_available()


@pytest.mark.parametrize("few", [0, 1000])
def test_windows_and_whole_scans_after_the_prescan_agree(
    texts: list[str], few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After the pre-scan, a few steps are scanned whole and more are searched in
    # windows; either way for every text must give the reference's spans.
    monkeypatch.setattr(analyzer, "_FEW_STEPS", few)
    differing = [text[:80] for text in texts[::4] if detect(text) != reference_detect(text)]
    assert differing == []


def test_threads_scan_at_the_same_time() -> None:
    # Hyperscan's scratch space serves one scan at a time; each thread gets its own.
    documents = eval_texts()[:600]
    expected = [detect(text) for text in documents]
    with ThreadPoolExecutor(max_workers=6) as pool:
        runs = list(pool.map(lambda _: [detect(text) for text in documents], range(6)))
    assert all(run == expected for run in runs)


def _worded_texts(words: list[str], count: int, seed: int) -> list[str]:
    """Random texts that hold context words now and then, whole, cut, upper-cased or
    next to odd characters."""
    rng = random.Random(seed)
    pieces = [*" -:0123456789", "bank", "계좌", *_ODD]
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            word = rng.choice(words)
            choice = rng.random()
            if choice < 0.3:
                parts.append(word)
            elif choice < 0.45:
                parts.append(word.upper())
            elif choice < 0.6:
                parts.append(word[: max(1, len(word) - 1)])
            else:
                parts.append(rng.choice(pieces))
        out.append("".join(parts))
    return out


def test_the_word_scan_answers_what_substring_tests_answer() -> None:
    groups = [list(r.context) for r in default_recognizers().recognizers if r.context]
    groups.append(["", "never"])  # an empty word occurs in every text
    scan = build_word_scan(groups)
    assert scan is not None
    words = [word for group in groups for word in group if word]
    texts = _worded_texts(words, 3000, seed=41) + eval_texts()
    hits = 0
    for text in texts:
        folded = text.casefold()
        found = scan.scan(folded)
        if any(0xD800 <= ord(c) <= 0xDFFF for c in folded):
            assert found is None  # UTF-8 cannot encode it: the caller asks each group
            continue
        expected = {i for i, group in enumerate(groups) if any(w in folded for w in group)}
        assert found == expected, text
        hits += len(expected) - 1
    assert hits > 1000  # the texts do hold words of many groups


def test_mentions_through_the_plan_equal_the_plain_answer(texts: list[str]) -> None:
    recognizers = default_recognizers()
    plan = _plan(recognizers, None)
    assert plan.mentions is not None
    needing = {id(s.needs_mention) for s in plan.steps if s.needs_mention is not None}
    assert set(plan.mentions.groups) == needing and needing
    bank = [r for r in recognizers.recognizers if id(r) in needing]
    sample = texts + _worded_texts([w for r in bank for w in r.context], 500, seed=42)
    mentioned = 0
    for text in sample:
        indexed, plain = Document(text, plan.mentions), Document(text)
        for recognizer in bank:
            assert indexed.mentions(recognizer) == plain.mentions(recognizer), text
            mentioned += plain.mentions(recognizer)
    assert mentioned > 100
