"""The linear model and its file format.

File format (``model.tsv.gz``, gzip-compressed UTF-8 text)
--------------------------------------------------------
Line 1 is a header: ``#ethos-toxicity-model``, a tab, then a JSON object with at least

``format``
    ``1``, the version of this layout.
``feature_version``
    :data:`ethos.datagov.toxicity.features.FEATURE_VERSION` the model was trained with.
``heads``
    The head names, in column order: ``["toxic", "hate"]``.
``scales``
    One float per head: a stored integer ``q`` means the weight ``q * scale``.

optionally

``hate_languages``
    The languages the hate head was trained on, among ``en`` and ``ko``; ``["en"]`` when
    absent. With ``ko`` the scorer uses the hate head on Korean text too.

and whatever the training script records about data, split and hyper-parameters. Every
following line is ``feature<TAB>q_toxic<TAB>q_hate`` with integers in [-32767, 32767]
(16-bit quantisation); features whose weights are all zero are left out. A feature string
never holds whitespace. A head's probability is the logistic function of the sum of the
weights of the document's features, each weight times its feature's value (see
:func:`ethos.datagov.toxicity.features.content_value`).
"""

from __future__ import annotations

import gzip
import json
import math
import os
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from .errors import ToxicityConfigError
from .features import FEATURE_VERSION, FIXED, content_value

__all__ = ["HEADS", "LinearModel", "load_model", "write_model"]

MAGIC = "#ethos-toxicity-model"
FORMAT = 1
HEADS = ("toxic", "hate")
HATE_LANGUAGES = ("en", "ko")
_QMAX = 32767
_LOGIT_LIMIT = 35.0


def _sigmoid(logit: float) -> float:
    logit = max(-_LOGIT_LIMIT, min(_LOGIT_LIMIT, logit))
    return 1.0 / (1.0 + math.exp(-logit))


@dataclass(frozen=True, slots=True, eq=False)
class LinearModel:
    """Weights of the two logistic heads, keyed by feature string.

    Attributes
    ----------
    toxic, hate : Mapping[str, float]
        Non-zero weights of each head.
    header : Mapping[str, Any]
        The JSON header of the file (training provenance).
    """

    toxic: Mapping[str, float]
    hate: Mapping[str, float]
    header: Mapping[str, Any]

    @property
    def hate_languages(self) -> frozenset[str]:
        """Languages the hate head was trained on (header ``hate_languages``, else ``en``)."""
        return frozenset(self.header.get("hate_languages", ("en",)))

    def logits(self, features: Collection[str]) -> tuple[float, float]:
        """The two heads' logits for the feature set of one text."""
        fixed = [name for name in FIXED if name in features]
        value = content_value(len(features) - len(fixed))
        results = []
        for weights in (self.toxic, self.hate):
            total = sum(map(weights.get, features, repeat(0.0)))
            intercept = sum(map(weights.get, fixed, repeat(0.0)))
            results.append(intercept + value * (total - intercept))
        return results[0], results[1]

    def probabilities(self, features: Collection[str]) -> tuple[float, float]:
        """The two heads' probabilities (logistic of the logits)."""
        toxic, hate = self.logits(features)
        return _sigmoid(toxic), _sigmoid(hate)


def _fail(source: str, where: str, reason: str, reason_ko: str) -> ToxicityConfigError:
    """The error naming file and place; ``where`` is "line N", "header" or "file"."""
    where_ko = {"header": "헤더", "file": "파일"}.get(where, "")
    if where.startswith("line "):
        where_ko = f"{where.removeprefix('line ')}번째 줄"
    return ToxicityConfigError(
        f"{source}: {where}: {reason}", ko=f"{source}: {where_ko}: {reason_ko}"
    )


