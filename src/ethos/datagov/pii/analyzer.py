"""Detection of personal information in text: :func:`detect`.

The analyzer knows nothing about anonymisation; it returns :class:`Span` values.

Work per document: one Hyperscan scan says which patterns can match at all
(:mod:`.prescan`; a text where none can returns ``[]`` at once) and whether normalisation
would change the text; normalise if so; compute cheap features (digits, Hangul, ``@``
...) that switch recognizers off; for the patterns left, find the runs where windowed
patterns can match, one scan per run finder (:mod:`.prefilter`), and search each pattern
in its windows, or in the whole text when it has none or when only a few patterns are
left; score the matches (:mod:`.scoring`); resolve overlaps. Without Hyperscan every
pattern is searched, with the same result.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Collection, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from re import Match

from .errors import PiiError
from .normalize import KEPT_BY_NFKC_CHANGED_HERE, NormalizedText, normalize, unchanged
from .prefilter import RunFinder, WindowRule, plan_windows, windows
from .prescan import PreScan, build_prescan, build_word_scan
from .schema import CompiledPattern, CompiledRecognizer, RecognizerSet, default_recognizers
from .scope import Gate, gate_of, scope_of
from .scoring import FEATURES, Candidate, Document, MentionIndex, score
from .span import Span

__all__ = ["detect", "detector", "prepare"]

_Search = Callable[[str, int, int], "Match[str] | None"]
_Finditer = Callable[[str], Iterator[Match[str]]]
_Spans = dict[int, list[tuple[int, int]]]
# A pattern searched in windows is gated only by strings this long or longer: shorter
# ones (a "-") are in most texts, and the windows already skip what they would.
_SELECTIVE_GATE = 2
_TYPES_NOT_A_STRING = "types must be a collection of type names, not a string"
_TYPES_NOT_A_STRING_KO = "types는 유형 이름의 모음이어야 하며 문자열 하나일 수 없습니다"
# When the pre-scan leaves this many steps or fewer, they are scanned whole (no windows).
_FEW_STEPS = 4


@dataclass(frozen=True, slots=True)
class _Step:
    """One pattern to run, and where to search for it (``rule`` ``None``: everywhere)."""

    index: int
    order: int
    recognizer: CompiledRecognizer
    pattern: CompiledPattern
    rule: WindowRule | None
    value_group: int
    requires: int  # feature bits the recognizer and the pattern require
    # Searched only where a context word occurs in the text: this recognizer's words.
    needs_mention: CompiledRecognizer | None
    # Searched only in texts that hold one of the gate's strings (None: every text).
    gate: Gate | None


# The entries of _Work, for one step each:
# scanned whole: (step index, finditer, value group, gate, needs mention);
_Whole = tuple[int, _Finditer, int, Gate | None, CompiledRecognizer | None]
# inside the runs of a finder: (minimum length, required character, reach, step index,
# search, value group, needs mention, gate);
_Inside = tuple[int, str, int, int, _Search, int, CompiledRecognizer | None, Gate | None]
# around the runs of a finder: (step index, rule, search, value group, needs mention,
# gate).
_Around = tuple[int, WindowRule, _Search, int, CompiledRecognizer | None, Gate | None]


@dataclass(frozen=True, slots=True)
class _Work:
    """The steps enabled for one combination of document features, ready to run."""

    whole: tuple[_Whole, ...]
    # (finder, entries by minimum length, whether some entry has a gate)
    inside: tuple[tuple[int, tuple[_Inside, ...], bool], ...]
    around: tuple[_Around, ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    """The selected recognizers, their patterns and how each is searched."""

    steps: tuple[_Step, ...]
    finders: tuple[RunFinder, ...]
    # The Hyperscan pre-scan of the steps' patterns (None: every step runs on every text).
    prescan: PreScan | None
    # One scan for the context words of the recognizers searched only where one occurs.
    mentions: MentionIndex | None
    works: dict[int, _Work] = field(default_factory=dict)


def _bits(names: Collection[str]) -> int:
    return sum(1 << FEATURES.index(name) for name in set(names))


@functools.lru_cache(maxsize=64)
def _plan(
    recognizers: RecognizerSet, types: frozenset[str] | None, *, prescan: bool = True
) -> _Plan:
    selected = recognizers.recognizers
    if types is not None:
        unknown = types - recognizers.types
        if unknown:
            names = ", ".join(sorted(unknown))
            raise PiiError(f"unknown PII type(s): {names}", ko=f"알 수 없는 개인정보 유형: {names}")
        selected = tuple(r for r in selected if r.type in types)
    pairs = [(order, r, p) for order, r in enumerate(selected) for p in r.patterns]
    finders, rules = plan_windows([scope_of(p.regex) for _, _, p in pairs])
    steps = tuple(
        _Step(
            index=index,
            order=order,
            recognizer=r,
            pattern=p,
            rule=rule,
            value_group=p.regex.groupindex["value"] if p.has_value_group else 0,
            requires=_bits(r.requires | p.requires),
            needs_mention=r if r.context_required and not p.self_context else None,
            gate=_gate(p.regex, whole=rule is None),
        )
        for index, ((order, r, p), rule) in enumerate(zip(pairs, rules, strict=True))
    )
    regexes = [p.regex for _, _, p in pairs]
    screen = build_prescan(regexes, KEPT_BY_NFKC_CHANGED_HERE) if prescan else None
    return _Plan(steps, tuple(finders), screen, _mention_index(steps) if prescan else None)


def _mention_index(steps: tuple[_Step, ...]) -> MentionIndex | None:
    """A :class:`MentionIndex` over the recognizers some step needs a mention of."""
    needed = list({id(s.needs_mention): s.needs_mention for s in steps if s.needs_mention}.values())
    scan = build_word_scan([r.context for r in needed]) if needed else None
    if scan is None:
        return None
    return MentionIndex(scan, {id(r): group for group, r in enumerate(needed)})


def _gate(regex: re.Pattern[str], *, whole: bool) -> Gate | None:
    """The gate of a pattern; a pattern searched in windows keeps only a selective one."""
    gate = gate_of(regex)
    if gate is None or whole or min(map(len, gate.words)) >= _SELECTIVE_GATE:
        return gate
    return None


def _work(plan: _Plan, features: int) -> _Work:
    """The steps that can match in a document with these features, ready to run."""
    work = plan.works.get(features)
    if work is not None:
        return work
    whole: list[_Whole] = []
    inside: dict[int, list[_Inside]] = {}
    around: list[_Around] = []
    for step in plan.steps:
        if step.requires & ~features:
            continue
        regex, rule, group = step.pattern.regex, step.rule, step.value_group
        needs, gate = step.needs_mention, step.gate
        if rule is None:
            whole.append((step.index, regex.finditer, group, gate, needs))
        elif rule.around:
            around.append((step.index, rule, regex.search, group, needs, gate))
        else:
            entry = (rule.min_length, rule.required, rule.reach, step.index, regex.search)
            inside.setdefault(rule.finder, []).append((*entry, group, needs, gate))
    work = _Work(
        tuple(whole),
        tuple(
            (
                finder,
                tuple(sorted(entries, key=lambda entry: entry[:4])),
                any(entry[7] is not None for entry in entries),
            )
            for finder, entries in sorted(inside.items())
        ),
        tuple(around),
    )
    plan.works[features] = work  # at most 2**len(FEATURES) entries
    return work


def _runs(
    plan: _Plan, index: int, doc: Document, cache: list[list[tuple[int, int]] | None]
) -> list[tuple[int, int]]:
    """The runs of finder ``index`` in ``doc``, found once per document."""
    found = cache[index]
    if found is None:
        finder = plan.finders[index]
        outer = None if finder.within is None else _runs(plan, finder.within, doc, cache)
        found = cache[index] = finder.runs(doc.text, doc.reversed, outer)
    return found


def _matches(plan: _Plan, doc: Document, allowed: AbstractSet[int] | None) -> _Spans:
    """The value spans each step's pattern matches in ``doc``, by step index, as a scan
    of the whole text would find them.

    Recognizers that need a context word are switched off only when a search for them
    is about to run: the words are looked up at most once per document, and only then.
    In windows, matches are never empty (a windowed pattern's minimum width is one or
    more), so searching on from each match's end is what ``finditer`` does. Steps not in
    ``allowed`` (when given) are skipped: the pre-scan found that they cannot match.
    """
    text = doc.text
    if allowed is not None and len(allowed) <= _FEW_STEPS:
        return _whole_matches(plan, doc, allowed)
    work = _work(plan, doc.features())
    spans: _Spans = {}
    lowered = doc.lowered()
    for index, finditer, group, gate, needs in work.whole:
        if allowed is not None and index not in allowed:
            continue
        if gate is not None and not gate.passes(text, lowered):
            continue
        if needs is not None and not doc.mentions(needs):
            continue
        for hit in finditer(text):
            spans.setdefault(index, []).append(hit.span(group))
    runs: list[list[tuple[int, int]] | None] = [None] * len(plan.finders)
    for finder, entries, gated in work.inside:
        if allowed is not None:
            entries = tuple(e for e in entries if e[3] in allowed)
            if not entries:
                continue
        if gated:
            entries = tuple(e for e in entries if e[7] is None or e[7].passes(text, lowered))
            if not entries:
                continue
        # Each run is a window of its own: no match crosses a run's ends.
        for start, end in _runs(plan, finder, doc, runs):
            width = end - start
            for minimum, required, reach, index, search, group, needs, _gate in entries:
                if minimum > width:
                    break
                if required and text.find(required, start, end) < 0:
                    continue
                if needs is not None and not doc.mentions(needs):
                    continue
                stop = end + reach
                match = search(text, start, stop)
                while match is not None and match.start() < end:
                    spans.setdefault(index, []).append(match.span(group))
                    match = search(text, match.end(), stop)
    for index, rule, search, group, needs, gate in work.around:
        if allowed is not None and index not in allowed:
            continue
        if gate is not None and not gate.passes(text, lowered):
            continue
        found = windows(_runs(plan, rule.finder, doc, runs), rule, len(text))
        if found and needs is not None and not doc.mentions(needs):
            continue
        for start, end, stop in found:
            match = search(text, start, stop)
            while match is not None and match.start() < end:
                spans.setdefault(index, []).append(match.span(group))
                match = search(text, match.end(), stop)
    return spans


def _whole_matches(plan: _Plan, doc: Document, allowed: AbstractSet[int]) -> _Spans:
    """:func:`_matches` for a few steps: each scanned over the whole text, which costs
    less than finding the runs for their windows."""
    text = doc.text
    features = doc.features()
    spans: _Spans = {}
    for index in sorted(allowed):
        step = plan.steps[index]
        if step.requires & ~features:
            continue
        gate, needs = step.gate, step.needs_mention
        if gate is not None and not gate.passes(text, doc.lowered()):
            continue
        if needs is not None and not doc.mentions(needs):
            continue
        group = step.value_group
        found = [hit.span(group) for hit in step.pattern.regex.finditer(text)]
        if found:
            spans[index] = found
    return spans


def _candidates(
    plan: _Plan, doc: Document, min_score: float, allowed: AbstractSet[int] | None
) -> list[Candidate]:
    found: list[Candidate] = []
    spans = _matches(plan, doc, allowed)
    for index in sorted(spans):
        step = plan.steps[index]
        recognizer, pattern, order = step.recognizer, step.pattern, step.order
        for start, end in spans[index]:
            if start == end:
                continue
            value = score(recognizer, pattern, doc, start, end)
            if value is not None and value >= min_score:
                found.append((-value, start - end, start, order, end, recognizer.type))
    return found


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates: higher score first, then longer, then earlier, then
    the recognizer listed first (the order of the candidate's fields)."""
    candidates.sort()
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Candidate] = []
    for candidate in candidates:
        start, end = candidate[2], candidate[4]
        index = bisect.bisect_left(starts, end)
        if index > 0 and ends[index - 1] > start:
            continue
        starts.insert(index, start)
        ends.insert(index, end)
        kept.insert(index, candidate)
    return kept


