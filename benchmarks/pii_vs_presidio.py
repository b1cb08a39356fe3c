"""Ethos PII scanning against Microsoft Presidio: throughput, recall and precision.

Usage::

    pip install -e '.[dev,bench]'
    python benchmarks/pii_vs_presidio.py [--data benchmarks/data/pii_eval.jsonl]
        [--corpus eval|realistic] [--target-mb 4] [--presidio-docs N]
        [--json results.json] [--markdown table.md]

What it measures, in one run on the same machine:

- Quality of both on the labelled evaluation set (every value FAKE): exact-match precision
  and recall per type that both claim to detect, over those types together, and over every
  gold span (types Presidio has no recognizer for count as misses).
- Throughput of Ethos: ``detect()`` in one process (all types, and the structured types
  alone: the "structured stage"), and the ``ethos scan pii`` engine end to end (read JSONL,
  detect, write results) with 1 and 2 workers on the set replicated to ``--target-mb``.
- Throughput of Presidio's ``AnalyzerEngine.analyze`` in one process on the set (or its
  first ``--presidio-docs`` documents), normalised per document and per MB.

``--corpus realistic`` measures every throughput (Ethos and Presidio) on the realistic
low-PII corpus of ``pii_realistic.py`` instead (the repository's own prose with one
evaluation-set document in ``--pii-every``; Presidio on its first ``--presidio-docs``
documents, 1,000 by default); precision and recall still come from the labelled set.

Presidio set-up: no spaCy model can be installed here (spaCy's models are not on PyPI or in
Debian), so Presidio runs without NER: a blank spaCy pipeline per language (rule-based
tokenizer, lower-cased lemmas so that context words work), and Presidio's own pattern
recognizers for the types we also detect, registered for English and Korean alike: e-mail,
credit card, IBAN, IP, US SSN, phone numbers (``phonenumbers`` with regions KR and US),
and the Korean RRN, FRN, BRN, passport and driver licence recognizers. Presidio's
``PHONE_NUMBER`` is compared with our ``PHONE`` and ``KR_PHONE`` together.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pii_realistic
from outputs import add_output_options, publish

from ethos.datagov.engine import PiiSpec, ScanRequest, run_scan
from ethos.datagov.pii import detect
from ethos.datagov.pii.prescan import prescan_available

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE / "data" / "pii_eval.jsonl"
STRUCTURED = (
    "KR_RRN", "KR_FRN", "KR_PHONE", "KR_BRN", "KR_CRN", "KR_PASSPORT", "KR_DRIVER_LICENSE",
    "KR_BANK_ACCOUNT", "EMAIL", "CREDIT_CARD", "IBAN", "US_SSN", "PHONE", "IP_ADDRESS",
    "CREDENTIAL",
)  # fmt: skip
# Presidio entity -> our comparison class; our PHONE and KR_PHONE are one class here.
PRESIDIO_TYPES = {
    "EMAIL_ADDRESS": "EMAIL",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_SSN": "US_SSN",
    "PHONE_NUMBER": "PHONE*",
    "KR_RRN": "KR_RRN",
    "KR_FRN": "KR_FRN",
    "KR_BRN": "KR_BRN",
    "KR_PASSPORT": "KR_PASSPORT",
    "KR_DRIVER_LICENSE": "KR_DRIVER_LICENSE",
}
COMMON = tuple(dict.fromkeys(PRESIDIO_TYPES.values()))
OURS_TO_CLASS = {"PHONE": "PHONE*", "KR_PHONE": "PHONE*"}

Key = tuple[str, int, int]


def comparison_class(type_name: str) -> str:
    return OURS_TO_CLASS.get(type_name, type_name)


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    hits: int = 0
    overlap_gold: int = 0
    overlap_predicted: int = 0

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 1.0

    @property
    def overlap_precision(self) -> float:
        return self.overlap_predicted / self.predicted if self.predicted else 1.0

    @property
    def overlap_recall(self) -> float:
        return self.overlap_gold / self.gold if self.gold else 1.0


def _overlaps(a: Key, b: Key) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def tally(
    documents: list[dict[str, Any]], predictions: list[set[Key]], classes: Iterable[str] | None
) -> Tally:
    """Exact-match and overlap counts over ``classes`` (all when ``None``)."""
    wanted = set(classes) if classes is not None else None
    result = Tally()
    for document, predicted in zip(documents, predictions, strict=True):
        gold = {
            (comparison_class(s["type"]), s["start"], s["end"])
            for s in document["spans"]
            if wanted is None or comparison_class(s["type"]) in wanted
        }
        chosen = {p for p in predicted if wanted is None or p[0] in wanted}
        result.gold += len(gold)
        result.predicted += len(chosen)
        result.hits += len(gold & chosen)
        result.overlap_gold += sum(1 for g in gold if any(_overlaps(g, p) for p in chosen))
        result.overlap_predicted += sum(1 for p in chosen if any(_overlaps(p, g) for g in gold))
    return result


def build_presidio() -> Any:
    """Presidio's analyzer for English and Korean, without downloads (see the docstring)."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")  # bundled snapshot only
    import logging

    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        KrBrnRecognizer,
        KrDriverLicenseRecognizer,
        KrFrnRecognizer,
        KrPassportRecognizer,
        KrRrnRecognizer,
        PhoneRecognizer,
        UsSsnRecognizer,
    )
    from spacy.language import Language

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

    if "ethos_lower_lemma" not in Language.factories:

        @Language.component("ethos_lower_lemma")
        def lower_lemma(doc: Any) -> Any:
            for token in doc:
                token.lemma_ = token.lower_
            return doc

    def blank(lang: str) -> Any:
        # Korean's default spaCy tokenizer needs MeCab; the rule-based one does not.
        config = {"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}}
        nlp = spacy.blank(lang, config=config) if lang == "ko" else spacy.blank(lang)
        nlp.add_pipe("ethos_lower_lemma")
        return nlp

    languages = ["en", "ko"]
    engine = SpacyNlpEngine(
        models=[{"lang_code": lang, "model_name": f"blank:{lang}"} for lang in languages]
    )
    engine.nlp = {lang: blank(lang) for lang in languages}  # instead of load(): no download
    registry = RecognizerRegistry(supported_languages=languages)
    simple = (
        EmailRecognizer,
        CreditCardRecognizer,
        IbanRecognizer,
        IpRecognizer,
        UsSsnRecognizer,
        KrRrnRecognizer,
        KrFrnRecognizer,
        KrBrnRecognizer,
        KrPassportRecognizer,
        KrDriverLicenseRecognizer,
    )
    for lang in languages:
        for recognizer in simple:
            registry.add_recognizer(recognizer(supported_language=lang))
        registry.add_recognizer(
            PhoneRecognizer(supported_language=lang, supported_regions=("KR", "US"))
        )
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=languages)


