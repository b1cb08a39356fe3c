"""The weekly review of data issues: checks over the dataset register (``ethos.dataset-checks/1``).

The ethics office reviews the data issues of its datasets every week: a licence nobody has
classified, personal data without anonymisation or a lawful basis, scans that are missing or
older than the version in use, a retention date or review date that has passed. Each check
is content (``knowledge/dataset-checks.yaml``): a title and advice in Korean and English, a
severity, and a condition in the rule language of :mod:`ethos.domain.rules` over the facts
:func:`review_facts` derives from one dataset. Nothing here reads files or the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ethos.domain.datasets import Dataset, DatasetVersion, Presence, ScanKind
from ethos.domain.licences import LicenceClass, LicenceTerms
from ethos.domain.questionnaire import LocalizedText, Slug
from ethos.domain.rules import Condition, evaluate, parse_condition
from ethos.domain.validation import invalid

__all__ = [
    "FACTS",
    "DatasetCheck",
    "DatasetChecks",
    "DatasetReview",
    "Problem",
    "Severity",
    "review_dataset",
    "review_facts",
    "unanonymised",
]

#: Every fact a check may read, with what it means (``None`` where it is not known).
FACTS: dict[str, str] = {
    "dataset.licence_unknown": "licences.yaml cannot classify the licence (NOASSERTION too)",
    "dataset.share_alike": "the licence is share-alike",
    "dataset.non_commercial": "the licence allows non-commercial use only",
    "dataset.no_derivatives": "the licence forbids derivatives",
    "dataset.acquisition_reviewed": "an acquisition review (reviewer, date) is recorded",
    "dataset.copyright": "copyright status: owned, licensed, public_domain, mixed, unknown",
    "dataset.personal_data": "personal data as the record asserts: yes, no, not_asserted",
    "dataset.personal_data_found": "the last PII scan found values (unknown: never scanned)",
    "dataset.personal_data_unanonymised": "personal data (record or scan), no anonymisation",
    "dataset.lawful_basis_recorded": "a lawful basis is recorded",
    "dataset.consent_evidence_recorded": "consent evidence is recorded",
    "dataset.sensitive_categories": "how many sensitive categories the record lists",
    "dataset.confidentiality": "public, internal, confidential, restricted",
    "dataset.pii_scan_age_days": "days since the last PII scan (unknown: never scanned)",
    "dataset.pii_scan_predates_version": "the last PII scan is older than the newest version",
    "dataset.toxicity_scan_age_days": "days since the last toxicity scan",
    "dataset.toxicity_scan_predates_version": "the last toxicity scan predates the version",
    "dataset.toxic_found": "texts the last toxicity scan flagged (unknown: never scanned)",
    "dataset.content_action_recorded": "the action taken on flagged content is recorded",
    "dataset.data_types": "the record's data types (a list; unknown when none are listed)",
    "dataset.representativeness_documented": "languages, domains, biases or notes recorded",
    "dataset.retention_days_left": "days until retain_until (negative: passed)",
    "dataset.review_days_left": "days until the retention review date (negative: passed)",
    "dataset.projects": "how many projects use the dataset",
    "dataset.used_in_product": "a product-development project uses the dataset",
    "dataset.intended_uses_recorded": "intended uses are recorded",
}


class Severity(StrEnum):
    """How soon the office should act: high first."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 0, "medium": 1, "low": 2}[self.value]

    def label(self, lang: str) -> str:
        if lang == "ko":
            return {"high": "높음", "medium": "중간", "low": "낮음"}[self.value]
        return self.value


def _condition(raw: Any) -> Condition:
    condition = parse_condition(raw)
    unknown = sorted(condition.paths() - FACTS.keys())
    if unknown:
        raise invalid(
            f"unknown fact(s) {', '.join(unknown)} (see docs/datasets.md for the list)",
            f"알 수 없는 사실 {', '.join(unknown)}(목록은 docs/datasets.md 참고)",
        )
    return condition


