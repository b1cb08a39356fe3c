"""Per-type precision and recall of ``ethos.datagov.pii.detect`` on the labelled set.

Usage::

    python benchmarks/pii_quality.py [--data benchmarks/data/pii_eval.jsonl]
        [--markdown TABLE.md] [--errors N]

Exact match: a detection counts as a true positive when type, start and end all equal a
gold span. Overlap match: a detection counts when it overlaps a gold span of the same type
(each gold span matched at most once). ``--errors N`` prints up to N misses and false
alarms per type with a little context; it is for the developer's eyes, on FAKE data only.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ethos.datagov.pii import detect

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE / "data" / "pii_eval.jsonl"
# Types with a fixed shape, held to the targets of issue 6: recall >= 0.98, precision >= 0.95.
STRUCTURED = (
    "KR_RRN", "KR_FRN", "KR_PHONE", "KR_BRN", "KR_CRN", "KR_PASSPORT", "KR_DRIVER_LICENSE",
    "KR_BANK_ACCOUNT", "EMAIL", "CREDIT_CARD", "IBAN", "US_SSN", "PHONE", "IP_ADDRESS",
    "CREDENTIAL",
)  # fmt: skip
UNSTRUCTURED = ("KR_ADDRESS", "KR_PERSON", "PERSON")

Key = tuple[str, int, int]


@dataclass
class Tally:
    """Counts for one type under one matching rule."""

    gold: int = 0
    predicted: int = 0
    true_positive: int = 0
    overlap_tp_gold: int = 0
    overlap_tp_predicted: int = 0
    misses: list[tuple[str, Key]] = field(default_factory=list)
    false_alarms: list[tuple[str, Key]] = field(default_factory=list)

    @staticmethod
    def _ratio(numerator: int, denominator: int) -> float:
        return numerator / denominator if denominator else 1.0

    @property
    def precision(self) -> float:
        return self._ratio(self.true_positive, self.predicted)

    @property
    def recall(self) -> float:
        return self._ratio(self.true_positive, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def overlap_precision(self) -> float:
        return self._ratio(self.overlap_tp_predicted, self.predicted)

    @property
    def overlap_recall(self) -> float:
        return self._ratio(self.overlap_tp_gold, self.gold)


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(documents: list[dict[str, Any]]) -> dict[str, Tally]:
    """Run :func:`detect` on every document and tally per type."""
    tallies: dict[str, Tally] = {}
    for document in documents:
        text = document["text"]
        gold = {(s["type"], s["start"], s["end"]) for s in document["spans"]}
        predicted = {(s.type, s.start, s.end) for s in detect(text)}
        for key in gold:
            tally = tallies.setdefault(key[0], Tally())
            tally.gold += 1
            if key in predicted:
                tally.true_positive += 1
            else:
                tally.misses.append((document["id"], key))
            if any(_overlaps(key, other) for other in predicted):
                tally.overlap_tp_gold += 1
        for key in predicted:
            tally = tallies.setdefault(key[0], Tally())
            tally.predicted += 1
            if key not in gold:
                tally.false_alarms.append((document["id"], key))
            if any(_overlaps(key, other) for other in gold):
                tally.overlap_tp_predicted += 1
    return tallies


def _overlaps(a: Key, b: Key) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def markdown_table(tallies: dict[str, Tally]) -> str:
    lines = [
        "| Type | Gold | Detected | Precision | Recall | F1 | Overlap P | Overlap R | Target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for type_name in (*STRUCTURED, *UNSTRUCTURED):
        t = tallies.get(type_name, Tally())
        target = "reported only"
        if type_name in STRUCTURED:
            target = "met" if t.recall >= 0.98 and t.precision >= 0.95 else "**not met**"
        lines.append(
            f"| `{type_name}` | {t.gold} | {t.predicted} | {t.precision:.3f} | {t.recall:.3f} "
            f"| {t.f1:.3f} | {t.overlap_precision:.3f} | {t.overlap_recall:.3f} | {target} |"
        )
    return "\n".join(lines) + "\n"


def _show(documents: dict[str, str], where: tuple[str, Key], label: str) -> str:
    doc_id, (_type, start, end) = where
    text = documents[doc_id]
    before = text[max(0, start - 25) : start].replace("\n", "\\n")
    after = text[end : end + 15].replace("\n", "\\n")
    return f"    {label} {doc_id}: ...{before}[[{text[start:end]}]]{after}..."


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--errors", type=int, default=0, help="show up to N errors per type")
    args = parser.parse_args(argv)
    documents = load(args.data)
    started = time.perf_counter()
    tallies = evaluate(documents)
    elapsed = time.perf_counter() - started
    table = markdown_table(tallies)
    print(f"{len(documents)} documents, {elapsed:.2f} s\n")
    print(table)
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    if args.errors:
        texts = {d["id"]: d["text"] for d in documents}
        for type_name, tally in sorted(tallies.items()):
            if not tally.misses and not tally.false_alarms:
                continue
            print(f"{type_name}: {len(tally.misses)} misses, {len(tally.false_alarms)} false")
            for where in tally.misses[: args.errors]:
                print(_show(texts, where, "MISS"))
            for where in tally.false_alarms[: args.errors]:
                print(_show(texts, where, "FALSE"))
    failed = [
        name
        for name in STRUCTURED
        if tallies.get(name, Tally()).recall < 0.98 or tallies.get(name, Tally()).precision < 0.95
    ]
    if failed:
        print("targets not met: " + ", ".join(failed))


if __name__ == "__main__":
    main()