def presidio_predictions(
    analyzer: Any, documents: list[dict[str, Any]], threshold: float
) -> tuple[list[list[tuple[str, int, int, float]]], tuple[float, float]]:
    entities = list(PRESIDIO_TYPES)
    found = []
    cpu, started = _cpu(), time.perf_counter()
    for document in documents:
        language = document.get("lang") or _language(document["text"])
        language = "en" if language == "en" else "ko"
        results = analyzer.analyze(
            document["text"], language=language, entities=entities, score_threshold=threshold
        )
        found.append(
            [(PRESIDIO_TYPES[r.entity_type], r.start, r.end, float(r.score)) for r in results]
        )
    return found, (time.perf_counter() - started, _cpu() - cpu)


def _language(text: str) -> str:
    """``ko`` for a text holding Hangul, else ``en`` (the realistic corpus has no labels)."""
    return "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in text) else "en"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Best wall-clock seconds of ``repeat`` runs, and the CPU seconds of that run
    (this process and its finished children): the machine is shared, CPU time is the
    steadier measure of work per core."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        cpu, started = _cpu(), time.perf_counter()
        function()
        best = min(best, (time.perf_counter() - started, _cpu() - cpu))
    return best


def replicate(documents: list[dict[str, Any]], target_bytes: int) -> list[dict[str, Any]]:
    size = sum(len(d["text"].encode()) for d in documents)
    copies = max(1, -(-target_bytes // size))
    # each copy its own object (see pii_realistic.distinct)
    return [{"text": d["text"].encode().decode()} for _ in range(copies) for d in documents]


def engine_seconds(corpus: Path, workers: int, work: Path) -> tuple[float, float]:
    """Best of three end-to-end runs of the local engine (automatic shard sizes)."""

    def run() -> None:
        out = work / f"w{workers}.jsonl"
        run_scan(ScanRequest(str(corpus), out, PiiSpec(), workers=workers, progress=False))

    return timed(run, repeat=3)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in ("presidio-analyzer", "spacy", "phonenumbers", "hyperscan"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "ethos_prescan": prescan_available(),  # detect() screens texts with Hyperscan
        **versions,
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    load_before = os.getloadavg()
    with args.data.open(encoding="utf-8") as handle:
        documents = [json.loads(line) for line in handle if line.strip()]
    # Quality always comes from the whole labelled set when throughput is measured on
    # the realistic corpus; --presidio-docs then limits Presidio's throughput run only.
    realistic = args.corpus == "realistic"
    sample = documents[: args.presidio_docs] if args.presidio_docs and not realistic else documents
    sample_mb = sum(len(d["text"].encode()) for d in sample) / 1e6

    ours = [{(comparison_class(s.type), s.start, s.end) for s in detect(d["text"])} for d in sample]
    analyzer = build_presidio()
    analyzer.analyze("warm up 010-1234-5678", language="ko")
    found, presidio_s = presidio_predictions(analyzer, sample, threshold=0.0)
    theirs = {
        threshold: [{(t, s, e) for t, s, e, score in doc if score >= threshold} for doc in found]
        for threshold in (0.0, 0.5)
    }
    quality: dict[str, Any] = {"per_type": {}}
    for name in COMMON:
        quality["per_type"][name] = {
            "ethos": vars(tally(sample, ours, [name])),
            **{f"presidio@{t}": vars(tally(sample, theirs[t], [name])) for t in theirs},
        }

    def summary(predictions: list[set[Key]], classes: Iterable[str] | None) -> dict[str, float]:
        t = tally(sample, predictions, classes)
        return {
            "precision": t.precision,
            "recall": t.recall,
            "overlap_precision": t.overlap_precision,
            "overlap_recall": t.overlap_recall,
            **vars(t),
        }

    quality["common"] = {"ethos": summary(ours, COMMON)}
    quality["overall"] = {"ethos": summary(ours, None)}
    for threshold, predictions in theirs.items():
        quality["common"][f"presidio@{threshold}"] = summary(predictions, COMMON)
        quality["overall"][f"presidio@{threshold}"] = summary(predictions, None)

    if realistic:
        texts = pii_realistic.realistic_corpus(
            args.target_mb, pii_every=args.pii_every, eval_set=args.data
        )
        big = [{"text": text} for text in texts]
        sample = big[: args.presidio_docs or 1000]
        sample_mb = sum(len(d["text"].encode()) for d in sample) / 1e6
        presidio_s = presidio_predictions(analyzer, sample, threshold=0.0)[1]
    else:
        big = replicate(documents, int(args.target_mb * 1e6))
        texts = [d["text"] for d in big]
    big_mb = sum(len(t.encode()) for t in texts) / 1e6
    all_s = timed(lambda: [detect(t) for t in texts])
    structured_s = timed(lambda: [detect(t, types=STRUCTURED) for t in texts])
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            for record in big:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        engine = {w: engine_seconds(corpus, w, Path(tmp)) for w in args.workers}

    def row(docs: int, mb: float, seconds: tuple[float, float]) -> dict[str, float]:
        wall, cpu = seconds
        return {
            "docs": docs,
            "mb": mb,
            "seconds": wall,
            "cpu_seconds": cpu,
            "docs_per_s": docs / wall,
            "mb_per_s": mb / wall,
            "docs_per_cpu_s": docs / cpu,
            "mb_per_cpu_s": mb / cpu,
        }

    throughput = {
        "presidio": row(len(sample), sample_mb, presidio_s),
        "ethos_detect_all_types": row(len(texts), big_mb, all_s),
        "ethos_detect_structured": row(len(texts), big_mb, structured_s),
        **{f"ethos_engine_{w}_workers": row(len(texts), big_mb, s) for w, s in engine.items()},
    }
    return {
        "corpus": args.corpus,
        "machine": {**machine(), "load_before": load_before, "load_average": os.getloadavg()},
        "quality": quality,
        "throughput": throughput,
    }


def markdown(results: dict[str, Any]) -> str:
    t = results["throughput"]
    q = results["quality"]
    lines = [
        f"Throughput corpus: `{results['corpus']}`; quality: the labelled evaluation set.",
        "",
        "| Run | Documents | MB | Wall s | Docs/s | MB/s | CPU s | MB per CPU s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in t.items():
        lines.append(
            f"| {name} | {row['docs']:,} | {row['mb']:.2f} | {row['seconds']:.2f} "
            f"| {row['docs_per_s']:,.0f} | {row['mb_per_s']:.3f} | {row['cpu_seconds']:.2f} "
            f"| {row['mb_per_cpu_s']:.3f} |"
        )
    presidio = t["presidio"]
    one = t.get("ethos_engine_1_workers")
    two = t.get("ethos_engine_2_workers")
    lines.append("")
    if one:
        docs_ratio = one["docs_per_cpu_s"] / presidio["docs_per_cpu_s"]
        mb_ratio = one["mb_per_cpu_s"] / presidio["mb_per_cpu_s"]
        lines.append(
            f"Ethos engine (1 worker) / Presidio, per CPU second: {docs_ratio:.1f}x documents, "
            f"{mb_ratio:.1f}x MB."
        )
    if one and two:
        lines.append(f"Speed-up from 1 to 2 workers: {one['seconds'] / two['seconds']:.2f}x.")
    structured = t["ethos_detect_structured"]["mb_per_cpu_s"]
    lines.append(f"Structured stage: {structured:.2f} MB per CPU second (one core).")
    lines += [
        "",
        "| Type | Gold | Ethos P | Ethos R | Presidio P | Presidio R "
        "| Presidio P (>=0.5) | Presidio R (>=0.5) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in q["per_type"].items():
        e, p0, p5 = (Tally(**row[k]) for k in ("ethos", "presidio@0.0", "presidio@0.5"))
        lines.append(
            f"| `{name}` | {e.gold} | {e.precision:.3f} | {e.recall:.3f} "
            f"| {p0.precision:.3f} | {p0.recall:.3f} | {p5.precision:.3f} | {p5.recall:.3f} |"
        )
    for scope in ("common", "overall"):
        e, p0, p5 = q[scope]["ethos"], q[scope]["presidio@0.0"], q[scope]["presidio@0.5"]
        lines.append(
            f"| **{scope}** | {e['gold']} | {e['precision']:.3f} | {e['recall']:.3f} "
            f"| {p0['precision']:.3f} | {p0['recall']:.3f} | {p5['precision']:.3f} "
            f"| {p5['recall']:.3f} |"
        )
    lines += [
        "",
        "Overlap match (a detection of the right type overlapping a gold span counts):",
        "",
        "| Scope | Ethos P | Ethos R | Presidio P | Presidio R | Presidio P (>=0.5) "
        "| Presidio R (>=0.5) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scope in ("common", "overall"):
        e, p0, p5 = q[scope]["ethos"], q[scope]["presidio@0.0"], q[scope]["presidio@0.5"]
        lines.append(
            f"| {scope} | {e['overlap_precision']:.3f} | {e['overlap_recall']:.3f} "
            f"| {p0['overlap_precision']:.3f} | {p0['overlap_recall']:.3f} "
            f"| {p5['overlap_precision']:.3f} | {p5['overlap_recall']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", choices=("eval", "realistic"), default="eval")
    parser.add_argument("--pii-every", type=int, default=20)
    parser.add_argument("--target-mb", type=float, default=4.0)
    parser.add_argument("--presidio-docs", type=int, default=0, help="0: every document")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    add_output_options(parser)
    args = parser.parse_args(argv)
    results = measure(args)
    table = markdown(results)
    print(json.dumps(results["machine"], indent=2))
    publish(args, results, table)


if __name__ == "__main__":
    main()
