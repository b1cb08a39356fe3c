"""The Ray engine: the shards as a Ray Data pipeline (``pip install 'ethos[ray]'``).

The pending shards become a Ray Dataset of shard numbers, one block each; its ``map``
runs :func:`~ethos.datagov.engine.shards.process_shard` on each, ``workers`` tasks at a
time (Ray Data's task pool), and the driver takes the rows as they finish. Each shard is
read, scanned and written exactly as the local engine does it, with its parts, its
completion marker and the same merge, so the outputs are byte for byte the local
engine's and an interrupted run resumes with either engine.

The work directory must be on a file system every Ray node can reach (always true for a
Ray started on this machine). When no Ray is running, one is started on this machine
with ``workers`` CPUs, no dashboard and a small object store, and stopped at the end; an
already initialised Ray (``ray.init(address=...)`` or ``$RAY_ADDRESS``) is used as it
is. Ray Data's own progress bars and log lines are switched off while the scan runs (the
scan shows its own), and its settings are restored afterwards.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ethos.domain.errors import EthosError

from .errors import ScanInputError
from .progress import Progress
from .shards import ShardJob, ShardStats, process_shard

__all__ = ["run_ray"]

_OBJECT_STORE_BYTES = 128 << 20
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
    """Ray Data with the scan's settings, and its log lines below errors held back."""
    context = ray.data.DataContext.get_current()
    saved = {name: getattr(context, name) for name in _SETTINGS if hasattr(context, name)}
    logger = logging.getLogger("ray.data")
    level = logger.level
    for name in saved:
        setattr(context, name, _SETTINGS[name])
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(context, name, value)
        logger.setLevel(level)


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
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            num_cpus=workers,
            include_dashboard=False,
            object_store_memory=_OBJECT_STORE_BYTES,
            log_to_driver=False,
            logging_level=logging.ERROR,  # no start-up lines among the scan's own
        )
    try:
        with _quiet_ray_data(ray):
            rows = [{"shard": index} for index in range(len(jobs))]
            dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
            done = dataset.map(
                _Shards(jobs), num_cpus=1, compute=ray.data.TaskPoolStrategy(size=workers)
            )
            try:
                for row in done.iter_rows():
                    stats = ShardStats.from_json(json.loads(row["stats"]))
                    progress.advance(stats.documents, stats.bytes)
                    on_done(stats)
                    progress.shard_done()
            except ray.exceptions.RayTaskError as error:
                if isinstance(error.cause, EthosError):
                    raise error.cause from None
                raise
    finally:
        if started_here:
            ray.shutdown()
