"""The work on one shard, the same in every engine: read, process, write parts, mark done.

A shard's parts are written under temporary names, flushed to disk, renamed, and only then
is its completion marker written (also by rename). A shard without a marker is redone from
scratch by the next run; a shard with one is never redone.

Every document goes through the processor protocol (:mod:`.processors`), except in the
common case of PII detection on JSONL input: there an ordinary line's text goes straight
to ``detect()`` and its result line is written directly, with the same bytes, counts and
progress as the protocol would give (``FAST_PATH = False`` turns this off).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any

from ethos.datagov.pii.analyzer import detector

from .corpus import InputFormat, Shard
from .documents import OVERLAP_CHARS, WINDOW_CHARS, Document, Reject, windows
from .processors import PiiProcessor, Processor, ProcessorSpec
from .readers import ReadOptions, read_plain_jsonl, read_shard

__all__ = [
    "FAST_PATH",
    "PART_KINDS",
    "ShardJob",
    "ShardStats",
    "marker_path",
    "part_path",
    "prepare_processor",
    "process_shard",
    "read_marker",
]

PART_KINDS = ("results", "transformed", "rejects")
_PROGRESS_EVERY = 256
_processors: dict[Any, Processor] = {}


def part_path(workdir: str | Path, index: int, kind: str) -> Path:
    """Where shard ``index`` keeps its part of output ``kind``."""
    return Path(workdir) / f"{index:06d}.{kind}.jsonl"


def marker_path(workdir: str | Path, index: int) -> Path:
    """The completion marker of shard ``index``."""
    return Path(workdir) / f"{index:06d}.done"


@dataclass(frozen=True, slots=True)
class ShardJob:
    """Everything a worker needs for one shard; pickles small."""

    shard: Shard
    read: ReadOptions
    spec: ProcessorSpec
    workdir: str


@dataclass(frozen=True, slots=True)
class ShardStats:
    """Counts of one finished shard, stored in its marker. Locations, never values."""

    index: int
    documents: int = 0
    flagged: int = 0
    dropped: int = 0
    rejects: int = 0
    replaced: int = 0
    replaced_documents: int = 0
    bytes: int = 0
    seconds: float = 0.0
    first_reject: str | None = None
    first_replaced: str | None = None
    pid: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShardStats:
        return cls(**data)


def read_marker(workdir: str | Path, index: int) -> ShardStats | None:
    """The stats of a finished shard, or ``None`` when it has no (readable) marker."""
    try:
        data = json.loads(marker_path(workdir, index).read_text(encoding="utf-8"))
        return ShardStats.from_json(data)
    except (OSError, ValueError, TypeError):
        return None


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dumps(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def _id_json(value: str | int) -> bytes:
    """``_dumps(value)`` for an id that is exactly a string or an integer, sooner."""
    if isinstance(value, str):
        return encode_basestring(value).encode("utf-8")
    return b"%d" % value


# The result of a document without findings, as _dumps writes it after the id.
_NO_SPANS: dict[str, Any] = {"spans": []}


class _TransformedWriter:
    """Writes one document's transformed record, piece by piece; undone when dropped."""

    __slots__ = ("_document", "_handle", "_pieces", "_start", "_text_field")

    def __init__(self, handle: IO[bytes], document: Document, text_field: str) -> None:
        self._handle = handle
        self._document = document
        self._text_field = text_field
        self._pieces: list[str] = []
        self._start = handle.tell()
        if document.source is None:
            handle.write(b'{"id":' + _dumps(document.id) + b',"text":"')

    def write(self, piece: str) -> None:
        if self._document.source is not None:
            self._pieces.append(piece)
        elif piece:
            self._handle.write(_dumps(piece)[1:-1])

    def close(self, *, dropped: bool, tags: tuple[str, ...] = ()) -> None:
        handle = self._handle
        if dropped:
            if handle.tell() != self._start:
                handle.seek(self._start)
                handle.truncate()
            return
        source = self._document.source
        if source is None:
            handle.write(b'"' + (b',"tags":' + _dumps(list(tags)) if tags else b"") + b"}\n")
            return
        record = dict(source)
        record[self._text_field] = "".join(self._pieces)
        if tags:
            existing = record.get("tags")
            if isinstance(existing, list):
                record["tags"] = existing + [t for t in tags if t not in existing]
            else:
                record["tags"] = list(tags)
        handle.write(_dumps(record) + b"\n")


