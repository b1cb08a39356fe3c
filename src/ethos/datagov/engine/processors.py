"""Processors: what the engine runs on every document.

The protocol is small. A :class:`Processor` opens a :class:`DocumentScan` per document; the
engine feeds it the document's windows in order (one window for an ordinary document) and
takes back, for each window, the transformed text of the window's core (or ``None`` when the
processor does not transform); :meth:`DocumentScan.finish` gives the JSON-able result.
:func:`process_text` runs the whole protocol on a string.

Processors are built inside worker processes from a :class:`ProcessorSpec`, a small frozen
value that pickles cheaply and carries no compiled state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from ethos.datagov.pii import Operator, Span, anonymize, detect, prepare
from ethos.datagov.pii.anonymizer import OPERATORS

from .documents import Window, windows
from .errors import ScanInputError

__all__ = [
    "DocumentScan",
    "PiiProcessor",
    "PiiSpec",
    "Processor",
    "ProcessorSpec",
    "ScanOutcome",
    "process_text",
]


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What a processor says about one document.

    Attributes
    ----------
    result : dict
        The JSON-able result, without the id (the engine adds it).
    dropped : bool
        Leave the document out of the transformed output.
    flagged : bool
        The document has a finding (a span, a label), for summaries.
    tags : tuple of str
        Tags for the document's record in the transformed output (field ``tags``).
    """

    result: dict[str, Any]
    dropped: bool = False
    flagged: bool = False
    tags: tuple[str, ...] = ()


class DocumentScan(Protocol):
    """The scan of one document, fed window by window."""

    def feed(self, window: Window) -> str | None:
        """Scan one window; return the transformed text of its core, or ``None``."""
        ...

    def finish(self) -> ScanOutcome:
        """The outcome once every window has been fed."""
        ...


class Processor(Protocol):
    """Something that scans documents, and may transform them."""

    @property
    def transforms(self) -> bool:
        """Whether :meth:`DocumentScan.feed` returns transformed text."""
        ...

    def open(self) -> DocumentScan:
        """Start the scan of a new document."""
        ...


class ProcessorSpec(Protocol):
    """A picklable description of a processor; :meth:`build` makes it in a worker."""

    @property
    def kind(self) -> str: ...

    @property
    def transforms(self) -> bool: ...

    def build(self) -> Processor: ...

    def fingerprint(self) -> dict[str, Any]:
        """Options that change outputs, safe to store (never a secret)."""
        ...


def process_text(processor: Processor, text: str) -> tuple[ScanOutcome, str | None]:
    """Run ``processor`` on a whole string: the outcome and the transformed text, if any."""
    scan = processor.open()
    pieces = [scan.feed(window) for window in windows([text])]
    outcome = scan.finish()
    if not processor.transforms or outcome.dropped:
        return outcome, None
    return outcome, "".join(piece or "" for piece in pieces)


def key_digest(key: bytes | None) -> str | None:
    """A short digest that tells keys apart without revealing them (for resume checks)."""
    if key is None:
        return None
    return hashlib.sha256(b"ethos-scan-key-check\x00" + key).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class PiiSpec:
    """Options of the PII processor.

    ``operator`` ``None`` means detection only. ``key`` is the pseudonym key; it is kept
    out of ``repr`` and of :meth:`fingerprint`.
    """

    operator: str | None = None
    key: bytes | None = field(default=None, repr=False)
    types: tuple[str, ...] | None = None
    min_score: float = 0.5

    kind = "pii"

    def __post_init__(self) -> None:
        if self.operator is not None and self.operator not in OPERATORS:
            raise ScanInputError(
                f"unknown operator {self.operator!r}; use one of {', '.join(sorted(OPERATORS))}",
                ko=(
                    f"알 수 없는 연산자 {self.operator!r}입니다. 다음 중 하나를 쓰세요: "
                    f"{', '.join(sorted(OPERATORS))}"
                ),
            )
        if self.operator == "pseudonym" and self.key is None:
            raise ScanInputError(
                "the pseudonym operator needs a key: --key-file PATH or $ETHOS_PSEUDONYM_KEY",
                ko=(
                    "pseudonym 연산자에는 키가 필요합니다: --key-file PATH 또는 "
                    "$ETHOS_PSEUDONYM_KEY"
                ),
            )

    @property
    def transforms(self) -> bool:
        return self.operator is not None

    def build(self) -> PiiProcessor:
        return PiiProcessor(
            operator=cast(Operator | None, self.operator),
            key=self.key,
            types=self.types,
            min_score=self.min_score,
        )

    def fingerprint(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "operator": self.operator,
            "key": key_digest(self.key),
            "types": list(self.types) if self.types is not None else None,
            "min_score": self.min_score,
        }


class PiiProcessor:
    """Detects personal information; optionally anonymises it.

    Spans are ``{"type", "start", "end", "score"}`` with character offsets into the
    original text of the document. With the ``drop`` operator a document with any span is
    left out of the anonymised output, but its spans are still reported.
    """

    def __init__(
        self,
        *,
        operator: Operator | None = None,
        key: bytes | None = None,
        types: Iterable[str] | None = None,
        min_score: float = 0.5,
    ) -> None:
        self.operator = operator
        self._key = key
        self.types = frozenset(types) if types is not None else None
        self.min_score = min_score
        prepare(types=self.types)  # before workers fork, when built in the parent

    @property
    def transforms(self) -> bool:
        return self.operator is not None

    def open(self) -> _PiiScan:
        return _PiiScan(self)


class _PiiScan:
    __slots__ = ("_covered", "_emitted", "_processor", "_spans")

    def __init__(self, processor: PiiProcessor) -> None:
        self._processor = processor
        self._spans: list[Span] = []
        self._covered = 0  # end of the last kept span, document offset
        self._emitted = 0  # transformed text produced up to here, document offset

    def _detect(self, window: Window) -> list[Span]:
        processor = self._processor
        found = detect(window.text, types=processor.types, min_score=processor.min_score)
        if window.is_whole:
            return found
        kept = []
        offset = window.offset
        for span in found:
            if not window.core_start <= span.start < window.core_end:
                continue
            if span.start + offset < self._covered:
                continue
            kept.append(Span(span.type, span.start + offset, span.end + offset, span.score))
            self._covered = span.end + offset
        return kept

    def feed(self, window: Window) -> str | None:
        kept = self._detect(window)
        self._spans.extend(kept)
        operator = self._processor.operator
        if operator is None:
            return None
        if window.is_whole:
            if operator == "drop":  # whether to drop is decided by finish()
                return window.text
            return anonymize(window.text, kept, operator=operator, key=self._processor._key).text
        start = self._emitted
        end = max(window.offset + window.core_end, kept[-1].end if kept else 0)
        segment = window.text[start - window.offset : end - window.offset]
        self._emitted = end
        if operator == "drop":
            return segment
        local = [Span(s.type, s.start - start, s.end - start, s.score) for s in kept]
        return anonymize(segment, local, operator=operator, key=self._processor._key).text

    def finish(self) -> ScanOutcome:
        spans = self._spans
        result = {
            "spans": [
                {"type": s.type, "start": s.start, "end": s.end, "score": s.score} for s in spans
            ]
        }
        dropped = self._processor.operator == "drop" and bool(spans)
        return ScanOutcome(result=result, dropped=dropped, flagged=bool(spans))
