"""The local engine: shards on a pool of worker processes on this machine."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence

from .progress import Progress
from .shards import ShardJob, ShardStats, prepare_processor, process_shard

__all__ = ["run_local"]

_PR_SET_PDEATHSIG = 1


def _worker_init() -> None:
    """Make a worker die with the scan that started it, and leave Ctrl-C to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() == 1:  # pragma: no cover - the parent died before prctl took effect
        os._exit(1)


def run_local(
    jobs: Sequence[ShardJob],
    *,
    workers: int,
    on_done: Callable[[ShardStats], None],
    progress: Progress,
) -> None:
    """Process ``jobs`` with ``workers`` processes (in this process when 1)."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            on_done(process_shard(job, progress.advance))
            progress.shard_done()
        return
    # fork: workers inherit the loaded recognizers and the compiled detector, and need
    # no importable __main__.
    prepare_processor(jobs[0].spec)
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(jobs)), initializer=_worker_init) as pool:
        for stats in pool.imap_unordered(process_shard, jobs, chunksize=1):
            progress.advance(stats.documents, stats.bytes)
            on_done(stats)
            progress.shard_done()
