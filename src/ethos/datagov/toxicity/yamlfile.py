"""Reading a YAML content file with errors that name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ethos.domain.yamltext import safe_load

from .errors import ToxicityConfigError

__all__ = ["read_yaml"]


def read_yaml(path: Path) -> Any:
    """Parse ``path`` with the safe loader.

    Raises
    ------
    ToxicityConfigError
        When the file cannot be read or is not valid YAML (with the line when known).
    """
    source = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ToxicityConfigError(
            f"{source}: cannot read: {type(exc).__name__}",
            ko=f"{source}: 읽을 수 없습니다: {type(exc).__name__}",
        ) from None
    try:
        return safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        line_ko = f"({mark.line + 1}번째 줄)" if mark is not None else ""
        raise ToxicityConfigError(
            f"{source}: invalid YAML{line}", ko=f"{source}: 올바른 YAML이 아닙니다{line_ko}"
        ) from None
