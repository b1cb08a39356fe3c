"""Schema, loader and matcher of ``lexicon.yaml``, the hand-written bilingual word lists.

The file holds groups of terms that share a label, a weight and, for hate speech, a target
group. How terms match:

- Korean terms (``ko``) are searched as substrings of the Hangul view of the text (see
  :mod:`.normalize`), so particles may follow (``시발놈아``) but a term never spans two
  words unless it holds a space itself. ``except`` lists longer harmless words that contain
  a term (``시발점``); an occurrence inside one of them does not count.
- English terms (``en``) are whole word tokens of the plain view; a trailing ``*`` makes
  a prefix (``fuck*`` matches ``fucking``); a term with spaces is a phrase of whole tokens.
  A word with a doubled letter is also tried with the letter single (``fuuck`` -> ``fuck``;
  the normaliser has already cut longer runs to two).

Every term must already be in normalised form (lower case, NFKC, composed Hangul),
otherwise it could never match; the loader refuses it. A bad file fails with
:class:`ToxicityConfigError` naming the file, the group and the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..config_errors import locate
from .errors import ToxicityConfigError
from .normalize import NormalizedText, normalize, tokens
from .yamlfile import read_yaml

__all__ = [
    "LABELS",
    "TARGETS",
    "CompiledGroup",
    "Hit",
    "Lexicon",
    "LexiconFile",
    "TermGroup",
    "build_lexicon",
    "load_lexicon",
]

_DOUBLED = re.compile(r"([a-z])\1")

Label = Literal["profanity", "hate", "sexual", "violence"]
GroupLabel = Literal["profanity", "hate", "sexual", "violence", "mention"]
Target = Literal[
    "gender",
    "race",
    "religion",
    "region",
    "age",
    "disability",
    "sexual_orientation",
    "nationality",
    "politics",
    "appearance",
]
LABELS: tuple[str, ...] = get_args(Label)
TARGETS: tuple[str, ...] = get_args(Target)


class TermGroup(BaseModel):
    """Terms sharing a label, a weight and (for hate speech and mentions) a target group.

    ``label: mention`` marks neutral words naming a group (``여자``, ``immigrants``): they
    are not toxic by themselves; the scorer turns a mention into a hate score only in
    proportion to the model's toxicity of the text. ``contextual: true`` does the same for
    words that are harmful only in a hostile text (``새끼`` is also a young animal).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    description: str = Field(min_length=1)
    label: GroupLabel
    weight: float = Field(gt=0.0, le=1.0)
    contextual: bool = False
    target: Target | None = None
    ko: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list, alias="except")

    @model_validator(mode="after")
    def _consistent(self) -> TermGroup:
        if not self.ko and not self.en:
            raise ValueError("a group needs at least one term in 'ko' or 'en'")
        if self.label == "mention" and self.target is None:
            raise ValueError("a 'mention' group needs a 'target'")
        if self.target is not None and self.label not in ("hate", "mention"):
            raise ValueError("only 'hate' and 'mention' groups take a 'target'")
        return self