def _header(line: str, source: str) -> dict[str, Any]:
    magic, _, payload = line.rstrip("\n").partition("\t")
    if magic != MAGIC:
        raise _fail(
            source,
            "line 1",
            f"not a toxicity model file (expected '{MAGIC}')",
            f"유해성 모델 파일이 아닙니다('{MAGIC}'(으)로 시작해야 합니다)",
        )
    try:
        header = json.loads(payload)
    except json.JSONDecodeError:
        raise _fail(
            source, "line 1", "header is not valid JSON", "헤더가 올바른 JSON이 아닙니다"
        ) from None
    if not isinstance(header, dict):
        raise _fail(source, "line 1", "header is not a JSON object", "헤더가 JSON 객체가 아닙니다")
    if header.get("format") != FORMAT:
        raise _fail(
            source,
            "header",
            f"field 'format': expected {FORMAT}",
            f"필드 'format': {FORMAT}이어야 합니다",
        )
    if header.get("feature_version") != FEATURE_VERSION:
        raise _fail(
            source,
            "header",
            f"field 'feature_version': expected {FEATURE_VERSION}; retrain",
            f"필드 'feature_version': {FEATURE_VERSION}이어야 합니다. 모델을 다시 학습하세요",
        )
    if header.get("heads") != list(HEADS):
        raise _fail(
            source,
            "header",
            f"field 'heads': expected {list(HEADS)}",
            f"필드 'heads': {list(HEADS)}이어야 합니다",
        )
    scales = header.get("scales")
    if (
        not isinstance(scales, list)
        or len(scales) != len(HEADS)
        or not all(isinstance(s, int | float) and s > 0 for s in scales)
    ):
        raise _fail(
            source,
            "header",
            "field 'scales': expected two positive numbers",
            "필드 'scales': 양수 두 개여야 합니다",
        )
    languages = header.get("hate_languages", ["en"])
    if (
        not isinstance(languages, list)
        or "en" not in languages
        or not all(language in HATE_LANGUAGES for language in languages)
    ):
        raise _fail(
            source,
            "header",
            f"field 'hate_languages': expected a list of {list(HATE_LANGUAGES)} holding 'en'",
            f"필드 'hate_languages': 'en'을 포함한 {list(HATE_LANGUAGES)}의 목록이어야 합니다",
        )
    return header


def load_model(path: str | Path) -> LinearModel:
    """Read a model file (see the module docstring).

    Raises
    ------
    ToxicityConfigError
        When the file cannot be read or breaks the format; the message names the file,
        the line and the field.
    """
    path = Path(path)
    source = path.name
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines = handle.read().split("\n")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise _fail(
            source,
            "file",
            f"cannot read: {type(exc).__name__}",
            f"읽을 수 없습니다: {type(exc).__name__}",
        ) from None
    header = _header(lines[0], source)
    toxic_scale, hate_scale = (float(s) for s in header["scales"])
    toxic: dict[str, float] = {}
    hate: dict[str, float] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0] or parts[0] in toxic or parts[0] in hate:
            raise _fail(
                source,
                f"line {number}",
                "expected a new feature and two integers",
                "새 특징 하나와 정수 두 개가 있어야 합니다",
            )
        try:
            q_toxic, q_hate = int(parts[1]), int(parts[2])
        except ValueError:
            raise _fail(
                source, f"line {number}", "weights are not integers", "가중치가 정수가 아닙니다"
            ) from None
        if abs(q_toxic) > _QMAX or abs(q_hate) > _QMAX:
            raise _fail(
                source,
                f"line {number}",
                f"weight outside +-{_QMAX}",
                f"가중치가 +-{_QMAX} 범위를 벗어납니다",
            )
        if q_toxic:
            toxic[parts[0]] = q_toxic * toxic_scale
        if q_hate:
            hate[parts[0]] = q_hate * hate_scale
    return LinearModel(toxic=toxic, hate=hate, header=header)


def _scale(weights: Mapping[str, float]) -> float:
    largest = max((abs(w) for w in weights.values()), default=0.0)
    return largest / _QMAX if largest > 0 else 1.0


def write_model(
    path: str | Path,
    toxic: Mapping[str, float],
    hate: Mapping[str, float],
    provenance: Mapping[str, Any],
) -> LinearModel:
    """Quantise and write a model file atomically; return the model as it will load.

    ``provenance`` goes into the header next to the format fields. Features are written
    in sorted order, so the same weights give the same bytes (gzip's timestamp is zero).
    """
    for name in (*toxic, *hate):
        if not name or any(ch.isspace() for ch in name):
            raise ValueError("a feature name is empty or holds whitespace")
    scales = (_scale(toxic), _scale(hate))
    header = {
        **provenance,
        "format": FORMAT,
        "feature_version": FEATURE_VERSION,
        "heads": list(HEADS),
        "scales": list(scales),
    }
    rows = []
    for name in sorted(set(toxic) | set(hate)):
        q_toxic = round(toxic.get(name, 0.0) / scales[0])
        q_hate = round(hate.get(name, 0.0) / scales[1])
        if q_toxic or q_hate:
            rows.append(f"{name}\t{q_toxic}\t{q_hate}")
    body = "\n".join([f"{MAGIC}\t{json.dumps(header, ensure_ascii=False, sort_keys=True)}", *rows])
    data = gzip.compress((body + "\n").encode("utf-8"), compresslevel=9, mtime=0)
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return load_model(path)
