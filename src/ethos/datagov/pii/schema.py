"""Schema and loader of ``recognizers.yaml``, the recognizers declared as data.

A bad file fails loudly with :class:`RecognizerConfigError` naming the file, the
recognizer and the field; the message never repeats values from the file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ethos.domain.validation import describe_problem, invalid
from ethos.domain.yamltext import describe_yaml_error, safe_load

from ..config_errors import locate
from .errors import RecognizerConfigError
from .validators import VALIDATORS, Validator

__all__ = [
    "CompiledRecognizer",
    "PatternSpec",
    "RecognizerSet",
    "RecognizerSpec",
    "RecognizersFile",
    "default_recognizers",
    "load_recognizers",
]

Requirement = Literal["digit", "hangul", "at", "colon", "upper"]
_FRAGMENT_REF = re.compile(r"\{\{([A-Z][A-Z0-9_]*)\}\}")
_TYPE_NAME = r"^[A-Z][A-Z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatternSpec(_Strict):
    """One regular expression of a recognizer.

    A named group ``value`` narrows the reported span to that group. ``self_context``
    marks a pattern whose regex already holds its context (e.g. a bank name right before
    the number): it is reported even when the recognizer requires a context word.
    """

    name: str = Field(min_length=1)
    regex: str = Field(min_length=1)
    score: float = Field(ge=0.0, le=1.0)
    requires: list[Requirement] = Field(default_factory=list)
    self_context: bool = False


class RecognizerSpec(_Strict):
    """One recognizer: a type name, patterns, context words and a validate hook."""

    type: str = Field(pattern=_TYPE_NAME)
    description: str = Field(min_length=1)
    patterns: list[PatternSpec] = Field(min_length=1)
    requires: list[Requirement] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    context_boost: float = Field(default=0.3, ge=0.0, le=1.0)
    context_required: bool = False
    context_window: int = Field(default=32, ge=1, le=200)
    negative_context: list[str] = Field(default_factory=list)
    negative_penalty: float = Field(default=1.0, ge=0.0, le=1.0)
    validator: str | None = None
    deny: list[str] = Field(default_factory=list)

    @field_validator("validator")
    @classmethod
    def _known_validator(cls, name: str | None) -> str | None:
        if name is not None and name not in VALIDATORS:
            known = ", ".join(sorted(VALIDATORS))
            raise invalid(
                f"unknown validator; known: {known}",
                f"알 수 없는 검증기입니다. 쓸 수 있는 것: {known}",
            )
        return name


class RecognizersFile(_Strict):
    """The whole file: a format version, shared regex fragments and the recognizers."""

    version: Literal[1]
    fragments: dict[str, str] = Field(default_factory=dict)
    recognizers: list[RecognizerSpec] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """A compiled :class:`PatternSpec`."""

    name: str
    regex: re.Pattern[str]
    score: float
    has_value_group: bool
    requires: frozenset[str]
    self_context: bool = False


@dataclass(frozen=True, slots=True)
class CompiledRecognizer:
    """A recognizer ready to run: compiled patterns, lowered context words, the hook."""

    type: str
    patterns: tuple[CompiledPattern, ...]
    requires: frozenset[str]
    context: tuple[str, ...]
    context_boost: float
    context_required: bool
    context_window: int
    negative_context: tuple[str, ...]
    negative_penalty: float
    validator: Validator | None
    deny: frozenset[str]
    # The context and negative context words as one expression each (None: no words):
    # a search for it finds whether any of the words occurs.
    context_pattern: re.Pattern[str] | None = None
    negative_pattern: re.Pattern[str] | None = None

    @property
    def has_self_context(self) -> bool:
        """Whether some pattern carries its own context (see :class:`PatternSpec`)."""
        return any(pattern.self_context for pattern in self.patterns)


@dataclass(frozen=True, slots=True, eq=False)
class RecognizerSet:
    """Compiled recognizers loaded from one file, in file order (hashed by identity)."""

    source: str
    version: int
    recognizers: tuple[CompiledRecognizer, ...]

    @property
    def types(self) -> frozenset[str]:
        """The type names this set can report."""
        return frozenset(r.type for r in self.recognizers)


def _fail(
    source: str, where: str, field: str, reason: str, reason_ko: str
) -> RecognizerConfigError:
    # "recognizer KR_RRN (#3)" reads "인식기 KR_RRN (#3)" in Korean; "file" is "파일".
    where_ko = where.replace("recognizer ", "인식기 ", 1) if where != "file" else "파일"
    return RecognizerConfigError(
        f"{source}: {where}: field '{field}': {reason}",
        ko=f"{source}: {where_ko}: 필드 '{field}': {reason_ko}",
    )


def _expand(regex: str, fragments: Mapping[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise KeyError("fragments nest too deeply")

    def replace(match: re.Match[str]) -> str:
        return _expand(fragments[match.group(1)], fragments, depth + 1)

    return _FRAGMENT_REF.sub(replace, regex)


def _words(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One expression matching any of ``words`` (literally), or ``None`` for no words."""
    return re.compile("|".join(map(re.escape, words))) if words else None


