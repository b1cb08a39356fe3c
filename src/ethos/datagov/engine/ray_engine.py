"""The Ray engine: the same shards as Ray tasks (``pip install 'ethos[ray]'``).

Each task runs :func:`~ethos.datagov.engine.shards.process_shard`, so parts, markers, the
merge and therefore the outputs are byte for byte those of the local engine. The work
directory must be on a file system every Ray node can reach (always true for a Ray started
on this machine). When no Ray is running, one is started on this machine with ``workers``
CPUs, no dashboard and a small object store, and stopped at the end; an already
initialised Ray (``ray.init(address=...)`` or ``$RAY_ADDRESS``) is used as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ethos.domain.errors import EthosError

from .errors import ScanInputError
from .progress import Progress
from .shards import ShardJob, ShardStats, process_shard

__all__ = ["run_ray"]

_OBJECT_STORE_BYTES = 128 << 20


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ScanInputError(
            "--engine ray needs Ray: pip install 'ethos[ray]'",
            ko="--engine ray에는 Ray가 필요합니다: pip install 'ethos[ray]'",
        ) from None
    return ray


def run_ray(
    jobs: Sequence[ShardJob],
    *,
    workers: int,
    on_done: Callable[[ShardStats], None],
    progress: Progress,
) -> None:
    """Process ``jobs`` as Ray tasks, at most ``2 * workers`` in flight."""
    ray = _ray()
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            num_cpus=workers,
            include_dashboard=False,
            object_store_memory=_OBJECT_STORE_BYTES,
            log_to_driver=False,
        )
    try:
        task = ray.remote(num_cpus=1, max_retries=2)(process_shard)
        waiting = list(reversed(jobs))
        in_flight: list[Any] = []
        while waiting or in_flight:
            while waiting and len(in_flight) < 2 * workers:
                in_flight.append(task.remote(waiting.pop()))
            done, in_flight = ray.wait(in_flight, num_returns=1)
            try:
                stats: ShardStats = ray.get(done[0])
            except ray.exceptions.RayTaskError as error:
                if isinstance(error.cause, EthosError):
                    raise error.cause from None
                raise
            progress.advance(stats.documents, stats.bytes)
            on_done(stats)
            progress.shard_done()
    finally:
        if started_here:
            ray.shutdown()
