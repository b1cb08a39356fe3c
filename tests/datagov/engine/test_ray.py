"""The Ray engine gives byte for byte the outputs of the local engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import ray

from ethos.datagov.engine import Engine, PiiSpec, ScanRequest, run_scan
from tests.datagov.engine.conftest import eval_documents
from tests.datagov.engine.test_engine import mixed_corpus

KEY = b"ray-test-key-0123456789"


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=100 * 2**20,
        log_to_driver=False,
    )
    try:
        yield
    finally:
        ray.shutdown()


def _outputs(tmp_path: Path, name: str, **options: Any) -> tuple[bytes, bytes]:
    out = tmp_path / name / "d.jsonl"
    anonymised = tmp_path / name / "anon.jsonl"
    run_scan(
        ScanRequest(
            location=str(tmp_path / "corpus"),
            output=out,
            spec=PiiSpec(operator="pseudonym", key=KEY),
            transformed=anonymised,
            shard_bytes=15_000,
            progress=False,
            **options,
        )
    )
    return out.read_bytes(), anonymised.read_bytes()


def test_ray_and_local_outputs_are_identical(tmp_path: Path, local_ray: None) -> None:
    expected = mixed_corpus(tmp_path / "corpus", eval_documents(600))
    local = _outputs(tmp_path, "local", workers=2)
    on_ray = _outputs(tmp_path, "ray", workers=2, engine=Engine.RAY)
    assert on_ray == local
    assert local[0].count(b"\n") == len(expected)
    assert ray.is_initialized()  # a Ray the caller started is left running


def test_ray_resumes_a_local_run(tmp_path: Path, local_ray: None) -> None:
    mixed_corpus(tmp_path / "corpus", eval_documents(300))
    first = _outputs(tmp_path, "run", keep_work=True)
    work = tmp_path / "run" / "d.jsonl.work"
    markers = sorted(work.glob("*.done"))
    for marker in markers[::2]:
        marker.unlink()
    kept = {m.name: m.stat().st_mtime_ns for m in markers[1::2]}
    second = _outputs(tmp_path, "run", engine=Engine.RAY, workers=2, keep_work=True)
    assert second == first
    assert {name: (work / name).stat().st_mtime_ns for name in kept} == kept