class _Content(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class DatasetCheck(_Content):
    """One data issue the weekly review looks for."""

    id: Slug
    severity: Severity
    title: LocalizedText
    advice: LocalizedText
    when: Annotated[Condition, BeforeValidator(_condition)]


class DatasetChecks(_Content):
    schema_: Literal["ethos.dataset-checks/1"] = Field(alias="schema")
    version: Annotated[int, Field(ge=1)]
    released: date
    checks: Annotated[list[DatasetCheck], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        ids = [c.id for c in self.checks]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise invalid(
                f"checks: ids used twice: {', '.join(twice)}",
                f"checks: 두 번 쓰인 id: {', '.join(twice)}",
            )
        return self


def unanonymised(dataset: Dataset, version: DatasetVersion) -> bool | None:
    """Whether the version holds personal data (by its record or the last PII scan) with no
    anonymisation method recorded; ``None`` when nobody knows whether it holds any."""
    privacy = version.record.privacy
    pii = dataset.scans.get(ScanKind.PII)
    if privacy.personal_data is Presence.YES or (pii is not None and pii.total > 0):
        return not privacy.anonymisation
    if privacy.personal_data is Presence.NO or (pii is not None and pii.total == 0):
        return False
    return None


def _days(later: dt.date, earlier: dt.date | None) -> int | None:
    return None if earlier is None else (later - earlier).days


def review_facts(
    dataset: Dataset, terms: LicenceTerms, *, today: dt.date, project_types: list[str]
) -> dict[str, Any]:
    """The facts of :data:`FACTS` for the newest version of ``dataset``.

    ``terms`` are that version's licence terms; ``project_types`` the types of the projects
    linked to the dataset. Facts nobody knows are left out, so a check reading them is
    *unknown* rather than false.
    """
    version = dataset.current
    record = version.record
    pii = dataset.scans.get(ScanKind.PII)
    toxicity = dataset.scans.get(ScanKind.TOXICITY)
    retention = record.retention
    facts: dict[str, Any] = {
        "dataset.licence_unknown": terms.cls is LicenceClass.UNKNOWN,
        "dataset.share_alike": terms.share_alike,
        "dataset.non_commercial": terms.non_commercial,
        "dataset.no_derivatives": terms.cls is LicenceClass.NO_DERIVATIVES,
        "dataset.acquisition_reviewed": record.legal.acquisition_review is not None,
        "dataset.copyright": record.legal.copyright.value,
        "dataset.personal_data": record.privacy.personal_data.value,
        "dataset.personal_data_found": None if pii is None else pii.total > 0,
        "dataset.personal_data_unanonymised": unanonymised(dataset, version),
        "dataset.lawful_basis_recorded": bool(record.legal.lawful_basis),
        "dataset.consent_evidence_recorded": bool(record.legal.consent_evidence),
        "dataset.sensitive_categories": len(record.privacy.sensitive_categories),
        "dataset.confidentiality": record.privacy.confidentiality.value,
        "dataset.pii_scan_age_days": None if pii is None else _days(today, pii.recorded_at.date()),
        "dataset.pii_scan_predates_version": (
            None if pii is None else pii.recorded_at < version.recorded_at
        ),
        "dataset.toxicity_scan_age_days": (
            None if toxicity is None else _days(today, toxicity.recorded_at.date())
        ),
        "dataset.toxicity_scan_predates_version": (
            None if toxicity is None else toxicity.recorded_at < version.recorded_at
        ),
        "dataset.toxic_found": None if toxicity is None else toxicity.total,
        "dataset.content_action_recorded": bool(record.content_safety.action_taken),
        "dataset.data_types": list(record.data_types) or None,
        "dataset.representativeness_documented": record.representativeness.documented,
        "dataset.retention_days_left": _days_left(retention.retain_until, today),
        "dataset.review_days_left": _days_left(retention.review_date, today),
        "dataset.projects": len(dataset.projects),
        "dataset.used_in_product": "product_development" in project_types,
        "dataset.intended_uses_recorded": bool(record.uses.intended),
    }
    return {k: v for k, v in facts.items() if v is not None}


def _days_left(until: dt.date | None, today: dt.date) -> int | None:
    return None if until is None else (until - today).days


@dataclass(frozen=True, slots=True)
class Problem:
    """A check that holds for a dataset."""

    check: DatasetCheck

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "check": self.check.id,
            "severity": self.check.severity.value,
            "title": self.check.title.get(lang),
            "advice": self.check.advice.get(lang),
        }


@dataclass(frozen=True, slots=True)
class DatasetReview:
    """The data issues of one dataset, most severe first; ``undecided`` names the checks
    that could not be decided for want of facts, with the facts they lacked."""

    dataset: Dataset
    problems: tuple[Problem, ...]
    undecided: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def worst(self) -> Severity | None:
        return self.problems[0].check.severity if self.problems else None


def review_dataset(dataset: Dataset, facts: dict[str, Any], checks: DatasetChecks) -> DatasetReview:
    """Evaluate every check over ``facts``; problems are ordered by severity, then as listed."""
    found: list[Problem] = []
    undecided: list[tuple[str, tuple[str, ...]]] = []
    for check in checks.checks:
        outcome = evaluate(check.when, facts)
        if outcome.holds:
            found.append(Problem(check))
        elif outcome.missing:
            undecided.append((check.id, tuple(sorted(outcome.missing))))
    found.sort(key=lambda p: p.check.severity.rank)
    return DatasetReview(dataset, tuple(found), tuple(undecided))
