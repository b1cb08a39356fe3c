"""Parsing YAML text as ``yaml.safe_load`` does, with libyaml's parser where PyYAML has it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

__all__ = ["YamlProblem", "describe_yaml_error", "safe_load"]

# PyYAML built against libyaml: the same constructor and resolver as safe_load, with the
# scanner and parser in C (about ten times faster on our content files).
_C_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def safe_load(text: str) -> Any:
    """What ``yaml.safe_load(text)`` returns, parsed by libyaml when it is available.

    When libyaml rejects the text, the pure-Python parser parses it again: it raises the
    error ``safe_load`` raises (positions and wording as before), or returns the value
    should the two parsers ever disagree about valid YAML.
    """
    if _C_LOADER is not None:
        try:
            return yaml.load(text, Loader=_C_LOADER)  # noqa: S506 - CSafeLoader is safe
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """Where a YAML text is malformed, and what PyYAML says about it.

    ``line`` and ``column`` (1-based) are where the parser gave up; ``context`` and its
    position name the structure it was reading, which for an unclosed bracket or quote is
    where the mistake usually is. PyYAML's own phrases stay in English in both languages.
    """

    problem: str
    line: int | None = None
    column: int | None = None
    context: str = ""
    context_line: int | None = None
    context_column: int | None = None

    def where(self, lang: str = "en") -> str:
        """`` at line 3, column 1`` or ``(3번째 줄, 1번째 열)``; empty when unknown."""
        if self.line is None:
            return ""
        if lang == "ko":
            return f"({self.line}번째 줄, {self.column}번째 열)"
        return f" at line {self.line}, column {self.column}"

    def detail(self, lang: str = "en") -> str:
        """The problem, and the structure being read when it began elsewhere."""
        text = self.problem
        start = (self.context_line, self.context_column)
        if not self.context or self.context_line is None or start == (self.line, self.column):
            return text
        line, column = self.context_line, self.context_column
        if lang == "ko":
            return f"{text} ({line}번째 줄 {column}번째 열에서 시작한 부분: {self.context})"
        return f"{text} ({self.context}, which starts at line {line}, column {column})"


def describe_yaml_error(exc: yaml.YAMLError) -> YamlProblem:
    """The position, problem and context of a PyYAML error, for messages in either language."""
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    return YamlProblem(
        problem=str(getattr(exc, "problem", None) or "malformed"),
        line=mark.line + 1 if mark is not None else None,
        column=mark.column + 1 if mark is not None else None,
        context=str(getattr(exc, "context", None) or ""),
        context_line=context_mark.line + 1 if context_mark is not None else None,
        context_column=context_mark.column + 1 if context_mark is not None else None,
    )
