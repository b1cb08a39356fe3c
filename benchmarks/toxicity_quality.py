"""Quality and speed of ``ethos.datagov.toxicity`` on public labelled sets.

Usage::

    python benchmarks/toxicity_quality.py [--data DIR] [--model default|sharealike|both]
        [--markdown docs/toxicity-quality.md] [--write-sample tests/datagov/toxicity/data]

Reports, per shipped model and set, AUC of the overall score and precision / recall / F1
of the shipped labels (``toxic`` = any label raised; ``hate`` = the hate label), plus hate
targets on K-MHaS, the share of neutral project text that gets flagged, and documents per
second; with both models, a side-by-side table of the two on the same rows. Sets: the
held-out 20% test split of the two MIT training sets (same seed and split as
``train_toxicity.py``), BEEP! dev, K-MHaS validation, and ko_malicious_comments (all rows,
and the rows whose text does not occur in the Korean curse set). For the ``sharealike``
model, which learnt from BEEP! train, ko_malicious_* also leave out the rows whose text is
in BEEP! train. ``--markdown FILE`` (both models) replaces the generated blocks
of FILE (``<!-- generated:NAME -->`` ... ``<!-- /generated:NAME -->``) and keeps the
hand-written commentary around them. ``--write-sample`` writes the small
fixed samples the unit tests check floors on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from train_toxicity import (
    DEFAULT_DATA,
    KMHAS_NAMES,
    KMHAS_TARGETS,
    SEED,
    Example,
    load,
    split,
)

from ethos.datagov.toxicity import SHIPPED_MODELS, ToxicityResult, ToxicityScorer
from ethos.datagov.toxicity.features import features
from ethos.datagov.toxicity.normalize import normalize

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
KNOWLEDGE = REPO / "src" / "ethos" / "knowledge"
# Thresholds of the overall score in each model's threshold table.
SWEEPS = {"default": (0.3, 0.4, 0.5), "sharealike": (0.5, 0.6, 0.7, 0.8)}
# Rows per set in the unit-test sample (drawn with SEED from the evaluated rows).
SAMPLE_SIZES = {
    "ko_curse_test": 400,
    "en_davidson_test": 600,
    "ko_beep_dev": 300,
    "ko_kmhas_valid": 400,
    "ko_malicious_unseen": 300,
}


@dataclass(frozen=True)
class Scored:
    example: Example
    result: ToxicityResult


@dataclass(frozen=True)
class Metrics:
    n: int
    positives: int
    auc: float
    precision: float
    recall: float
    f1: float
    best_f1: float


def auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half)."""
    ranked = sorted(zip(scores, labels, strict=True))
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return float("nan")
    rank_sum = 0.0
    i = 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mean_rank = (i + j + 1) / 2
        rank_sum += mean_rank * sum(label for _, label in ranked[i:j])
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def prf(predicted: Sequence[bool], labels: Sequence[int]) -> tuple[float, float, float]:
    tp = sum(1 for p, y in zip(predicted, labels, strict=True) if p and y)
    fp = sum(1 for p, y in zip(predicted, labels, strict=True) if p and not y)
    fn = sum(1 for p, y in zip(predicted, labels, strict=True) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_f1(scores: Sequence[float], labels: Sequence[int]) -> float:
    """F1 at the best threshold in hindsight (an upper bound, not an operating point)."""
    ranked = sorted(zip(scores, labels, strict=True), reverse=True)
    positives = sum(labels)
    best = tp = fp = 0.0
    for i, (value, label) in enumerate(ranked):
        tp += label
        fp += 1 - label
        if i + 1 < len(ranked) and ranked[i + 1][0] == value:
            continue
        best = max(best, 2 * tp / (tp + fp + positives) if tp else 0.0)
    return best


def metrics(scores: Sequence[float], predicted: Sequence[bool], labels: Sequence[int]) -> Metrics:
    precision, recall, f1 = prf(predicted, labels)
    return Metrics(
        len(labels), sum(labels), auc(scores, labels), precision, recall, f1,
        best_f1(scores, labels),
    )  # fmt: skip


def toxic_metrics(rows: Sequence[Scored]) -> Metrics:
    return metrics(
        [r.result.score for r in rows],
        [r.result.flagged for r in rows],
        [r.example.toxic for r in rows],
    )


def hate_metrics(rows: Sequence[Scored]) -> Metrics:
    return metrics(
        [r.result.label_scores["hate"] for r in rows],
        ["hate" in r.result.labels for r in rows],
        [r.example.hate or 0 for r in rows],
    )


def beep_train_texts(data: Path) -> set[str]:
    """The stripped texts of BEEP! train, which the ``sharealike`` model learnt from."""
    return {e.text.strip() for e in load(data, "ko_beep_train")}


def evaluation_sets(data: Path, model: str = "default") -> dict[str, list[Example]]:
    """The evaluated rows of each set, by report name, for ``model``: ko_malicious_* leave
    out the rows whose text is in a Korean set the model learnt from."""
    _, _, ko_test = split(load(data, "ko_curse"))
    _, _, en_test = split(load(data, "en_davidson"))
    korean_training = {e.text.strip() for e in load(data, "ko_curse")}
    malicious = load(data, "ko_malicious")
    if model == "sharealike":
        seen = beep_train_texts(data)
        malicious = [e for e in malicious if e.text.strip() not in seen]
    return {
        "ko_curse_test": ko_test,
        "en_davidson_test": en_test,
        "ko_beep_dev": load(data, "ko_beep_dev"),
        "ko_kmhas_valid": load(data, "ko_kmhas_valid"),
        "ko_malicious_all": malicious,
        "ko_malicious_unseen": [e for e in malicious if e.text.strip() not in korean_training],
    }


def target_table(rows: Sequence[Scored]) -> list[tuple[str, int, float, float]]:
    """Per K-MHaS hate category: support, recall and precision of our targets."""
    table = []
    for label, targets in KMHAS_TARGETS.items():
        gold = [label in r.example.kmhas for r in rows]
        found = [bool(targets & set(r.result.targets)) for r in rows]
        precision, recall, _ = prf(found, [int(g) for g in gold])
        table.append((KMHAS_NAMES[label], sum(gold), recall, precision))
    return table


def _strings(node: Any) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def neutral_texts() -> dict[str, list[str]]:
    """Sentences of Ethos's own knowledge YAML (questionnaires, catalogues, frameworks)."""
    texts: dict[str, list[str]] = {"ko": [], "en": []}
    for path in sorted(KNOWLEDGE.rglob("*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if len(text) >= 30:
                korean = any("\uac00" <= ch <= "\ud7a3" for ch in text)
                texts["ko" if korean else "en"].append(text)
    return texts


def speed(scorer: ToxicityScorer, texts: Sequence[str], *, repeat: int = 3) -> float:
    """Documents per second on one core (best of ``repeat`` passes)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            scorer.score(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def write_sample(sets: dict[str, list[Example]], out: Path, beep_train: set[str]) -> None:
    """Write the fixed unit-test samples as JSON lines (see the sample README); rows whose
    text is in BEEP! train get ``"beep_train": 1``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, size in SAMPLE_SIZES.items():
        rows = list(sets[name])
        random.Random(SEED).shuffle(rows)
        chosen = sorted(rows[:size], key=lambda e: e.row)
        lines = []
        for e in chosen:
            record: dict[str, Any] = {"row": e.row, "text": e.text, "toxic": e.toxic}
            if e.hate is not None:
                record["hate"] = e.hate
            if e.kmhas:
                record["kmhas"] = sorted(e.kmhas)
            if e.text.strip() in beep_train:
                record["beep_train"] = 1
            lines.append(json.dumps(record, ensure_ascii=False))
        path = out / f"{name}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(chosen)} rows)")


def _row(name: str, m: Metrics, extra: str = "") -> str:
    return (
        f"| {name} | {m.n} | {m.positives} | {m.auc:.3f} |{extra} {m.precision:.3f} | "
        f"{m.recall:.3f} | {m.f1:.3f} | {m.best_f1:.3f} |"
    )


HEADER = (
    "| set | rows | positives | AUC | precision | recall | F1 | best F1 |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|"
)
TOXIC_HEADER = (
    "| set | rows | positives | AUC | AUC, model only | precision | recall | F1 | best F1 |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)
_LEET = {"i": "1", "s": "$", "a": "@", "o": "0", "e": "3"}


def _disguise_word(word: str, rng: random.Random) -> str:
    """One of the disguises people use, applied to one word."""
    syllables = [i for i, ch in enumerate(word) if "\uac00" <= ch <= "\ud7a3"]
    if len(syllables) >= 2:
        cut = syllables[1]
        return word[:cut] + rng.choice(["1", ".", "\u200b", " ", "*", "~"]) + word[cut:]
    if len(word) >= 3 and word.isascii() and word.isalpha():
        kind = rng.randrange(5)
        if kind == 0:
            return "".join(chr(ord(ch) + 0xFEE0) for ch in word)  # full-width
        if kind == 1:
            return word[:2] + "\u200b" + word[2:]
        if kind == 2:
            middle = "".join(_LEET.get(ch, ch) for ch in word[1:-1])
            return word[0] + middle + word[-1]
        if kind == 3:
            return word + word[-1] * 4
        return ".".join(word)
    return word


def disguise(text: str, rng: random.Random) -> str:
    """``text`` with about half of its words disguised (see :func:`_disguise_word`)."""
    return " ".join(
        _disguise_word(word, rng) if rng.random() < 0.5 else word for word in text.split(" ")
    )


def robustness(scorer: ToxicityScorer, rows: Sequence[Example]) -> tuple[float, ...]:
    """Recall on toxic rows and flag rate on clean rows, as written and disguised."""
    rng = random.Random(SEED)
    toxic = [e.text for e in rows if e.toxic]
    clean = [e.text for e in rows if not e.toxic]

    def rate(texts: Sequence[str]) -> float:
        return sum(1 for t in texts if scorer.score(t).flagged) / len(texts)

    return (
        rate(toxic),
        rate([disguise(t, rng) for t in toxic]),
        rate(clean),
        rate([disguise(t, rng) for t in clean]),
    )


def sweep(
    rows: Sequence[Scored], thresholds: Sequence[float]
) -> list[tuple[float, float, float, float]]:
    """Precision and recall of ``score >= t`` for each threshold ``t``."""
    labels = [r.example.toxic for r in rows]
    out = []
    for threshold in thresholds:
        precision, recall, f1 = prf([r.result.score >= threshold for r in rows], labels)
        out.append((threshold, precision, recall, f1))
    return out


def model_only_auc(scorer: ToxicityScorer, rows: Sequence[Scored]) -> float:
    """AUC of the toxic head alone (no lexicon, no chunking)."""
    scores = [scorer.model.probabilities(features(normalize(r.example.text)))[0] for r in rows]
    return auc(scores, [r.example.toxic for r in rows])


def report(data: Path, model: str) -> tuple[str, dict[str, list[Scored]]]:
    """One model's tables in Markdown, and its scored rows."""
    scorer = ToxicityScorer.default(model=model)
    sets = evaluation_sets(data, model)
    scored = {name: [Scored(e, scorer.score(e.text)) for e in rows] for name, rows in sets.items()}
    toxic = {name: toxic_metrics(rows) for name, rows in scored.items()}
    hate = {
        name: hate_metrics(rows)
        for name, rows in scored.items()
        if rows and rows[0].example.hate is not None
    }
    neutral = {lang: [scorer.score(t) for t in texts] for lang, texts in neutral_texts().items()}
    short = [e.text for name in ("ko_curse_test", "en_davidson_test") for e in sets[name]]
    long_docs = ["\n".join(short[i : i + 30]) for i in range(0, len(short) - 30, 30)]
    lines = ["### Toxic: any label raised (AUC of the overall score)", "", TOXIC_HEADER]
    for name, m in toxic.items():
        lines.append(_row(name, m, f" {model_only_auc(scorer, scored[name]):.3f} |"))
    excluded = len(load(data, "ko_malicious")) - len(sets["ko_malicious_all"])
    if excluded:
        lines += ["", f"ko_malicious_*: {excluded:,} rows whose text is in BEEP! train left out."]
    lines += ["", "### Hate: the hate label (AUC of the hate score)", "", HEADER]
    lines += [_row(name, m) for name, m in hate.items()]
    lower = max(SWEEPS[model]) <= 0.5
    lines += ["", f"### Korean sets at {'lower' if lower else 'higher'} thresholds (overall score)"]
    lines += ["", "| set | threshold | precision | recall | F1 |", "|---|---:|---:|---:|---:|"]
    for name in ("ko_curse_test", "ko_beep_dev", "ko_kmhas_valid", "ko_malicious_unseen"):
        for t, p, r, f in sweep(scored[name], SWEEPS[model]):
            lines.append(f"| {name} | {t:.1f} | {p:.3f} | {r:.3f} | {f:.3f} |")
    lines += ["", "### Hate targets on K-MHaS", ""]
    lines += ["| K-MHaS category | our targets | rows | recall | precision |"]
    lines += ["|---|---|---:|---:|---:|"]
    for (category, support, recall, precision), targets in zip(
        target_table(scored["ko_kmhas_valid"]), KMHAS_TARGETS.values(), strict=True
    ):
        ours = ", ".join(sorted(targets))
        lines.append(f"| {category} | {ours} | {support} | {recall:.3f} | {precision:.3f} |")
    lines += ["", "### Disguised text", ""]
    lines += ["| set | recall | recall, disguised | flagged clean | flagged clean, disguised |"]
    lines += ["|---|---:|---:|---:|---:|"]
    for name in ("ko_curse_test", "en_davidson_test"):
        values = " | ".join(f"{v:.3f}" for v in robustness(scorer, sets[name]))
        lines.append(f"| {name} | {values} |")
    lines += ["", "### Neutral text and speed", ""]
    for lang, results in neutral.items():
        count = sum(r.flagged for r in results)
        lines.append(f"- Ethos's own {lang} content flagged: {count} of {len(results)} strings")
    if not lower:
        above = [
            f"{sum(r.score >= t for r in neutral['ko'])} at {t:.1f}" for t in SWEEPS[model][1:]
        ]
        lines.append(
            f"- Ethos's own ko content with an overall score at or above: {', '.join(above)}"
        )
    short_chars = sum(map(len, short)) / len(short)
    long_chars = sum(map(len, long_docs)) / len(long_docs)
    lines.append(
        f"- One core: {speed(scorer, short):,.0f} documents/s at {short_chars:.0f} characters; "
        f"{speed(scorer, long_docs, repeat=1):,.0f} documents/s at {long_chars:,.0f} characters"
    )
    return "\n".join(lines), scored


def side_by_side(scored: dict[str, dict[str, list[Scored]]]) -> str:
    """Both models on the same rows of every set (the rows evaluated for ``sharealike``)."""
    lines = [
        "| set | rows | model | toxic: precision | recall | F1 | AUC | clean flagged "
        "| hate: precision | recall | F1 | AUC |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, rows in scored["sharealike"].items():
        keep = {r.example.row for r in rows}
        for model in ("default", "sharealike"):
            same = [r for r in scored[model][name] if r.example.row in keep]
            t = toxic_metrics(same)
            clean = [r.result.flagged for r in same if not r.example.toxic]
            cells = [f"{t.precision:.3f}", f"{t.recall:.3f}", f"{t.f1:.3f}", f"{t.auc:.3f}"]
            cells.append(f"{sum(clean) / len(clean):.3f}")
            if same[0].example.hate is None:
                cells += ["-"] * 4
            else:
                h = hate_metrics(same)
                cells += [f"{h.precision:.3f}", f"{h.recall:.3f}", f"{h.f1:.3f}", f"{h.auc:.3f}"]
            lines.append(f"| {name} | {len(same)} | {model} | {' | '.join(cells)} |")
    return "\n".join(lines)


GENERATED = re.compile(
    r"^<!-- generated:(\S+) -->\n(?:.*?\n)?<!-- /generated:\1 -->$", re.DOTALL | re.MULTILINE
)


def models_table() -> str:
    """The shipped models, their licence and the sha256 prefix of each file."""
    package = REPO / "src" / "ethos" / "datagov" / "toxicity"
    lines = ["| model | file | licence | trained on | sha256 prefix |", "|---|---|---|---|---|"]
    for name, model in SHIPPED_MODELS.items():
        digest = hashlib.sha256((package / model.file).read_bytes()).hexdigest()[:16]
        lines.append(
            f"| {name} | `{model.file}` | {model.licence} | {model.trained_on} | `{digest}` |"
        )
    return "\n".join(lines)


def render(document: str, blocks: dict[str, str]) -> str:
    """``document`` with each generated block replaced: a block sits between
    ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->`` lines; the prose around
    the blocks is written by hand and kept as it is."""
    found = {match.group(1) for match in GENERATED.finditer(document)}
    if found != set(blocks):
        missing = ", ".join(sorted(set(blocks) ^ found))
        raise SystemExit(f"generated blocks missing or unknown in the document: {missing}")
    return GENERATED.sub(
        lambda m: f"<!-- generated:{m[1]} -->\n{blocks[m[1]]}\n<!-- /generated:{m[1]} -->",
        document,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", choices=[*SHIPPED_MODELS, "both"], default="both")
    parser.add_argument("--markdown", type=Path, help="write the full report here")
    parser.add_argument("--write-sample", type=Path, help="write the unit-test samples here")
    args = parser.parse_args(argv)
    if args.write_sample:
        write_sample(evaluation_sets(args.data), args.write_sample, beep_train_texts(args.data))
        return 0
    if args.markdown and args.model != "both":
        parser.error("--markdown reports both models: leave out --model")
    models = list(SHIPPED_MODELS) if args.model == "both" else [args.model]
    tables: dict[str, str] = {}
    scored: dict[str, dict[str, list[Scored]]] = {}
    for model in models:
        tables[model], scored[model] = report(args.data, model)
        print(tables[model], end="\n\n")
    if args.model == "both":
        comparison = side_by_side(scored)
        print(comparison)
        if args.markdown:
            blocks = {"models": models_table(), "comparison": comparison}
            blocks |= {f"tables:{name}": text for name, text in tables.items()}
            document = args.markdown.read_text(encoding="utf-8")
            args.markdown.write_text(render(document, blocks), encoding="utf-8")
            print(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
