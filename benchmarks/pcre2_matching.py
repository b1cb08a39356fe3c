"""What a compiled matching core would save: the PII patterns run by PCRE2's JIT from C,
against Python's ``re``, on the same documents.

Usage::

    python benchmarks/pcre2_matching.py [--corpus eval realistic] [--target-mb 1]
        [--repeat 5] [--json out.json] [--markdown out.md]

Needs a C compiler and PCRE2's headers (Debian: ``apt-get install gcc libpcre2-dev``);
``benchmarks/native/pcre2_matching.c`` is compiled into a temporary directory at each run.
Nothing here is part of Ethos: it measures one piece of a design before it is built.

For each corpus, every pattern of the shipped recognizers (``recognizers.yaml``) runs
over the whole text of every document, as ``finditer`` does, in two ways: every pattern
on every document, and only the patterns the Hyperscan pre-scan lets through for that
document (the set ``detect()`` itself starts from; the pre-scan's own time is reported
apart). Python's side is ``pattern.finditer(text)`` in a loop; C's side is
``pcre2_jit_match`` in a loop. Both must find the same matches, span for span (in UTF-8
bytes), or the script stops. CPU time per document, best of ``--repeat`` rounds; the
time ``detect()`` takes on the same documents is given for scale.

What it does not measure: the windows ``detect()`` searches instead of whole texts, the
validators, scoring and overlaps (Python, about two thirds of ``detect()`` on the dense
set), and the cost of calling C from Python once per document.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pii_realistic
from outputs import add_output_options, publish

from ethos.datagov.pii import detect
from ethos.datagov.pii.analyzer import _plan
from ethos.datagov.pii.schema import default_recognizers

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "native" / "pcre2_matching.c"
_FLAGS = ((re.IGNORECASE, 1), (re.MULTILINE, 2), (re.DOTALL, 4), (re.VERBOSE, 8))


def _compile(workdir: Path) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        sys.exit("no C compiler: install gcc (Debian: apt-get install gcc libpcre2-dev)")
    binary = workdir / "pcre2_matching"
    done = subprocess.run(
        [compiler, "-O2", "-o", str(binary), str(SOURCE), "-lpcre2-8"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"cannot build {SOURCE.name} (is libpcre2-dev installed?):\n{done.stderr}")
    return binary


def _write_patterns(path: Path, regexes: list[re.Pattern[str]]) -> None:
    with path.open("wb") as handle:
        for regex in regexes:
            source = regex.pattern.encode("utf-8")
            flags = sum(bit for flag, bit in _FLAGS if regex.flags & flag)
            handle.write(len(source).to_bytes(4, "little") + flags.to_bytes(4, "little"))
            handle.write(source)


def _write_texts(path: Path, texts: list[bytes], masks: list[int]) -> None:
    with path.open("wb") as handle:
        for data, mask in zip(texts, masks, strict=True):
            handle.write(len(data).to_bytes(4, "little") + mask.to_bytes(8, "little") + data)


def _python_matches(
    regexes: list[re.Pattern[str]], texts: list[str], masks: list[int]
) -> list[tuple[int, int, int, int]]:
    """Every match as (document, pattern, start, end), offsets in UTF-8 bytes."""
    found = []
    for number, (text, mask) in enumerate(zip(texts, masks, strict=True)):
        for index, regex in enumerate(regexes):
            if mask >> index & 1:
                for hit in regex.finditer(text):
                    start = len(text[: hit.start()].encode("utf-8"))
                    end = start + len(hit.group().encode("utf-8"))
                    found.append((number, index, start, end))
    return found


def _c_matches(binary: Path, patterns: Path, texts: Path) -> list[tuple[int, int, int, int]]:
    done = subprocess.run(
        [str(binary), str(patterns), str(texts), "0"], capture_output=True, text=True, check=True
    )
    rows = (line.split() for line in done.stdout.splitlines())
    return [(int(d), int(p), int(s), int(e)) for d, p, s, e in rows]


def _python_round(regexes: list[re.Pattern[str]], texts: list[str], masks: list[int]) -> float:
    started = time.process_time()
    for text, mask in zip(texts, masks, strict=True):
        for index, regex in enumerate(regexes):
            if mask >> index & 1:
                for _hit in regex.finditer(text):
                    pass
    return (time.process_time() - started) / len(texts) * 1e6


def _c_best(binary: Path, patterns: Path, texts: Path, repeat: int) -> float:
    done = subprocess.run(
        [str(binary), str(patterns), str(texts), str(repeat)],
        capture_output=True,
        text=True,
        check=True,
    )
    return min(float(line.split()[1]) for line in done.stdout.splitlines())


def _timed(function: Any, texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for text in texts:
            function(text)
        best = min(best, (time.process_time() - started) / len(texts) * 1e6)
    return best


def measure(
    name: str, texts: list[str], binary: Path, workdir: Path, repeat: int
) -> dict[str, Any]:
    plan = _plan(default_recognizers(), None)
    regexes = [step.pattern.regex for step in plan.steps]
    if len(regexes) > 64:
        sys.exit("more than 64 patterns: the C side keeps a 64-bit mask per document")
    everything = (1 << len(regexes)) - 1
    prescan = plan.prescan
    if prescan is None:
        sys.exit("no Hyperscan pre-scan here (hyperscan missing or ETHOS_PII_PRESCAN=0)")
    allowed = []
    for text in texts:
        answer = prescan.scan(text)
        indexes = range(len(regexes)) if answer is None else answer[0]
        allowed.append(sum(1 << index for index in indexes))
    patterns = workdir / "patterns.bin"
    _write_patterns(patterns, regexes)
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    result: dict[str, Any] = {
        "corpus": name,
        "documents": len(texts),
        "mb": round(sum(map(len, encoded)) / 1e6, 3),
        "patterns": len(regexes),
        "detect_us": round(_timed(detect, texts, repeat), 2),
        "prescan_us": round(_timed(prescan.scan, texts, repeat), 2),
        "modes": [],
    }
    for mode, masks in (("every pattern", [everything] * len(texts)), ("pre-scan's", allowed)):
        data = workdir / "texts.bin"
        _write_texts(data, encoded, masks)
        expected = _python_matches(regexes, texts, masks)
        got = _c_matches(binary, patterns, data)
        if sorted(got) != sorted(expected):
            missing = sorted(set(expected) - set(got))[:5]
            extra = sorted(set(got) - set(expected))[:5]
            sys.exit(f"{name}, {mode}: PCRE2 and re differ; only re: {missing}; only C: {extra}")
        python_us = min(_python_round(regexes, texts, masks) for _ in range(repeat))
        c_us = _c_best(binary, patterns, data, repeat)
        result["modes"].append(
            {
                "mode": mode,
                "patterns_per_document": round(
                    sum(bin(m).count("1") for m in masks) / len(masks), 2
                ),
                "matches": len(expected),
                "python_re_us": round(python_us, 2),
                "pcre2_jit_c_us": round(c_us, 2),
                "ratio": round(python_us / c_us, 1),
            }
        )
    return result


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| corpus | patterns run | per document | matches | `re` us/doc | PCRE2 JIT (C) us/doc "
        "| ratio | `detect()` us/doc | pre-scan us/doc |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        for mode in result["modes"]:
            lines.append(
                f"| {result['corpus']} | {mode['mode']} | {mode['patterns_per_document']} "
                f"| {mode['matches']} | {mode['python_re_us']} | {mode['pcre2_jit_c_us']} "
                f"| {mode['ratio']}x | {result['detect_us']} | {result['prescan_us']} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", nargs="+", default=["eval", "realistic"])
    parser.add_argument("--target-mb", type=float, default=1.0, help="size of `realistic`")
    parser.add_argument("--repeat", type=int, default=5)
    add_output_options(parser)
    args = parser.parse_args()
    corpora = {
        "eval": lambda: pii_realistic.distinct(pii_realistic.eval_texts()),
        "realistic": lambda: pii_realistic.realistic_corpus(args.target_mb),
    }
    detect("warm up: 010-1234-5678")
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        binary = _compile(workdir)
        results = [
            measure(name, corpora[name](), binary, workdir, args.repeat) for name in args.corpus
        ]
    table = markdown(results)
    publish(args, results, table)


if __name__ == "__main__":
    main()
