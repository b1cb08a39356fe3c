"""Reads served on the web app's event loop, and what sends them to a worker thread.

The web app runs its use cases, which are synchronous, in worker threads. For a quick read
(a page whose read model is kept, a profile) the hand-offs to a thread and back cost more
than the read itself, and under load every request waits in line for a thread. Such a read
is tried on the event loop first, inside :func:`on_event_loop`; anything in it that could
keep the loop waiting (a write, which may wait for the database's write lock; computing a
read model afresh, which may take tens of milliseconds) calls :func:`may_block` first, which
raises :class:`WouldBlockError` there. The caller then runs the whole step again in a worker
thread. Nothing has been written or kept by then, so running it again is safe: a step tried
on the loop must only read until it calls :func:`may_block`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["WouldBlockError", "may_block", "on_event_loop"]

_ON_LOOP: ContextVar[bool] = ContextVar("ethos_on_event_loop", default=False)


class WouldBlockError(Exception):
    """A step tried on the event loop reached something slow: run it in a worker thread.

    Internal to the web app; it never reaches a person (see :func:`on_event_loop`).
    """


@contextmanager
def on_event_loop() -> Iterator[None]:
    """Mark the code in the block as running on the event loop (see the module's text)."""
    token = _ON_LOOP.set(True)
    try:
        yield
    finally:
        _ON_LOOP.reset(token)


def may_block() -> None:
    """Call before anything that may keep the caller waiting (a write, a long computation):
    on the event loop it raises :class:`WouldBlockError`, elsewhere it does nothing."""
    if _ON_LOOP.get():
        raise WouldBlockError
