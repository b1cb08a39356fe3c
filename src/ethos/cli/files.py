"""Reading the JSON or YAML files commands are given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ethos.domain.errors import InvalidInputError
from ethos.domain.yamltext import describe_yaml_error

__all__ = ["read_data_file"]


def read_data_file(path: Path, *, option: str = "--file") -> Any:
    """Parse ``path`` as JSON (``.json``) or YAML; errors name the option, file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise InvalidInputError(
            f"{option} {path}: cannot be read ({reason})",
            ko=f"{option} {path}: 읽을 수 없습니다({reason})",
        ) from None
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"{option} {path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            ko=(
                f"{option} {path}: 올바른 JSON이 아닙니다({exc.lineno}번째 줄, "
                f"{exc.colno}번째 열): {exc.msg}"
            ),
        ) from None
    except yaml.YAMLError as exc:
        found = describe_yaml_error(exc)
        raise InvalidInputError(
            f"{option} {path}: not valid JSON or YAML{found.where()}: {found.detail()}",
            ko=(
                f"{option} {path}: 올바른 JSON이나 YAML이 아닙니다{found.where('ko')}: "
                f"{found.detail('ko')}"
            ),
        ) from None
