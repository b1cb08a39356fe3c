"""Train the shipped toxicity models (``src/ethos/datagov/toxicity/model*.tsv.gz``).

Usage::

    python benchmarks/train_toxicity.py [--model default|sharealike] [--data DIR] [--out FILE]

Reads the public labelled sets described in ``/work/shared/data/toxicity/README.md`` (or
``--data DIR``). Two models are built, each by its own run:

``default`` (``model.tsv.gz``, the one Ethos uses unless told otherwise)
    Trained only on the two MIT-licensed sets, so its weights carry no share-alike
    obligation:

    - ``ko_curse_detection.txt`` (2runo/Curse-detection-data): label 1 = profanity or abuse;
    - ``en_davidson_labeled.csv`` (t-davidson/hate-speech-and-offensive-language): class 0
      hate speech, 1 offensive, 2 neither.

``sharealike`` (``model-sharealike.tsv.gz``, chosen explicitly)
    The same two sets plus ``ko_beep_train.tsv`` (kocohub/korean-hate-speech, BEEP!'s own
    train split, CC BY-SA 4.0): ``hate`` or ``offensive`` count as toxic, ``hate`` as hate.
    The weights hold words and character n-grams of BEEP! comments, so the file is an
    adaptation of BEEP! and is licensed CC BY-SA 4.0; its header says so and names the
    sources. ``ko_beep_dev.tsv`` is never read here: it stays evaluation data.

The two MIT sets are de-duplicated on their text and split 70 / 10 / 20 into train / dev /
test with a fixed seed (:data:`SEED`); the test part is never seen here
(``toxicity_quality.py`` reports on it). BEEP! train is de-duplicated and split 90 / 10
into train / dev with the same seed. Two logistic heads are trained by FTRL-proximal, a
per-coordinate adaptive online method with L1 regularisation that leaves most weights at
exactly zero, on the feature values the scorer uses (content features scaled by
``2 / sqrt(n)``):

``toxic``
    Korean toxic labels (curse label 1; BEEP! hate or offensive) and English classes 0 and
    1 against the rest; each language's classes weighted to count equally (Davidson is
    83% offensive, the Korean curse set 35% abusive, BEEP! train 56% hate or offensive).
``hate``
    English class 0 against classes 1 and 2; for ``sharealike`` also BEEP! ``hate``
    against ``offensive`` and ``none`` (no MIT Korean hate labels exist, so the default
    model's hate head is English only). Not class-weighted.

Calibration on the dev splits then moves each head's language intercept (features
``_l:ko`` and ``_l:xx``) so that probability 0.5 is the chosen operating point:

- ``toxic``, Korean, ``default`` (curse dev): the lowest threshold whose F1 is within 0.01
  of the best F1 (35% abusive comments is a usual rate for comment sections; among
  thresholds that are about as good, a data filter should take the one that catches more);
- ``toxic``, Korean, ``sharealike`` (curse dev and BEEP! dev, pooled): the threshold
  maximising Youden's J, which does not depend on the share of abuse: the pooled rows mix
  two (35%, 56%), and the F1 rule above took a lower cut that flagged about twice as much
  neutral Korean text (see ``docs/toxicity-quality.md``);
- ``toxic``, English: the threshold maximising Youden's J (TPR - FPR), which does not
  depend on prevalence: Davidson's 83% offensive tweets come from sampling by a hate
  lexicon, and F1 there would push the threshold so low that neutral prose is flagged;
- ``hate``, English: the threshold maximising F1 on Davidson dev;
- ``hate``, Korean (``sharealike`` only): the threshold maximising F1 on BEEP! dev, the
  only Korean rows with hate labels. The header's ``hate_languages`` then lists ``ko``,
  which tells the scorer to use the hate head on Korean text too.

Pure Python, deterministic: the same data give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import math
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ethos.datagov.toxicity.features import FIXED, content_value, features
from ethos.datagov.toxicity.model import write_model
from ethos.datagov.toxicity.normalize import normalize

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path("/work/shared/data/toxicity")
PACKAGE = HERE.parent / "src" / "ethos" / "datagov" / "toxicity"
# Output file of each model (the names ``ToxicityScorer.default(model=...)`` takes).
OUTPUTS = {"default": PACKAGE / "model.tsv.gz", "sharealike": PACKAGE / "model-sharealike.tsv.gz"}
SEED = 20261122
SPLIT = (0.7, 0.1, 0.2)
# BEEP! comes with its own dev split, kept for evaluation: its train split is cut 90 / 10.
BEEP_SPLIT = (0.9, 0.1)
EPOCHS = 10
TOXIC_HPARAMS = {"alpha": 0.3, "beta": 1.0, "l1": 1.0, "l2": 1.0}
HATE_HPARAMS = {"alpha": 0.1, "beta": 1.0, "l1": 1.0, "l2": 1.0}
LANGUAGE_FEATURES = {"ko": "_l:ko", "xx": "_l:xx"}
# Operating point of the toxic head per language, chosen on the dev split (see docstring).
TOXIC_OBJECTIVE = {
    "default": {"ko": "f1_recall", "xx": "youden"},
    "sharealike": {"ko": "youden", "xx": "youden"},
}
F1_TOLERANCE = 0.01
# K-MHaS label ids -> the target groups of our scorer that answer to each.
KMHAS_TARGETS = {
    0: frozenset({"region", "nationality"}),
    1: frozenset({"appearance"}),
    2: frozenset({"politics"}),
    4: frozenset({"age"}),
    5: frozenset({"gender", "sexual_orientation"}),
    6: frozenset({"race"}),
    7: frozenset({"religion"}),
}
KMHAS_NAMES = {0: "origin", 1: "appearance", 2: "politics", 4: "age", 5: "gender", 6: "race"}
KMHAS_NAMES[7] = "religion"


@dataclass(frozen=True)
class Example:
    """One labelled text: ``row`` is its 1-based record number in the source file."""

    text: str
    toxic: int
    hate: int | None
    row: int
    kmhas: frozenset[int] = field(default_factory=frozenset)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_ko_curse(path: Path) -> list[Example]:
    """``comment|label`` lines; the label is after the last ``|``."""
    examples = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            text, _, label = line.rpartition("|")
            examples.append(Example(text.strip(), int(label), None, row))
    return examples


def read_en_davidson(path: Path) -> list[Example]:
    """CSV with ``class`` (0 hate, 1 offensive, 2 neither) and ``tweet``."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Example(r["tweet"], int(r["class"] in ("0", "1")), int(r["class"] == "0"), row)
            for row, r in enumerate(csv.DictReader(handle), start=1)
        ]


