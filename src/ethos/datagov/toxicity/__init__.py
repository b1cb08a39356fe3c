"""Profanity and hate-speech scoring of training-data text, in Korean and English.

>>> from ethos.datagov.toxicity import Action, ToxicityScorer, apply_action
>>> scorer = ToxicityScorer.default()
>>> result = scorer.score("이 시1발 새끼야")
>>> result.labels
('profanity',)
>>> apply_action("이 시1발 새끼야", result, Action.MASK).text
'이 *** ***'

The score is a pure function of the text; see :mod:`.scorer` for how labels, targets and
the overall score are derived, ``lexicon.yaml`` and ``thresholds.yaml`` for the content,
and ``docs/toxicity-quality.md`` for measured quality and known weak spots.

Two models ship: ``default`` (trained on MIT-licensed data only) and ``sharealike``
(``ToxicityScorer.default(model="sharealike")``), which also learnt from the BEEP! Korean
hate-speech corpus and is licensed CC BY-SA 4.0 (see ``docs/sources.md``).
"""

from __future__ import annotations

from .actions import Action, FilteredText, apply_action
from .errors import ToxicityConfigError, ToxicityInputError, UnknownModelError
from .lexicon import LABELS, TARGETS, Lexicon, load_lexicon
from .model import LinearModel, load_model
from .scorer import ToxicityResult, ToxicityScorer
from .shipped import DEFAULT_MODEL, SHIPPED_MODELS, ShippedModel, shipped_model
from .thresholds import Thresholds, load_thresholds

__all__ = [
    "DEFAULT_MODEL",
    "LABELS",
    "SHIPPED_MODELS",
    "TARGETS",
    "Action",
    "FilteredText",
    "Lexicon",
    "LinearModel",
    "ShippedModel",
    "Thresholds",
    "ToxicityConfigError",
    "ToxicityInputError",
    "ToxicityResult",
    "ToxicityScorer",
    "UnknownModelError",
    "apply_action",
    "load_lexicon",
    "load_model",
    "load_thresholds",
    "shipped_model",
]
