"""The toxicity processor: scores of :mod:`ethos.datagov.toxicity`, and its actions.

Result per document: ``{"score", "labels", "targets"}`` as
:meth:`~ethos.datagov.toxicity.ToxicityResult.to_json` gives them. With an action, the
transformed output holds the documents that :func:`~ethos.datagov.toxicity.apply_action`
keeps: ``drop`` leaves flagged documents out, ``mask`` masks their offending words,
``tag`` adds a ``tags`` field (``toxicity:<label>``, ``toxicity:target:<group>``; an
existing ``tags`` list is extended).

``model`` names the shipped model to score with (``default``, trained on MIT-licensed data
only, unless another is chosen: ``sharealike`` is licensed CC BY-SA 4.0, see
``docs/sources.md``); it is part of the scan's fingerprint, so an unfinished scan is not
resumed with another model. ``threshold`` replaces the four label thresholds of the
shipped ``thresholds.yaml`` by one value. A document longer than one window (about 1 Mi
characters) is scored window by window: its score is the worst window's, its labels and
targets those of all windows, and ``mask`` masks the windows that raise a label themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .documents import Window
from .errors import ScanInputError
from .processors import ScanOutcome

if TYPE_CHECKING:
    from ethos.datagov.toxicity import Action, ToxicityResult, ToxicityScorer

__all__ = ["ACTIONS", "ToxicityProcessor", "ToxicitySpec"]

ACTIONS = ("drop", "mask", "tag")


@dataclass(frozen=True, slots=True)
class ToxicitySpec:
    """Options of the toxicity processor: an action (or none), a threshold override and
    the name of a shipped model."""

    action: str | None = None
    threshold: float | None = None
    model: str = "default"

    kind = "toxicity"

    def __post_init__(self) -> None:
        if self.action is not None and self.action not in ACTIONS:
            raise ScanInputError(
                f"unknown action {self.action!r}; use one of {', '.join(ACTIONS)}",
                ko=(
                    f"알 수 없는 조치 {self.action!r}입니다. 다음 중 하나를 쓰세요: "
                    f"{', '.join(ACTIONS)}"
                ),
            )
        if self.threshold is not None and not 0.0 < self.threshold <= 1.0:
            raise ScanInputError(
                "--threshold must be above 0 and at most 1",
                ko="--threshold는 0보다 크고 1 이하여야 합니다",
            )
        from ethos.datagov.toxicity import SHIPPED_MODELS

        if self.model not in SHIPPED_MODELS:
            names = ", ".join(SHIPPED_MODELS)
            raise ScanInputError(
                f"unknown toxicity model {self.model!r}; use one of {names}",
                ko=f"알 수 없는 유해성 모델 {self.model!r}입니다. 다음 중 하나를 쓰세요: {names}",
            )

    @property
    def transforms(self) -> bool:
        return self.action is not None

    def build(self) -> ToxicityProcessor:
        from ethos.datagov.toxicity import Action, ToxicityScorer

        scorer = ToxicityScorer.default(model=self.model)
        if self.threshold is not None:
            labels = dict.fromkeys(("profanity", "hate", "sexual", "violence"), self.threshold)
            thresholds = scorer.thresholds.model_copy(
                update={"labels": scorer.thresholds.labels.model_copy(update=labels)}
            )
            scorer = ToxicityScorer(scorer.model, scorer.lexicon, thresholds)
        action = None if self.action is None else Action[self.action.upper()]
        return ToxicityProcessor(scorer, action)

    def fingerprint(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "action": self.action,
            "threshold": self.threshold,
            "model": self.model,
        }


class ToxicityProcessor:
    """Scores documents for profanity, hate, sexual content and violence."""

    def __init__(self, scorer: ToxicityScorer, action: Action | None = None) -> None:
        self.scorer = scorer
        self.action = action

    @property
    def transforms(self) -> bool:
        return self.action is not None

    def open(self) -> _ToxicityScan:
        return _ToxicityScan(self)


class _ToxicityScan:
    __slots__ = ("_processor", "_results")

    def __init__(self, processor: ToxicityProcessor) -> None:
        self._processor = processor
        self._results: list[ToxicityResult] = []

    def feed(self, window: Window) -> str | None:
        from ethos.datagov.toxicity import Action, apply_action

        processor = self._processor
        text = window.text if window.is_whole else window.text[window.core_start : window.core_end]
        result = processor.scorer.score(text)
        self._results.append(result)
        if processor.action is None:
            return None
        if Action.MASK not in processor.action:
            return text  # dropping and tagging are decided for the whole document
        kept = apply_action(text, result, Action.MASK, scorer=processor.scorer)
        assert kept is not None
        return kept.text

    def _combined(self) -> ToxicityResult:
        from ethos.datagov.toxicity import LABELS, TARGETS, ToxicityResult

        results = self._results
        if len(results) == 1:
            return results[0]
        labels = {label for result in results for label in result.labels}
        targets = {target for result in results for target in result.targets}
        scores = {label: max(result.label_scores[label] for result in results) for label in LABELS}
        return ToxicityResult(
            score=max(result.score for result in results),
            labels=tuple(label for label in LABELS if label in labels),
            targets=tuple(target for target in TARGETS if target in targets),
            label_scores=scores,
        )

    def finish(self) -> ScanOutcome:
        from ethos.datagov.toxicity import Action, apply_action

        result = self._combined()
        action = self._processor.action
        flagged = bool(result.labels)
        dropped = flagged and action is not None and Action.DROP in action
        tags: tuple[str, ...] = ()
        if flagged and action is not None and Action.TAG in action:
            tagged = apply_action("", result, Action.TAG)
            tags = tagged.tags if tagged is not None else ()
        return ScanOutcome(result=result.to_json(), dropped=dropped, flagged=flagged, tags=tags)
