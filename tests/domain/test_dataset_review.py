"""The weekly review of data issues: facts, every shipped check, the checks file's schema."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from ethos.domain.dataset_review import (
    FACTS,
    DatasetChecks,
    Severity,
    review_dataset,
    review_facts,
)
from ethos.domain.datasets import (
    Dataset,
    DatasetVersion,
    ScanKind,
    ScanSummary,
    parse_dataset,
    record_digest,
)
from ethos.domain.errors import ContentError
from ethos.domain.licences import LicencePolicy
from ethos.knowledge.loading import load_model
from tests.domain.test_datasets import LICENCES, dataset_data

CHECKS = LICENCES.parent / "dataset-checks.yaml"
TODAY = dt.date(2026, 11, 22)
REGISTERED = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
RECENT = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def checks() -> DatasetChecks:
    return load_model(CHECKS, DatasetChecks)


@pytest.fixture(scope="module")
def policy() -> LicencePolicy:
    return load_model(LICENCES, LicencePolicy)


def scan(kind: ScanKind, total: int, at: dt.datetime = RECENT) -> ScanSummary:
    return ScanSummary(kind, {"X": total}, "alice", at)


def make_dataset(
    *,
    scans: dict[ScanKind, ScanSummary] | None = None,
    projects: tuple[int, ...] = (1,),
    **overrides: Any,
) -> Dataset:
    """The complete record of ``dataset_data``, registered on 1 October 2026, linked to
    project 1, scanned for PII (nothing found) and toxicity (nothing flagged) since."""
    overrides.setdefault("retention", {"retain_until": "2027-12-31", "review_date": "2027-06-30"})
    record = parse_dataset(dataset_data(**overrides))
    version = DatasetVersion(record, record_digest(record), "alice", REGISTERED)
    if scans is None:
        scans = {ScanKind.PII: scan(ScanKind.PII, 0), ScanKind.TOXICITY: scan(ScanKind.TOXICITY, 0)}
    return Dataset(record.id, (version,), projects=projects, scans=scans)


def found(
    dataset: Dataset, checks: DatasetChecks, policy: LicencePolicy, types: list[str] | None = None
) -> set[str]:
    terms = dataset.current.record.terms(policy)
    facts = review_facts(dataset, terms, today=TODAY, project_types=types or ["applied_research"])
    assert set(facts) <= FACTS.keys()
    return {p.check.id for p in review_dataset(dataset, facts, checks).problems}


def test_a_well_kept_dataset_has_no_problems(checks: DatasetChecks, policy: LicencePolicy) -> None:
    dataset = make_dataset()
    assert found(dataset, checks, policy) == set()
    terms = dataset.current.record.terms(policy)
    facts = review_facts(dataset, terms, today=TODAY, project_types=["applied_research"])
    assert review_dataset(dataset, facts, checks).undecided == ()


PERSONAL = {"personal_data": "yes", "anonymisation": "", "confidentiality": "confidential"}
NO_TOX = {ScanKind.PII: scan(ScanKind.PII, 0)}
REVIEWED = {"reviewer": "l", "date": "2026-01-02"}


def scans(pii: int, toxic: int) -> dict[ScanKind, ScanSummary]:
    return {
        ScanKind.PII: scan(ScanKind.PII, pii),
        ScanKind.TOXICITY: scan(ScanKind.TOXICITY, toxic),
    }


# (check, how the well-kept dataset is changed so that it holds, and a near miss that does not)
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("licence-unknown", {"legal": {"licence": "NOASSERTION"}}, {"legal": {"licence": "MIT"}}),
    (
        "licence-unknown",
        {"legal": {"licence": "LicenseRef-vendor-terms"}},
        {"legal": {"licence": "LicenseRef-vendor-terms", "licence_class": "permissive"}},
    ),
    (
        "restrictive-licence-in-product",
        {"legal": {"licence": "CC-BY-NC-4.0"}, "_types": ["product_development"]},
        {"legal": {"licence": "CC-BY-NC-4.0"}, "_types": ["basic_research"]},
    ),
    (
        "restrictive-licence-in-product",
        {"legal": {"licence": "CC-BY-SA-4.0"}, "_types": ["product_development"]},
        {"legal": {"licence": "CC-BY-4.0"}, "_types": ["product_development"]},
    ),
    (
        "restrictive-licence-in-product",
        {"legal": {"licence": "CC-BY-ND-4.0"}, "_types": ["basic_research", "product_development"]},
        {"legal": {"licence": "CC0-1.0"}, "_types": ["product_development"]},
    ),
    (
        "acquisition-review-missing",
        {"legal": {"licence": "MIT", "copyright": "licensed"}},
        {
            "legal": {
                "licence": "MIT",
                "copyright": "licensed",
                "acquisition_review": {"reviewer": "lee", "date": "2026-01-02"},
            }
        },
    ),
    (
        "copyright-unknown",
        {"legal": {"licence": "MIT", "acquisition_review": REVIEWED}},
        {
            "legal": {
                "licence": "MIT",
                "copyright": "mixed",
                "acquisition_review": REVIEWED,
            }
        },
    ),
    (
        "personal-data-unanonymised",
        {"privacy": PERSONAL},
        {"privacy": {**PERSONAL, "anonymisation": "RRNs replaced by <KR_RRN>"}},
    ),
    (
        "personal-data-unanonymised",
        {"_scans": scans(3, 0)},
        {"_scans": scans(0, 0)},
    ),
    (
        "personal-data-without-lawful-basis",
        {"privacy": PERSONAL,
         "legal": {"licence": "MIT", "copyright": "owned", "acquisition_review": REVIEWED}},
        {"privacy": PERSONAL},
    ),
    (
        "personal-data-never-checked",
        {"privacy": {"personal_data": "not_asserted"}, "_scans": {}},
        {"privacy": {"personal_data": "no"}, "_scans": {}},
    ),
    (
        "pii-scan-outdated",
        {"_scans": {ScanKind.PII: scan(ScanKind.PII, 0, dt.datetime(2026, 9, 1, tzinfo=dt.UTC)),
                    ScanKind.TOXICITY: scan(ScanKind.TOXICITY, 0)}},
        {"_scans": {ScanKind.PII: scan(ScanKind.PII, 0, dt.datetime(2026, 10, 2, tzinfo=dt.UTC)),
                    ScanKind.TOXICITY: scan(ScanKind.TOXICITY, 0)}},
    ),
    (
        "pii-never-scanned",
        {"_scans": {ScanKind.TOXICITY: scan(ScanKind.TOXICITY, 0)}},
        {"_scans": {ScanKind.TOXICITY: scan(ScanKind.TOXICITY, 0)}, "data_types": ["audio"]},
    ),
    (
        "sensitive-data-not-restricted",
        {"privacy": {"personal_data": "no", "sensitive_categories": ["health"]}},
        {"privacy": {"personal_data": "no", "sensitive_categories": ["health"],
                     "confidentiality": "restricted"}},
    ),
    (
        "personal-data-kept-without-limit",
        {"privacy": {**PERSONAL, "anonymisation": "masked"}, "retention": {}},
        {"privacy": {**PERSONAL, "anonymisation": "masked"}},
    ),
    ("toxicity-never-scanned", {"_scans": NO_TOX}, {"_scans": NO_TOX, "data_types": ["image"]}),
    (
        "toxic-content-without-action",
        {"content_safety": {}, "_scans": {ScanKind.PII: scan(ScanKind.PII, 0),
                                          ScanKind.TOXICITY: scan(ScanKind.TOXICITY, 12)}},
        {"_scans": {ScanKind.PII: scan(ScanKind.PII, 0),
                    ScanKind.TOXICITY: scan(ScanKind.TOXICITY, 12)}},
    ),
    (
        "representativeness-undocumented",
        {"representativeness": {}},
        {"representativeness": {"notes": "Seoul dialect only"}},
    ),
    ("intended-uses-missing", {"uses": {"prohibited": ["x"]}}, {"uses": {"intended": ["x"]}}),
    ("unused-dataset", {"_projects": ()}, {"_projects": (3,)}),
    (
        "retention-passed",
        {"retention": {"retain_until": "2026-11-21"}},
        {"retention": {"retain_until": "2026-11-22"}},
    ),
    (
        "retention-review-overdue",
        {"retention": {"retain_until": "2030-01-01", "review_date": "2026-11-01"}},
        {"retention": {"retain_until": "2030-01-01", "review_date": "2026-11-22"}},
    ),
]  # fmt: skip


def _build(change: dict[str, Any]) -> tuple[Dataset, list[str] | None]:
    change = dict(change)
    scans = change.pop("_scans", None)
    projects = change.pop("_projects", (1,))
    types = change.pop("_types", None)
    return make_dataset(scans=scans, projects=projects, **change), types


@pytest.mark.parametrize(("check", "holds", "near_miss"), CASES, ids=[c[0] for c in CASES])
def test_each_check_holds_and_misses(
    checks: DatasetChecks,
    policy: LicencePolicy,
    check: str,
    holds: dict[str, Any],
    near_miss: dict[str, Any],
) -> None:
    dataset, types = _build(holds)
    assert check in found(dataset, checks, policy, types)
    dataset, types = _build(near_miss)
    assert check not in found(dataset, checks, policy, types)


def test_every_shipped_check_has_a_case(checks: DatasetChecks) -> None:
    assert {c.id for c in checks.checks} == {case[0] for case in CASES}


def test_every_fact_is_derived_and_read(checks: DatasetChecks) -> None:
    read = set().union(*(c.when.paths() for c in checks.checks))
    assert read <= FACTS.keys()
    unused = FACTS.keys() - read
    # Facts offered for an office's own checks although no shipped check reads them.
    assert unused == {
        "dataset.consent_evidence_recorded",
        "dataset.toxicity_scan_predates_version",
    }


def test_facts_against_the_record(policy: LicencePolicy) -> None:
    dataset = make_dataset(
        legal={"licence": "CC-BY-NC-SA-4.0"},
        privacy={"personal_data": "yes", "sensitive_categories": ["health", "religion"]},
        retention={"retain_until": "2026-12-02", "review_date": "2026-11-12"},
        scans={ScanKind.PII: scan(ScanKind.PII, 4, dt.datetime(2026, 9, 30, 23, tzinfo=dt.UTC))},
        projects=(1, 2),
    )
    facts = review_facts(
        dataset,
        dataset.current.record.terms(policy),
        today=TODAY,
        project_types=["basic_research", "product_development"],
    )
    assert facts["dataset.share_alike"] is True and facts["dataset.non_commercial"] is True
    assert facts["dataset.personal_data_found"] is True
    assert facts["dataset.personal_data_unanonymised"] is True
    assert facts["dataset.sensitive_categories"] == 2
    assert facts["dataset.retention_days_left"] == (dt.date(2026, 12, 2) - TODAY).days == 10
    assert facts["dataset.review_days_left"] == -10
    assert facts["dataset.pii_scan_age_days"] == (TODAY - dt.date(2026, 9, 30)).days
    assert facts["dataset.pii_scan_predates_version"] is True
    assert facts["dataset.projects"] == 2 and facts["dataset.used_in_product"] is True
    # Never scanned for toxicity: the facts are left out, not false.
    assert "dataset.toxicity_scan_age_days" not in facts and "dataset.toxic_found" not in facts


def test_problems_come_most_severe_first_and_undecided_checks_are_named(
    checks: DatasetChecks, policy: LicencePolicy
) -> None:
    dataset = make_dataset(
        legal={"licence": "NOASSERTION"}, representativeness={}, uses={}, projects=()
    )
    facts = review_facts(dataset, dataset.current.record.terms(policy), today=TODAY,
                         project_types=[])  # fmt: skip
    result = review_dataset(dataset, facts, checks)
    severities = [p.check.severity for p in result.problems]
    assert severities == sorted(severities, key=lambda s: s.rank)
    assert result.worst is Severity.HIGH
    assert [p.check.id for p in result.problems][:1] == ["licence-unknown"]
    # A record without data types leaves the toxicity check undecided, and says why.
    facts.pop("dataset.data_types", None)
    bare = make_dataset(data_types=[], scans={ScanKind.PII: scan(ScanKind.PII, 0)})
    facts = review_facts(bare, bare.current.record.terms(policy), today=TODAY,
                         project_types=["applied_research"])  # fmt: skip
    assert review_dataset(bare, facts, checks).undecided == (
        ("toxicity-never-scanned", ("dataset.data_types",)),
    )


def _write(tmp_path: Path, checks: list[dict[str, Any]]) -> Path:
    path = tmp_path / "dataset-checks.yaml"
    data = {"schema": "ethos.dataset-checks/1", "version": 1, "released": "2026-11-22",
            "checks": checks}  # fmt: skip
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _check(**overrides: Any) -> dict[str, Any]:
    base = {
        "id": "my-check",
        "severity": "low",
        "title": {"en": "A", "ko": "가"},
        "advice": {"en": "B", "ko": "나"},
        "when": {"eq": ["dataset.projects", 0]},
    }
    return base | overrides


@pytest.mark.parametrize(
    ("checks", "message"),
    [
        (
            [_check(when={"eq": ["dataset.licence", "MIT"]})],
            "check 'my-check' (checks[0]), field when: unknown fact(s) dataset.licence",
        ),
        ([_check(severity="urgent")], "check 'my-check' (checks[0]), field severity"),
        ([_check(title={"en": "A"})], "check 'my-check' (checks[0]), field title.ko"),
        ([_check(), _check()], "checks: ids used twice: my-check"),
        ([_check(when={"gt": ["dataset.projects", "many"]})], "expected a number"),
    ],
)
def test_a_bad_checks_file_names_the_entry_and_field(
    tmp_path: Path, checks: list[dict[str, Any]], message: str
) -> None:
    path = _write(tmp_path, checks)
    with pytest.raises(ContentError) as caught:
        load_model(path, DatasetChecks)
    assert str(path) in caught.value.message and message in caught.value.message
    assert "필드" in caught.value.text("ko") or "두 번 쓰인" in caught.value.text("ko")


def test_every_check_and_fact_is_documented(checks: DatasetChecks) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "datasets.md").read_text("utf-8")
    section = docs.split("## The weekly review of data issues", 1)[1].split("\n## ", 1)[0]
    for check in checks.checks:
        assert f"| `{check.id}` | {check.severity.value} |" in section, check.id
    for fact in FACTS:
        assert f"| `{fact}` |" in section, fact