class LexiconFile(BaseModel):
    """The whole file: a format version and the groups."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    groups: list[TermGroup] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class CompiledGroup:
    """A group ready to match; terms are normalised, prefixes lose their ``*``."""

    id: str
    label: str
    weight: float
    contextual: bool
    target: str | None
    exceptions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """One group matched by one term."""

    group: CompiledGroup
    term: str


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """Compiled lexicon: indexes from terms to the groups that hold them."""

    source: str
    version: int
    groups: tuple[CompiledGroup, ...]
    korean_by_first: Mapping[str, tuple[tuple[str, CompiledGroup], ...]]
    english_words: Mapping[str, tuple[CompiledGroup, ...]]
    english_prefixes: tuple[tuple[str, CompiledGroup], ...]
    english_phrases: Mapping[str, tuple[tuple[str, CompiledGroup], ...]]
    harmless: tuple[str, ...] = ()
    prefix_starts: tuple[str, ...] = ()

    def without_harmless(self, text: NormalizedText) -> NormalizedText:
        """``text`` with the ``except`` words of non-mention groups blanked out.

        The scorer gives the model this copy of the Hangul view, so that the n-grams of
        ``시발점`` do not count as those of ``시발``.
        """
        hangul = text.hangul
        if not hangul:
            return text
        changed = hangul
        for word in self.harmless:
            if word in changed:
                changed = changed.replace(word, " ")
        if changed is hangul:
            return text
        return NormalizedText(text.plain, " ".join(changed.split()))

    def match(self, text: NormalizedText) -> list[Hit]:
        """Every group a term of which occurs in ``text`` (once per group and term)."""
        hits: list[Hit] = []
        hangul = text.hangul
        if hangul:
            for first in set(hangul):
                for term, group in self.korean_by_first.get(first, ()):
                    if term in hangul and _outside_exceptions(hangul, term, group.exceptions):
                        hits.append(Hit(group, term))
        words = tokens(text.plain)
        if not words:
            return hits
        candidates = set(words)
        candidates.update([_DOUBLED.sub(r"\1", word) for word in words if _DOUBLED.search(word)])
        for word in candidates:
            for group in self.english_words.get(word, ()):
                hits.append(Hit(group, word))
        starts = self.prefix_starts
        for word in candidates:
            if word.startswith(starts):
                for prefix, group in self.english_prefixes:
                    if word.startswith(prefix):
                        hits.append(Hit(group, prefix + "*"))
        joined = ""
        for first in candidates & self.english_phrases.keys():
            joined = joined or f" {' '.join(words)} "
            for phrase, group in self.english_phrases[first]:
                if f" {phrase} " in joined:
                    hits.append(Hit(group, phrase))
        return hits


def _outside_exceptions(hangul: str, term: str, exceptions: tuple[str, ...]) -> bool:
    """Whether ``term`` occurs in ``hangul`` other than inside an exception word."""
    for exception in exceptions:
        if term in exception and exception in hangul:
            hangul = hangul.replace(exception, " ")
    return term in hangul


def _fail(source: str, where: str, field: str, reason: str) -> ToxicityConfigError:
    """The error naming file, entry and field (in Korean the frame only: the reason stays
    as given)."""
    return ToxicityConfigError(
        f"{source}: {where}: field '{field}': {reason}",
        ko=f"{source}: {where}: 필드 '{field}': {reason}",
    )


def _check_korean(term: str) -> bool:
    return bool(term) and normalize(term).hangul == term


def _check_english(term: str) -> bool:
    bare = term[:-1] if term.endswith("*") else term
    return bool(bare) and normalize(bare).plain == bare and " ".join(tokens(bare)) == bare


def build_lexicon(raw: Any, source: str) -> Lexicon:
    """Validate and compile the parsed YAML of a lexicon file."""
    try:
        spec = LexiconFile.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors(include_input=False, include_url=False)[0]
        where, field = locate(
            raw, tuple(error["loc"]), section="groups", noun="group", key="id", quote=True
        )
        raise _fail(source, where, field, error["msg"]) from None
    seen: set[str] = set()
    groups: list[CompiledGroup] = []
    korean: dict[str, list[tuple[str, CompiledGroup]]] = {}
    words: dict[str, list[CompiledGroup]] = {}
    prefixes: list[tuple[str, CompiledGroup]] = []
    phrases: dict[str, list[tuple[str, CompiledGroup]]] = {}
    for index, item in enumerate(spec.groups):
        where = f"group '{item.id}' (#{index})"
        if item.id in seen:
            raise _fail(source, where, "id", "duplicate group id")
        seen.add(item.id)
        for field, terms, check in (
            ("ko", item.ko, _check_korean),
            ("en", item.en, _check_english),
            ("except", item.exceptions, _check_korean),
        ):
            for number, term in enumerate(terms):
                if not check(term):
                    reason = "term is empty or not in normalised form (see lexicon.py)"
                    raise _fail(source, where, f"{field}.{number}", reason)
        group = CompiledGroup(
            id=item.id,
            label=item.label,
            weight=item.weight,
            contextual=item.contextual,
            target=item.target,
            exceptions=tuple(item.exceptions),
        )
        groups.append(group)
        for term in item.ko:
            korean.setdefault(term[0], []).append((term, group))
        for term in item.en:
            if term.endswith("*"):
                prefixes.append((term[:-1], group))
            elif " " in term:
                phrases.setdefault(term.split(" ")[0], []).append((term, group))
            else:
                words.setdefault(term, []).append(group)
    return Lexicon(
        source=source,
        version=spec.version,
        groups=tuple(groups),
        korean_by_first={first: tuple(items) for first, items in korean.items()},
        english_words={word: tuple(items) for word, items in words.items()},
        english_prefixes=tuple(prefixes),
        prefix_starts=tuple(prefix for prefix, _ in prefixes),
        english_phrases={first: tuple(items) for first, items in phrases.items()},
        harmless=tuple(
            sorted(
                {w for g in groups if g.label != "mention" for w in g.exceptions},
                key=lambda w: (-len(w), w),
            )
        ),
    )


def load_lexicon(path: str | Path) -> Lexicon:
    """Load, validate and compile a lexicon YAML file.

    Raises
    ------
    ToxicityConfigError
        When the file cannot be read or parsed, or breaks the schema; the message names
        the file, the group and the field.
    """
    path = Path(path)
    return build_lexicon(read_yaml(path), path.name)
