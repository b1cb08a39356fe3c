"""Reading the JSON or YAML files commands are given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ethos.domain.errors import InvalidInputError

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
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = getattr(exc, "lineno", None) or (mark.line + 1 if mark else None)
        where = f" at line {line}" if line else ""
        where_ko = f"({line}번째 줄)" if line else ""
        raise InvalidInputError(
            f"{option} {path}: not valid JSON or YAML{where}",
            ko=f"{option} {path}: 올바른 JSON이나 YAML이 아닙니다{where_ko}",
        ) from None
