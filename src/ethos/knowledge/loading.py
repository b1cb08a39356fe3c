"""Reading content files: YAML parsed safely, schema errors named by file, entry and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ethos.domain.errors import ContentError
from ethos.domain.validation import describe_problem
from ethos.domain.yamltext import describe_yaml_error, safe_load

__all__ = ["describe_validation_error", "load_model", "read_yaml"]

M = TypeVar("M", bound=BaseModel)


def read_yaml(path: Path) -> Any:
    """Parse ``path`` as YAML, raising :class:`ContentError` naming the file and position."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(
            f"{path}: cannot be read ({exc.strerror or exc})",
            ko=f"{path}: 읽을 수 없습니다({exc.strerror or exc})",
        ) from None
    except UnicodeDecodeError:
        raise ContentError(
            f"{path}: is not UTF-8 text", ko=f"{path}: UTF-8 텍스트가 아닙니다"
        ) from None
    try:
        return safe_load(text)
    except yaml.YAMLError as exc:
        found = describe_yaml_error(exc)
        raise ContentError(
            f"{path}: not valid YAML{found.where()}: {found.detail()}",
            ko=f"{path}: 올바른 YAML이 아닙니다{found.where('ko')}: {found.detail('ko')}",
        ) from None


def describe_validation_error(
    path: Path, data: Any, error: ValidationError, *, lang: str = "en"
) -> str:
    """Turn a pydantic error into lines naming the file, the entry (by its id) and the field.

    With ``lang="ko"`` the frame (entry, field) and the description of each problem are
    Korean (:func:`ethos.domain.validation.describe_problem`).
    """
    lines = []
    for detail in error.errors():
        loc = list(detail["loc"])
        entry = ""
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            collection = data.get(loc[0]) if isinstance(data, dict) else None
            raw = collection[loc[1]] if isinstance(collection, list) else None
            ident = raw.get("id") if isinstance(raw, dict) else None
            singular = _singular(loc[0])
            entry = f"{singular} {ident!r} ({loc[0]}[{loc[1]}])" if ident else f"{loc[0]}[{loc[1]}]"
            loc = loc[2:]
        if lang == "ko":
            field = ".".join(str(part) for part in loc) or "(항목 전체)"
            where = f"{entry}, 필드 {field}" if entry else f"필드 {field}"
        else:
            field = ".".join(str(part) for part in loc) or "(whole entry)"
            where = f"{entry}, field {field}" if entry else f"field {field}"
        lines.append(f"{path}: {where}: {describe_problem(detail, lang)}")
    return "\n".join(lines)


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name[:-1] if name.endswith("s") else name


def load_model(path: Path, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model``; errors name file, entry and field."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(
            f"{path}: expected a mapping at the top level", ko=f"{path}: 최상위가 매핑이어야 합니다"
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(
            describe_validation_error(path, data, exc),
            ko=describe_validation_error(path, data, exc, lang="ko"),
        ) from None