def _tsv(path: Path, *, quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=quoting))[1:]


def read_ko_beep(path: Path) -> list[Example]:
    """``comments``, ``contain_gender_bias``, ``bias``, ``hate`` (hate/offensive/none)."""
    return [
        Example(r[0], int(r[3] != "none"), int(r[3] == "hate"), row)
        for row, r in enumerate(_tsv(path), start=1)
    ]


def read_ko_kmhas(path: Path) -> list[Example]:
    """``document``, ``label`` (comma-separated ids; 8 = not hate speech, 3 = profanity)."""
    examples = []
    for row, r in enumerate(_tsv(path, quoting=csv.QUOTE_MINIMAL), start=1):
        ids = frozenset(int(x) for x in r[1].split(","))
        hate = int(bool(ids & KMHAS_TARGETS.keys()))
        examples.append(Example(r[0], int(ids != {8}), hate, row, ids))
    return examples


def read_ko_malicious(path: Path) -> list[Example]:
    """``content``, ``lable``: 0 = malicious (sic). Quote characters are kept as text."""
    examples = []
    for row, r in enumerate(_tsv(path), start=1):
        label = r[1].strip().strip('"')
        examples.append(Example(r[0].strip(), int(label == "0"), None, row))
    return examples


READERS: dict[str, tuple[str, Callable[[Path], list[Example]]]] = {
    "ko_curse": ("ko_curse_detection.txt", read_ko_curse),
    "en_davidson": ("en_davidson_labeled.csv", read_en_davidson),
    "ko_beep_train": ("ko_beep_train.tsv", read_ko_beep),
    "ko_beep_dev": ("ko_beep_dev.tsv", read_ko_beep),
    "ko_kmhas_valid": ("ko_kmhas_valid.tsv", read_ko_kmhas),
    "ko_malicious": ("ko_malicious_comments.tsv", read_ko_malicious),
}
TRAINING_SETS = ("ko_curse", "en_davidson")
SHAREALIKE_SETS = ("ko_beep_train",)
SHAREALIKE_LICENCE = "CC-BY-SA-4.0"
SHAREALIKE_ATTRIBUTION = {
    "ko_beep_train": (
        "BEEP! Korean hate speech corpus by Jihyung Moon, Won Ik Cho and Junbum Lee, "
        "https://github.com/kocohub/korean-hate-speech, CC BY-SA 4.0 "
        "(https://creativecommons.org/licenses/by-sa/4.0/); train split used, its comments "
        "and labels turned into the weights of this file"
    ),
    "ko_curse": (
        "Curse-detection-data, Copyright (c) 2020 2runo, "
        "https://github.com/2runo/Curse-detection-data, MIT licence"
    ),
    "en_davidson": (
        "hate-speech-and-offensive-language, Copyright (c) 2017 Tom Davidson, "
        "https://github.com/t-davidson/hate-speech-and-offensive-language, MIT licence"
    ),
}


