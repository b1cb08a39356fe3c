"""Shared helpers of the toxicity tests.

The tests hold offensive words on purpose: they check that the scorer finds them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ethos.datagov.toxicity import ToxicityScorer

DATA = Path(__file__).resolve().parent / "data"
PACKAGE = Path(__file__).resolve().parents[3] / "src" / "ethos" / "datagov" / "toxicity"


def load_sample(name: str) -> list[dict[str, Any]]:
    """The rows of one committed evaluation sample (see ``data/README.md``)."""
    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def scorer() -> ToxicityScorer:
    return ToxicityScorer.default()


@pytest.fixture(scope="session")
def sharealike() -> ToxicityScorer:
    """The opt-in model that also learnt from BEEP! train (CC BY-SA 4.0)."""
    return ToxicityScorer.default(model="sharealike")
