"""Intake facts: what the organisation knows about an AI system, for legal classification.

Every field is optional, and ``None`` means *not known yet*; an empty list means *known:
none*. The classification never reads a missing fact as "no": it reports the fact as
missing and what each answer would change. The file format is documented in
``docs/facts.md``; :func:`fact_mapping` flattens facts into the dotted paths
(``facts.annex_i.safety_component``) the rule evaluator of :mod:`ethos.domain.rules` reads.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "FACTS_SCHEMA",
    "AffectedPerson",
    "AnnexIAct",
    "AnnexIFacts",
    "Art63Facts",
    "BiometricFacts",
    "BiometricSetting",
    "Facts",
    "ForeignOperatorFacts",
    "GenerativeFacts",
    "Market",
    "OperatorRole",
    "OutputKind",
    "PracticeFacts",
    "UseDomain",
    "fact_mapping",
    "fact_paths",
]

FACTS_SCHEMA = "ethos.facts/1"

Amount = Annotated[float, Field(ge=0)]


class OperatorRole(StrEnum):
    """The organisation's role for this system (EU AI Act Art. 3; KR AI Basic Act Art. 2(7))."""

    PROVIDER = "provider"
    DEPLOYER = "deployer"
    IMPORTER = "importer"
    DISTRIBUTOR = "distributor"
    AUTHORISED_REPRESENTATIVE = "authorised_representative"
    PRODUCT_MANUFACTURER = "product_manufacturer"


class Market(StrEnum):
    EU = "eu"
    KR = "kr"
    OTHER = "other"


class UseDomain(StrEnum):
    """Use domains: every EU AI Act Annex III point and every Korean high-impact area."""

    # EU AI Act Annex III
    REMOTE_BIOMETRIC_IDENTIFICATION = "remote_biometric_identification"  # III.1(a)
    BIOMETRIC_CATEGORISATION = "biometric_categorisation"  # III.1(b)
    EMOTION_RECOGNITION = "emotion_recognition"  # III.1(c)
    CRITICAL_INFRASTRUCTURE = "critical_infrastructure"  # III.2 (safety components)
    EDUCATION_ADMISSION = "education_admission"  # III.3(a)
    EDUCATION_ASSESSMENT = "education_assessment"  # III.3(b)
    EDUCATION_LEVEL = "education_level"  # III.3(c)
    EXAM_PROCTORING = "exam_proctoring"  # III.3(d)
    RECRUITMENT = "recruitment"  # III.4(a); KR 2(4) 사 (hiring)
    WORK_MANAGEMENT = "work_management"  # III.4(b)
    PUBLIC_BENEFITS = "public_benefits"  # III.5(a); KR 2(4) 자
    CREDIT_SCORING = "credit_scoring"  # III.5(b); KR 2(4) 사 (loan screening)
    LIFE_HEALTH_INSURANCE = "life_health_insurance"  # III.5(c)
    EMERGENCY_TRIAGE = "emergency_triage"  # III.5(d)
    LAW_ENFORCEMENT_VICTIM_RISK = "law_enforcement_victim_risk"  # III.6(a)
    LAW_ENFORCEMENT_POLYGRAPH = "law_enforcement_polygraph"  # III.6(b)
    LAW_ENFORCEMENT_EVIDENCE = "law_enforcement_evidence"  # III.6(c)
    LAW_ENFORCEMENT_OFFENDING_RISK = "law_enforcement_offending_risk"  # III.6(d)
    LAW_ENFORCEMENT_PROFILING = "law_enforcement_profiling"  # III.6(e)
    MIGRATION_POLYGRAPH = "migration_polygraph"  # III.7(a)
    MIGRATION_RISK = "migration_risk"  # III.7(b)
    MIGRATION_APPLICATIONS = "migration_applications"  # III.7(c)
    MIGRATION_IDENTIFICATION = "migration_identification"  # III.7(d)
    JUSTICE = "justice"  # III.8(a)
    ELECTIONS = "elections"  # III.8(b)
    # Korea AI Basic Act Art. 2(4), items 가-카 (recruitment, credit scoring and public
    # benefits above also count)
    ENERGY_SUPPLY = "energy_supply"  # 가
    DRINKING_WATER = "drinking_water"  # 나
    HEALTH_CARE = "health_care"  # 다
    MEDICAL_DEVICES = "medical_devices"  # 라
    NUCLEAR = "nuclear"  # 마
    CRIMINAL_INVESTIGATION_BIOMETRICS = "criminal_investigation_biometrics"  # 바
    LOAN_SCREENING = "loan_screening"  # 사
    RIGHTS_JUDGEMENT = "rights_judgement"  # 사 (other judgements on rights and duties)
    TRANSPORT = "transport"  # 아
    PUBLIC_DECISIONS = "public_decisions"  # 자
    STUDENT_EVALUATION = "student_evaluation"  # 차 (pre-school, primary, secondary)
    DECREE_DESIGNATED = "decree_designated"  # 카
    OTHER = "other"


