"""The shipped models reach documented minimum quality on the committed samples.

Samples: ``data/*.jsonl`` (see ``data/README.md``), held out from training. The floors sit a
little under what each model measured on these very rows (noted next to each), so
a retrained or edited model that loses quality fails here. The ``sharealike`` model learnt
from BEEP! train: its floors leave out the malicious-comment rows whose text is in BEEP!
train (marked ``beep_train``), and BEEP! dev is same-source held-out data for it. Figures
on the full sets are in ``docs/toxicity-quality.md``. AUC and F1 are computed here from
scratch, pair by pair, independently of the benchmark script.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from ethos.datagov.toxicity import ToxicityScorer

from .conftest import load_sample


def auc_by_pairs(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Share of (positive, negative) pairs ranked right; ties count half."""
    positives = [s for s, y in zip(scores, labels, strict=True) if y]
    negatives = [s for s, y in zip(scores, labels, strict=True) if not y]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def f1(predicted: Sequence[bool], labels: Sequence[int]) -> float:
    tp = sum(1 for p, y in zip(predicted, labels, strict=True) if p and y)
    wrong = sum(1 for p, y in zip(predicted, labels, strict=True) if p != bool(y))
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def precision(predicted: Sequence[bool], labels: Sequence[int]) -> float:
    hits = [y for p, y in zip(predicted, labels, strict=True) if p]
    return sum(hits) / len(hits) if hits else 0.0


def test_the_metric_helpers_agree_with_hand_counts() -> None:
    # 3 positives x 2 negatives = 6 pairs; right: (.9>.2) (.9>.4) (.5>.2) (.5>.4) (.3>.2),
    # wrong: (.3<.4) -> 5/6.
    assert auc_by_pairs([0.9, 0.5, 0.3, 0.2, 0.4], [1, 1, 1, 0, 0]) == pytest.approx(5 / 6)
    assert auc_by_pairs([0.5, 0.5], [1, 0]) == 0.5
    # tp=1, fp=1, fn=1 -> F1 = 2 / 4.
    assert f1([True, True, False], [1, 0, 1]) == 0.5
    assert precision([True, True, False], [1, 0, 1]) == 0.5


# (sample, min AUC, min F1, min precision) of "any label raised" against the toxic label.
TOXIC_FLOORS = [
    ("ko_curse_test", 0.90, 0.76, 0.80),  # measured 0.940, 0.821, 0.862
    ("en_davidson_test", 0.96, 0.94, 0.95),  # measured 0.985, 0.969, 0.984
    ("ko_malicious_unseen", 0.80, 0.65, 0.85),  # measured 0.848, 0.703, 0.903
    ("ko_kmhas_valid", 0.78, 0.63, 0.75),  # measured 0.816, 0.688, 0.815
    ("ko_beep_dev", 0.75, 0.28, 0.90),  # measured 0.797, 0.343, 1.000 (recall is weak)
]
# (sample, min AUC of the hate score, min F1 of the hate label).
HATE_FLOORS = [
    ("en_davidson_test", 0.82, 0.28),  # measured 0.884, 0.356 (23 positives)
    ("ko_kmhas_valid", 0.75, 0.52),  # measured 0.794, 0.585
    ("ko_beep_dev", 0.60, 0.20),  # measured 0.652, 0.259
]


@pytest.mark.parametrize(("name", "min_auc", "min_f1", "min_precision"), TOXIC_FLOORS)
def test_toxic_floors(
    scorer: ToxicityScorer, name: str, min_auc: float, min_f1: float, min_precision: float
) -> None:
    rows = load_sample(name)
    results = [scorer.score(row["text"]) for row in rows]
    labels = [row["toxic"] for row in rows]
    flagged = [bool(r.labels) for r in results]
    assert auc_by_pairs([r.score for r in results], labels) >= min_auc
    assert f1(flagged, labels) >= min_f1
    assert precision(flagged, labels) >= min_precision


@pytest.mark.parametrize(("name", "min_auc", "min_f1"), HATE_FLOORS)
def test_hate_floors(scorer: ToxicityScorer, name: str, min_auc: float, min_f1: float) -> None:
    rows = load_sample(name)
    results = [scorer.score(row["text"]) for row in rows]
    labels = [row["hate"] for row in rows]
    assert auc_by_pairs([r.label_scores["hate"] for r in results], labels) >= min_auc
    assert f1(["hate" in r.labels for r in results], labels) >= min_f1


