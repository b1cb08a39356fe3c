"""Intake facts per project, classification, and obligations becoming ``legal`` findings."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from ethos.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ethos.domain.findings import Finding, FindingSource, FindingStatus
from ethos.services import audit, findings, projects, regulation
from ethos.services.context import ServiceContext
from ethos.services.lifecycle import advance_project
from tests.services.conftest import project_with_profile

TODAY = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

# A recruitment screening tool placed on the EU market by its provider: Annex III point 4(a),
# with profiling, so the Art. 6(3) exemption cannot apply. Everything else is known to be no.
RECRUITMENT: dict[str, Any] = {
    "roles": ["provider"],
    "markets": ["eu"],
    "use_domains": ["recruitment"],
    "affected_persons": ["job_applicants"],
    "profiling": True,
    "significant_impact": True,
    "annex_i": {"safety_component": False, "product_legislation": []},
    "practices": {
        "manipulative_or_deceptive": False,
        "exploits_vulnerabilities": False,
        "social_scoring": False,
        "crime_prediction_solely_profiling": False,
        "untargeted_facial_scraping": False,
    },
    "biometrics": {
        "remote_identification": False,
        "categorisation": False,
        "emotion_recognition": False,
    },
    "generative": {"outputs": []},
    "interacts_with_people": False,
    "public_sector_deployer": False,
    "public_service_provider": False,
    "general_purpose_model": False,
}

# Provider duties of Chapter III Section 2-3 and after: what Arts. 8-17, 43, 49, 72 and 73 of
# Regulation (EU) 2024/1689 ask of a provider of an Annex III high-risk system.
HIGH_RISK_PROVIDER_ARTICLES = {9, 10, 11, 12, 13, 14, 15, 16, 17, 43, 49, 72, 73}


@pytest.fixture
def lctx(fctx: ServiceContext) -> ServiceContext:
    return dataclasses.replace(fctx, clock=lambda: TODAY)


def legal(ctx: ServiceContext, pid: int) -> dict[str, Finding]:
    _, found = findings.list_findings(ctx, pid)
    return {f.clause_id: f for f in found if f.source is FindingSource.OBLIGATION and f.clause_id}


def test_facts_are_versioned_and_audited(lctx: ServiceContext) -> None:
    pid = project_with_profile(lctx, fair=2, safe=2)
    first = regulation.set_facts(lctx, pid, RECRUITMENT)
    again = regulation.set_facts(lctx, pid, dict(RECRUITMENT))
    assert (first.revision, first.unchanged) == (1, False)
    assert (again.revision, again.unchanged) == (1, True)
    changed = regulation.set_facts(lctx, pid, {**RECRUITMENT, "markets": ["eu", "kr"]})
    assert (changed.revision, changed.changed) == (2, ["markets"])
    assert regulation.get_facts(lctx, pid)["markets"] == ["eu", "kr"]
    history = regulation.facts_history(lctx, pid)
    assert [h.revision for h in history] == [1, 2]
    assert history[0].data["markets"] == ["eu"]
    events = [json.loads(e.payload) for e in audit.audit_log(lctx) if e.action == "facts.set"]
    assert [e["revision"] for e in events] == [1, 2]
    assert events[1]["changed"] == ["markets"]
    assert events[1]["digest"] == changed.digest


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"markets": ["mars"]}, r"facts: field markets\.0: Input should be"),
        ({"roles": "provider"}, r"facts: field roles: Input should be a valid list"),
        ({"training_compute_flop": -1}, r"field training_compute_flop: .*greater than or equal"),
        ({"biometrics": {"real_tim": True}}, r"field biometrics\.real_tim: Extra inputs"),
        (["not", "a", "mapping"], r"facts: expected a mapping"),
    ],
)
def test_bad_facts_are_refused_naming_the_field(
    lctx: ServiceContext, data: Any, message: str
) -> None:
    pid = project_with_profile(lctx, fair=2, safe=2)
    with pytest.raises(InvalidInputError, match=message):
        regulation.set_facts(lctx, pid, data)
    assert regulation.facts_history(lctx, pid) == []


def test_a_project_without_facts_cannot_be_classified(lctx: ServiceContext) -> None:
    pid = project_with_profile(lctx, fair=2, safe=2)
    with pytest.raises(NotFoundError, match="has no intake facts yet"):
        regulation.classify_project(lctx, pid)
    result = findings.derive_findings(lctx, pid)
    assert result.facts_recorded is False
    assert legal(lctx, pid) == {}


def test_each_duty_of_a_high_risk_provider_becomes_one_legal_finding(
    lctx: ServiceContext,
) -> None:
    pid = project_with_profile(lctx, fair=2, safe=2)
    regulation.set_facts(lctx, pid, RECRUITMENT)
    verdict = regulation.classify_project(lctx, pid).to_json()["eu_ai_act"]
    assert verdict["tier"] == "high_risk"
    findings.derive_findings(lctx, pid)
    found = legal(lctx, pid)
    articles = {f"eu-ai-act:art-{n}" for n in HIGH_RISK_PROVIDER_ARTICLES}
    assert articles <= set(found)
    # one finding per distinct clause, whatever number of roles or rules bring it
    assert len(found) == len({o["id"] for o in verdict["obligations"]})
    for clause, finding in found.items():
        assert finding.category.value == "legal"
        assert finding.status is FindingStatus.OPEN
        assert clause.split(":")[0] in finding.title_en or "Art." in finding.title_en
        assert finding.title_ko.startswith("법적 의무")
    # AI literacy (Art. 4) has applied since 2 February 2025 (Art. 113(a)): in force, so
    # severity 4 x likelihood 5, which the shipped matrix ranks P1.
    art4 = found["eu-ai-act:art-4"]
    assert (art4.severity, art4.likelihood, art4.priority.value) == (4, 5, "P1")
    assert art4.due_date is None
    # Annex III duties apply later than a year from today: likelihood 2, due on the date
    art9 = found["eu-ai-act:art-9"]
    assert art9.due_date is not None and art9.due_date > date(2026, 11, 22)
    months = (art9.due_date.year - 2026) * 12 + art9.due_date.month - 11
    expected_likelihood = 4 if months <= 12 else 2
    assert (art9.severity, art9.likelihood) == (4, expected_likelihood)
    # the facts also reach risk triggers: profiling and the EU tier
    by_risk = {f.catalogue_id for f in findings.list_findings(lctx, pid)[1]}
    assert {"r-profiling", "r-eu-high"} <= by_risk


def test_derivation_follows_the_facts_and_is_idempotent(lctx: ServiceContext) -> None:
    pid = project_with_profile(lctx, fair=2, safe=2)
    regulation.set_facts(lctx, pid, RECRUITMENT)
    first = findings.derive_findings(lctx, pid)
    again = findings.derive_findings(lctx, pid)
    assert first.added and again.added == [] and again.withdrawn == []
    eu_ids = {f.id for c, f in legal(lctx, pid).items() if c.startswith("eu-ai-act:")}

    # leaving the EU market withdraws every EU duty; Korea's Act now applies instead
    regulation.set_facts(lctx, pid, {**RECRUITMENT, "markets": ["kr"]})
    moved = findings.derive_findings(lctx, pid)
    assert eu_ids <= set(moved.withdrawn)
    now = legal(lctx, pid)
    assert all(now[c].status is FindingStatus.WITHDRAWN for c in now if c.startswith("eu-ai-act"))
    assert any(c.startswith("kr-ai-basic-act:") for c in moved_clauses(lctx, pid, moved.added))

    regulation.set_facts(lctx, pid, RECRUITMENT)
    back = findings.derive_findings(lctx, pid)
    assert eu_ids <= set(back.reinstated)
    assert {e.action for e in audit.audit_log(lctx)} >= {
        "finding.derived",
        "finding.withdrawn",
        "finding.reinstated",
    }


def moved_clauses(ctx: ServiceContext, pid: int, ids: list[int]) -> set[str]:
    _, found = findings.list_findings(ctx, pid)
    return {f.clause_id for f in found if f.id in ids and f.clause_id}


def test_a_prohibited_practice_is_a_p1_finding_that_blocks_the_next_stage(
    lctx: ServiceContext,
) -> None:
    pid = project_with_profile(lctx, fair=1, safe=1)
    facts = {**RECRUITMENT, "practices": {**RECRUITMENT["practices"], "social_scoring": True}}
    regulation.set_facts(lctx, pid, facts)
    assert regulation.classify_project(lctx, pid).to_json()["eu_ai_act"]["tier"] == "prohibited"
    findings.derive_findings(lctx, pid)
    ban = legal(lctx, pid)["eu-ai-act:art-5.1.c"]
    # Art. 5 has applied since 2 February 2025: severity 5 (prohibition), in force
    assert (ban.severity, ban.likelihood, ban.priority.value) == (5, 5, "P1")
    assert projects.get_project(lctx, pid).lifecycle_stage.value == "planning"
    with pytest.raises(ConflictError, match=r"P1 open: Legal duty: Art\. 5\(1\)\(c\)"):
        advance_project(lctx, pid, to="development")


def test_classification_as_of_a_date_before_and_after_application(lctx: ServiceContext) -> None:
    pid = project_with_profile(lctx, fair=2, safe=2)
    regulation.set_facts(lctx, pid, RECRUITMENT)
    before = regulation.classify_project(lctx, pid, as_of=date(2025, 1, 1)).to_json()
    art4_before = next(o for o in before["eu_ai_act"]["obligations"] if o["ref"] == "Art. 4")
    assert art4_before["in_force"] is False
    after = regulation.classify_project(lctx, pid, as_of=date(2025, 2, 2)).to_json()
    art4_after = next(o for o in after["eu_ai_act"]["obligations"] if o["ref"] == "Art. 4")
    assert art4_after["in_force"] is True and art4_after["applies_from"] == "2025-02-02"


def gaps(ctx: ServiceContext, pid: int) -> dict[str, Finding]:
    _, found = findings.list_findings(ctx, pid)
    return {
        f.clause_id: f for f in found if f.source is FindingSource.CLASSIFICATION and f.clause_id
    }


def test_an_undetermined_tier_is_a_p2_finding_until_the_facts_are_recorded(
    lctx: ServiceContext,
) -> None:
    pid = project_with_profile(lctx, fair=2, safe=2)
    partial = {k: v for k, v in RECRUITMENT.items() if k != "use_domains"}
    regulation.set_facts(lctx, pid, partial)
    verdict = regulation.classify_project(lctx, pid).to_json()["eu_ai_act"]
    assert verdict["tier"] == "undetermined"
    assert "facts.use_domains" in {m["fact"] for m in verdict["missing_facts"]}
    first = findings.derive_findings(lctx, pid)
    found = gaps(lctx, pid)
    assert set(found) == {"eu-ai-act:art-6"}  # Korea's Act does not apply (EU market only)
    gap = found["eu-ai-act:art-6"]
    assert gap.id in first.added and gap.status is FindingStatus.OPEN
    assert gap.category.value == "legal"
    # severity 3 x likelihood 4 in the shipped policy: P2 in the shipped matrix
    assert (gap.severity, gap.likelihood, gap.priority.value) == (3, 4, "P2")
    assert "use_domains" in gap.description_en and "use_domains" in gap.description_ko
    assert gap.title_ko.startswith("법적 분류 미완료")
    assert findings.derive_findings(lctx, pid).added == []  # idempotent

    # the facts recorded: the tier is known and the finding withdrawn, with a reason
    regulation.set_facts(lctx, pid, RECRUITMENT)
    done = findings.derive_findings(lctx, pid)
    assert gap.id in done.withdrawn
    assert gaps(lctx, pid)["eu-ai-act:art-6"].status is FindingStatus.WITHDRAWN
    withdrawn = [
        json.loads(e.payload)
        for e in audit.audit_log(lctx)
        if e.action == "finding.withdrawn" and json.loads(e.payload)["finding_id"] == gap.id
    ]
    assert withdrawn and "recorded" in withdrawn[-1]["reason"]

    # cleared again: the same finding comes back rather than a second one
    regulation.set_facts(lctx, pid, partial)
    again = findings.derive_findings(lctx, pid)
    assert again.reinstated == [gap.id] or gap.id in again.reinstated
    assert len(gaps(lctx, pid)) == 1


def test_unknown_high_impact_under_korean_law_points_at_art_33(lctx: ServiceContext) -> None:
    pid = project_with_profile(lctx, fair=2, safe=2)
    facts = {k: v for k, v in RECRUITMENT.items() if k != "significant_impact"}
    regulation.set_facts(lctx, pid, {**facts, "markets": ["kr"]})
    verdict = regulation.classify_project(lctx, pid).to_json()["kr_ai_basic_act"]
    assert verdict["high_impact"] is None
    findings.derive_findings(lctx, pid)
    found = gaps(lctx, pid)
    assert set(found) == {"kr-ai-basic-act:art-33"}
    assert "significant_impact" in found["kr-ai-basic-act:art-33"].description_en


def test_complete_facts_raise_no_classification_finding(lctx: ServiceContext) -> None:
    pid = project_with_profile(lctx, fair=2, safe=2)
    regulation.set_facts(lctx, pid, {**RECRUITMENT, "markets": ["eu", "kr"]})
    findings.derive_findings(lctx, pid)
    assert gaps(lctx, pid) == {}


def test_a_kept_classification_finding_names_the_facts_still_missing(
    lctx: ServiceContext,
) -> None:
    pid = project_with_profile(lctx, fair=2, safe=2)
    two_missing = {k: v for k, v in RECRUITMENT.items() if k not in ("markets", "use_domains")}
    regulation.set_facts(lctx, pid, two_missing)
    findings.derive_findings(lctx, pid)
    gap = gaps(lctx, pid)["eu-ai-act:art-6"]
    assert "(markets, use_domains)" in gap.description_en

    # the markets recorded: the same finding stays open and names only the use domains
    regulation.set_facts(lctx, pid, {**two_missing, "markets": ["eu"]})
    result = findings.derive_findings(lctx, pid)
    kept = gaps(lctx, pid)["eu-ai-act:art-6"]
    assert kept.id == gap.id and kept.status is FindingStatus.OPEN
    assert gap.id in result.unchanged and gap.id not in result.added
    assert "use_domains" in kept.description_en and "use_domains" in kept.description_ko
    assert "markets" not in kept.description_en
    assert "markets" not in kept.description_ko
    restated = [
        json.loads(e.payload)
        for e in audit.audit_log(lctx)
        if e.action == "finding.restated" and json.loads(e.payload)["finding_id"] == gap.id
    ]
    assert len(restated) == 1
    assert "description_en" in restated[0]["fields"]
    assert restated[0]["missing_facts"] == ["facts.use_domains"]

    # nothing changed since: no text rewritten, no event
    findings.derive_findings(lctx, pid)
    events = [e for e in audit.audit_log(lctx) if e.action == "finding.restated"]
    assert len(events) == 1