class AnnexIAct(StrEnum):
    """Union harmonisation legislation of EU AI Act Annex I, points 1-20."""

    MACHINERY = "machinery"
    TOYS = "toys"
    RECREATIONAL_CRAFT = "recreational_craft"
    LIFTS = "lifts"
    EXPLOSIVE_ATMOSPHERES = "explosive_atmospheres"
    RADIO_EQUIPMENT = "radio_equipment"
    PRESSURE_EQUIPMENT = "pressure_equipment"
    CABLEWAYS = "cableways"
    PERSONAL_PROTECTIVE_EQUIPMENT = "personal_protective_equipment"
    GAS_APPLIANCES = "gas_appliances"
    MEDICAL_DEVICES = "medical_devices"
    IN_VITRO_DIAGNOSTICS = "in_vitro_diagnostics"
    CIVIL_AVIATION_SECURITY = "civil_aviation_security"
    TWO_THREE_WHEEL_VEHICLES = "two_three_wheel_vehicles"
    AGRICULTURAL_VEHICLES = "agricultural_vehicles"
    MARINE_EQUIPMENT = "marine_equipment"
    RAIL = "rail"
    MOTOR_VEHICLES = "motor_vehicles"
    MOTOR_VEHICLE_SAFETY = "motor_vehicle_safety"
    CIVIL_AVIATION = "civil_aviation"


class AffectedPerson(StrEnum):
    CONSUMERS = "consumers"
    EMPLOYEES = "employees"
    JOB_APPLICANTS = "job_applicants"
    STUDENTS = "students"
    CHILDREN = "children"
    PATIENTS = "patients"
    BORROWERS = "borrowers"
    INSURED_PERSONS = "insured_persons"
    BENEFIT_CLAIMANTS = "benefit_claimants"
    MIGRANTS = "migrants"
    SUSPECTS = "suspects"
    VOTERS = "voters"
    GENERAL_PUBLIC = "general_public"
    VULNERABLE_GROUPS = "vulnerable_groups"


class BiometricSetting(StrEnum):
    PUBLICLY_ACCESSIBLE_SPACE = "publicly_accessible_space"
    WORKPLACE = "workplace"
    EDUCATION = "education"
    BORDER_CONTROL = "border_control"
    ONLINE = "online"
    OTHER = "other"


class OutputKind(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"


class _Facts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AnnexIFacts(_Facts):
    """EU AI Act Art. 6(1): a product, or a safety component of one, under Annex I law."""

    safety_component: bool | None = None
    product_legislation: list[AnnexIAct] | None = None
    third_party_conformity: bool | None = None


class Art63Facts(_Facts):
    """EU AI Act Art. 6(3)(a)-(d): what the Annex III system is intended to do."""

    narrow_procedural_task: bool | None = None
    improves_completed_human_activity: bool | None = None
    detects_patterns_without_replacing_review: bool | None = None
    preparatory_task: bool | None = None


class PracticeFacts(_Facts):
    """EU AI Act Art. 5(1)(a)-(e): practices asked about directly."""

    manipulative_or_deceptive: bool | None = None
    exploits_vulnerabilities: bool | None = None
    social_scoring: bool | None = None
    crime_prediction_solely_profiling: bool | None = None
    untargeted_facial_scraping: bool | None = None


class BiometricFacts(_Facts):
    """Biometric functions and where they are used (Art. 5(1)(f)-(h), Annex III.1, Art. 50(3))."""

    remote_identification: bool | None = None
    real_time: bool | None = None
    law_enforcement_use: bool | None = None
    law_enforcement_exception: bool | None = None
    categorisation: bool | None = None
    infers_sensitive_traits: bool | None = None
    emotion_recognition: bool | None = None
    medical_or_safety_purpose: bool | None = None
    settings: list[BiometricSetting] | None = None


class GenerativeFacts(_Facts):
    """Generated outputs (EU Art. 50(2), 50(4); KR Art. 31)."""

    outputs: list[OutputKind] | None = None
    realistic_synthetic_content: bool | None = None
    public_interest_text: bool | None = None
    editorial_control: bool | None = None


class ForeignOperatorFacts(_Facts):
    """KR AI Basic Act Art. 36: operators without an address or office in Korea."""

    established_in_korea: bool | None = None
    revenue_krw: Amount | None = None
    ai_revenue_krw: Amount | None = None
    daily_korean_users: Amount | None = None


class Facts(_Facts):
    """The intake facts of one AI system, version ``ethos.facts/1``."""

    schema_: Literal["ethos.facts/1"] = Field(default="ethos.facts/1", alias="schema")
    roles: list[OperatorRole] | None = None
    markets: list[Market] | None = None
    use_domains: list[UseDomain] | None = None
    affected_persons: list[AffectedPerson] | None = None
    significant_impact: bool | None = None
    profiling: bool | None = None
    annex_i: AnnexIFacts = Field(default_factory=AnnexIFacts)
    art_6_3: Art63Facts = Field(default_factory=Art63Facts)
    practices: PracticeFacts = Field(default_factory=PracticeFacts)
    biometrics: BiometricFacts = Field(default_factory=BiometricFacts)
    generative: GenerativeFacts = Field(default_factory=GenerativeFacts)
    interacts_with_people: bool | None = None
    public_sector_deployer: bool | None = None
    public_service_provider: bool | None = None
    general_purpose_model: bool | None = None
    training_compute_flop: Amount | None = None
    open_weights: bool | None = None
    operator: ForeignOperatorFacts = Field(default_factory=ForeignOperatorFacts)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def _flatten(prefix: str, value: Any, into: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}", inner, into)
    else:
        into[prefix] = value


def fact_mapping(facts: Facts) -> dict[str, Any]:
    """Flatten ``facts`` into ``{"facts.<path>": value}``; unknown facts map to ``None``."""
    data = facts.model_dump(mode="json", exclude={"schema_"})
    flat: dict[str, Any] = {}
    _flatten("facts", data, flat)
    return flat


def fact_paths() -> frozenset[str]:
    """Every dotted path a rule may read."""
    return frozenset(fact_mapping(Facts()))
