"""One scan from start to finish: find the corpus, plan or resume, run an engine, merge."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .compression import Compression
from .corpus import Corpus, InputFormat, Shard, discover, discover_files, plan_shards
from .errors import ScanInputError
from .fields import check_columns, check_jsonl_fields
from .local import run_local
from .processors import ProcessorSpec
from .progress import Progress
from .ray_engine import run_ray
from .readers import ReadOptions
from .shards import ShardJob, ShardStats, read_marker
from .workdir import WorkDir, fingerprint

__all__ = [
    "DEFAULT_SHARD_BYTES",
    "Engine",
    "ScanRequest",
    "ScanSummary",
    "auto_shard_bytes",
    "default_rejects",
    "run_scan",
]

DEFAULT_SHARD_BYTES = 16 << 20
MIN_AUTO_SHARD_BYTES = 256 << 10
AUTO_SHARDS = 32


class Engine(StrEnum):
    LOCAL = "local"
    RAY = "ray"


def auto_shard_bytes(total_bytes: int) -> int:
    """About :data:`AUTO_SHARDS` shards, each between 256 KiB and 16 MiB."""
    return max(MIN_AUTO_SHARD_BYTES, min(DEFAULT_SHARD_BYTES, total_bytes // AUTO_SHARDS))


def default_rejects(output: Path) -> Path:
    """``scores.jsonl`` -> ``scores.rejects.jsonl``; other names get ``.rejects.jsonl``."""
    name = output.name
    stem = name[: -len(".jsonl")] if name.endswith(".jsonl") else name
    return output.with_name(f"{stem}.rejects.jsonl")


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """What to scan, with what, and where the outputs go.

    ``transformed`` is required when the processor transforms (anonymise, filter) and
    refused otherwise. ``work_dir`` defaults to ``<output>.work``. ``shard_bytes``
    ``None`` cuts the corpus into about 32 shards of 256 KiB to 16 MiB each (see
    :func:`auto_shard_bytes`), so that every worker has work even on a small corpus.
    """

    location: str
    output: Path
    spec: ProcessorSpec
    # exactly these files instead of what ``location`` finds (a registered dataset's files;
    # ``location`` is then the folder they are named relative to)
    files: tuple[Path, ...] | None = None
    read: ReadOptions = field(default_factory=ReadOptions)
    transformed: Path | None = None
    rejects: Path | None = None
    format: InputFormat | None = None
    workers: int = 1
    engine: Engine = Engine.LOCAL
    shard_bytes: int | None = None
    work_dir: Path | None = None
    keep_work: bool = False
    restart: bool = False
    progress: bool = True
    # the language of the progress line: "en" or "ko"
    lang: str = "en"

    @property
    def rejects_path(self) -> Path:
        return self.rejects or default_rejects(self.output)

    @property
    def work_path(self) -> Path:
        return self.work_dir or self.output.with_name(self.output.name + ".work")


@dataclass(frozen=True, slots=True)
class ScanSummary:
    """Counts of a finished scan; locations of the first problems, never values."""

    shards: int
    resumed: int
    documents: int
    flagged: int
    dropped: int
    rejects: int
    replaced: int
    replaced_documents: int
    bytes: int
    seconds: float
    skipped_files: int
    first_reject: str | None
    first_replaced: str | None
    outputs: dict[str, str]


def _check(request: ScanRequest) -> None:
    if request.workers < 1:
        raise ScanInputError("--workers must be at least 1", ko="--workers는 1 이상이어야 합니다")
    if request.spec.transforms and request.transformed is None:
        raise ScanInputError(
            "this operation writes documents: give an output file for them",
            ko="이 작업은 문서를 씁니다: 문서를 쓸 출력 파일을 지정하세요",
        )
    if not request.spec.transforms and request.transformed is not None:
        raise ScanInputError(
            "an output for documents needs an operation that writes them",
            ko="문서 출력 파일은 문서를 쓰는 작업과 함께만 쓸 수 있습니다",
        )
    paths = [request.output, request.rejects_path, request.work_path]
    if request.transformed is not None:
        paths.append(request.transformed)
    resolved = [p.resolve() for p in paths]
    if len(set(resolved)) != len(resolved):
        raise ScanInputError(
            "the output, transformed, rejects and work paths must differ",
            ko="output, transformed, rejects, work 경로는 서로 달라야 합니다",
        )
    for path in paths[:2] + paths[3:]:
        if path.is_dir():
            raise ScanInputError(
                f"output {path} is a directory", ko=f"출력 {path}은(는) 디렉터리입니다"
            )


def _inspect(request: ScanRequest) -> tuple[Corpus, int, str]:
    """Find and check the corpus; the fingerprint of inputs and options."""
    root = Path(request.location)
    if request.files is not None:
        corpus = discover_files(request.files, root=root, forced=request.format)
    else:
        corpus = discover(request.location, forced=request.format)
    if root.is_dir():
        outputs = [request.output, request.rejects_path, request.work_path]
        outputs += [request.transformed] if request.transformed is not None else []
        inside = [p for p in outputs if p.resolve().is_relative_to(root.resolve())]
        if inside:
            raise ScanInputError(
                f"{inside[0]} is inside the input directory {root}; write outputs elsewhere",
                ko=(
                    f"{inside[0]}이(가) 입력 디렉터리 {root} 안에 있습니다. 출력은 다른 곳에 쓰세요"
                ),
            )
    written = {
        p.resolve() for p in (request.output, request.rejects_path, request.transformed) if p
    }
    for file in corpus.files:
        if Path(file.path) in written:
            raise ScanInputError(
                f"{file.name} is both an input and an output",
                ko=f"{file.name}이(가) 입력이면서 출력입니다",
            )
    read = request.read
    for file in corpus.files:
        if file.format is InputFormat.TEXT and read.id_field is not None:
            raise ScanInputError(
                f"{file.name}: --id-field applies to JSONL and Parquet input; "
                "text documents are named <file>:<line>",
                ko=(
                    f"{file.name}: --id-field는 JSONL과 Parquet 입력에만 적용됩니다. "
                    "텍스트 문서의 이름은 <file>:<line>입니다"
                ),
            )
        if file.format is InputFormat.PARQUET:
            check_columns(file, read)
    check_jsonl_fields([f for f in corpus.files if f.format is InputFormat.JSONL], read)
    shard_bytes = request.shard_bytes or auto_shard_bytes(sum(f.size for f in corpus.files))
    options = {
        "read": read.to_json(),
        "processor": request.spec.fingerprint(),
        "shard_bytes": shard_bytes,
        "transformed": request.transformed is not None,
    }
    return corpus, shard_bytes, fingerprint(corpus.files, options)


def _plan(
    request: ScanRequest, corpus: Corpus, shard_bytes: int, expected: str, workdir: WorkDir
) -> list[Shard]:
    if request.restart:
        workdir.clear()
    shards = workdir.load_plan(expected)
    if shards is None:
        shards = plan_shards(
            corpus.files, shard_bytes=shard_bytes, whole_files=request.read.whole_files
        )
        workdir.save_plan(expected, shards)
    return shards


def _pending_bytes(jobs: list[ShardJob], request: ScanRequest) -> int | None:
    """The bytes the pending shards hold, when each is a byte range of an uncompressed
    file read line by line (the engine counts the bytes of the lines it reads); else
    ``None``."""
    total = 0
    for job in jobs:
        shard = job.shard
        if (
            request.read.whole_files
            or shard.stop < 0
            or shard.file.format is InputFormat.PARQUET
            or shard.file.compression is not Compression.NONE
        ):
            return None
        total += shard.stop - shard.start
    return total


def run_scan(request: ScanRequest) -> ScanSummary:
    """Run a scan; resume an interrupted run of the same request.

    Raises
    ------
    ScanInputError
        On unusable input or options (nothing is written to the outputs).
    ScanBusyError
        When another scan holds the work directory, or it holds another run.
    """
    _check(request)
    started = time.perf_counter()
    corpus, shard_bytes, expected = _inspect(request)
    workdir = WorkDir(request.work_path)
    with workdir.locked():
        shards = _plan(request, corpus, shard_bytes, expected, workdir)
        finished: dict[int, ShardStats] = {}
        for shard in shards:
            stats = read_marker(workdir.path, shard.index)
            if stats is not None:
                finished[shard.index] = stats
        resumed = len(finished)
        jobs = [
            ShardJob(shard, request.read, request.spec, str(workdir.path))
            for shard in shards
            if shard.index not in finished
        ]
        progress = Progress(
            total_shards=len(shards),
            done_shards=resumed,
            enabled=request.progress,
            pending_bytes=_pending_bytes(jobs, request),
            lang=request.lang,
        )

        def on_done(stats: ShardStats) -> None:
            finished[stats.index] = stats

        runner = run_ray if request.engine is Engine.RAY else run_local
        try:
            runner(jobs, workers=request.workers, on_done=on_done, progress=progress)
        finally:
            progress.close()
        outputs = {"results": request.output, "rejects": request.rejects_path}
        if request.transformed is not None:
            outputs["transformed"] = request.transformed
        workdir.merge(len(shards), outputs)
        if not request.keep_work:
            workdir.remove()
    ordered = [finished[index] for index in range(len(shards))]
    return ScanSummary(
        shards=len(shards),
        resumed=resumed,
        documents=sum(s.documents for s in ordered),
        flagged=sum(s.flagged for s in ordered),
        dropped=sum(s.dropped for s in ordered),
        rejects=sum(s.rejects for s in ordered),
        replaced=sum(s.replaced for s in ordered),
        replaced_documents=sum(s.replaced_documents for s in ordered),
        bytes=sum(s.bytes for s in ordered),
        seconds=round(time.perf_counter() - started, 3),
        skipped_files=corpus.skipped,
        first_reject=next((s.first_reject for s in ordered if s.first_reject), None),
        first_replaced=next((s.first_replaced for s in ordered if s.first_replaced), None),
        outputs={kind: str(path) for kind, path in outputs.items()},
    )
