"""Scanning engines: run a processor (PII, toxicity) over a corpus of any size.

>>> from pathlib import Path
>>> from ethos.datagov.engine import PiiSpec, ScanRequest, run_scan
>>> summary = run_scan(ScanRequest("corpus/", Path("pii.jsonl"), PiiSpec()))  # doctest: +SKIP

Inputs are JSONL, Parquet or plain text, gzip or zstd compressed or not, one file, a
directory or a glob (see :mod:`.corpus` and :mod:`.readers`). Work is split into shards,
run by the local engine (processes) or the Ray engine, and merged in input order; an
interrupted run resumes (see :mod:`.workdir`).
"""

from __future__ import annotations

from .corpus import Corpus, InputFile, InputFormat, Shard, discover, plan_shards
from .documents import Document, Reject, Window, windows
from .errors import ScanBusyError, ScanInputError
from .processors import (
    DocumentScan,
    PiiProcessor,
    PiiSpec,
    Processor,
    ProcessorSpec,
    ScanOutcome,
    process_text,
)
from .readers import ReadOptions, read_shard
from .run import DEFAULT_SHARD_BYTES, Engine, ScanRequest, ScanSummary, default_rejects, run_scan
from .toxicity import ToxicityProcessor, ToxicitySpec

__all__ = [
    "DEFAULT_SHARD_BYTES",
    "Corpus",
    "Document",
    "DocumentScan",
    "Engine",
    "InputFile",
    "InputFormat",
    "PiiProcessor",
    "PiiSpec",
    "Processor",
    "ProcessorSpec",
    "ReadOptions",
    "Reject",
    "ScanBusyError",
    "ScanInputError",
    "ScanOutcome",
    "ScanRequest",
    "ScanSummary",
    "Shard",
    "ToxicityProcessor",
    "ToxicitySpec",
    "Window",
    "default_rejects",
    "discover",
    "plan_shards",
    "process_text",
    "read_shard",
    "run_scan",
    "windows",
]
