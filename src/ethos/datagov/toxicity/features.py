"""Features of a normalised text, shared by the scorer and the training script.

A document becomes a set of strings, each a binary feature of the linear model:

``_b``
    The bias, present in every document.
``_l:ko`` / ``_l:xx``
    Whether the document has Korean words; the weights of these two act as one intercept
    per language (the training script calibrates them, see ``benchmarks/train_toxicity.py``).
``w<token>``
    Each word token of the plain view (``wfuck``, ``w시1발``).
``c<n-gram>``
    Character 1- to 3-grams of the Hangul view with its spaces written ``_`` and a ``_`` at
    each end, so that n-grams at the start and end of words are told apart (``c_시``,
    ``c시발``, ``c발_``). Feature strings hold no whitespace.

Feature values: the bias and the language feature count 1; each of the ``n`` other
("content") features counts :func:`content_value` ``= 2 / sqrt(n)``, so the content part of
the feature vector has the same length for a short and a long text. Without this a long,
perfectly neutral text (a paragraph of a policy) piles up small weights into a high
score, because toxic comments in the training data are longer than clean ones.

Features are kept as strings in a dict (Python's own hash table) rather than hashed into
a fixed number of buckets: a stable hash such as CRC32 would cost more per feature than
the lookup itself, and the L1-regularised training keeps only about 27,000 non-zero
weights, so the explicit dictionary is small (the gzip file is about 170 KB), has no
collisions, and shows which n-grams drive a score.

The set is a pure function of the text. Changing anything here changes what the shipped
model means: retrain it (the model file records :data:`FEATURE_VERSION`).
"""

from __future__ import annotations

import math
import re

from .normalize import NormalizedText, tokens

__all__ = [
    "BIAS",
    "FEATURE_VERSION",
    "FIXED",
    "HANGUL_NGRAMS",
    "LANGUAGE_KO",
    "LANGUAGE_OTHER",
    "content_value",
    "features",
    "latin_share",
]

FEATURE_VERSION = 1
BIAS = "_b"
LANGUAGE_KO = "_l:ko"
LANGUAGE_OTHER = "_l:xx"
FIXED = frozenset({BIAS, LANGUAGE_KO, LANGUAGE_OTHER})
HANGUL_NGRAMS = (1, 2, 3)
LENGTH_SCALE = 2.0
_NOT_LATIN = re.compile("[^a-z]+")


def features(text: NormalizedText) -> set[str]:
    """The binary features of a normalised text (see the module docstring)."""
    found = {BIAS, LANGUAGE_KO if text.hangul else LANGUAGE_OTHER}
    found.update(["w" + token for token in tokens(text.plain)])
    if text.hangul:
        padded = f"_{text.hangul.replace(' ', '_')}_"
        length = len(padded)
        for n in HANGUL_NGRAMS:
            found.update(["c" + padded[i : i + n] for i in range(length - n + 1)])
    return found


def content_value(count: int) -> float:
    """The value of each content feature of a text that has ``count`` of them."""
    return LENGTH_SCALE / math.sqrt(count) if count > 0 else 0.0


def latin_share(text: NormalizedText) -> float:
    """Share of Latin letters among the Latin and Hangul letters of ``text`` (0 if none)."""
    latin = len(_NOT_LATIN.sub("", text.plain))
    hangul = len(text.hangul) - text.hangul.count(" ")
    total = latin + hangul
    return latin / total if total else 0.0
