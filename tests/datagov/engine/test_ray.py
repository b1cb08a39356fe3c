"""The Ray engine gives byte for byte the outputs of the local engine."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import ray
import ray.data

from ethos.datagov.engine import Engine, PiiSpec, ScanRequest, ray_engine, run_scan
from ethos.datagov.engine.errors import ScanInputError
from ethos.datagov.pii import PiiError
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


def test_a_shards_own_error_reaches_the_caller(tmp_path: Path, local_ray: None) -> None:
    """An input error raised while a shard runs on Ray is the error itself, not Ray's or
    Ray Data's wrapper of it."""
    mixed_corpus(tmp_path / "corpus", eval_documents(50))
    with pytest.raises(PiiError, match="NO_SUCH_TYPE") as raised:
        run_scan(
            ScanRequest(
                location=str(tmp_path / "corpus"),
                output=tmp_path / "out.jsonl",
                spec=PiiSpec(types=("NO_SUCH_TYPE",)),
                engine=Engine.RAY,
                workers=2,
                progress=False,
            )
        )
    assert type(raised.value) is PiiError  # Ray's wrapper is a subclass of it
    assert not (tmp_path / "out.jsonl").exists()


def test_ray_data_settings_are_the_callers_again_afterwards(
    tmp_path: Path, local_ray: None
) -> None:
    context = ray.data.DataContext.get_current()
    before = (context.enable_progress_bars, context.raise_original_map_exception)
    level = logging.getLogger("ray.data").level
    mixed_corpus(tmp_path / "corpus", eval_documents(40))
    _outputs(tmp_path, "run", engine=Engine.RAY, workers=1)
    after = ray.data.DataContext.get_current()
    assert (after.enable_progress_bars, after.raise_original_map_exception) == before
    assert logging.getLogger("ray.data").level == level


def test_without_ray_data_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ray.data", None)  # what a missing pandas amounts to
    with pytest.raises(ScanInputError, match=r"pip install 'ethos\[ray\]'"):
        ray_engine._ray()
