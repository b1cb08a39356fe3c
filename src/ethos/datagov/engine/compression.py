"""Compression of input files, recognised by magic bytes rather than by extension."""

from __future__ import annotations

import gzip
import io
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, cast

from .errors import ScanInputError

__all__ = ["Compression", "open_binary", "sniff_compression", "strip_compression_suffix"]

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".zst": "zstd", ".zstd": "zstd"}
_READ_SIZE = 1 << 20


class Compression(StrEnum):
    NONE = "none"
    GZIP = "gzip"
    ZSTD = "zstd"


def sniff_compression(head: bytes) -> Compression:
    """The compression of a file whose first bytes are ``head``."""
    if head.startswith(_GZIP_MAGIC):
        return Compression.GZIP
    if head.startswith(_ZSTD_MAGIC):
        return Compression.ZSTD
    return Compression.NONE


def strip_compression_suffix(name: str) -> str:
    """``a.jsonl.gz`` -> ``a.jsonl``; other names unchanged."""
    suffix = Path(name).suffix.lower()
    return name[: -len(suffix)] if suffix in _SUFFIXES else name


def open_binary(path: str, compression: Compression) -> BinaryIO:
    """Open ``path`` for reading, decompressing as a stream (never the whole file at once)."""
    if compression is Compression.NONE:
        return open(path, "rb")
    if compression is Compression.GZIP:
        return cast(BinaryIO, gzip.open(path, "rb"))
    try:
        import zstandard
    except ImportError:  # pragma: no cover - zstandard is in the scan extra
        raise ScanInputError(
            f"{path}: zstd-compressed input needs the zstandard package "
            "(pip install 'ethos[scan]')",
            ko=(
                f"{path}: zstd로 압축된 입력에는 zstandard 패키지가 필요합니다"
                "(pip install 'ethos[scan]')"
            ),
        ) from None
    raw = open(path, "rb")  # noqa: SIM115 - closed with the reader
    reader = zstandard.ZstdDecompressor().stream_reader(
        raw, read_size=_READ_SIZE, read_across_frames=True, closefd=True
    )
    return cast(BinaryIO, io.BufferedReader(cast(io.RawIOBase, reader), _READ_SIZE))