def _compile(
    spec: RecognizerSpec, index: int, fragments: Mapping[str, str], source: str
) -> CompiledRecognizer:
    where = f"recognizer {spec.type} (#{index})"
    patterns = []
    for number, pattern in enumerate(spec.patterns):
        field = f"patterns.{number}.regex"
        try:
            compiled = re.compile(_expand(pattern.regex, fragments))
        except KeyError as exc:
            raise _fail(
                source, where, field, f"unknown fragment {exc}", f"알 수 없는 조각 {exc}"
            ) from None
        except re.error as exc:
            raise _fail(
                source,
                where,
                field,
                f"invalid regex: {exc.msg}",
                f"정규식이 잘못되었습니다: {exc.msg}",
            ) from None
        patterns.append(
            CompiledPattern(
                name=pattern.name,
                regex=compiled,
                score=pattern.score,
                has_value_group="value" in compiled.groupindex,
                requires=frozenset(pattern.requires),
                self_context=pattern.self_context,
            )
        )
    context = tuple(word.casefold() for word in spec.context)
    negative_context = tuple(word.casefold() for word in spec.negative_context)
    return CompiledRecognizer(
        type=spec.type,
        patterns=tuple(patterns),
        requires=frozenset(spec.requires),
        context=context,
        context_boost=spec.context_boost,
        context_required=spec.context_required,
        context_window=spec.context_window,
        negative_context=negative_context,
        negative_penalty=spec.negative_penalty,
        validator=VALIDATORS[spec.validator] if spec.validator else None,
        deny=frozenset(spec.deny),
        context_pattern=_words(context),
        negative_pattern=_words(negative_context),
    )


def load_recognizers(path: str | Path) -> RecognizerSet:
    """Load, validate and compile a recognizers YAML file.

    Parameters
    ----------
    path : str or Path
        The YAML file.

    Returns
    -------
    RecognizerSet
        The compiled recognizers.

    Raises
    ------
    RecognizerConfigError
        When the file cannot be read or parsed, breaks the schema, or holds a bad regex;
        the message names the file, the recognizer and the field.
    """
    path = Path(path)
    source = path.name
    try:
        raw = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        kind = type(exc).__name__
        raise RecognizerConfigError(
            f"{source}: cannot read: {kind}", ko=f"{source}: 읽을 수 없습니다: {kind}"
        ) from None
    except yaml.YAMLError as exc:
        found = describe_yaml_error(exc)
        raise RecognizerConfigError(
            f"{source}: invalid YAML{found.where()}: {found.detail()}",
            ko=f"{source}: YAML 형식이 잘못되었습니다{found.where('ko')}: {found.detail('ko')}",
        ) from None
    return _build(raw, source)


def _build(raw: Any, source: str) -> RecognizerSet:
    try:
        spec = RecognizersFile.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors(include_input=False, include_url=False)[0]
        loc = tuple(error["loc"])
        where, field = locate(
            raw, loc, section="recognizers", noun="recognizer", key="type", quote=False
        )
        reason_ko = describe_problem(error, "ko")
        raise _fail(source, where, field, error["msg"], reason_ko) from None
    seen: set[str] = set()
    for index, recognizer in enumerate(spec.recognizers):
        if recognizer.type in seen:
            where = f"recognizer {recognizer.type} (#{index})"
            raise _fail(source, where, "type", "duplicate type name", "유형 이름이 중복됩니다")
        seen.add(recognizer.type)
    compiled = tuple(
        _compile(recognizer, index, spec.fragments, source)
        for index, recognizer in enumerate(spec.recognizers)
    )
    return RecognizerSet(source=source, version=spec.version, recognizers=compiled)


@functools.cache
def default_recognizers() -> RecognizerSet:
    """The recognizers shipped with Ethos, loaded and compiled on first use."""
    resource = resources.files(__package__).joinpath("recognizers.yaml")
    with resources.as_file(resource) as path:
        return load_recognizers(path)
