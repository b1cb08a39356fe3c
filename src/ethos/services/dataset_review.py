"""The weekly review of data issues over the dataset register (docs/datasets.md)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from ethos.domain.dataset_review import DatasetChecks, DatasetReview, review_dataset, review_facts
from ethos.knowledge.catalogues import default_root
from ethos.knowledge.loading import load_model
from ethos.services.context import ServiceContext
from ethos.services.datasets import licence_policy

__all__ = ["CHECKS_FILE", "RegisterReview", "dataset_checks", "review_register"]

CHECKS_FILE = "dataset-checks.yaml"


@functools.lru_cache(maxsize=8)
def _checks_at(path: Path, stamp: tuple[int, int]) -> DatasetChecks:
    return load_model(path, DatasetChecks)


def _load(path: Path) -> DatasetChecks:
    """Parsed once per version of the file: an edit is read on the next review."""
    try:
        info = path.stat()
    except OSError:
        return load_model(path, DatasetChecks)  # raises the error naming the file
    return _checks_at(path, (info.st_mtime_ns, info.st_size))


def dataset_checks(ctx: ServiceContext | None = None) -> DatasetChecks:
    """The checks: ``dataset-checks.yaml`` in the office's content folder if there is one,
    else the file shipped with Ethos."""
    if ctx is not None and ctx.content_root is not None:
        own = ctx.content_root / CHECKS_FILE
        if own.is_file():
            return _load(own.resolve())
    return _load(default_root().parent / CHECKS_FILE)


@dataclass(frozen=True, slots=True)
class RegisterReview:
    """The review of every dataset not yet disposed, as of ``as_of``: datasets with the most
    severe problems first, then by id."""

    as_of: dt.date
    checks_version: int
    reviews: tuple[DatasetReview, ...]
    disposed: int

    @property
    def problems(self) -> int:
        return sum(len(r.problems) for r in self.reviews)


def review_register(ctx: ServiceContext, *, as_of: dt.date | None = None) -> RegisterReview:
    """Run the checks over the newest version of every dataset not yet disposed.

    Reads the register only: nothing is recorded and no dataset's files are opened.
    """
    day = as_of or ctx.clock().date()
    checks = dataset_checks(ctx)
    policy = licence_policy(ctx)
    with ctx.store.for_reading().unit_of_work() as uow:
        datasets = uow.datasets.all()
        types: dict[int, str] = {p.id: p.type.value for p in uow.projects.list()}
    reviews = []
    disposed = 0
    for dataset in datasets:
        if dataset.disposal is not None:
            disposed += 1
            continue
        terms = dataset.current.record.terms(policy)
        linked = [types[p] for p in dataset.projects if p in types]
        facts = review_facts(dataset, terms, today=day, project_types=linked)
        reviews.append(review_dataset(dataset, facts, checks))
    reviews.sort(key=lambda r: (r.worst.rank if r.worst else 3, -len(r.problems), r.dataset.id))
    return RegisterReview(day, checks.version, tuple(reviews), disposed)
