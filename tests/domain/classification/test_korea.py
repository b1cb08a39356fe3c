"""Korea AI Basic Act: high-impact domains of Art. 2(4) one by one, generative duties of
Art. 31, the Art. 32 compute threshold, the Art. 36 representative thresholds, dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.domain.classification.test_classification import (
    fired,
    make_facts,
    obligations,
    run,
)

KR_DOMAINS = [
    ("energy_supply", "energy_supply", 1),
    ("drinking_water", "drinking_water", 2),
    ("health_care", "health_care", 3),
    ("medical_devices", "medical_devices", 4),
    ("nuclear", "nuclear", 5),
    ("criminal_investigation_biometrics", "criminal_investigation_biometrics", 6),
    ("recruitment", "rights_judgement", 7),
    ("loan_screening", "rights_judgement", 7),
    ("credit_scoring", "rights_judgement", 7),
    ("rights_judgement", "rights_judgement", 7),
    ("transport", "transport", 8),
    ("public_decisions", "public_decisions", 9),
    ("public_benefits", "public_decisions", 9),
    ("student_evaluation", "student_evaluation", 10),
    ("decree_designated", "decree_designated", 11),
]


def kr(**overrides: Any) -> dict[str, Any]:
    verdict: dict[str, Any] = run(make_facts(**overrides))["kr_ai_basic_act"]
    return verdict


@pytest.mark.parametrize(("use", "domain", "item"), KR_DOMAINS)
def test_each_korean_domain_is_high_impact(use: str, domain: str, item: int) -> None:
    verdict = kr(use_domains=[use])
    assert verdict["high_impact"] is True
    assert verdict["domains"] == [domain]
    refs = {r["ref"] for r in verdict["reasons"]}
    assert f"kr-ai-basic-act:art-2.4.{item}" in refs
    duties = obligations(verdict)
    duty_nodes = [f"art-34.{i}" for i in range(1, 6)]
    for node in ("art-33", *duty_nodes, "art-35", "art-31.1"):
        assert (f"kr-ai-basic-act:{node}", "provider") in duties


@pytest.mark.parametrize(("use", "domain", "item"), KR_DOMAINS[:3])
def test_a_domain_without_significant_impact_is_not_high_impact(
    use: str, domain: str, item: int
) -> None:
    verdict = kr(use_domains=[use], significant_impact=False)
    assert verdict["high_impact"] is False
    assert ("kr-ai-basic-act:art-33", "provider") in obligations(verdict)
    assert not any(node.startswith("kr-ai-basic-act:art-34") for node, _ in obligations(verdict))


def test_unknown_significance_is_reported_not_assumed() -> None:
    verdict = kr(use_domains=["transport"], significant_impact=None)
    assert verdict["high_impact"] is None
    missing = {m["fact"]: m for m in verdict["missing_facts"]}
    answers = {
        a["answer"]: a["high_impact"] for a in missing["facts.significant_impact"]["answers"]
    }
    assert answers == {"true": True, "false": False}


def test_no_domain_is_not_high_impact() -> None:
    assert kr(use_domains=["other"])["high_impact"] is False


@pytest.mark.parametrize("output", ["text", "image", "audio", "video"])
def test_generative_outputs_bring_notice_and_labelling(output: str) -> None:
    verdict = kr(generative__outputs=[output])
    assert verdict["generative"] is True
    duties = obligations(verdict)
    assert ("kr-ai-basic-act:art-31.1", "deployer") in duties
    assert ("kr-ai-basic-act:art-31.2", "provider") in duties


def test_realistic_synthetic_content_needs_clear_notice() -> None:
    verdict = kr(generative__outputs=["video"], generative__realistic_synthetic_content=True)
    assert ("kr-ai-basic-act:art-31.3", "provider") in obligations(verdict)


@pytest.mark.parametrize(("flop", "duty"), [(9.9e25, False), (1e26, True), (2e26, True)])
def test_article_32_from_1e26_flop(flop: float, duty: bool) -> None:
    verdict = kr(training_compute_flop=flop)
    assert verdict["art_32_safety"] is duty
    assert (("kr-ai-basic-act:art-32", "provider") in obligations(verdict)) is duty


@pytest.mark.parametrize(
    ("field", "threshold", "rule"),
    [
        ("revenue_krw", 1e12, "kr-art-36-revenue"),
        ("ai_revenue_krw", 1e10, "kr-art-36-ai-revenue"),
        ("daily_korean_users", 1e6, "kr-art-36-daily-users"),
    ],
)
def test_domestic_representative_thresholds(field: str, threshold: float, rule: str) -> None:
    below = kr(operator__established_in_korea=False, **{f"operator__{field}": threshold - 1})
    at = kr(operator__established_in_korea=False, **{f"operator__{field}": threshold})
    domestic = kr(operator__established_in_korea=True, **{f"operator__{field}": threshold})
    assert below["domestic_representative"] is False
    assert at["domestic_representative"] is True
    assert rule in fired(at)
    assert ("kr-ai-basic-act:art-36", "provider") in obligations(at)
    assert domestic["domestic_representative"] is False


@pytest.mark.parametrize(
    ("as_of", "in_force"), [(date(2026, 1, 21), False), (date(2026, 1, 22), True)]
)
def test_korean_duties_apply_from_2026_01_22(as_of: date, in_force: bool) -> None:
    verdict = run(make_facts(use_domains=["health_care"]), as_of)["kr_ai_basic_act"]
    duty = obligations(verdict)[("kr-ai-basic-act:art-34.4", "provider")]
    assert duty["applies_from"] == "2026-01-22"
    assert duty["in_force"] is in_force


def test_outside_korea_no_korean_obligations() -> None:
    verdict = kr(markets=["eu"], use_domains=["health_care"])
    assert verdict["applies"] is False
    assert verdict["obligations"] == []
