"""A corpus: its input files, their formats, and the shards the work is split into.

Rules
-----
- A path is a file, a directory (every file below it, recursively, in sorted order; names
  starting with ``.`` or ``_`` are skipped) or a glob pattern (``data/*.jsonl.gz``,
  ``**`` allowed).
- Compression (gzip, zstd) is recognised by the file's magic bytes, whatever its name.
- The format is ``jsonl`` for ``.jsonl``, ``.ndjson`` and ``.json``; ``parquet`` for
  ``.parquet`` and ``.pq``; ``text`` for ``.txt`` and ``.text`` (compression suffixes such
  as ``.gz`` are looked through). Other names are sniffed: ``PAR1`` -> parquet, a first
  ``{`` -> jsonl, else text. In a directory, files with other suffixes are skipped unless
  a format is forced.
- Shards: an uncompressed JSONL or text file larger than the shard size is cut into byte
  ranges that start at line starts; a compressed file is one shard (a compressed stream
  cannot be entered in the middle); a Parquet file is cut into ranges of row groups.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from .compression import Compression, sniff_compression, strip_compression_suffix
from .errors import ScanInputError

__all__ = [
    "Corpus",
    "InputFile",
    "InputFormat",
    "Shard",
    "discover",
    "plan_shards",
]

_SUFFIX_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".txt": "text",
    ".text": "text",
}
_SNIFF_BYTES = 4096
_COUNT_BLOCK = 16 << 20


class InputFormat(StrEnum):
    JSONL = "jsonl"
    PARQUET = "parquet"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file of the corpus.

    ``name`` is the path relative to the corpus root (POSIX separators); it is what
    document ids and messages use.
    """

    path: str
    name: str
    format: InputFormat
    compression: Compression
    size: int
    mtime_ns: int

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.name,
            "format": self.format.value,
            "compression": self.compression.value,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InputFile:
        return cls(
            path=data["path"],
            name=data["name"],
            format=InputFormat(data["format"]),
            compression=Compression(data["compression"]),
            size=int(data["size"]),
            mtime_ns=int(data["mtime_ns"]),
        )


@dataclass(frozen=True, slots=True)
class Corpus:
    """The files found for an input path, and how many were skipped for their names."""

    files: tuple[InputFile, ...]
    skipped: int


@dataclass(frozen=True, slots=True)
class Shard:
    """A unit of work: part of one file.

    For JSONL and text, ``start``/``stop`` are byte offsets (``stop`` is ``-1`` for "to
    the end", used for compressed files) and ``first_line`` the 1-based number of the line
    at ``start``. For Parquet they are a range of row groups and ``first_line`` is the
    1-based number of the first row.
    """

    index: int
    file: InputFile
    start: int
    stop: int
    first_line: int

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "stop": self.stop, "first_line": self.first_line}


def _has_magic(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


def _glob_root(pattern: str) -> Path:
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if _has_magic(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "_")) for part in relative.parts)


def _format_of(path: Path, forced: InputFormat | None) -> InputFormat | None:
    if forced is not None:
        return forced
    suffix = Path(strip_compression_suffix(path.name)).suffix.lower()
    if suffix in _SUFFIX_FORMATS:
        return InputFormat(_SUFFIX_FORMATS[suffix])
    return None


def _sniff_format(path: Path, compression: Compression, head: bytes) -> InputFormat:
    from .compression import open_binary

    if head.startswith(b"PAR1"):
        return InputFormat.PARQUET
    if compression is not Compression.NONE:
        with open_binary(str(path), compression) as stream:
            head = stream.read(_SNIFF_BYTES)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return InputFormat.JSONL if stripped.startswith(b"{") else InputFormat.TEXT


def _describe(
    path: Path, name: str, forced: InputFormat | None, *, strict: bool
) -> InputFile | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        stat = path.stat()
    except OSError as exc:
        raise ScanInputError(
            f"{name}: cannot be read ({exc.strerror})",
            ko=f"{name}: 읽을 수 없습니다({exc.strerror})",
        ) from None
    compression = sniff_compression(head)
    found = _format_of(path, forced)
    if found is None:
        if not strict:
            return None
        found = _sniff_format(path, compression, head)
    if found is InputFormat.PARQUET and compression is not Compression.NONE:
        raise ScanInputError(
            f"{name}: a Parquet file compressed as a whole ({compression.value}) cannot be "
            "read by row groups; decompress it (Parquet compresses its pages itself)",
            ko=(
                f"{name}: 파일 전체가 압축된({compression.value}) Parquet 파일은 행 그룹 "
                "단위로 읽을 수 없습니다. 압축을 푸세요(Parquet은 페이지를 스스로 압축합니다)"
            ),
        )
    return InputFile(
        path=str(path.resolve()),
        name=name,
        format=found,
        compression=compression,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
    )


