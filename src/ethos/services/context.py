"""What every use case needs: the store, the content, who is acting, and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from ethos.domain.crosswalk import Crosswalk
from ethos.domain.errors import NotFoundError
from ethos.domain.evidence import EvidencePolicy
from ethos.domain.legal import LegalFindingPolicy
from ethos.domain.projects import Member, Project
from ethos.knowledge import catalogues
from ethos.knowledge.content import (
    ContentRoots,
    LegalKnowledge,
    load_legal,
    load_practice_crosswalk,
)
from ethos.knowledge.loading import load_model
from ethos.knowledge.questionnaires import QuestionnaireLibrary
from ethos.store.blobs import BlobStore
from ethos.store.unit_of_work import Store, UnitOfWork

__all__ = ["ServiceContext", "resolve_member", "resolve_project", "utc_now"]

M = TypeVar("M", bound=BaseModel)


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ServiceContext:
    """Dependencies of the use cases; the CLI and the web app each build one.

    ``catalogue_root`` is the folder of the risk and mitigation catalogues (the shipped
    ones by default); ``content_root`` the ethics office's own content folder, whose
    ``frameworks``, ``classification`` and ``crosswalks`` subfolders replace the shipped
    ones; ``evidence_dir`` is where evidence files are kept.
    """

    store: Store
    actor: str
    questionnaires: QuestionnaireLibrary = field(default_factory=QuestionnaireLibrary)
    clock: Callable[[], datetime] = utc_now
    catalogue_root: Path | None = None
    evidence_dir: Path = field(default_factory=lambda: Path("evidence"))
    review_months: int = 12
    content_root: Path | None = None

    def catalogues(self) -> catalogues.Catalogues:
        """The risk and mitigation catalogues and the priority matrix, cross-checked.

        Loaded once per state of the files: read again when a catalogue or questionnaire
        file is added, removed or edited (its name, size or modification time changes).
        """
        root = self.catalogue_root or catalogues.default_root()
        library = self.questionnaires
        stamp = _files_stamp(root) + _files_stamp(library.root)
        return _load_catalogues(root, library.root, stamp, library)

    def evidence_policy(self) -> EvidencePolicy:
        root = self.catalogue_root or catalogues.default_root()
        return _cached_model(root / "evidence-policy.yaml", EvidencePolicy)

    def legal_policy(self) -> LegalFindingPolicy:
        root = self.catalogue_root or catalogues.default_root()
        return _cached_model(root / "legal-findings.yaml", LegalFindingPolicy)

    def content_roots(self) -> ContentRoots:
        roots = replace(ContentRoots.at(self.content_root), questionnaires=self.questionnaires.root)
        if self.catalogue_root is not None:
            return replace(roots, catalogues=self.catalogue_root)
        return roots

    def legal(self) -> LegalKnowledge:
        """Frameworks and classification rules, cross-checked (cached)."""
        return load_legal(self.content_roots())

    def crosswalk(self) -> Crosswalk:
        """The crosswalk of the practices in use (cached)."""
        return load_practice_crosswalk(self.content_roots())

    def blobs(self) -> BlobStore:
        return BlobStore(self.evidence_dir)


def _files_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every YAML file under ``folder``."""
    stamp = []
    for path in sorted(folder.rglob("*.yaml")):
        info = path.stat()
        stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


@lru_cache(maxsize=32)
def _catalogues_of(
    root: Path, questionnaires_root: Path, stamp: tuple[tuple[str, int, int], ...]
) -> catalogues.Catalogues:
    del stamp  # part of the cache key only: edited content is read again
    library = QuestionnaireLibrary(questionnaires_root)
    return catalogues.load_catalogues(root, questionnaires=library.latest)


def _load_catalogues(
    root: Path,
    questionnaires_root: Path,
    stamp: tuple[tuple[str, int, int], ...],
    library: QuestionnaireLibrary,
) -> catalogues.Catalogues:
    if type(library) is not QuestionnaireLibrary:  # a library of its own kind: not cached
        return catalogues.load_catalogues(root, questionnaires=library.latest)
    return _catalogues_of(root, questionnaires_root, stamp)


@lru_cache(maxsize=64)
def _model_at(path: Path, size: int, mtime_ns: int, model: type[BaseModel]) -> BaseModel:
    del size, mtime_ns  # part of the cache key only
    return load_model(path, model)


def _cached_model(path: Path, model: type[M]) -> M:
    """``load_model(path, model)``, read again only when the file changes."""
    try:
        info = path.stat()
    except OSError:
        return load_model(path, model)  # the loader names the missing file
    loaded = _model_at(path, info.st_size, info.st_mtime_ns, model)
    assert isinstance(loaded, model)
    return loaded


def resolve_project(uow: UnitOfWork, ref: str | int) -> Project:
    """Find a project by numeric id or by exact name."""
    text = str(ref).strip()
    project = uow.projects.get(int(text)) if text.isdigit() else uow.projects.by_name(text)
    if project is None:
        raise NotFoundError(
            f"project {text!r} not found (give its id or exact name)",
            ko=f"과제 {text!r}을(를) 찾을 수 없습니다(id나 정확한 이름을 지정하세요)",
        )
    return project


def resolve_member(uow: UnitOfWork, project: Project, ref: str | int) -> Member:
    """Find a member of ``project``'s task force by numeric id or by exact name."""
    text = str(ref).strip()
    for member in uow.members.of_project(project.id):
        if (text.isdigit() and member.id == int(text)) or member.name == text:
            return member
    raise NotFoundError(
        f"member {text!r} is not on the task force of project {project.name!r}",
        ko=f"구성원 {text!r}: 과제 {project.name!r}의 TF에 없습니다",
    )
