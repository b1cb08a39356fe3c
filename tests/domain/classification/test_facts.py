"""The facts file: versioned, strict, flattened into the paths rules read; docs examples run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from ethos.domain.facts import Facts, fact_mapping, fact_paths
from tests.domain.classification.test_classification import run

DOCS = Path(__file__).resolve().parents[3] / "docs" / "facts.md"


def test_empty_facts_are_all_unknown() -> None:
    flat = fact_mapping(Facts())
    assert set(flat) == fact_paths()
    assert all(value is None for value in flat.values())
    assert "facts.annex_i.safety_component" in flat


def test_mapping_keeps_lists_and_values() -> None:
    facts = Facts.model_validate(
        {"schema": "ethos.facts/1", "use_domains": ["recruitment"], "training_compute_flop": "1e25"}
    )
    flat = fact_mapping(facts)
    assert flat["facts.use_domains"] == ["recruitment"]
    assert flat["facts.training_compute_flop"] == 1e25


@pytest.mark.parametrize(
    "data",
    [
        {"schema": "ethos.facts/2"},
        {"use_domains": ["astrology"]},
        {"surprise": True},
        {"operator": {"revenue_krw": -1}},
    ],
)
def test_bad_facts_are_rejected(data: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Facts.model_validate(data)


def test_first_docs_example_is_prohibited_and_complete() -> None:
    block = re.search(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert block is not None
    facts = Facts.model_validate(yaml.safe_load(block.group(1)))
    eu = run(facts)["eu_ai_act"]
    assert eu["tier"] == "prohibited"
    assert eu["missing_facts"] == []
