"""One read transaction for all the reads of one request (a web page, an API call).

A page reads the signed-in account, the project, the seat, the profile and the findings:
through the plain store, each use case opens its own transaction. :func:`request_store`
gives a store under which every read (``for_reading()``) shares one deferred transaction,
a consistent snapshot, and its identity map, so the project read by the access check is
not read again by the profile. Writes (``unit_of_work()``) still go to the real store;
before one starts, the snapshot is released, so reads after a write see it (and a request
never holds a read connection while it waits for the write lock).

The snapshot refuses writes: a use case that writes through ``for_reading()`` is a bug and
fails loudly instead of being rolled back silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ethos.services.inline import may_block
from ethos.store.portfolio_repository import READ_ONLY
from ethos.store.unit_of_work import Store, UnitOfWork

__all__ = ["ReadSnapshot", "RequestStore", "request_store"]


class _ReadOnlySession(Session):
    """Refuses to flush; keeps what it loaded until closed, so that a row read twice in one
    request (the project, by the access check and by the profile) is read once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loaded: list[object] = []  # the identity map alone holds rows weakly
        self.info[READ_ONLY] = True  # nothing appends events: chain heads can be remembered

    def flush(self, objects: Any = None) -> None:
        raise RuntimeError("a use case tried to write through a read snapshot")

    def close(self) -> None:
        super().close()
        self.loaded.clear()


@event.listens_for(_ReadOnlySession, "loaded_as_persistent")
def _keep(session: Session, instance: object) -> None:
    if isinstance(session, _ReadOnlySession):
        session.loaded.append(instance)


class ReadSnapshot(Store):
    """Reads in one deferred transaction, begun at the first read, ended by :meth:`release`."""

    def __init__(self, base: Store) -> None:  # no super().__init__: nothing of it is used
        reader = base.for_reading()
        self.engine = reader.engine
        self._reader = self
        self._session = _ReadOnlySession(reader.engine, expire_on_commit=False, autoflush=False)

    def for_reading(self) -> Store:
        return self

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """The shared transaction (begun on first use); nothing is committed."""
        yield UnitOfWork(self._session)

    def release(self) -> None:
        """End the transaction and return its connection; a later read begins a new one."""
        self._session.close()


class RequestStore(Store):
    """The store of one request: reads share a :class:`ReadSnapshot`, writes go to ``base``."""

    def __init__(self, base: Store) -> None:
        self.engine = base.engine
        self._base = base
        self.snapshot = ReadSnapshot(base)
        self._reader = self.snapshot

    def for_reading(self) -> Store:
        return self.snapshot

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """A write transaction on the real store; the snapshot is released first.

        On the web app's event loop it raises
        :class:`~ethos.services.inline.WouldBlockError` instead (a write may wait for the
        database's write lock): the request goes on in a worker thread.
        """
        may_block()
        self.snapshot.release()
        with self._base.unit_of_work() as uow:
            yield uow

    def release(self) -> None:
        self.snapshot.release()


@contextmanager
def request_store(base: Store) -> Iterator[RequestStore]:
    """A :class:`RequestStore` on ``base``, released when the block ends."""
    store = RequestStore(base)
    try:
        yield store
    finally:
        store.release()
