"""The realistic low-PII corpus of the speed benchmarks (benchmarks/pii_realistic.py)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


@pytest.fixture(scope="module")
def realistic() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pii_realistic", BENCHMARKS / "pii_realistic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_corpus_is_deterministic_and_near_its_size(realistic: ModuleType) -> None:
    first = realistic.realistic_corpus(0.3, pii_every=20, seed=3)
    assert first == realistic.realistic_corpus(0.3, pii_every=20, seed=3)
    assert first != realistic.realistic_corpus(0.3, pii_every=20, seed=4)
    size = sum(len(text.encode()) for text in first)
    assert 0.3e6 <= size < 0.3e6 + realistic.MAX_BYTES * 4


def test_one_document_in_n_comes_from_the_evaluation_set(realistic: ModuleType) -> None:
    with (BENCHMARKS / "data" / "pii_eval.jsonl").open(encoding="utf-8") as handle:
        labelled = {json.loads(line)["text"] for line in handle if line.strip()}
    texts = realistic.realistic_corpus(0.5, pii_every=10, seed=1)
    from_set = [index for index, text in enumerate(texts) if text in labelled]
    assert from_set == list(range(9, len(texts), 10))


def test_prose_is_our_own_text_cut_into_paragraph_sized_documents(
    realistic: ModuleType,
) -> None:
    prose = realistic.prose_documents()
    sources = [*realistic._markdown_files(), *realistic._yaml_files()]
    assert all(path.is_relative_to(BENCHMARKS.parent) for path in sources)
    assert any(path.name == "README.md" for path in sources)
    assert any(path.suffix == ".yaml" for path in sources)
    pieces = []
    for path in sources:
        raw = path.read_text(encoding="utf-8")
        pieces.append(raw if path.suffix == ".md" else "\n".join(_strings(yaml.safe_load(raw))))
    joined = "\n".join(pieces)
    # Every document begins with a paragraph or string taken from those files.
    for document in prose[::7]:
        first = document.split("\n\n", 1)[0].split("\n", 1)[0][:60]
        assert first in joined
    sizes = sorted(len(document.encode()) for document in prose)
    assert 200 <= sizes[len(sizes) // 2] <= realistic.MAX_BYTES
    assert any("\uac00" <= ch <= "\ud7a3" for document in prose for ch in document)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_every_document_of_a_corpus_is_its_own_object(realistic: ModuleType) -> None:
    # A repeated document must not be the same object (it would still be in the caches).
    texts = realistic.realistic_corpus(0.6, pii_every=5, seed=2)
    assert len(set(texts)) < len(texts)  # the corpus does repeat documents
    assert len({id(text) for text in texts}) == len(texts)
    dense = realistic.eval_corpus(0.6)
    assert len({id(text) for text in dense}) == len(dense) > len(set(dense))