def _processor(spec: ProcessorSpec) -> Processor:
    processor = _processors.get(spec)
    if processor is None:
        processor = _processors[spec] = spec.build()
    return processor


def prepare_processor(spec: ProcessorSpec) -> None:
    """Build the processor of ``spec`` in this process now, so that forked workers
    inherit it (and what it compiled) instead of each building their own."""
    _processor(spec)


def _write_reject(handle: IO[bytes], reject: Reject) -> None:
    handle.write(_dumps(reject.to_json()) + b"\n")


@dataclass(slots=True)
class _Tally:
    documents: int = 0
    flagged: int = 0
    dropped: int = 0
    rejects: int = 0
    replaced: int = 0
    replaced_documents: int = 0
    bytes: int = 0
    first_reject: str | None = None
    first_replaced: str | None = None
    reported_documents: int = 0
    reported_bytes: int = 0

    def report(self, progress: Callable[[int, int], None]) -> None:
        """Tell ``progress`` what was done since the last report."""
        progress(self.documents - self.reported_documents, self.bytes - self.reported_bytes)
        self.reported_documents, self.reported_bytes = self.documents, self.bytes


@dataclass(slots=True)
class _Parts:
    """The open part files of a shard, the processor and what has been counted so far."""

    processor: Processor
    text_field: str
    results: IO[bytes]
    rejects: IO[bytes]
    transformed: IO[bytes] | None
    tally: _Tally

    def reject(self, item: Reject) -> None:
        tally = self.tally
        _write_reject(self.rejects, item)
        tally.rejects += 1
        tally.bytes += item.size
        if tally.first_reject is None:
            tally.first_reject = f"{item.file}:{item.line}: {item.reason}"

    def document(self, item: Document) -> None:
        """Run the processor protocol on one document and write what it gives."""
        scan = self.processor.open()
        transformed = self.transformed
        writer = (
            _TransformedWriter(transformed, item, self.text_field)
            if transformed is not None
            else None
        )
        pieces = [item.text] if item.text is not None else item.pieces
        assert pieces is not None
        for window in windows(pieces):
            piece = scan.feed(window)
            if writer is not None and piece is not None:
                writer.write(piece)
        outcome = scan.finish()
        if writer is not None:
            writer.close(dropped=outcome.dropped, tags=outcome.tags)
        result = outcome.result
        if result == _NO_SPANS:  # most documents: the line without the encoder's work
            self.results.write(b'{"id":' + _dumps(item.id) + b',"spans":[]}\n')
        else:
            self.results.write(_dumps({"id": item.id, **result}) + b"\n")
        replaced, size = item.final_counts()
        tally = self.tally
        tally.documents += 1
        tally.flagged += outcome.flagged
        tally.dropped += outcome.dropped
        tally.bytes += size
        if replaced:
            tally.replaced += replaced
            tally.replaced_documents += 1
            if tally.first_replaced is None:
                tally.first_replaced = item.where


# Switch the fast path off to compare it with the general one (tests, benchmarks); forked
# workers inherit the setting.
FAST_PATH = True
# The longest text that is one whole window (see documents.windows).
_WHOLE_CHARS = WINDOW_CHARS + OVERLAP_CHARS


def _detects_only(job: ShardJob, processor: Processor) -> PiiProcessor | None:
    """The PII processor when the shard can take the fast path: JSONL input, detection
    without anonymisation (so no transformed output either)."""
    if (
        FAST_PATH
        and type(processor) is PiiProcessor
        and processor.operator is None
        and job.shard.file.format is InputFormat.JSONL
    ):
        return processor
    return None


