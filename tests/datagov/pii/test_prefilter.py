"""The pre-pass never loses a match: windows and gates against whole scans, and detect()
against the plain reference detector. All texts are FAKE (see corpus.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ethos.datagov.pii import detect, load_recognizers
from ethos.datagov.pii.analyzer import _plan
from ethos.datagov.pii.normalize import normalize
from ethos.datagov.pii.prefilter import RunFinder, WindowRule, windows
from ethos.datagov.pii.schema import default_recognizers
from ethos.datagov.pii.scope import char_class

from .corpus import eval_texts, prose, variants
from .reference import reference_detect

STRUCTURED = (
    "KR_RRN", "KR_FRN", "KR_PHONE", "KR_BRN", "KR_CRN", "KR_PASSPORT", "KR_DRIVER_LICENSE",
    "KR_BANK_ACCOUNT", "EMAIL", "CREDIT_CARD", "IBAN", "US_SSN", "PHONE", "IP_ADDRESS",
    "CREDENTIAL",
)  # fmt: skip


@pytest.fixture(scope="module")
def texts() -> list[str]:
    documents = eval_texts()
    return documents + variants(documents, 500, seed=11) + prose(150, seed=12)


def _windowed(plan: Any, rule: WindowRule, regex: re.Pattern[str], group: int, text: str):
    """The spans a search in ``rule``'s windows finds, as the analyzer searches them."""

    def runs(index: int) -> list[tuple[int, int]]:
        finder: RunFinder = plan.finders[index]
        outer = None if finder.within is None else runs(finder.within)
        return finder.runs(text, lambda: text[::-1], outer)

    found_runs = runs(rule.finder)
    if rule.around:
        searched = windows(found_runs, rule, len(text))
    else:
        searched = [
            (start, end, end + rule.reach)
            for start, end in found_runs
            if end - start >= rule.min_length and rule.required in text[start:end]
        ]
    spans = []
    for start, end, stop in searched:
        match = regex.search(text, start, stop)
        while match is not None and match.start() < end:
            spans.append(match.span(group))
            match = regex.search(text, match.end(), stop)
    return spans


def test_windows_find_every_match_of_every_shipped_pattern(texts: list[str]) -> None:
    plan = _plan(default_recognizers(), None)
    windowed = [step for step in plan.steps if step.rule is not None]
    assert len(windowed) >= 20  # most patterns are searched in windows
    missed = []
    for text in texts:
        plain = normalize(text).text
        for step in windowed:
            assert step.rule is not None
            regex, group = step.pattern.regex, step.value_group
            whole = [m.span(group) for m in regex.finditer(plain)]
            if _windowed(plan, step.rule, regex, group, plain) != whole:
                missed.append(step.pattern.name)
    assert missed == []


def test_gates_only_skip_texts_without_a_match(texts: list[str]) -> None:
    plan = _plan(default_recognizers(), None)
    gated = [step for step in plan.steps if step.gate is not None]
    assert {"bearer_token", "key_value_secret", "jwt"} <= {s.pattern.name for s in gated}
    skipped = wrong = 0
    for text in texts:
        plain = normalize(text).text
        lowered = plain.lower() if plain.isascii() else None
        for step in gated:
            assert step.gate is not None
            if not step.gate.passes(plain, lowered):
                skipped += 1
                wrong += step.pattern.regex.search(plain) is not None
    assert skipped > 1000  # the gates do skip work on this corpus
    assert wrong == 0


@pytest.mark.parametrize(
    ("options", "every"),
    [
        pytest.param({}, 1, id="all-types"),
        pytest.param({"types": STRUCTURED}, 3, id="structured"),
        pytest.param({"min_score": 0.0}, 3, id="every-score"),
    ],
)
def test_detect_equals_the_plain_reference(
    texts: list[str], options: dict[str, Any], every: int
) -> None:
    differing = [
        index
        for index, text in enumerate(texts[::every])
        if detect(text, **options) != reference_detect(text, **options)
    ]
    assert differing == []


TRICKY_FILE = """\
version: 1
recognizers:
  - type: LOOKAHEAD_FAR
    description: a lookahead that sees five characters past the number
    patterns: [{name: p, regex: '(?P<value>[0-9]{4}-[0-9]{2})(?![0-9 ]{5})', score: 0.6}]
  - type: ANCHORED
    description: start and end of text, and word boundaries
    patterns:
      - {name: start, regex: '^[0-9]{3}', score: 0.6}
      - {name: end, regex: '[0-9]{3}$', score: 0.6}
      - {name: word, regex: '\\\\b[0-9]{2}\\\\b', score: 0.6}
  - type: CASELESS
    description: case-insensitive words, not analysed
    patterns: [{name: p, regex: '(?i:code)[ ]?(?P<value>[0-9]{3,})', score: 0.6}]
  - type: BACKREF
    description: a back reference, not analysed
    patterns: [{name: p, regex: '(?P<d>[0-9])(?P=d)[0-9]{2}', score: 0.6}]
  - type: DOTTED
    description: any character, not analysed
    patterns: [{name: p, regex: 'id.(?P<value>[0-9]{5})', score: 0.6}]
  - type: LAZY_AROUND
    description: a bounded pattern with letters, searched around numbers
    patterns: [{name: p, regex: '[a-z]{1,3}(?P<value>[0-9]{2,3})[a-z]?', score: 0.6}]
  - type: UPPER_CODE
    description: capital letters and digits, searched inside numbers
    patterns: [{name: p, regex: '(?<![A-Z0-9])[A-Z]{2}[0-9]{3,}(?![A-Z0-9])', score: 0.6}]
"""


