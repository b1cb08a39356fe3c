"""The scorer: model heads and word lists combined into labels, targets and one score.

How a text is scored
--------------------
1. A text longer than ``chunk_chars`` (thresholds file) is cut into chunks at line and
   sentence ends; the model was trained on comments and tweets, so a long page is scored
   as the worst of its parts, not as one bag of thousands of words.
2. Each chunk is normalised (:mod:`.normalize`) and turned into features (:mod:`.features`)
   after the lexicon's harmless ``except`` words are blanked out (``시발점`` is a starting
   point). The linear model gives two probabilities: ``toxic`` (profanity and abuse,
   trained on Korean and English) and ``hate`` (trained on English; on Korean too when the
   model's header lists ``ko`` in ``hate_languages``, as the ``sharealike`` model does).
3. The *hate basis* of a chunk: for a chunk whose letters are mostly Latin
   (``hate_model_min_latin_share``), and for a chunk with Hangul when the hate head knows
   Korean, the hate probability capped by the toxic one (hate speech is a kind of toxic
   text, and the cap keeps neutral prose, far from the comments the hate head learnt
   from, low); for any other chunk, the toxic probability.
4. Label scores of a chunk, each in [0, 1]:

   - ``profanity``: the toxic probability, or a profanity word hit if higher;
   - ``hate``: the hate basis (chunks the hate head covers, see 3), or a hate word hit if
     higher;
   - ``sexual``, ``violence``: their word hits.

   A hit counts its group's ``weight``. A contextual group counts ``weight * toxic``, and
   ``weight * hate basis`` for hate words; a group mention (``여성``, ``immigrants``)
   counts ``weight * hate basis`` towards hate, so a neutral text naming a group stays
   clean.
5. The text's label scores are the highest over its chunks. A label is raised at or
   above its threshold. ``targets`` are the target groups of all hate and mention hits,
   reported only when ``hate`` is raised. ``score`` is the largest label score.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from .errors import ToxicityInputError
from .features import FIXED, features, latin_share
from .lexicon import LABELS, TARGETS, Hit, Lexicon, load_lexicon
from .model import LinearModel, load_model
from .normalize import normalize
from .shipped import DEFAULT_MODEL, shipped_model
from .thresholds import Thresholds, load_thresholds

__all__ = ["ToxicityResult", "ToxicityScorer"]

LEXICON_FILE = "lexicon.yaml"
THRESHOLDS_FILE = "thresholds.yaml"
_BREAK = re.compile(r"(?<=[.!?。\n])\s+|\n")
_WORD = re.compile(r"\S+")
_SHORT_WORD = 2
_LONGEST_JOIN = 8
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ToxicityResult:
    """The verdict on one text.

    Attributes
    ----------
    score : float
        Overall toxicity in [0, 1]: the largest of :attr:`label_scores`.
    labels : tuple[str, ...]
        Labels at or above their thresholds, in the order profanity, hate, sexual, violence.
    targets : tuple[str, ...]
        Target groups of hate speech (``gender``, ``region`` ...), empty unless ``hate`` is
        among the labels.
    label_scores : dict[str, float]
        The score of each of the four labels, raised or not.
    """

    score: float
    labels: tuple[str, ...]
    targets: tuple[str, ...]
    label_scores: dict[str, float]

    @property
    def flagged(self) -> bool:
        """Whether any label was raised."""
        return bool(self.labels)

    def to_json(self) -> dict[str, Any]:
        """A plain JSON-able dict: ``{"score": float, "labels": [...], "targets": [...]}``."""
        return {
            "score": round(self.score, 4),
            "labels": list(self.labels),
            "targets": list(self.targets),
        }


def chunks(text: str, size: int) -> Iterator[str]:
    """Cut ``text`` into pieces of about ``size`` characters at line and sentence ends."""
    if len(text) <= size:
        yield text
        return
    current = ""
    for sentence in _BREAK.split(text):
        while len(sentence) > size:
            cut = sentence.rfind(" ", size // 2, size)
            cut = cut if cut > 0 else size
            if current:
                yield current
                current = ""
            yield sentence[:cut]
            sentence = sentence[cut:].lstrip()
        if current and len(current) + 1 + len(sentence) > size:
            yield current
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        yield current


class ToxicityScorer:
    """Scores texts for profanity, hate speech, sexual content and violence.

    Build it with :meth:`default` (a shipped model, the shipped lexicon and thresholds),
    :meth:`load` (any of the three replaced by a file of one's own), or from loaded parts
    (``ToxicityScorer(model, lexicon, thresholds)``). A scorer is immutable,
    thread-safe and picklable: those from :meth:`default` and :meth:`load` pickle as a
    reference to their files and are loaded once per process on unpickling (so a changed
    file on disk is what the worker gets); others pickle by value.
    """

    __slots__ = ("_korean_hate", "_lexicon", "_model", "_origin", "_thresholds")

    def __init__(
        self,
        model: LinearModel,
        lexicon: Lexicon,
        thresholds: Thresholds,
        *,
        _origin: tuple[str | None, str | None, str | None, str] | None = None,
    ) -> None:
        self._model = model
        self._lexicon = lexicon
        self._thresholds = thresholds
        self._origin = _origin
        self._korean_hate = "ko" in model.hate_languages

    @classmethod
    def default(cls, *, model: str = DEFAULT_MODEL) -> ToxicityScorer:
        """The scorer shipped with Ethos, loaded on first use and cached.

        ``model`` names one of the shipped models (:data:`SHIPPED_MODELS`): ``default``
        (trained on MIT-licensed data only) unless another is chosen, such as
        ``sharealike``, whose weights are licensed CC BY-SA 4.0.

        Raises
        ------
        UnknownModelError
            When no shipped model has that name; the message lists the names there are.
        """
        shipped_model(model)
        return _cached_scorer(None, None, None, model)

    @classmethod
    def load(
        cls,
        *,
        model: str | Path | None = None,
        lexicon: str | Path | None = None,
        thresholds: str | Path | None = None,
    ) -> ToxicityScorer:
        """A scorer with some of the shipped files replaced; ``None`` keeps the shipped one.

        Scorers are cached by path for the life of the process, like :meth:`default`.

        Raises
        ------
        ToxicityConfigError
            When a file is malformed; the message names the file, the entry and the field.
        """
        paths = tuple(
            None if p is None else str(Path(p).resolve()) for p in (model, lexicon, thresholds)
        )
        return _cached_scorer(*paths, DEFAULT_MODEL)

    @property
    def thresholds(self) -> Thresholds:
        """The thresholds in use."""
        return self._thresholds

    @property
    def lexicon(self) -> Lexicon:
        """The compiled lexicon in use."""
        return self._lexicon

    @property
    def model(self) -> LinearModel:
        """The linear model in use."""
        return self._model

    def __reduce__(self) -> tuple[Any, ...]:
        if self._origin is not None:
            return (_cached_scorer, self._origin)
        return (ToxicityScorer, (self._model, self._lexicon, self._thresholds))

    def score(self, text: str) -> ToxicityResult:
        """Score one text; a pure function of ``text``.

        Raises
        ------
        ToxicityInputError
            When ``text`` is not a ``str``.
        """
        if not isinstance(text, str):
            raise ToxicityInputError(
                f"score() takes a str, not {type(text).__name__}",
                ko=f"score()에는 {type(text).__name__}이(가) 아니라 str을 주어야 합니다",
            )
        scores = dict.fromkeys(LABELS, 0.0)
        found_targets: set[str] = set()
        min_share = self._thresholds.hate_model_min_latin_share
        for chunk in chunks(text, self._thresholds.chunk_chars):
            normalized = normalize(chunk)
            if not normalized.plain:
                continue
            model_view = self._lexicon.without_harmless(normalized)
            p_toxic, p_hate = self._model.probabilities(features(model_view))
            # Hate speech is a kind of toxic text. The hate head counts for mostly Latin
            # chunks, and for Korean ones when it was trained on Korean; elsewhere toxicity
            # is the basis of hate evidence.
            hate_head = latin_share(normalized) >= min_share or (
                self._korean_hate and bool(normalized.hangul)
            )
            hate_basis = min(p_hate, p_toxic) if hate_head else p_toxic
            scores["profanity"] = max(scores["profanity"], p_toxic)
            if hate_head:
                scores["hate"] = max(scores["hate"], hate_basis)
            for hit in self._lexicon.match(normalized):
                label, value = _hit_value(hit, p_toxic, hate_basis)
                scores[label] = max(scores[label], value)
                if hit.group.target is not None:
                    found_targets.add(hit.group.target)
        labels = tuple(
            label for label in LABELS if scores[label] >= self._thresholds.threshold(label)
        )
        targets = tuple(t for t in TARGETS if t in found_targets) if "hate" in labels else ()
        return ToxicityResult(
            score=max(scores.values()), labels=labels, targets=targets, label_scores=scores
        )

    def word_weight(self, word: str) -> float:
        """Toxic-head weight of a word's own features (bias and language intercept left out)."""
        feats = features(self._lexicon.without_harmless(normalize(word))) - FIXED
        return self._model.logits(feats)[0]

    def _offends(self, word: str) -> bool:
        normalized = normalize(word)
        if not normalized.plain:
            return False
        hits = self._lexicon.match(normalized)
        if any(not hit.group.contextual and hit.group.label != "mention" for hit in hits):
            return True
        if hits and all(hit.group.label == "mention" for hit in hits):
            return False  # a word naming a group is not itself the insult
        weight = self.word_weight(word)
        return weight >= self._thresholds.mask.min_weight or (bool(hits) and weight > 0)

    def offending_spans(self, text: str) -> tuple[tuple[int, int], ...]:
        """Offsets ``(start, end)`` of the words of ``text`` that :func:`apply_action` masks.

        A word (a run of non-space characters) offends when it holds a non-contextual
        lexicon term, when its own toxic-head weight reaches ``mask.min_weight``, or when it
        holds a contextual term and has a positive weight. Runs of one- and two-letter words
        are also tested joined (up to eight at a time, shortest stretch first), which
        catches ``시 발`` and ``f u c k``. A word whose only lexicon terms name a group
        (``여자들은``) is not masked: it is the target, not the insult.
        """
        if not isinstance(text, str):
            raise ToxicityInputError(
                f"offending_spans() takes a str, not {type(text).__name__}",
                ko=f"offending_spans()에는 {type(text).__name__}이(가) 아니라 str을 주어야 합니다",
            )
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        verdicts: dict[str, bool] = {}  # texts repeat their words: judge each word once
        flagged = {
            i for i, (start, end) in enumerate(words) if self._judge(text[start:end], verdicts)
        }
        run: list[int] = []
        for i, (start, end) in enumerate(words):
            if end - start <= _SHORT_WORD:
                run.append(i)
                continue
            self._flag_run(text, words, run, flagged, verdicts)
            run = []
        self._flag_run(text, words, run, flagged, verdicts)
        return tuple(words[i] for i in sorted(flagged))

    def _judge(self, word: str, verdicts: dict[str, bool]) -> bool:
        verdict = verdicts.get(word)
        if verdict is None:
            verdict = verdicts[word] = self._offends(word)
        return verdict

    def _flag_run(
        self,
        text: str,
        words: list[tuple[int, int]],
        run: list[int],
        flagged: set[int],
        verdicts: dict[str, bool],
    ) -> None:
        """Flag the shortest stretches of a run of short words that offend once joined."""
        start = 0
        while start < len(run) - 1:
            for stop in range(start + 2, min(len(run), start + _LONGEST_JOIN) + 1):
                joined = "".join(text[slice(*words[i])] for i in run[start:stop])
                if self._judge(joined, verdicts):
                    flagged.update(run[start:stop])
                    start = stop - 1
                    break
            start += 1


def _hit_value(hit: Hit, p_toxic: float, hate_basis: float) -> tuple[str, float]:
    """The label a lexicon hit speaks for and the score it gives."""
    group = hit.group
    if group.label == "mention":
        return "hate", group.weight * hate_basis
    if not group.contextual:
        return group.label, group.weight
    return group.label, group.weight * (hate_basis if group.label == "hate" else p_toxic)


def _load(name: str, override: str | None, loader: Callable[[Path], _T]) -> _T:
    if override is not None:
        return loader(Path(override))
    resource = resources.files(__package__).joinpath(name)
    with resources.as_file(resource) as path:
        return loader(Path(path))


@functools.cache
def _cached_scorer(
    model: str | None, lexicon: str | None, thresholds: str | None, shipped: str
) -> ToxicityScorer:
    """``model``, ``lexicon``, ``thresholds``: paths, or ``None`` for the shipped files;
    ``shipped`` names the shipped model used when ``model`` is ``None``."""
    return ToxicityScorer(
        _load(shipped_model(shipped).file, model, load_model),
        _load(LEXICON_FILE, lexicon, load_lexicon),
        _load(THRESHOLDS_FILE, thresholds, load_thresholds),
        _origin=(model, lexicon, thresholds, shipped),
    )
