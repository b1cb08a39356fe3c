"""What to do with a scored text: drop it, mask the offending words, or tag it.

:class:`Action` is a flag, so actions combine: ``Action.MASK | Action.TAG`` masks and
tags; ``DROP`` wins over the others. Nothing is done to a text whose result raised no
label: it comes back unchanged, with no tags.

Return value of :func:`apply_action`
------------------------------------
``None``
    The text was flagged and ``DROP`` was asked: leave it out of the data set.
:class:`FilteredText`
    Otherwise: ``text`` (masked when ``MASK`` was asked and words offended, else the
    original), ``tags`` (with ``TAG``: ``toxicity:<label>`` for each raised label, then
    ``toxicity:target:<group>`` for each hate target; empty without ``TAG``) and
    ``masked`` (how many words were masked).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from .errors import ToxicityInputError
from .scorer import ToxicityResult, ToxicityScorer

__all__ = ["Action", "FilteredText", "apply_action"]


class Action(enum.Flag):
    """What :func:`apply_action` does with a flagged text."""

    DROP = enum.auto()
    MASK = enum.auto()
    TAG = enum.auto()


@dataclass(frozen=True, slots=True)
class FilteredText:
    """A kept text after :func:`apply_action` (see the module docstring)."""

    text: str
    tags: tuple[str, ...]
    masked: int

    def to_json(self) -> dict[str, Any]:
        """A plain JSON-able dict: ``{"text": str, "tags": [...], "masked": int}``."""
        return {"text": self.text, "tags": list(self.tags), "masked": self.masked}


def tags_of(result: ToxicityResult) -> tuple[str, ...]:
    """The tags of a result: its labels, then its targets, each prefixed."""
    return tuple(f"toxicity:{label}" for label in result.labels) + tuple(
        f"toxicity:target:{target}" for target in result.targets
    )


def mask_text(text: str, spans: tuple[tuple[int, int], ...], mask_char: str) -> str:
    """Replace every letter and digit inside ``spans`` by ``mask_char``; keep the rest."""
    parts = []
    position = 0
    for start, end in spans:
        parts.append(text[position:start])
        parts.append("".join(mask_char if ch.isalnum() else ch for ch in text[start:end]))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def apply_action(
    text: str,
    result: ToxicityResult,
    action: Action,
    *,
    scorer: ToxicityScorer | None = None,
    mask_char: str = "*",
) -> FilteredText | None:
    """Apply ``action`` to ``text`` given its ``result`` from :meth:`ToxicityScorer.score`.

    Parameters
    ----------
    text : str
        The text that was scored.
    result : ToxicityResult
        Its score; nothing is done unless it raised a label.
    action : Action
        ``DROP``, ``MASK``, ``TAG`` or a combination.
    scorer : ToxicityScorer, optional
        Finds the words to mask; the default scorer when omitted. Pass the scorer that
        produced ``result``.
    mask_char : str
        One character replacing each letter and digit of an offending word.

    Returns
    -------
    FilteredText or None
        ``None`` for a flagged text under ``DROP``; see the module docstring.

    Raises
    ------
    ToxicityInputError
        For a text that is not a ``str``, a result or action of the wrong type, or a
        ``mask_char`` that is not one printable character.
    """
    if not isinstance(text, str):
        raise ToxicityInputError(
            f"apply_action() takes a str text, not {type(text).__name__}",
            ko=f"apply_action()의 text에는 {type(text).__name__}이(가) 아니라 str을 주어야 합니다",
        )
    if not isinstance(result, ToxicityResult):
        raise ToxicityInputError(
            "apply_action() needs the ToxicityResult of the text",
            ko="apply_action()에는 그 텍스트의 ToxicityResult가 필요합니다",
        )
    if not isinstance(action, Action):
        raise ToxicityInputError(
            f"unknown action {action!r}; use Action.DROP, MASK or TAG",
            ko=f"알 수 없는 조치 {action!r}입니다. Action.DROP, MASK, TAG 중 하나를 쓰세요",
        )
    if len(mask_char) != 1 or not mask_char.isprintable() or mask_char.isspace():
        raise ToxicityInputError(
            "mask_char must be one printable, non-space character",
            ko="mask_char는 공백이 아닌, 출력 가능한 문자 하나여야 합니다",
        )
    if not result.labels:
        return FilteredText(text, (), 0)
    if Action.DROP in action:
        return None
    tags = tags_of(result) if Action.TAG in action else ()
    if Action.MASK not in action:
        return FilteredText(text, tags, 0)
    spans = (scorer or ToxicityScorer.default()).offending_spans(text)
    return FilteredText(mask_text(text, spans, mask_char), tags, len(spans))