def test_custom_patterns_the_analysis_cannot_or_can_model(tmp_path: Path) -> None:
    path = tmp_path / "tricky.yaml"
    path.write_text(TRICKY_FILE, encoding="utf-8")
    recognizers = load_recognizers(path)
    plan = _plan(recognizers, None)
    rules = {step.recognizer.type + "." + step.pattern.name: step.rule for step in plan.steps}
    assert rules["CASELESS.p"] is None and rules["BACKREF.p"] is None and rules["DOTTED.p"] is None
    assert rules["LOOKAHEAD_FAR.p"] is not None and rules["LOOKAHEAD_FAR.p"].reach >= 6
    assert rules["LAZY_AROUND.p"] is not None and rules["LAZY_AROUND.p"].around == 7
    cases = [
        *prose(150, seed=21),
        "1234-56 7890",
        "1234-5612345",
        "abc 123",
        "CODE 12345 code123",
        "1123 2234 id:12345 idx54321",
        "ab12x 12 345 AB12345 XAB123",
    ]
    for text in cases:
        assert detect(text, recognizers=recognizers) == reference_detect(
            text, recognizers=recognizers
        ), text


@pytest.mark.parametrize(
    ("alphabet", "anchor", "minimum", "text"),
    [
        pytest.param("0-9 ()+.-", "0-9", 1, "tel (02) 123-4567, +82 10 1234 5678.", id="numbers"),
        pytest.param("0-9", "0-9", 3, "a 12 b 1234 c 12345 (99999)", id="digits"),
        pytest.param("A-Za-z0-9.@", "@", 3, "mail a@b.c or @x, b@ and x.y@z", id="at"),
    ],
)
def test_run_finder_matches_a_plain_scan(
    alphabet: str, anchor: str, minimum: int, text: str
) -> None:
    in_alphabet = re.compile(f"[{alphabet}]")
    in_anchor = re.compile(f"[{anchor}]")
    expected = []
    start = None
    for index, char in enumerate(text + "\x00"):
        if in_alphabet.fullmatch(char):
            start = index if start is None else start
            continue
        if start is not None:
            run = text[start:index]
            if len(run) >= minimum and any(in_anchor.fullmatch(c) for c in run):
                expected.append((start, index))
            start = None
    ranges = _ranges(alphabet)
    finder = RunFinder(ranges, _ranges(anchor), minimum)
    assert finder.runs(text, lambda: text[::-1]) == expected
    assert re.fullmatch(char_class(ranges), text[expected[0][0]]) is not None


def _ranges(spec: str) -> tuple[tuple[int, int], ...]:
    """Code point ranges of a class body such as ``0-9 ()``."""
    found = []
    index = 0
    while index < len(spec):
        if index + 2 < len(spec) and spec[index + 1] == "-":
            found.append((ord(spec[index]), ord(spec[index + 2])))
            index += 3
        else:
            found.append((ord(spec[index]), ord(spec[index])))
            index += 1
    return tuple(sorted(set(found)))


def test_windows_around_runs_are_merged_and_reach_past_the_end() -> None:
    rule = WindowRule(finder=0, around=3, min_length=2, required="", reach=2)
    runs = [(0, 1), (10, 12), (14, 16), (40, 45)]
    # (0, 1) is too short; the next two windows touch and merge; ends are clipped to the
    # text, and the search may look `around + reach` characters past a window's end.
    assert windows(runs, rule, 46) == [(7, 19, 24), (37, 46, 53)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Straße 5, tel 010-2345-6789 phone", id="sharp-s-before"),
        pytest.param("İstanbul office: 010-2345-6789, İİİ 계좌 110-234-567890", id="dotted-i"),
        pytest.param("ﬀ주문번호\n010-2345-6789 ß 주문 010-9876-5432", id="negative-word-lines"),
        pytest.param("ΣΑΣ order 4111 1111 1111 1111 card", id="greek-sigma"),
    ],
)
def test_context_words_where_case_folding_changes_lengths(text: str) -> None:
    # Case folding turns ß into ss and İ into two characters: offsets of the folded text
    # no longer line up, and context words are looked up in folded slices instead.
    assert text.casefold() != text.lower() or len(text.casefold()) != len(text)
    assert detect(text) == reference_detect(text)
    assert detect(text, min_score=0.0) == reference_detect(text, min_score=0.0)
