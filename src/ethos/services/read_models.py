"""Read models kept per state of the database, the state named by the audit chain's head.

Every use case that changes a record appends an audit event in the same transaction, so the
newest event (its sequence number and hash) names the state of the database; the newest
event about ``project:<id>`` names the state of that project's records. A read model (the
dashboard's figures, a project's stage-1 profile) computed inside one transaction is kept
under the key read first in that same transaction, and served again only to a transaction
that reads the same key: a change anywhere (or to that project) moves the key, so the next
read computes afresh. Nothing is ever invalidated by hand, and processes (uvicorn workers,
the CLI) each keep their own models without being able to serve each other's stale ones.

That rests on every write appending an event; ``tests/services/test_read_models.py`` checks
it for every write use case, and a guard in the service tests fails any transaction that
changes a table read here without appending one.

Models are shared between requests: treat what is returned as read-only.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ethos.services.inline import may_block
from ethos.store.unit_of_work import Store, UnitOfWork

__all__ = ["ReadModels", "chain_state", "project_state", "read_models"]

T = TypeVar("T")

ChainState = tuple[int, str] | None

_MAX_ENTRIES = 1024


def chain_state(uow: UnitOfWork) -> ChainState:
    """The newest audit event's sequence number and hash: the whole database's state."""
    return uow.portfolio.chain_head()


def project_state(uow: UnitOfWork, project_id: int) -> ChainState:
    """The newest audit event about project ``project_id``: the state of its records."""
    return uow.portfolio.chain_head(f"project:{project_id}")


class ReadModels:
    """A bounded map from (kind, state key, arguments) to a computed read model."""

    def __init__(self, max_entries: int = _MAX_ENTRIES) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The model kept under ``key``, or ``compute()`` kept under it.

        ``key`` must hold the state key read in the transaction ``compute`` reads in,
        read before it. On the web app's event loop a model not kept raises
        :class:`~ethos.services.inline.WouldBlockError` (computing it may take a while).
        """
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                found: T = self._entries[key]
                return found
        may_block()  # on the web app's event loop: computed in a worker thread instead
        with self._lock:
            self.misses += 1
        value = compute()  # outside the lock: two requests may compute the same model once
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


_by_database: weakref.WeakKeyDictionary[object, ReadModels] = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def read_models(store: Store) -> ReadModels:
    """The read models of the database behind ``store`` in this process.

    Keyed by the engine its reads go through (the same for the store, its read-only twin
    and a request's snapshot), so two databases never share models.
    """
    engine = store.for_reading().engine
    with _registry_lock:
        models = _by_database.get(engine)
        if models is None:
            models = _by_database[engine] = ReadModels()
        return models