# The sharealike model: (sample, min AUC, min F1, min precision, min recall) of "any label
# raised"; it is there for recall on Korean text from other sources, so recall has a floor.
SHAREALIKE_TOXIC_FLOORS = [
    ("ko_curse_test", 0.89, 0.76, 0.68, 0.83),  # measured 0.927, 0.804, 0.734, 0.888
    ("en_davidson_test", 0.96, 0.94, 0.95, 0.92),  # measured 0.985, 0.970, 0.984, 0.957
    ("ko_malicious_unseen", 0.87, 0.74, 0.66, 0.80),  # 136 rows; 0.925, 0.810, 0.746, 0.887
    ("ko_kmhas_valid", 0.80, 0.70, 0.60, 0.82),  # measured 0.843, 0.740, 0.644, 0.870
    ("ko_beep_dev", 0.84, 0.71, 0.90, 0.58),  # same source; 0.880, 0.765, 0.949, 0.640
]
SHAREALIKE_HATE_FLOORS = [
    ("en_davidson_test", 0.82, 0.28),  # measured 0.880, 0.354 (23 positives)
    ("ko_kmhas_valid", 0.82, 0.68),  # measured 0.863, 0.731
    ("ko_beep_dev", 0.80, 0.58),  # same source; measured 0.844, 0.645
]


def unseen_by_sharealike(name: str) -> list[dict[str, Any]]:
    """The sample's rows whose text is not in BEEP! train."""
    return [row for row in load_sample(name) if not row.get("beep_train")]


@pytest.mark.parametrize(
    ("name", "min_auc", "min_f1", "min_precision", "min_recall"), SHAREALIKE_TOXIC_FLOORS
)
def test_sharealike_toxic_floors(
    sharealike: ToxicityScorer,
    name: str,
    min_auc: float,
    min_f1: float,
    min_precision: float,
    min_recall: float,
) -> None:
    rows = unseen_by_sharealike(name)
    results = [sharealike.score(row["text"]) for row in rows]
    labels = [row["toxic"] for row in rows]
    flagged = [r.flagged for r in results]
    assert auc_by_pairs([r.score for r in results], labels) >= min_auc
    assert f1(flagged, labels) >= min_f1
    assert precision(flagged, labels) >= min_precision
    assert sum(p and bool(y) for p, y in zip(flagged, labels, strict=True)) / sum(labels) >= (
        min_recall
    )


@pytest.mark.parametrize(("name", "min_auc", "min_f1"), SHAREALIKE_HATE_FLOORS)
def test_sharealike_hate_floors(
    sharealike: ToxicityScorer, name: str, min_auc: float, min_f1: float
) -> None:
    rows = unseen_by_sharealike(name)
    results = [sharealike.score(row["text"]) for row in rows]
    labels = [row["hate"] for row in rows]
    assert auc_by_pairs([r.label_scores["hate"] for r in results], labels) >= min_auc
    assert f1(["hate" in r.labels for r in results], labels) >= min_f1


def test_the_beep_train_rows_are_marked_in_the_malicious_sample_only() -> None:
    # 164 of the 300 malicious-comment rows are BEEP! train texts (written by
    # ``toxicity_quality.py --write-sample``); no other sample holds any.
    marked = {name: sum(1 for row in load_sample(name) if row.get("beep_train")) for name in
              ("ko_curse_test", "en_davidson_test", "ko_beep_dev", "ko_kmhas_valid",
               "ko_malicious_unseen")}  # fmt: skip
    assert marked == {
        "ko_curse_test": 0,
        "en_davidson_test": 0,
        "ko_beep_dev": 0,
        "ko_kmhas_valid": 0,
        "ko_malicious_unseen": 164,
    }
    assert len(unseen_by_sharealike("ko_malicious_unseen")) == 136


def test_samples_have_both_classes_and_the_documented_sizes() -> None:
    sizes = {"ko_curse_test": 400, "en_davidson_test": 600, "ko_beep_dev": 300}
    sizes |= {"ko_kmhas_valid": 400, "ko_malicious_unseen": 300}
    for name, size in sizes.items():
        rows = load_sample(name)
        assert len(rows) == size, name
        assert 0 < sum(row["toxic"] for row in rows) < size, name
        assert [row["row"] for row in rows] == sorted({row["row"] for row in rows}), name
