"""The Ray engine: the shards as a Ray Data pipeline (``pip install 'ethos[ray]'``).

The pending shards become a Ray Dataset of shard numbers, one block each; its ``map``
runs :func:`~ethos.datagov.engine.shards.process_shard` on each, ``workers`` tasks at a
time (Ray Data's task pool), and the driver takes the rows as they finish. Each shard is
read, scanned and written exactly as the local engine does it, with its parts, its
completion marker and the same merge, so the outputs are byte for byte the local
engine's and an interrupted run resumes with either engine.

The work directory must be on a file system every Ray node can reach (always true for a
Ray started on this machine). A Ray this process has initialised is used as it is; else
the scan connects to a running cluster (``$RAY_ADDRESS``, or the last one ``ray start``
started here) and disconnects at the end; else it starts one on this machine with
``workers`` CPUs, no dashboard and a small object store, and stops it at the end. A shard
whose worker dies is tried at most three times. Ray Data's own progress bars and log
lines are switched off while the scan runs (the scan shows its own, and raises the
errors), and its settings and Ray's log level are restored afterwards.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ethos.domain.errors import EthosError

from .errors import ScanInputError
from .progress import Progress
from .shards import ShardJob, ShardStats, process_shard

__all__ = ["run_ray"]

_OBJECT_STORE_BYTES = 128 << 20
# Attempts after the first for a shard whose worker dies (out of memory, say); Ray Data's
# own default retries for ever.
_RETRIES = 2
# Ray Data settings for the scan: no progress bars or start-up lines of its own, the
# shard's own error (a missing column, say) instead of a wrapper.
_SETTINGS = {
    "enable_progress_bars": False,
    "enable_operator_progress_bars": False,
    "print_on_execution_start": False,
    "raise_original_map_exception": True,
}


def _ray() -> Any:
    try:
        import ray
        import ray.data  # needs pandas: the ray extra installs ray[data]
    except ImportError:
        raise ScanInputError(
            "--engine ray needs Ray Data: pip install 'ethos[ray]'",
            ko="--engine ray에는 Ray Data가 필요합니다: pip install 'ethos[ray]'",
        ) from None
    return ray


class _Shards:
    """The function Ray Data maps over the rows ``{"shard": i}``: it processes
    ``jobs[i]`` and gives its stats as JSON."""

    def __init__(self, jobs: Sequence[ShardJob]) -> None:
        self.jobs = list(jobs)

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        stats = process_shard(self.jobs[int(row["shard"])])
        return {"stats": json.dumps(stats.to_json())}


@contextmanager
def _quiet_ray_data(ray: Any) -> Iterator[None]:
    """Ray Data with the scan's settings, and its log lines held back (the scan raises
    the errors itself); the caller's settings and log levels again afterwards."""
    context = ray.data.DataContext.get_current()
    saved = {name: getattr(context, name) for name in _SETTINGS}
    loggers = [logging.getLogger(name) for name in ("ray", "ray.data")]
    levels = [logger.level for logger in loggers]
    for name, value in _SETTINGS.items():
        setattr(context, name, value)
    loggers[1].setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(context, name, value)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _connect(ray: Any, workers: int) -> None:
    """Connect to a running cluster, or start one on this machine."""
    quiet = {"log_to_driver": False, "logging_level": logging.ERROR}
    try:
        ray.init(address="auto", **quiet)
    except ConnectionError:  # none running: start one
        ray.init(
            num_cpus=workers,
            include_dashboard=False,
            object_store_memory=_OBJECT_STORE_BYTES,
            **quiet,
        )


def _ethos_error(error: BaseException, wrappers: type[BaseException]) -> EthosError | None:
    """The scan's own error behind Ray's ``wrappers`` (which may subclass it), if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, EthosError) and not isinstance(current, wrappers):
            return current
        seen.add(id(current))
        cause = getattr(current, "cause", None)
        current = cause if isinstance(cause, BaseException) else current.__cause__
    return None


def run_ray(
    jobs: Sequence[ShardJob],
    *,
    workers: int,
    on_done: Callable[[ShardStats], None],
    progress: Progress,
) -> None:
    """Process ``jobs`` as a Ray Data pipeline, at most ``workers`` shards at a time."""
    if not jobs:
        return
    ray = _ray()
    initialised_here = not ray.is_initialized()
    ray_level = logging.getLogger("ray").level
    if initialised_here:
        _connect(ray, workers)
    try:
        with _quiet_ray_data(ray):
            rows = [{"shard": index} for index in range(len(jobs))]
            dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
            with warnings.catch_warnings():
                # Ray Data 2.60 names no parameter for a task's retries; the extra
                # remote argument it warns about still sets them (until Ray 2.64).
                warnings.filterwarnings(
                    "ignore", "`ray_remote_args` is deprecated", DeprecationWarning
                )
                done = dataset.map(
                    _Shards(jobs),
                    num_cpus=1,
                    compute=ray.data.TaskPoolStrategy(size=workers),
                    max_retries=_RETRIES,
                )
            try:
                for row in done.iter_rows():
                    stats = ShardStats.from_json(json.loads(row["stats"]))
                    progress.advance(stats.documents, stats.bytes)
                    on_done(stats)
                    progress.shard_done()
            except ray.exceptions.RayError as error:
                own = _ethos_error(error, ray.exceptions.RayError)
                if own is not None:
                    raise own from None
                raise
    finally:
        if initialised_here:
            ray.shutdown()  # stops a Ray started here; leaves a cluster connected to
            logging.getLogger("ray").setLevel(ray_level)
