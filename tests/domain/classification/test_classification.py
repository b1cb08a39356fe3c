"""Classification tables built from the texts: EU AI Act Arts. 5, 6, 50, 51 and Annexes I and
III; Korea AI Basic Act Arts. 2(4), 31, 32, 36; application dates before and after."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ethos.domain.classification import RuleSet, classify
from ethos.domain.facts import Facts
from ethos.domain.frameworks import Applicability, ApplicabilityStatus, Node, effective_entry
from ethos.knowledge.frameworks import KnowledgeBase, load_rule_set

KB = KnowledgeBase.load()
EU = load_rule_set("eu-ai-act", KB)
KR = load_rule_set("kr-ai-basic-act", KB)
AFTER_ALL = date(2029, 1, 1)

CLEAN: dict[str, Any] = {
    "roles": ["provider", "deployer"],
    "markets": ["eu", "kr"],
    "use_domains": [],
    "significant_impact": True,
    "profiling": False,
    "annex_i": {
        "safety_component": False,
        "product_legislation": [],
        "third_party_conformity": False,
    },
    "art_6_3": {
        "narrow_procedural_task": False,
        "improves_completed_human_activity": False,
        "detects_patterns_without_replacing_review": False,
        "preparatory_task": False,
    },
    "practices": {
        "manipulative_or_deceptive": False,
        "exploits_vulnerabilities": False,
        "social_scoring": False,
        "crime_prediction_solely_profiling": False,
        "untargeted_facial_scraping": False,
    },
    "biometrics": {
        "remote_identification": False,
        "real_time": False,
        "law_enforcement_use": False,
        "law_enforcement_exception": False,
        "categorisation": False,
        "infers_sensitive_traits": False,
        "emotion_recognition": False,
        "medical_or_safety_purpose": False,
        "settings": [],
    },
    "generative": {
        "outputs": [],
        "realistic_synthetic_content": False,
        "public_interest_text": False,
        "editorial_control": False,
    },
    "interacts_with_people": False,
    "public_sector_deployer": False,
    "public_service_provider": False,
    "general_purpose_model": False,
    "training_compute_flop": 1e20,
    "open_weights": False,
    "operator": {
        "established_in_korea": True,
        "revenue_krw": 0,
        "ai_revenue_krw": 0,
        "daily_korean_users": 0,
    },
}


def make_facts(**overrides: Any) -> Facts:
    """CLEAN with dotted overrides (``biometrics__real_time=True``); ``None`` unsets."""
    data: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in CLEAN.items()}
    for key, value in overrides.items():
        *groups, name = key.split("__")
        target = data
        for group in groups:
            target = target[group]
        target[name] = value
    return Facts.model_validate(data)


def run(facts: Facts, as_of: date = AFTER_ALL, eu: RuleSet = EU) -> dict[str, Any]:
    result: dict[str, Any] = classify(
        facts, eu_rules=eu, kr_rules=KR, lookup=KB, as_of=as_of
    ).to_json()
    return result


def obligations(verdict: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(o["id"], o["role"]): o for o in verdict["obligations"]}


def fired(verdict: dict[str, Any]) -> set[str]:
    return {r["rule"] for r in verdict["reasons"]}


def test_a_clean_system_is_minimal_and_complete() -> None:
    result = run(make_facts())
    assert result["eu_ai_act"]["tier"] == "minimal"
    assert result["eu_ai_act"]["missing_facts"] == []
    assert result["kr_ai_basic_act"]["high_impact"] is False
    assert result["kr_ai_basic_act"]["missing_facts"] == []


# ------------------------------------------------------------------- EU Art. 5


@pytest.mark.parametrize(
    ("point", "overrides"),
    [
        ("a", {"practices__manipulative_or_deceptive": True}),
        ("b", {"practices__exploits_vulnerabilities": True}),
        ("c", {"practices__social_scoring": True}),
        ("d", {"practices__crime_prediction_solely_profiling": True}),
        ("e", {"practices__untargeted_facial_scraping": True}),
        ("f", {"biometrics__emotion_recognition": True, "biometrics__settings": ["workplace"]}),
        ("f", {"biometrics__emotion_recognition": True, "biometrics__settings": ["education"]}),
        ("g", {"biometrics__categorisation": True, "biometrics__infers_sensitive_traits": True}),
        (
            "h",
            {
                "biometrics__remote_identification": True,
                "biometrics__real_time": True,
                "biometrics__law_enforcement_use": True,
                "biometrics__settings": ["publicly_accessible_space"],
            },
        ),
    ],
)
def test_every_article_5_practice_is_prohibited(point: str, overrides: dict[str, Any]) -> None:
    eu = run(make_facts(**overrides))["eu_ai_act"]
    assert eu["tier"] == "prohibited"
    assert {"rule": f"eu-art-5.1.{point}", "ref": f"eu-ai-act:art-5.1.{point}"} in eu["reasons"]
    duty = obligations(eu)[(f"eu-ai-act:art-5.1.{point}", "provider")]
    assert duty["applies_from"] == "2025-02-02"


@pytest.mark.parametrize(
    ("overrides", "tier"),
    [
        (
            {
                "biometrics__emotion_recognition": True,
                "biometrics__settings": ["workplace"],
                "biometrics__medical_or_safety_purpose": True,
            },
            "high_risk",
        ),
        (
            {
                "biometrics__remote_identification": True,
                "biometrics__real_time": True,
                "biometrics__law_enforcement_use": True,
                "biometrics__settings": ["publicly_accessible_space"],
                "biometrics__law_enforcement_exception": True,
            },
            "high_risk",
        ),
        (
            {"biometrics__emotion_recognition": True, "biometrics__settings": ["workplace"]}
            | {"biometrics__medical_or_safety_purpose": None},
            "undetermined",
        ),
    ],
)
def test_article_5_exceptions_and_unknowns(overrides: dict[str, Any], tier: str) -> None:
    assert run(make_facts(**overrides))["eu_ai_act"]["tier"] == tier


def test_prohibitions_before_and_after_2025_02_02() -> None:
    facts = make_facts(practices__social_scoring=True)
    before = obligations(run(facts, date(2025, 2, 1))["eu_ai_act"])
    after = obligations(run(facts, date(2025, 2, 2))["eu_ai_act"])
    assert before[("eu-ai-act:art-5.1.c", "deployer")]["in_force"] is False
    assert after[("eu-ai-act:art-5.1.c", "deployer")]["in_force"] is True


# ------------------------------------------------------------------- EU Annex III, Art. 6(3)

ANNEX_III = [
    ("remote_biometric_identification", "1(a)"),
    ("biometric_categorisation", "1(b)"),
    ("emotion_recognition", "1(c)"),
    ("critical_infrastructure", "2"),
    ("education_admission", "3(a)"),
    ("education_assessment", "3(b)"),
    ("student_evaluation", "3(b)"),
    ("education_level", "3(c)"),
    ("exam_proctoring", "3(d)"),
    ("recruitment", "4(a)"),
    ("work_management", "4(b)"),
    ("public_benefits", "5(a)"),
    ("credit_scoring", "5(b)"),
    ("loan_screening", "5(b)"),
    ("life_health_insurance", "5(c)"),
    ("emergency_triage", "5(d)"),
    ("law_enforcement_victim_risk", "6(a)"),
    ("law_enforcement_polygraph", "6(b)"),
    ("law_enforcement_evidence", "6(c)"),
    ("law_enforcement_offending_risk", "6(d)"),
    ("law_enforcement_profiling", "6(e)"),
    ("migration_polygraph", "7(a)"),
    ("migration_risk", "7(b)"),
    ("migration_applications", "7(c)"),
    ("migration_identification", "7(d)"),
    ("justice", "8(a)"),
    ("elections", "8(b)"),
]


@pytest.mark.parametrize(("domain", "point"), ANNEX_III)
def test_every_annex_iii_point_is_high_risk(domain: str, point: str) -> None:
    eu = run(make_facts(use_domains=[domain]))["eu_ai_act"]
    assert eu["tier"] == "high_risk"
    assert [(a["annex"], a["point"]) for a in eu["annex"]] == [("III", point)]
    duties = obligations(eu)
    assert duties[("eu-ai-act:art-9", "provider")]["applies_from"] == "2027-12-02"
    assert ("eu-ai-act:art-26", "deployer") in duties


@pytest.mark.parametrize("condition", sorted(CLEAN["art_6_3"]))
def test_art_6_3_exemption_without_profiling(condition: str) -> None:
    eu = run(make_facts(use_domains=["recruitment"], **{f"art_6_3__{condition}": True}))
    verdict = eu["eu_ai_act"]
    assert verdict["tier"] == "minimal"
    assert verdict["art_6_3_exemption"] is True
    assert "eu-art-6.3-exemption" in fired(verdict)
    assert ("eu-ai-act:art-6.4", "provider") in obligations(verdict)
    assert ("eu-ai-act:art-9", "provider") not in obligations(verdict)


def test_art_6_3_profiling_override_keeps_high_risk() -> None:
    facts = make_facts(use_domains=["recruitment"], profiling=True, art_6_3__preparatory_task=True)
    verdict = run(facts)["eu_ai_act"]
    assert verdict["tier"] == "high_risk"
    assert verdict["art_6_3_exemption"] is False
    assert "eu-art-6.3-profiling-override" in fired(verdict)


def test_unknown_profiling_never_defaults_to_exempt() -> None:
    facts = make_facts(use_domains=["recruitment"], profiling=None, art_6_3__preparatory_task=True)
    verdict = run(facts)["eu_ai_act"]
    assert verdict["tier"] == "high_risk"
    assert verdict["art_6_3_exemption"] is None
    missing = {m["fact"]: m for m in verdict["missing_facts"]}
    answers = {a["answer"]: a["tier"] for a in missing["facts.profiling"]["answers"]}
    assert answers == {"true": "high_risk", "false": "minimal"}


def test_unknown_domains_leave_the_tier_undetermined() -> None:
    verdict = run(make_facts(use_domains=None))["eu_ai_act"]
    assert verdict["tier"] == "undetermined"
    missing = {m["fact"]: m for m in verdict["missing_facts"]}
    answers = {a["answer"]: a["tier"] for a in missing["facts.use_domains"]["answers"]}
    assert answers["recruitment"] == "high_risk"
    assert answers["none of these"] == "minimal"


@pytest.mark.parametrize(
    ("overrides", "required"),
    [
        ({"use_domains": ["credit_scoring"]}, True),
        ({"use_domains": ["life_health_insurance"]}, True),
        ({"use_domains": ["recruitment"], "public_sector_deployer": True}, True),
        ({"use_domains": ["education_admission"], "public_service_provider": True}, True),
        ({"use_domains": ["recruitment"]}, False),
        ({"use_domains": ["critical_infrastructure"], "public_sector_deployer": True}, False),
    ],
)
def test_art_27_fundamental_rights_impact_assessment(
    overrides: dict[str, Any], required: bool
) -> None:
    verdict = run(make_facts(**overrides))["eu_ai_act"]
    assert (("eu-ai-act:art-27", "deployer") in obligations(verdict)) is required


# ------------------------------------------------------------------- EU Annex I

ANNEX_I = [
    "machinery",
    "toys",
    "recreational_craft",
    "lifts",
    "explosive_atmospheres",
    "radio_equipment",
    "pressure_equipment",
    "cableways",
    "personal_protective_equipment",
    "gas_appliances",
    "medical_devices",
    "in_vitro_diagnostics",
    "civil_aviation_security",
    "two_three_wheel_vehicles",
    "agricultural_vehicles",
    "marine_equipment",
    "rail",
    "motor_vehicles",
    "motor_vehicle_safety",
    "civil_aviation",
]


@pytest.mark.parametrize(("point", "act"), list(enumerate(ANNEX_I, 1)))
def test_annex_i_route(point: int, act: str) -> None:
    facts = make_facts(
        annex_i__product_legislation=[act],
        annex_i__safety_component=True,
        annex_i__third_party_conformity=True,
    )
    verdict = run(facts)["eu_ai_act"]
    assert verdict["tier"] == "high_risk"
    assert verdict["annex"] == [
        {"annex": "I", "point": str(point), "ref": f"eu-ai-act:annex-i.{point}"}
    ]
    assert obligations(verdict)[("eu-ai-act:art-9", "provider")]["applies_from"] == "2028-08-02"


def test_annex_i_without_third_party_assessment_is_not_high_risk() -> None:
    facts = make_facts(
        annex_i__product_legislation=["machinery"],
        annex_i__safety_component=True,
        annex_i__third_party_conformity=False,
    )
    assert run(facts)["eu_ai_act"]["tier"] == "minimal"


# ------------------------------------------------------------------- EU Art. 50, GPAI


@pytest.mark.parametrize(
    ("overrides", "duty"),
    [
        ({"interacts_with_people": True}, ("eu-ai-act:art-50.1", "provider")),
        ({"generative__outputs": ["image"]}, ("eu-ai-act:art-50.2", "provider")),
        ({"biometrics__categorisation": True}, ("eu-ai-act:art-50.3", "deployer")),
        ({"generative__realistic_synthetic_content": True}, ("eu-ai-act:art-50.4", "deployer")),
        ({"generative__public_interest_text": True}, ("eu-ai-act:art-50.4", "deployer")),
    ],
)
def test_article_50_makes_a_system_limited(
    overrides: dict[str, Any], duty: tuple[str, str]
) -> None:
    verdict = run(make_facts(**overrides))["eu_ai_act"]
    assert verdict["tier"] == "limited"
    assert obligations(verdict)[duty]["applies_from"] == "2026-08-02"


@pytest.mark.parametrize(
    ("flop", "systemic"),
    [(1e24, False), (1e25, False), (1.0000001e25, True), (3e25, True)],
)
def test_gpai_systemic_risk_presumed_above_1e25(flop: float, systemic: bool) -> None:
    verdict = run(make_facts(general_purpose_model=True, training_compute_flop=flop))
    eu = verdict["eu_ai_act"]
    assert eu["gpai"] is True
    assert eu["systemic_risk"] is systemic
    assert (("eu-ai-act:art-55.1", "provider") in obligations(eu)) is systemic
    assert obligations(eu)[("eu-ai-act:art-53.1", "provider")]["applies_from"] == "2025-08-02"


def test_gpai_with_unknown_compute_reports_the_threshold() -> None:
    eu = run(make_facts(general_purpose_model=True, training_compute_flop=None))["eu_ai_act"]
    assert eu["systemic_risk"] is None
    missing = {m["fact"]: m for m in eu["missing_facts"]}
    assert "eu-gpai-systemic-risk" in missing["facts.training_compute_flop"]["rules"]


def test_gpai_duties_before_and_after_2025_08_02() -> None:
    facts = make_facts(general_purpose_model=True)
    before = obligations(run(facts, date(2025, 8, 1))["eu_ai_act"])
    after = obligations(run(facts, date(2025, 8, 2))["eu_ai_act"])
    assert before[("eu-ai-act:art-53.1", "provider")]["in_force"] is False
    assert after[("eu-ai-act:art-53.1", "provider")]["in_force"] is True


# ------------------------------------------------------------------- EU dates, Omnibus


@pytest.mark.parametrize(
    ("as_of", "in_force"),
    [(date(2026, 8, 2), False), (date(2027, 12, 1), False), (date(2027, 12, 2), True)],
)
def test_annex_iii_duties_follow_the_omnibus_deferral(as_of: date, in_force: bool) -> None:
    duties = obligations(run(make_facts(use_domains=["recruitment"]), as_of)["eu_ai_act"])
    assert duties[("eu-ai-act:art-9", "provider")]["in_force"] is in_force


@pytest.mark.parametrize(
    ("as_of", "in_force"),
    [(date(2027, 8, 2), False), (date(2028, 8, 1), False), (date(2028, 8, 2), True)],
)
def test_annex_i_duties_follow_the_omnibus_deferral(as_of: date, in_force: bool) -> None:
    facts = make_facts(
        annex_i__product_legislation=["toys"],
        annex_i__safety_component=True,
        annex_i__third_party_conformity=True,
    )
    duties = obligations(run(facts, as_of)["eu_ai_act"])
    assert duties[("eu-ai-act:art-16", "provider")]["in_force"] is in_force


def test_without_the_omnibus_the_original_dates_apply() -> None:
    """A proposal does not move dates: treat the Omnibus entries as proposed and check."""
    facts = make_facts(use_domains=["recruitment"])
    lookup = _OmnibusProposed(KB)
    result = classify(facts, eu_rules=EU, kr_rules=KR, lookup=lookup, as_of=date(2026, 8, 2))
    duties = obligations(result.to_json()["eu_ai_act"])
    assert duties[("eu-ai-act:art-9", "provider")]["applies_from"] == "2026-08-02"
    assert duties[("eu-ai-act:art-9", "provider")]["in_force"] is True


class _OmnibusProposed:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def has(self, node_id: str) -> bool:
        return self.kb.has(node_id)

    def node(self, node_id: str) -> Node:
        return self.kb.node(node_id)

    def applicability(
        self, node_id: str, as_of: date, *, scope: str | None = None
    ) -> Applicability | None:
        for node in [self.kb.node(node_id), *self.kb.ancestors(node_id)]:
            if node.applicability:
                entries = [
                    e.model_copy(update={"status": ApplicabilityStatus.PROPOSED})
                    if "Omnibus" in e.basis
                    else e
                    for e in node.applicability
                ]
                return effective_entry(entries, as_of, scope=scope)
        return None


def test_outside_the_eu_no_eu_obligations() -> None:
    verdict = run(make_facts(markets=["kr"], use_domains=["recruitment"]))["eu_ai_act"]
    assert verdict["applies"] is False
    assert verdict["obligations"] == []


def test_roles_filter_obligations() -> None:
    verdict = run(make_facts(roles=["deployer"], use_domains=["recruitment"]))["eu_ai_act"]
    assert {role for _, role in obligations(verdict)} == {"deployer"}
