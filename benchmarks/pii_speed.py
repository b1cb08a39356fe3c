"""Single-core and 1-to-2-worker throughput of the PII detector, on two corpora.

Usage::

    python benchmarks/pii_speed.py [--target-mb 4] [--pii-every 20] [--repeat 3]
        [--corpus eval realistic] [--workers 1 2] [--general-path]
        [--json out.json] [--markdown out.md]

Corpora (built at run time, see ``pii_realistic.py``):

- ``eval``: the labelled evaluation set (3.7 personal values per 230-byte document)
  replicated to ``--target-mb``: the worst case.
- ``realistic``: the repository's own Korean and English prose cut into paragraph-sized
  documents, with one evaluation-set document in ``--pii-every`` mixed in (seed fixed).

For each corpus: ``detect()`` one document at a time, with all types and with the
structured stage (the 15 types with a fixed shape: no names or addresses); and the
``ethos scan pii`` engine end to end (read JSONL, detect, write, merge) with each
``--workers`` count. Every row gives wall seconds (``perf_counter``) and CPU seconds
(``process_time`` for the in-process runs; this process and its worker processes for the
engine), best of ``--repeat`` runs by wall time. The engine's worker counts alternate
within each of ``--repeat`` rounds, and the speed-up is also given per round, so that
each ratio compares runs taken under the same load. The machine may be shared: CPU
seconds per MB are the figure to compare; the worker speed-up can only be read from wall
time, so the load average is recorded before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pii_realistic
from outputs import add_output_options, publish

from ethos.datagov.engine import PiiSpec, ScanRequest, run_scan, shards
from ethos.datagov.pii import detect
from ethos.datagov.pii.prescan import prescan_available

STRUCTURED = (
    "KR_RRN", "KR_FRN", "KR_PHONE", "KR_BRN", "KR_CRN", "KR_PASSPORT", "KR_DRIVER_LICENSE",
    "KR_BANK_ACCOUNT", "EMAIL", "CREDIT_CARD", "IBAN", "US_SSN", "PHONE", "IP_ADDRESS",
    "CREDENTIAL",
)  # fmt: skip
Timing = tuple[float, float]  # (wall seconds, CPU seconds)


def _all_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of(function: Callable[[], object], repeat: int, clock: Callable[[], float]) -> Timing:
    """The run with the lowest wall time, as (wall, CPU) seconds."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        cpu, started = clock(), time.perf_counter()
        function()
        best = min(best, (time.perf_counter() - started, clock() - cpu))
    return best


def detect_rows(texts: list[str], args: argparse.Namespace) -> dict[str, Timing]:
    rows: dict[str, Timing] = {}
    for label, types in (("all types", None), ("structured", STRUCTURED)):
        for text in texts[:200]:  # warm the plan and the caches
            detect(text, types=types)
        rows[f"detect(), {label}"] = best_of(
            lambda types=types: [detect(t, types=types) for t in texts],
            args.repeat,
            time.process_time,
        )
    return rows


