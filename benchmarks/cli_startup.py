"""Start-up time of the ``ethos`` command: help screens and a scan of a small file.

Usage::

    python benchmarks/cli_startup.py [--repeat 7] [--json out.json] [--markdown out.md]

Runs, each as a fresh process and ``--repeat`` times, ``ethos --help``, ``ethos scan pii
--help`` and ``ethos scan pii --in F --out O --quiet`` on a 5-document JSONL file written to
a temporary folder (a new output path every run, so no run resumes another), the scan
both with the detector's plan cache (a cache of the run's own, filled first) and without
it (``ETHOS_CACHE_DIR=``), and gives the median and the fastest wall seconds of each. It
also gives what ``python -X importtime`` reports for ``import ethos.cli.main`` (the
cumulative microseconds on its own line, shown in ms), median and fastest of as many runs.
The ``ethos`` script beside this interpreter is used, else ``python -m ethos``. The machine
may be shared: the load average is recorded before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from outputs import add_output_options, publish

DOCUMENTS = [
    "Call me on 010-1234-5678 after the meeting.",
    "The weather in Seoul was clear all week.",
    "보고서는 kim.minsu@example.com 으로 보내 주세요.",
    "No personal information in this line at all.",
    "담당자: 이영희, 연락처 02-312-4567",
]


def ethos_command() -> list[str]:
    script = Path(sys.executable).with_name("ethos")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "ethos"]


def wall_seconds(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    return seconds


def import_ms() -> float:
    """Cumulative import time of ``ethos.cli.main`` as ``-X importtime`` reports it, in ms."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import ethos.cli.main"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in reversed(done.stderr.splitlines()):
        found = re.match(r"import time:\s*\d+\s*\|\s*(\d+)\s*\|\s*ethos\.cli\.main$", line)
        if found:
            return int(found[1]) / 1000
    raise SystemExit("no import-time line for ethos.cli.main")


def summary(values: list[float]) -> dict[str, Any]:
    return {"median": statistics.median(values), "min": min(values), "runs": values}


def measure(repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ethos-cli-bench-") as tmp:
        return measure_in(Path(tmp), repeat)


def measure_in(folder: Path, repeat: int) -> dict[str, Any]:
    ethos = ethos_command()
    corpus = folder / "five_docs.jsonl"
    corpus.write_text(
        "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in DOCUMENTS),
        encoding="utf-8",
    )
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cores": os.cpu_count(),
            "load_before": os.getloadavg(),
        },
        "command": " ".join(Path(part).name for part in ethos[-3:]),
        "repeat": repeat,
    }
    scan = "scan pii (5 docs)"
    uncached = "scan pii (5 docs), no plan cache"
    timings: dict[str, list[float]] = {"--help": [], "scan pii --help": [], scan: [], uncached: []}
    imports: list[float] = []
    # The detector's plan cache (ETHOS_CACHE_DIR) of this run's own, filled before timing,
    # and switched off for the last row.
    cached_env = {**os.environ, "ETHOS_CACHE_DIR": str(folder / "cache")}
    plain_env = {**os.environ, "ETHOS_CACHE_DIR": ""}
    warm = [*ethos, "scan", "pii", "--in", str(corpus), "--out", str(folder / "warm.jsonl")]
    wall_seconds([*warm, "--quiet"], cached_env)
    # Interleaved, so that a change in the machine's load touches every row alike.
    for run in range(repeat):
        timings["--help"].append(wall_seconds([*ethos, "--help"]))
        timings["scan pii --help"].append(wall_seconds([*ethos, "scan", "pii", "--help"]))
        for row, env in ((scan, cached_env), (uncached, plain_env)):
            out = folder / f"out-{run}-{len(timings[row])}-{env['ETHOS_CACHE_DIR'] != ''}.jsonl"
            argv = [*ethos, "scan", "pii", "--in", str(corpus), "--out", str(out), "--quiet"]
            timings[row].append(wall_seconds(argv, env))
            written = out.read_text(encoding="utf-8").splitlines()
            if len(written) != len(DOCUMENTS):
                raise SystemExit(f"{out}: {len(written)} result lines, expected {len(DOCUMENTS)}")
        imports.append(import_ms())
    results["wall_s"] = {name: summary(values) for name, values in timings.items()}
    results["import_ethos_cli_main_ms"] = summary(imports)
    results["machine"]["load_after"] = os.getloadavg()
    return results


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"`{results['command']}`, {results['repeat']} runs each, each a fresh process.",
        "",
        "| Run | Median s | Fastest s |",
        "| --- | ---: | ---: |",
    ]
    for name, row in results["wall_s"].items():
        lines.append(f"| `ethos {name}` | {row['median']:.2f} | {row['min']:.2f} |")
    imports = results["import_ethos_cli_main_ms"]
    machine = results["machine"]
    lines += [
        "",
        f"`import ethos.cli.main` (-X importtime, cumulative): median {imports['median']:.0f} ms, "
        f"fastest {imports['min']:.0f} ms.",
        "",
        f"Load average before {machine['load_before'][0]:.2f}, "
        f"after {machine['load_after'][0]:.2f} ({machine['cores']} cores, "
        f"Python {machine['python']}).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    add_output_options(parser)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    results = measure(args.repeat)
    table = markdown(results)
    publish(args, results, table)


if __name__ == "__main__":
    main()