def detect(
    text: str,
    *,
    types: Collection[str] | None = None,
    min_score: float = 0.5,
    recognizers: RecognizerSet | None = None,
) -> list[Span]:
    """Find personal information in a text.

    Parameters
    ----------
    text : str
        The text to scan. Matching runs on a normalised copy (NFKC, ASCII dashes, no
        zero-width characters); offsets refer to the original ``text``.
    types : collection of str, optional
        Report only these type names; all types when ``None``.
    min_score : float, default 0.5
        Drop detections scoring below this, before overlaps are resolved.
    recognizers : RecognizerSet, optional
        Recognizers from :func:`load_recognizers`; the shipped set when ``None``.

    Returns
    -------
    list of Span
        Non-overlapping detections sorted by start. Where detections overlap, the higher
        score wins, then the longer span.

    Raises
    ------
    PiiError
        When ``text`` is not a string, ``min_score`` is outside ``[0, 1]`` or ``types``
        names an unknown type.
    """
    if not isinstance(text, str):
        kind = type(text).__name__
        raise PiiError(
            f"text must be str, not {kind}", ko=f"텍스트는 str이어야 하는데 {kind}입니다"
        )
    if not 0.0 <= min_score <= 1.0:
        raise PiiError("min_score must be between 0 and 1", ko="min_score는 0과 1 사이여야 합니다")
    if isinstance(types, str):
        raise PiiError(_TYPES_NOT_A_STRING, ko=_TYPES_NOT_A_STRING_KO)
    plan = _plan(recognizers or default_recognizers(), None if types is None else frozenset(types))
    return _detect(plan, text, min_score)