def _detect_lines(
    job: ShardJob,
    processor: PiiProcessor,
    parts: _Parts,
    progress: Callable[[int, int], None] | None,
) -> None:
    """The fast path: ``detect()`` on each ordinary line, and its result line written
    directly; the same bytes as the processor protocol gives (one whole window, spans
    as found, no transformed output), without its objects."""
    find = detector(types=processor.types, min_score=processor.min_score)
    results, tally = parts.results, parts.tally
    name = job.shard.file.name
    for item in read_plain_jsonl(job.shard, job.read):
        if isinstance(item, tuple):
            doc_id, text, record, number, size = item
            if len(text) >= _WHOLE_CHARS:  # several windows: the general way
                where = f"{name}:{number}"
                parts.document(Document(doc_id, text, where, source=record, size=size))
            else:
                spans = find(text)
                if spans:
                    found = [
                        {"type": s.type, "start": s.start, "end": s.end, "score": s.score}
                        for s in spans
                    ]
                    results.write(_dumps({"id": doc_id, "spans": found}) + b"\n")
                    tally.flagged += 1
                else:
                    results.write(b'{"id":' + _id_json(doc_id) + b',"spans":[]}\n')
                tally.documents += 1
                tally.bytes += size
        elif isinstance(item, Reject):
            parts.reject(item)
            continue
        else:
            parts.document(item)
        if progress is not None and tally.documents % _PROGRESS_EVERY == 0:
            tally.report(progress)


def _write_parts(
    job: ShardJob,
    processor: Processor,
    temps: dict[str, Path],
    progress: Callable[[int, int], None] | None,
) -> _Tally:
    tally = _Tally()
    with ExitStack() as stack:
        handles = {kind: stack.enter_context(open(path, "wb")) for kind, path in temps.items()}
        parts = _Parts(
            processor,
            job.read.text_field,
            handles["results"],
            handles["rejects"],
            handles.get("transformed"),
            tally,
        )
        detector = _detects_only(job, processor)
        if detector is not None:
            _detect_lines(job, detector, parts, progress)
        else:
            for item in read_shard(job.shard, job.read):
                if isinstance(item, Reject):
                    parts.reject(item)
                    continue
                parts.document(item)
                if progress is not None and tally.documents % _PROGRESS_EVERY == 0:
                    tally.report(progress)
        for handle in handles.values():
            handle.flush()
            os.fsync(handle.fileno())
    if progress is not None:
        tally.report(progress)
    return tally


def process_shard(job: ShardJob, progress: Callable[[int, int], None] | None = None) -> ShardStats:
    """Process one shard and mark it done; ``progress(documents, bytes)`` is called now and
    then with the increments since the last call."""
    started = time.perf_counter()
    processor = _processor(job.spec)
    index = job.shard.index
    suffix = f".{os.getpid()}.tmp"
    finals = {kind: part_path(job.workdir, index, kind) for kind in PART_KINDS}
    kinds = PART_KINDS if processor.transforms else ("results", "rejects")
    temps = {kind: finals[kind].with_name(finals[kind].name + suffix) for kind in kinds}
    try:
        tally = _write_parts(job, processor, temps, progress)
    except BaseException:
        for path in temps.values():
            path.unlink(missing_ok=True)
        raise
    for kind, path in temps.items():
        path.replace(finals[kind])
    stats = ShardStats(
        index=index,
        documents=tally.documents,
        flagged=tally.flagged,
        dropped=tally.dropped,
        rejects=tally.rejects,
        replaced=tally.replaced,
        replaced_documents=tally.replaced_documents,
        bytes=tally.bytes,
        seconds=round(time.perf_counter() - started, 3),
        first_reject=tally.first_reject,
        first_replaced=tally.first_replaced,
        pid=os.getpid(),
    )
    marker = marker_path(job.workdir, index)
    temporary = marker.with_name(marker.name + suffix)
    temporary.write_text(json.dumps(stats.to_json()), encoding="utf-8")
    temporary.replace(marker)
    return stats
