"""A realistic low-PII corpus for throughput runs, made from the repository's own text.

Training corpora hold mostly text without personal data. This module builds such a corpus
at run time from prose we wrote ourselves, in Korean and English: the Markdown files in
``docs/`` and ``README.md``, and every longer string in the knowledge YAML
(``src/ethos/knowledge/**/*.yaml``: titles, texts, questions, summaries) and in the
report templates' label YAML. Markdown is cut at blank lines and YAML strings are taken
in file order; both are packed into paragraph-sized documents (about 300 to 1,200
bytes). Documents of the labelled evaluation set are sprinkled in at a fixed rate (one
in ``pii_every``), so a run also validates and scores personal values as a real corpus
would. The order is shuffled with a fixed seed. Nothing is downloaded and nothing comes
from outside the repository.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL_SET = ROOT / "benchmarks" / "data" / "pii_eval.jsonl"
# A YAML string this long or longer is prose; shorter ones are ids, codes and enum values.
MIN_STRING = 20
TARGET_BYTES = 600
MAX_BYTES = 1200


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _yaml_files() -> list[Path]:
    knowledge = sorted((ROOT / "src" / "ethos" / "knowledge").rglob("*.yaml"))
    labels = sorted((ROOT / "src" / "ethos" / "reports" / "templates").glob("*.yaml"))
    return knowledge + labels


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if len(value.strip()) >= MIN_STRING:
            yield value.strip()
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _paragraphs() -> Iterator[str]:
    for path in _markdown_files():
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            if block.strip():
                yield block.strip()
    for path in _yaml_files():
        yield from _strings(yaml.safe_load(path.read_text(encoding="utf-8")))


def prose_documents() -> list[str]:
    """The repository's prose packed into paragraph-sized documents, in file order."""
    documents: list[str] = []
    current: list[str] = []
    size = 0
    for paragraph in _paragraphs():
        length = len(paragraph.encode())
        if current and size + length > MAX_BYTES:
            documents.append("\n\n".join(current))
            current, size = [], 0
        current.append(paragraph)
        size += length
        if size >= TARGET_BYTES:
            documents.append("\n\n".join(current))
            current, size = [], 0
    if current:
        documents.append("\n\n".join(current))
    return documents


def eval_texts(path: Path = EVAL_SET) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def realistic_corpus(
    target_mb: float, *, pii_every: int = 20, seed: int = 6, eval_set: Path = EVAL_SET
) -> list[str]:
    """About ``target_mb`` MB of prose documents with one document of ``eval_set`` in
    ``pii_every`` (the prose repeats in a new order when the target needs more)."""
    prose = prose_documents()
    pii = eval_texts(eval_set)
    rng = random.Random(seed)
    target = int(target_mb * 1e6)
    texts: list[str] = []
    size = 0
    while size < target:
        batch = prose[:]
        rng.shuffle(batch)
        for text in batch:
            if len(texts) % pii_every == pii_every - 1:
                text = rng.choice(pii)
            texts.append(text)
            size += len(text.encode())
            if size >= target:
                break
    return distinct(texts)


def distinct(texts: list[str]) -> list[str]:
    """``texts`` with every document a string object of its own: a repeated document is
    otherwise the same object each time, still in the processor's caches from its last
    visit, which a real corpus read from disk never is."""
    return [text.encode().decode() for text in texts]


def eval_corpus(target_mb: float) -> list[str]:
    """The evaluation set (PII-dense) replicated to about ``target_mb`` MB."""
    pii = eval_texts()
    size = sum(len(text.encode()) for text in pii)
    copies = max(1, -(-int(target_mb * 1e6) // size))
    return distinct([text for _ in range(copies) for text in pii])


def describe(texts: list[str]) -> dict[str, Any]:
    """Documents, MB, the share of non-ASCII characters (a proxy for Korean), and a
    digest of the corpus (the prose changes with the checkout it is built from)."""
    chars = sum(len(text) for text in texts)
    non_ascii = sum(sum(1 for ch in text if ord(ch) > 0x7F) for text in texts)
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode() + b"\x00")
    return {
        "documents": len(texts),
        "mb": sum(len(text.encode()) for text in texts) / 1e6,
        "non_ascii_share": non_ascii / chars if chars else 0.0,
        "sha256": digest.hexdigest(),
    }
