"""The questionnaire library: versioned YAML files, one folder per questionnaire.

Layout: ``<root>/<questionnaire id>/v<version>.yaml``. The default root ships inside the
package; the ethics office can point Ethos at its own content folder instead.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ethos.domain.errors import ContentError, NotFoundError
from ethos.domain.questionnaire import Questionnaire
from ethos.knowledge.loading import load_model

__all__ = ["DEFAULT_QUESTIONNAIRE", "QuestionnaireLibrary", "default_root"]

DEFAULT_QUESTIONNAIRE = "ethos-stage1"
_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.yaml$")


def default_root() -> Path:
    """The questionnaires shipped with Ethos."""
    return Path(__file__).parent / "questionnaires"


class QuestionnaireLibrary:
    """Finds, loads and validates questionnaire versions under one root folder."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_root()

    def versions(self, questionnaire_id: str) -> list[int]:
        """Versions available for ``questionnaire_id``, ascending."""
        folder = self.root / questionnaire_id
        if not folder.is_dir():
            raise NotFoundError(
                f"questionnaire {questionnaire_id!r}: no folder {folder}",
                ko=f"설문 {questionnaire_id!r}: 폴더 {folder}이(가) 없습니다",
            )
        found = [_VERSION_FILE.match(p.name) for p in folder.iterdir()]
        return sorted(int(m.group(1)) for m in found if m)

    def latest(self, questionnaire_id: str = DEFAULT_QUESTIONNAIRE) -> Questionnaire:
        """The newest version of ``questionnaire_id``."""
        versions = self.versions(questionnaire_id)
        if not versions:
            raise NotFoundError(
                f"questionnaire {questionnaire_id!r}: no version files",
                ko=f"설문 {questionnaire_id!r}: 버전 파일이 없습니다",
            )
        return self.get(questionnaire_id, versions[-1])

    def get(self, questionnaire_id: str, version: int) -> Questionnaire:
        """Load one version, checking it against its file name and its migration map."""
        path = self.root / questionnaire_id / f"v{version}.yaml"
        if not path.is_file():
            raise NotFoundError(
                f"questionnaire {questionnaire_id!r} has no version {version}",
                ko=f"설문 {questionnaire_id!r}에 버전 {version}이(가) 없습니다",
            )
        questionnaire = _load(path, path.stat().st_mtime_ns)
        if questionnaire.id != questionnaire_id or questionnaire.version != version:
            raise ContentError(
                f"{path}: declares {questionnaire.id!r} version {questionnaire.version}, "
                f"but its folder and file name say {questionnaire_id!r} version {version}",
                ko=(
                    f"{path}: {questionnaire.id!r} 버전 "
                    f"{questionnaire.version}을(를) 선언하지만, "
                    f"폴더와 파일 이름은 {questionnaire_id!r} "
                    f"버전 {version}입니다"
                ),
            )
        if questionnaire.migrates_from is not None:
            earlier = self.get(questionnaire_id, questionnaire.migrates_from.version)
            unlisted = [i.id for i in earlier.items if i.id not in questionnaire.migrates_from.map]
            unknown = [k for k in questionnaire.migrates_from.map if k not in _ids(earlier)]
            if unlisted:
                raise ContentError(
                    f"{path}: field migrates_from.map: items of version {earlier.version} "
                    f"not listed (map each to a new id or null): {', '.join(unlisted)}",
                    ko=(
                        f"{path}: 필드 migrates_from.map: "
                        f"버전 {earlier.version}의 다음 문항이 빠져 "
                        f"있습니다(각각 새 id나 null에 매핑하세요): {', '.join(unlisted)}"
                    ),
                )
            if unknown:
                raise ContentError(
                    f"{path}: field migrates_from.map: not items of version {earlier.version}: "
                    f"{', '.join(unknown)}",
                    ko=(
                        f"{path}: 필드 migrates_from.map: "
                        f"버전 {earlier.version}의 문항이 아닙니다: "
                        f"{', '.join(unknown)}"
                    ),
                )
        return questionnaire

    def digest(self, questionnaire: Questionnaire) -> str:
        """``questionnaire.digest()``, computed once per version file as loaded by :meth:`get`
        (the digest of a version answers are pinned to is checked on every read)."""
        path = self.root / questionnaire.id / f"v{questionnaire.version}.yaml"
        try:
            mtime_ns = path.stat().st_mtime_ns
        except OSError:
            return questionnaire.digest()
        if _load(path, mtime_ns) is not questionnaire:  # not the cached object: compute
            return questionnaire.digest()
        return _digest(path, mtime_ns)


def _ids(questionnaire: Questionnaire) -> set[str]:
    return {i.id for i in questionnaire.items}


@cache
def _load(path: Path, mtime_ns: int) -> Questionnaire:
    del mtime_ns  # part of the cache key only: an edited file is read again
    return load_model(path, Questionnaire)


@cache
def _digest(path: Path, mtime_ns: int) -> str:
    return _load(path, mtime_ns).digest()