def load(data: Path, name: str) -> list[Example]:
    filename, reader = READERS[name]
    return reader(data / filename)


def split(
    examples: Sequence[Example], fractions: Sequence[float] = SPLIT
) -> tuple[list[Example], ...]:
    """De-duplicate on the stripped text (first kept), shuffle with :data:`SEED`, cut into
    parts of the given ``fractions`` (train / dev / test by default; the last part takes
    the rest)."""
    seen: set[str] = set()
    unique = []
    for example in examples:
        key = example.text.strip()
        if key not in seen:
            seen.add(key)
            unique.append(example)
    order = list(range(len(unique)))
    random.Random(SEED).shuffle(order)
    pick = [unique[i] for i in order]
    cuts = [0]
    total = 0.0
    for fraction in fractions[:-1]:
        total += fraction
        cuts.append(int(len(unique) * total))
    cuts.append(len(unique))
    return tuple(pick[start:stop] for start, stop in itertools.pairwise(cuts))


class Ftrl:
    """FTRL-proximal logistic regression over sets of string features."""

    def __init__(self, *, alpha: float, beta: float, l1: float, l2: float) -> None:
        self.alpha, self.beta, self.l1, self.l2 = alpha, beta, l1, l2
        self.z: dict[str, float] = {}
        self.n: dict[str, float] = {}

    def weight(self, name: str) -> float:
        z = self.z.get(name, 0.0)
        if abs(z) <= self.l1:
            return 0.0
        n = self.n.get(name, 0.0)
        return -(z - math.copysign(self.l1, z)) / (
            (self.beta + math.sqrt(n)) / self.alpha + self.l2
        )

    def update(self, feats: Iterable[str], label: int, importance: float) -> None:
        names = sorted(feats)
        values = feature_values(names)
        weights = [self.weight(name) for name in names]
        logit = sum(w * x for w, x in zip(weights, values, strict=True))
        logit = max(-35.0, min(35.0, logit))
        gradient = (1.0 / (1.0 + math.exp(-logit)) - label) * importance
        for name, w, x in zip(names, weights, values, strict=True):
            g = gradient * x
            n = self.n.get(name, 0.0)
            sigma = (math.sqrt(n + g * g) - math.sqrt(n)) / self.alpha
            self.z[name] = self.z.get(name, 0.0) + g - sigma * w
            self.n[name] = n + g * g

    def weights(self) -> dict[str, float]:
        return {name: w for name in sorted(self.z) if (w := self.weight(name)) != 0.0}


