"""Factories for corpora on disk. Every personal value here is FAKE."""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard

EVAL_SET = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "pii_eval.jsonl"
COMPRESSIONS = ("none", "gzip", "zstd")


def compress(data: bytes, compression: str) -> bytes:
    if compression == "gzip":
        return gzip.compress(data)
    if compression == "zstd":
        return bytes(zstandard.ZstdCompressor().compress(data))
    return data


def write_bytes(path: Path, data: bytes, compression: str = "none") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(compress(data, compression))
    return path


def jsonl_bytes(records: Sequence[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def write_jsonl(path: Path, records: Sequence[dict[str, Any]], compression: str = "none") -> Path:
    return write_bytes(path, jsonl_bytes(records), compression)


def write_text(path: Path, lines: Sequence[str], compression: str = "none") -> Path:
    return write_bytes(path, "".join(line + "\n" for line in lines).encode("utf-8"), compression)


def write_parquet(
    path: Path,
    records: Sequence[dict[str, Any]],
    *,
    codec: str = "none",
    row_group_size: int | None = None,
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = {key: [r.get(key) for r in records] for key in records[0]}
    table = pa.table(columns)
    pq.write_table(table, path, compression=codec, row_group_size=row_group_size)
    return path


def eval_documents(limit: int | None = None) -> list[dict[str, Any]]:
    """Documents of the committed evaluation set (fake values, gold spans)."""
    with EVAL_SET.open(encoding="utf-8") as handle:
        documents = [json.loads(line) for line in handle if line.strip()]
    return documents[:limit] if limit is not None else documents


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


SAMPLE = [
    {"id": "a", "text": "연락처 010-1234-5678로 주세요"},
    {"id": "b", "text": "no personal data here"},
    {"id": "c", "text": "mail jane.doe@example.com today"},
]
