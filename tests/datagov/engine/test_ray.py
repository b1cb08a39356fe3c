"""The Ray engine gives byte for byte the outputs of the local engine."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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


def test_without_ray_data_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ray.data", None)  # what a missing pandas amounts to
    with pytest.raises(ScanInputError, match=r"pip install 'ethos\[ray\]'"):
        ray_engine._ray()


@dataclass(frozen=True)
class _CrashingSpec:
    """A processor whose every build kills its worker, after noting the attempt."""

    tries: str
    kind = "crash"
    transforms = False

    def build(self) -> Any:
        with open(self.tries, "a", encoding="utf-8") as handle:
            handle.write("try\n")
        os._exit(1)

    def fingerprint(self) -> dict[str, Any]:
        return {"kind": self.kind}


def test_a_shard_whose_worker_dies_is_tried_three_times_then_fails(
    tmp_path: Path, local_ray: None
) -> None:
    """Ray Data alone would retry such a shard for ever."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "one.jsonl").write_text('{"text": "x"}\n', encoding="utf-8")
    tries = tmp_path / "tries.txt"
    request = ScanRequest(
        location=str(tmp_path / "corpus"),
        output=tmp_path / "out.jsonl",
        spec=_CrashingSpec(str(tries)),
        engine=Engine.RAY,
        workers=1,
        progress=False,
    )
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(run_scan, request)
        with pytest.raises(ray.exceptions.RayError):
            running.result(timeout=240)
    assert tries.read_text(encoding="utf-8").count("try") == 3
    assert not (tmp_path / "out.jsonl").exists()


def test_a_scan_connects_to_a_running_cluster_and_leaves_it_running(
    tmp_path: Path, local_ray: None
) -> None:
    mixed_corpus(tmp_path / "corpus", eval_documents(120))
    local = _outputs(tmp_path, "local", workers=1)
    out = tmp_path / "remote" / "d.jsonl"
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from ethos.datagov.engine import Engine, PiiSpec, ScanRequest, run_scan\n"
        "run_scan(ScanRequest(location=sys.argv[1], output=Path(sys.argv[2]),"
        " spec=PiiSpec(operator='pseudonym', key=sys.argv[3].encode()),"
        " transformed=Path(sys.argv[4]), shard_bytes=15_000, engine=Engine.RAY,"
        " workers=2, progress=False))\n"
    )
    address = ray.get_runtime_context().gcs_address
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(tmp_path / "corpus"),
            str(out),
            KEY.decode(),
            str(out.with_name("anon.jsonl")),
        ],
        env={**os.environ, "RAY_ADDRESS": address},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (out.read_bytes(), out.with_name("anon.jsonl").read_bytes()) == local
    assert "Started a local Ray instance" not in done.stderr
    assert "Connecting to existing Ray cluster" not in done.stderr  # no Ray lines at all
    assert ray.get(ray.put("still here")) == "still here"


def test_ray_data_settings_hold_only_inside_the_scan() -> None:
    context = ray.data.DataContext.get_current()
    names = list(ray_engine._SETTINGS)
    saved = {name: getattr(context, name) for name in names}
    logger = logging.getLogger("ray.data")
    level = logger.level
    try:
        for name in names:
            setattr(context, name, "caller's")
        logger.setLevel(logging.DEBUG)
        with ray_engine._quiet_ray_data(ray):
            assert {name: getattr(context, name) for name in names} == ray_engine._SETTINGS
            assert logger.level == logging.CRITICAL
        assert {getattr(context, name) for name in names} == {"caller's"}
        assert logger.level == logging.DEBUG
        with pytest.raises(RuntimeError), ray_engine._quiet_ray_data(ray):
            raise RuntimeError("a failing scan")
        assert {getattr(context, name) for name in names} == {"caller's"}
        assert logger.level == logging.DEBUG
    finally:
        for name, value in saved.items():
            setattr(context, name, value)
        logger.setLevel(level)