def discover(location: str, *, forced: InputFormat | None = None) -> Corpus:
    """Find the files of a corpus given as a file, a directory or a glob pattern.

    Raises
    ------
    ScanInputError
        When nothing matches, or a file cannot be read.
    """
    path = Path(location)
    if path.is_file():
        described = _describe(path, path.name, forced, strict=True)
        assert described is not None
        return Corpus(files=(described,), skipped=0)
    if path.is_dir():
        root = path
        candidates = sorted(p for p in path.rglob("*") if p.is_file())
        strict = forced is not None
    elif _has_magic(location):
        root = _glob_root(location)
        candidates = sorted(Path(p) for p in glob.glob(location, recursive=True))
        candidates = [p for p in candidates if p.is_file()]
        strict = True
    else:
        raise ScanInputError(
            f"input not found: {location}", ko=f"입력을 찾을 수 없습니다: {location}"
        )
    files: list[InputFile] = []
    skipped = 0
    for candidate in candidates:
        relative = candidate.relative_to(root) if candidate.is_relative_to(root) else candidate
        if _hidden(relative):
            continue
        described = _describe(candidate, relative.as_posix(), forced, strict=strict)
        if described is None:
            skipped += 1
        else:
            files.append(described)
    if not files:
        raise ScanInputError(
            f"no input files found in {location}",
            ko=f"{location}에서 입력 파일을 찾지 못했습니다",
        )
    return Corpus(files=tuple(files), skipped=skipped)


def discover_files(
    paths: Sequence[Path], *, root: Path, forced: InputFormat | None = None
) -> Corpus:
    """A corpus of exactly ``paths`` (a registered dataset's files), named relative to
    ``root``; every file must be readable and of a format the engine reads."""
    if not paths:
        raise ScanInputError("the dataset lists no files", ko="데이터셋에 등록된 파일이 없습니다")
    files = []
    for path in paths:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        described = _describe(path, name, forced, strict=True)
        assert described is not None
        files.append(described)
    return Corpus(files=tuple(files), skipped=0)


def _line_boundaries(file: InputFile, shard_bytes: int) -> list[tuple[int, int]]:
    """Line starts at or after every ``shard_bytes`` step, each with the number of lines
    before it, found in one sequential pass over the file."""
    cuts: list[tuple[int, int]] = [(0, 0)]
    target = shard_bytes
    position = 0
    lines_before = 0
    with open(file.path, "rb") as handle:
        while block := handle.read(_COUNT_BLOCK):
            search_from = max(0, target - position)
            counted = 0  # block[:counted] holds lines_before - (lines before the block)
            while search_from < len(block):
                newline = block.find(b"\n", search_from)
                if newline < 0:
                    break
                lines_before += block.count(b"\n", counted, newline + 1)
                counted = newline + 1
                cut = position + newline + 1
                if cut < file.size:
                    cuts.append((cut, lines_before))
                target = cut + shard_bytes
                search_from = max(newline + 1, target - position)
            lines_before += block.count(b"\n", counted)
            position += len(block)
    return cuts


def _parquet_ranges(file: InputFile, shard_bytes: int) -> list[tuple[int, int, int]]:
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(file.path).metadata
    ranges: list[tuple[int, int, int]] = []
    first, size, rows, first_row = 0, 0, 0, 1
    for group in range(metadata.num_row_groups):
        info = metadata.row_group(group)
        size += info.total_byte_size
        rows += info.num_rows
        if size >= shard_bytes:
            ranges.append((first, group + 1, first_row))
            first, size, first_row = group + 1, 0, first_row + rows
            rows = 0
    if first < metadata.num_row_groups or not ranges:
        ranges.append((first, metadata.num_row_groups, first_row))
    return ranges


def plan_shards(
    files: tuple[InputFile, ...], *, shard_bytes: int, whole_files: bool = False
) -> list[Shard]:
    """Cut the corpus into shards of about ``shard_bytes`` each, in input order.

    ``whole_files`` keeps each file in one shard (text read one document per file).
    """
    if shard_bytes < 1:
        raise ScanInputError("the shard size must be positive", ko="샤드 크기는 0보다 커야 합니다")
    shards: list[Shard] = []
    for file in files:
        if file.format is InputFormat.PARQUET:
            for first, stop, first_row in _parquet_ranges(file, shard_bytes):
                shards.append(Shard(len(shards), file, first, stop, first_row))
            continue
        if whole_files or file.compression is not Compression.NONE:
            shards.append(Shard(len(shards), file, 0, -1, 1))
            continue
        if file.size <= shard_bytes:
            shards.append(Shard(len(shards), file, 0, file.size, 1))
            continue
        cuts = _line_boundaries(file, shard_bytes)
        ends = [cut for cut, _lines in cuts[1:]] + [file.size]
        for (start, lines), stop in zip(cuts, ends, strict=True):
            shards.append(Shard(len(shards), file, start, stop, lines + 1))
    return shards