def feature_values(names: Sequence[str]) -> list[float]:
    """The value of each feature, as the scorer weighs it (see ``features.content_value``)."""
    value = content_value(sum(1 for name in names if name not in FIXED))
    return [1.0 if name in FIXED else value for name in names]


def language(example_features: set[str]) -> str:
    return "ko" if LANGUAGE_FEATURES["ko"] in example_features else "xx"


def train_head(
    rows: list[tuple[set[str], int]], hparams: dict[str, float], *, balance: bool
) -> dict[str, float]:
    """Train one head; with ``balance`` each (language, class) pair counts equally."""
    importance: dict[tuple[str, int], float] = {}
    for lang in ("ko", "xx"):
        labels = [y for f, y in rows if language(f) == lang]
        if not labels:
            continue
        positives = sum(labels) / len(labels)
        importance[(lang, 1)] = 0.5 / positives if balance else 1.0
        importance[(lang, 0)] = 0.5 / (1.0 - positives) if balance else 1.0
    model = Ftrl(**hparams)
    order = list(range(len(rows)))
    shuffler = random.Random(SEED)
    for _ in range(EPOCHS):
        shuffler.shuffle(order)
        for i in order:
            feats, label = rows[i]
            model.update(feats, label, importance[(language(feats), label)])
    return model.weights()


def logit_of(weights: dict[str, float], feats: set[str]) -> float:
    names = sorted(feats)
    values = feature_values(names)
    return math.fsum(weights.get(n, 0.0) * x for n, x in zip(names, values, strict=True))


def best_threshold(
    logits: Sequence[float], labels: Sequence[int], objective: str
) -> tuple[float, float]:
    """A logit cut (positive at or above it) and the best value of the objective.

    ``youden`` and ``f1`` take the cut that maximises them; ``f1_recall`` takes the lowest
    cut whose F1 is within :data:`F1_TOLERANCE` of the best.
    """
    ranked = sorted(zip(logits, labels, strict=True), reverse=True)
    positives = sum(labels)
    negatives = len(labels) - positives
    cuts: list[tuple[float, float]] = []
    tp = fp = 0
    for i, (value, label) in enumerate(ranked):
        tp += label
        fp += 1 - label
        if i + 1 < len(ranked) and ranked[i + 1][0] == value:
            continue
        if objective == "youden":
            gain = tp / positives - fp / negatives
        else:
            gain = 2 * tp / (tp + positives + fp) if tp else 0.0
        next_value = ranked[i + 1][0] if i + 1 < len(ranked) else value - 1.0
        cuts.append((gain, (value + next_value) / 2))
    best = max(gain for gain, _ in cuts)
    # Among cuts within F1_TOLERANCE of the best, the lowest one (the most recall).
    tolerance = F1_TOLERANCE if objective == "f1_recall" else 0.0
    cut = min(cut for gain, cut in cuts if gain >= best - tolerance)
    return cut, best


Featurized = list[tuple[set[str], Example]]


def calibrate(
    weights: dict[str, float],
    dev: Featurized,
    label: Callable[[Example], int],
    lang: str,
    objective: str,
) -> dict[str, object]:
    """Move ``lang``'s intercept of one head so that 0.5 is the operating point on ``dev``."""
    cut, gain = best_threshold(
        [logit_of(weights, f) for f, _ in dev], [label(e) for _, e in dev], objective
    )
    feature_name = LANGUAGE_FEATURES[lang]
    weights[feature_name] = weights.get(feature_name, 0.0) - cut
    return {"logit_shift": -cut, "objective": objective, "dev_best": round(gain, 4)}


