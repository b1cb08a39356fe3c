"""Exceptions of the toxicity package. Messages never repeat the scored text."""

from __future__ import annotations

from ethos.domain.errors import ContentError, InvalidInputError

__all__ = ["ToxicityConfigError", "ToxicityInputError", "UnknownModelError"]


class ToxicityInputError(InvalidInputError):
    """Invalid input to :meth:`ToxicityScorer.score` or :func:`apply_action`."""


class UnknownModelError(ToxicityInputError):
    """A shipped model was asked for by a name that no shipped model has."""


class ToxicityConfigError(ContentError):
    """A lexicon, thresholds or model file is malformed.

    The message names the file, the entry and the field, never the offending value.
    """
