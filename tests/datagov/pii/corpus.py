"""Texts for the pre-pass tests: the evaluation set, perturbed copies and plain prose.

Everything is deterministic (fixed seeds) and FAKE: the evaluation set's values are
generated, the perturbations change digits and separators at random, and the prose is
random words.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

EVAL_SET = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "pii_eval.jsonl"

_FULL_WIDTH = {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)}
_INSERTS = ["0", "1", "9", "@", ":", "-", " ", "\n", "A", "가", "님", "\u200b", "(", ")", "+", "."]
_SEPARATORS = ["-", ".", " ", "", "\u2013", "\uff0d", "/", ":", "_", "  "]
_WORDS = (
    "the", "data", "of", "this", "system", "is", "reviewed", "every", "week", "by", "the",
    "office", "and", "its", "partners", "report", "article", "annex", "version", "release",
    "model", "risk", "fairness", "account", "access", "token", "Mr", "Dr", "Prof",
    "Contact", "Name", "Hello", "hi", "ISO", "COVID", "KRW", "USD", "IBAN", "GDPR", "AI",
    "우리", "회사", "국민", "여러분", "하나", "은행", "서울", "부산", "경기",
    "김", "이", "박", "님", "씨", "과장", "데이터", "윤리", "위원회", "보고서",
    "검토", "결과", "모델", "학습", "개인정보", "비밀번호", "암호", "ㅋㅋㅋ", "ㅠㅠ",
    "…", "’", "é", "ß", "İ", "K",
)  # fmt: skip


def eval_texts() -> list[str]:
    """The texts of the committed evaluation set."""
    with EVAL_SET.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def _perturb(text: str, rng: random.Random) -> str:
    out = []
    for char in text:
        roll = rng.random()
        if char.isdigit() and roll < 0.08:
            out.append(str(rng.randrange(10)))
        elif char in "-. " and roll < 0.08:
            out.append(rng.choice(_SEPARATORS))
        elif roll < 0.01:
            out.extend((rng.choice(_INSERTS), char))
        elif roll < 0.015:
            continue
        elif roll < 0.02:
            out.append(_FULL_WIDTH.get(char, char))
        else:
            out.append(char)
    return "".join(out)


def variants(texts: list[str], count: int, seed: int) -> list[str]:
    """``count`` texts made by joining and perturbing texts of ``texts``."""
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        parts = [rng.choice(texts) for _ in range(rng.randint(1, 3))]
        text = _perturb(rng.choice(["\n", " ", ". "]).join(parts), rng)
        roll = rng.random()
        made.append(text.upper() if roll < 0.1 else text.lower() if roll < 0.2 else text)
    return made


def prose(count: int, seed: int) -> list[str]:
    """``count`` texts of random words, with a number now and then."""
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(5, 120)):
            roll = rng.random()
            if roll < 0.05:
                words.append(str(rng.randrange(10 ** rng.randint(1, 14))))
            elif roll < 0.07:
                words.append(rng.choice(["2024", "3.5%", "No. 12", "(02)", "+1", "v1.2.3"]))
            else:
                words.append(rng.choice(_WORDS))
        made.append(" ".join(words))
    return made
