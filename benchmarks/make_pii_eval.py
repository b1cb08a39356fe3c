"""Build the labelled PII evaluation set ``benchmarks/data/pii_eval.jsonl``.

Deterministic: the same seed gives the same file, byte for byte. Every value is FAKE,
generated to be valid for its type (dates, gender digits, check digits), and recorded with
its exact character offsets as a gold span. Hard negatives (order numbers, dates, versions,
ISBNs, barcodes, amounts, numbers failing their checks) carry no span.

Usage::

    python benchmarks/make_pii_eval.py [--seed 20261122] [--docs 2400] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pii_fake_values import (
    Generator,
    Segment,
    credential,
    credit_card,
    email,
    iban,
    ip_address,
    kr_address,
    kr_bank_account,
    kr_brn,
    kr_crn,
    kr_driver_license,
    kr_frn,
    kr_passport,
    kr_person,
    kr_phone,
    kr_rrn,
    person,
    phone,
    us_ssn,
)
from pii_hard_negatives import NEGATIVES

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "pii_eval_templates.yaml"
DEFAULT_OUT = HERE / "data" / "pii_eval.jsonl"
DEFAULT_SEED = 20261122
DEFAULT_DOCS = 2400

GOLD: dict[str, Generator] = {
    "KR_RRN": kr_rrn,
    "KR_FRN": kr_frn,
    "KR_PHONE": kr_phone,
    "KR_BRN": kr_brn,
    "KR_CRN": kr_crn,
    "KR_PASSPORT": kr_passport,
    "KR_DRIVER_LICENSE": kr_driver_license,
    "KR_BANK_ACCOUNT": kr_bank_account,
    "KR_ADDRESS": kr_address,
    "KR_PERSON": kr_person,
    "EMAIL": email,
    "CREDIT_CARD": credit_card,
    "IBAN": iban,
    "US_SSN": us_ssn,
    "PHONE": phone,
    "IP_ADDRESS": ip_address,
    "CREDENTIAL": credential,
    "PERSON": person,
}

# `{{` and `}}` are literal braces; `{NAME}` or `{NAME:variant}` is a slot.
_SLOT = re.compile(r"\{\{|\}\}|\{([A-Za-z_0-9]+)(?::([a-z0-9_]+))?\}")


def fill(rng: random.Random, template: str) -> list[Segment]:
    """Replace the slots of one template line by generated segments."""
    segments: list[Segment] = []
    pos = 0
    for match in _SLOT.finditer(template):
        segments.append((template[pos : match.start()], None))
        pos = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            segments.append((token[0], None))
            continue
        name, variant = match.group(1), match.group(2) or ""
        generator = GOLD.get(name) or NEGATIVES.get(name)
        if generator is None:
            raise KeyError(f"unknown slot {name!r} in template {template!r}")
        segments.extend(generator(rng, variant))
    segments.append((template[pos:], None))
    return segments


def assemble(segments: list[Segment]) -> tuple[str, list[dict[str, Any]]]:
    """Join segments into a text and the gold spans with their offsets."""
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    offset = 0
    for text, type_name in segments:
        if type_name is not None:
            spans.append({"type": type_name, "start": offset, "end": offset + len(text)})
        parts.append(text)
        offset += len(text)
    return "".join(parts), spans


def build_document(
    rng: random.Random, name: str, category: dict[str, Any], index: int
) -> dict[str, Any]:
    low, high = category["pick"]
    lines = rng.sample(category["lines"], k=min(len(category["lines"]), rng.randint(low, high)))
    if len(category["lines"]) == 1:  # table rows: repeat the row template
        lines = lines * rng.randint(low, high)
    join = category["join"]
    segments: list[Segment] = []
    if "header" in category:
        segments.append((category["header"] + join, None))
    for number, line in enumerate(lines):
        if number:
            segments.append((join, None))
        segments.extend(fill(rng, line))
    text, spans = assemble(segments)
    return {"id": f"{name}-{index:05d}", "lang": category["lang"], "text": text, "spans": spans}


def build(seed: int, count: int) -> list[dict[str, Any]]:
    """Build ``count`` documents from the templates with a fixed seed."""
    categories: dict[str, dict[str, Any]] = yaml.safe_load(TEMPLATES.read_text("utf-8"))[
        "categories"
    ]
    names = sorted(categories)
    weights = [categories[name]["weight"] for name in names]
    rng = random.Random(seed)
    documents = []
    for index in range(count):
        name = rng.choices(names, weights)[0]
        documents.append(build_document(rng, name, categories[name], index))
    return documents


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    documents = build(args.seed, args.docs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as handle:
        for document in documents:
            handle.write(json.dumps(document, ensure_ascii=False) + "\n")
    counts = Counter(span["type"] for doc in documents for span in doc["spans"])
    negatives = sum(1 for doc in documents if not doc["spans"])
    print(f"wrote {len(documents)} documents ({negatives} without PII) to {args.out}")
    for type_name, number in sorted(counts.items()):
        print(f"  {type_name:<20} {number:>5}")


if __name__ == "__main__":
    main()