def engine_rows(
    texts: list[str], args: argparse.Namespace
) -> tuple[dict[str, Timing], list[dict[int, float]]]:
    """Best (wall, CPU) per worker count, and the wall seconds of every round. The worker
    counts alternate within each round, so that each round's ratio compares runs taken
    under the same load. With ``--general-path`` each run is followed by one with the
    engine's fast path switched off (rows ``engine, general path, ...``)."""
    paths = (True, False) if args.general_path else (True,)
    runs: dict[tuple[bool, int], list[Timing]] = {
        (fast, workers): [] for fast in paths for workers in args.workers
    }
    rounds: list[dict[int, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            for number, text in enumerate(texts):
                handle.write(json.dumps({"id": number, "text": text}, ensure_ascii=False))
                handle.write("\n")
        warm = ScanRequest(str(corpus), Path(tmp) / "warm.jsonl", PiiSpec(), progress=False)
        run_scan(warm)  # builds the processor (the pre-scan database) once, untimed
        for _ in range(args.repeat):
            rounds.append({})
            for workers in args.workers:
                for fast in paths:

                    def run(workers: int = workers) -> None:
                        out = Path(tmp) / f"out-{workers}.jsonl"
                        request = ScanRequest(
                            str(corpus), out, PiiSpec(), workers=workers, progress=False
                        )
                        run_scan(request)

                    shards.FAST_PATH = fast  # forked workers inherit it
                    try:
                        timing = best_of(run, 1, _all_cpu)
                    finally:
                        shards.FAST_PATH = True
                    runs[fast, workers].append(timing)
                    if fast:
                        rounds[-1][workers] = timing[0]
    rows = {
        f"engine, {'' if fast else 'general path, '}{workers} worker(s)": min(found)
        for (fast, workers), found in runs.items()
    }
    return rows, rounds


def measure(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "ethos_prescan": prescan_available(),  # detect() screens texts with Hyperscan
            "load_before": os.getloadavg(),
        },
        "corpora": {},
    }
    for name in args.corpus:
        if name == "eval":
            texts = pii_realistic.eval_corpus(args.target_mb)
        else:
            texts = pii_realistic.realistic_corpus(args.target_mb, pii_every=args.pii_every)
        info = pii_realistic.describe(texts)
        engine, rounds = engine_rows(texts, args)
        timings = {**detect_rows(texts, args), **engine}
        results["corpora"][name] = {
            **info,
            "engine_rounds_wall_s": rounds,
            "rows": {
                row: {
                    "wall_s": wall,
                    "cpu_s": cpu,
                    "mb_per_s": info["mb"] / wall,
                    "mb_per_cpu_s": info["mb"] / cpu,
                    "docs_per_cpu_s": info["documents"] / cpu,
                }
                for row, (wall, cpu) in timings.items()
            },
        }
    results["machine"]["load_after"] = os.getloadavg()
    return results


def markdown(results: dict[str, Any]) -> str:
    lines = []
    for name, corpus in results["corpora"].items():
        lines += [
            f"Corpus `{name}`: {corpus['documents']:,} documents, {corpus['mb']:.2f} MB, "
            f"{corpus['non_ascii_share']:.0%} of characters outside ASCII, "
            f"sha256 {corpus['sha256'][:12]}.",
            "",
            "| Run | Wall s | MB/s (wall) | CPU s | MB per CPU s | Documents per CPU s |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row, r in corpus["rows"].items():
            lines.append(
                f"| {row} | {r['wall_s']:.2f} | {r['mb_per_s']:.2f} | {r['cpu_s']:.2f} "
                f"| {r['mb_per_cpu_s']:.2f} | {r['docs_per_cpu_s']:,.0f} |"
            )
        rows = corpus["rows"]
        one, two = rows.get("engine, 1 worker(s)"), rows.get("engine, 2 worker(s)")
        if one and two:
            each = ", ".join(
                f"{r[1] / r[2]:.2f}x" for r in corpus["engine_rounds_wall_s"] if 1 in r and 2 in r
            )
            lines.append("")
            lines.append(
                f"Speed-up from 1 to 2 workers (wall): {one['wall_s'] / two['wall_s']:.2f}x "
                f"best against best; in each round: {each}."
            )
        lines.append("")
    machine = results["machine"]
    lines.append(
        f"Load average before {machine['load_before'][0]:.2f}, "
        f"after {machine['load_after'][0]:.2f} ({machine['cores']} cores)."
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-mb", type=float, default=4.0)
    parser.add_argument("--pii-every", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--corpus", nargs="+", choices=("eval", "realistic"), default=["eval", "realistic"]
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--general-path",
        action="store_true",
        help="also time the engine with its fast path switched off",
    )
    add_output_options(parser)
    args = parser.parse_args(argv)
    results = measure(args)
    table = markdown(results)
    publish(args, results, table)


if __name__ == "__main__":
    main()