def provenance_of(
    model: str,
    data: Path,
    splits: dict[str, tuple[list[Example], ...]],
    calibration: dict[str, dict[str, object]],
) -> dict[str, object]:
    """The header fields that record where the weights come from (and, for ``sharealike``,
    their licence and attribution)."""
    entries: dict[str, dict[str, object]] = {}
    for name, parts in splits.items():
        filename = READERS[name][0]
        entries[name] = {
            "file": filename,
            "sha256": sha256(data / filename),
            "split_sizes": [len(part) for part in parts],
        }
        if name in SHAREALIKE_SETS:
            entries[name]["split"] = list(BEEP_SPLIT)
    provenance: dict[str, object] = {
        "trained_by": "benchmarks/train_toxicity.py",
        "licence_of_weights": "Apache-2.0 (Ethos); trained only on MIT-licensed data",
        "data": entries,
        "seed": SEED,
        "split": list(SPLIT),
        "epochs": EPOCHS,
        "hyperparameters": {"toxic": TOXIC_HPARAMS, "hate": HATE_HPARAMS},
        "calibration": calibration,
    }
    if model == "sharealike":
        provenance |= {
            "model": "sharealike",
            "licence": SHAREALIKE_LICENCE,
            "licence_url": "https://creativecommons.org/licenses/by-sa/4.0/",
            "licence_of_weights": (
                "CC BY-SA 4.0: an adaptation of the BEEP! corpus (CC BY-SA 4.0); keep this "
                "header (attribution, licence) with the file and with anything derived "
                "from it, and share those under CC BY-SA 4.0. Texts scanned with the "
                "model are not affected"
            ),
            "attribution": {name: SHAREALIKE_ATTRIBUTION[name] for name in splits},
            "changes": (
                "rows de-duplicated and split as recorded here; labels mapped to toxic "
                "(BEEP! hate or offensive) and hate (BEEP! hate); texts turned into word "
                "and character n-gram features whose learnt weights are this file"
            ),
            "not_trained_on": ["ko_beep_dev.tsv (evaluation only)"],
            "hate_languages": ["en", "ko"],
        }
    return provenance


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=sorted(OUTPUTS), default="default")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, help="default: the package's file of --model")
    args = parser.parse_args(argv)
    out = args.out or OUTPUTS[args.model]
    splits = {name: split(load(args.data, name)) for name in TRAINING_SETS}
    if args.model == "sharealike":
        for name in SHAREALIKE_SETS:
            splits[name] = split(load(args.data, name), BEEP_SPLIT)
    featurize = {
        name: [[(features(normalize(e.text)), e) for e in part] for part in parts]
        for name, parts in splits.items()
    }
    ko_train, ko_dev = featurize["ko_curse"][0], featurize["ko_curse"][1]
    en_train, en_dev = featurize["en_davidson"][0], featurize["en_davidson"][1]
    beep_train: Featurized = []
    beep_dev: Featurized = []
    for name in SHAREALIKE_SETS:
        if name in featurize:
            beep_train += featurize[name][0]
            beep_dev += featurize[name][1]
    toxic = train_head(
        [(f, e.toxic) for f, e in ko_train + beep_train + en_train], TOXIC_HPARAMS, balance=True
    )
    hate = train_head(
        [(f, e.hate or 0) for f, e in en_train + beep_train], HATE_HPARAMS, balance=False
    )
    calibration = {}
    for lang, dev in (("ko", ko_dev + beep_dev), ("xx", en_dev)):
        objective = TOXIC_OBJECTIVE[args.model][lang]
        calibration[f"toxic_{lang}"] = calibrate(toxic, dev, lambda e: e.toxic, lang, objective)
    calibration["hate_xx"] = calibrate(hate, en_dev, lambda e: e.hate or 0, "xx", "f1")
    if beep_dev:
        calibration["hate_ko"] = calibrate(hate, beep_dev, lambda e: e.hate or 0, "ko", "f1")
    provenance = provenance_of(args.model, args.data, splits, calibration)
    model = write_model(out, toxic, hate, provenance)
    print(f"wrote {out}: {len(model.toxic)} toxic and {len(model.hate)} hate weights")
    for key, value in calibration.items():
        print(f"  calibration {key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