def detector(
    *,
    types: Collection[str] | None = None,
    min_score: float = 0.5,
    recognizers: RecognizerSet | None = None,
) -> Callable[[str], list[Span]]:
    """:func:`detect` with these options checked and its plan found once: ``detector(...)
    (text)`` returns what ``detect(text, ...)`` returns. For callers that scan many texts
    with the same options (the engines).

    Raises
    ------
    PiiError
        As :func:`detect`, for the options now and for a text that is not a string later.
    """
    if types is not None and not isinstance(types, str):
        types = frozenset(types)  # read once: an iterator would be used up by the check
    detect("", types=types, min_score=min_score, recognizers=recognizers)  # checks options
    plan = _plan(recognizers or default_recognizers(), None if types is None else frozenset(types))

    def run(text: str) -> list[Span]:
        if not isinstance(text, str):
            detect(text)  # raises the error detect() raises
        return _detect(plan, text, min_score)

    return run


def prepare(
    *, types: Collection[str] | None = None, recognizers: RecognizerSet | None = None
) -> None:
    """Build what :func:`detect` needs for these options now instead of on first use: the
    plan and the Hyperscan database (about a second). A process that forks workers calls
    it first, so that they inherit it.

    Raises
    ------
    PiiError
        When ``types`` names an unknown type.
    """
    if isinstance(types, str):
        raise PiiError(_TYPES_NOT_A_STRING, ko=_TYPES_NOT_A_STRING_KO)
    _plan(recognizers or default_recognizers(), None if types is None else frozenset(types))


def _detect(plan: _Plan, text: str, min_score: float) -> list[Span]:
    """:func:`detect` with a plan, its arguments checked."""
    if not text or not plan.steps:
        return []
    screen = plan.prescan
    if screen is None:
        normalized, allowed = normalize(text), None
    else:
        # Scan the text as it is: most texts are left unchanged by normalisation, and
        # the scan says whether the text holds a character it would change.
        scanned = screen.scan(text)
        if scanned is not None and unchanged(text, changed_here=scanned[1]):
            normalized, allowed = NormalizedText(text), scanned[0]
        else:
            normalized = normalize(text)
            scanned = screen.scan(normalized.text)
            allowed = None if scanned is None else scanned[0]
        if allowed is not None and not allowed:
            return []  # no pattern can match: the common case in a training corpus
    found = _candidates(plan, Document(normalized.text, plan.mentions), min_score, allowed)
    if not found:
        return []
    spans = []
    for negated, _length, start, _order, end, type_name in _resolve(found):
        original_start, original_end = normalized.original_span(start, end)
        spans.append(Span(type_name, original_start, original_end, -negated))
    return spans
