"""Reading a YAML content file with errors that name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ethos.domain.yamltext import describe_yaml_error, safe_load

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
        found = describe_yaml_error(exc)
        raise ToxicityConfigError(
            f"{source}: invalid YAML{found.where()}: {found.detail()}",
            ko=f"{source}: 올바른 YAML이 아닙니다{found.where('ko')}: {found.detail('ko')}",
        ) from None
