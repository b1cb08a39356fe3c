"""Schema and loader of ``thresholds.yaml``: when a label is raised and what gets masked."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ToxicityConfigError
from .yamlfile import read_yaml

__all__ = ["LabelThresholds", "Thresholds", "build_thresholds", "load_thresholds"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabelThresholds(_Strict):
    """A label is raised when its score is at or above its threshold."""

    profanity: float = Field(gt=0.0, le=1.0)
    hate: float = Field(gt=0.0, le=1.0)
    sexual: float = Field(gt=0.0, le=1.0)
    violence: float = Field(gt=0.0, le=1.0)


class MaskSettings(_Strict):
    """Which words :func:`apply_action` masks in a flagged text.

    A word is masked when it holds a non-contextual lexicon term, or when the toxic-head
    weights of its own features (bias and language intercept left out) add up to at least
    ``min_weight`` (log-odds units).
    """

    min_weight: float = Field(gt=0.0, le=20.0)


class Thresholds(_Strict):
    """The whole file."""

    version: Literal[1]
    labels: LabelThresholds
    mask: MaskSettings
    chunk_chars: int = Field(ge=50, le=100_000)
    hate_model_min_latin_share: float = Field(ge=0.0, le=1.0)

    def threshold(self, label: str) -> float:
        """The threshold of ``label``."""
        value: float = getattr(self.labels, label)
        return value


def build_thresholds(raw: Any, source: str) -> Thresholds:
    """Validate the parsed YAML of a thresholds file."""
    try:
        return Thresholds.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors(include_input=False, include_url=False)[0]
        field = ".".join(str(part) for part in error["loc"]) or "(root)"
        raise ToxicityConfigError(
            f"{source}: field '{field}': {error['msg']}",
            ko=f"{source}: 필드 '{field}': {error['msg']}",
        ) from None


def load_thresholds(path: str | Path) -> Thresholds:
    """Load and validate a thresholds YAML file.

    Raises
    ------
    ToxicityConfigError
        When the file cannot be read or parsed, or breaks the schema; the message names
        the file and the field.
    """
    path = Path(path)
    return build_thresholds(read_yaml(path), path.name)
