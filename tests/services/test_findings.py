"""Stages 2 and 3 on both engines: derivation, plans, evidence, verification, gates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ethos.domain.errors import ConflictError, InvalidInputError, NotFoundError
from ethos.services import audit, findings, projects, stage1
from ethos.services.context import ServiceContext
from ethos.services.lifecycle import advance_project
from tests.services.conftest import project_with_profile

S = stage1.SheetEntry


def by_catalogue(ctx: ServiceContext, pid: int) -> dict[str, findings.Finding]:
    _, found = findings.list_findings(ctx, pid)
    return {f.catalogue_id or f"manual-{f.id}": f for f in found}


def evidence_file(
    tmp_path: Path, name: str = "report.md", body: str = "# Subgroup evaluation\n"
) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_derivation_follows_triggers_and_priority_matrix(fctx: ServiceContext) -> None:
    pid = project_with_profile(fctx, fair=3, safe=4)
    result = findings.derive_findings(fctx, pid)
    assert len(result.added) == 2
    found = by_catalogue(fctx, pid)
    assert set(found) == {"r-fair", "r-safe"}
    # matrix: severity 5 x likelihood 4 -> P1; 3 x 3 -> P2
    assert found["r-fair"].priority.value == "P1"
    assert found["r-safe"].priority.value == "P2"
    assert found["r-fair"].plan_mitigations == ("subgroup-eval",)
    events = len(audit.audit_log(fctx, limit=1000))
    again = findings.derive_findings(fctx, pid)
    assert again.added == [] and sorted(again.unchanged) == sorted(result.added)
    assert len(audit.audit_log(fctx, limit=1000)) == events  # idempotent: nothing recorded


def test_derivation_needs_a_complete_profile(fctx: ServiceContext) -> None:
    project = projects.create_project(
        fctx, name="Early", type="basic_research", questionnaire_id="test-q"
    )
    with pytest.raises(ConflictError, match="not complete"):
        findings.derive_findings(fctx, project.id)


def test_changed_answers_withdraw_and_reinstate(fctx: ServiceContext) -> None:
    pid = project_with_profile(fctx, fair=1, safe=4)
    findings.derive_findings(fctx, pid)
    assert set(by_catalogue(fctx, pid)) == {"r-safe"}
    stage1.reopen_stage1(fctx, pid, reason="safety review changed the picture")
    for member in ("T", "B", "E"):
        stage1.submit_answers(fctx, pid, member=member, entries=[S("safe-a", 2)])
    stage1.close_stage1(fctx, pid)
    result = findings.derive_findings(fctx, pid)
    assert len(result.withdrawn) == 1
    assert by_catalogue(fctx, pid)["r-safe"].status.value == "withdrawn"
    assert audit.audit_log(fctx, limit=1)[0].action == "finding.withdrawn"
    stage1.reopen_stage1(fctx, pid, reason="back")
    for member in ("T", "B", "E"):
        stage1.submit_answers(fctx, pid, member=member, entries=[S("safe-a", 5)])
    stage1.close_stage1(fctx, pid)
    assert findings.derive_findings(fctx, pid).reinstated == result.withdrawn
    assert by_catalogue(fctx, pid)["r-safe"].status.value == "open"


def test_full_lifecycle_to_release(fctx: ServiceContext, tmp_path: Path) -> None:
    pid = project_with_profile(fctx, fair=3, safe=4)
    findings.derive_findings(fctx, pid)
    found = by_catalogue(fctx, pid)
    p1, p2 = found["r-fair"].id, found["r-safe"].id

    with pytest.raises(ConflictError, match=rf"cannot move to development .*#{p1} P1 open"):
        advance_project(fctx, pid, to="development")

    findings.assign_finding(fctx, pid, p1, owner="E", due=date(2027, 1, 31))
    findings.plan_finding(fctx, pid, p1, mitigations=["subgroup-eval"], text="Evaluate per group.")
    with pytest.raises(ConflictError, match="has no evidence"):
        findings.resolve_finding(fctx, pid, p1, note="done")
    findings.add_evidence(fctx, pid, p1, file=evidence_file(tmp_path), note="results")
    findings.resolve_finding(fctx, pid, p1, note="evaluated across groups")
    with pytest.raises(ConflictError, match="owns finding"):
        findings.verify_finding(fctx, pid, p1, member="E")
    with pytest.raises(ConflictError, match="ethics role"):
        findings.verify_finding(fctx, pid, p1, member="T")
    verified = findings.verify_finding(fctx, pid, p1, member="E2")
    assert verified.status.value == "verified"

    assert advance_project(fctx, pid, to="development").lifecycle_stage.value == "development"
    with pytest.raises(ConflictError, match=rf"cannot move to release .*#{p2} P2"):
        advance_project(fctx, pid, to="release")

    findings.add_evidence(
        fctx, pid, p2, url="https://intranet.example/safety-review/42", note="review minutes"
    )
    findings.resolve_finding(fctx, pid, p2, note="reviewed")
    rejected = findings.reject_finding(fctx, pid, p2, member="E2", reason="minutes lack sign-off")
    assert rejected.status.value == "open" and rejected.rationale == "minutes lack sign-off"
    findings.resolve_finding(fctx, pid, p2, note="signed minutes attached")
    findings.verify_finding(fctx, pid, p2, member="E")
    assert advance_project(fctx, pid, to="release").lifecycle_stage.value == "release"
    with pytest.raises(ConflictError, match="not a later stage"):
        advance_project(fctx, pid, to="validation")
    actions = [e.action for e in audit.audit_log(fctx, limit=1000)]
    assert actions.count("project.advanced") == 2
    assert "finding.rejected" in actions
    assert audit.verify_audit_chain(fctx).ok


def test_p3_findings_may_be_accepted_as_limitations(fctx: ServiceContext) -> None:
    pid = project_with_profile(fctx, fair=2, safe=2, kind="basic_research")
    findings.derive_findings(fctx, pid)
    basic = by_catalogue(fctx, pid)["r-basic"]
    assert basic.priority.value == "P3"
    with pytest.raises(InvalidInputError, match="--rationale"):
        findings.accept_finding(fctx, pid, basic.id, member="E", rationale=" ")
    accepted = findings.accept_finding(fctx, pid, basic.id, member="E", rationale="research only")
    assert accepted.status.value == "accepted"
    manual = findings.add_finding(
        fctx, pid, category="legal", title="Export rules", severity=5, likelihood=5
    )
    assert manual.priority.value == "P1"
    with pytest.raises(ConflictError, match="only P3 findings"):
        findings.accept_finding(fctx, pid, manual.id, member="E", rationale="no")


def test_evidence_files_are_checked_and_stored_by_content(
    fctx: ServiceContext, tmp_path: Path
) -> None:
    import hashlib

    pid = project_with_profile(fctx, fair=3, safe=1)
    findings.derive_findings(fctx, pid)
    fid = by_catalogue(fctx, pid)["r-fair"].id
    good = evidence_file(tmp_path, body="평가 결과: 집단별 정확도 차이 2%p\n")
    first = findings.add_evidence(fctx, pid, fid, file=good)
    digest = hashlib.sha256(good.read_bytes()).hexdigest()
    assert first.sha256 == digest and first.media_type == "text/markdown"
    stored = fctx.evidence_dir / digest[:2] / digest[2:4] / digest
    assert stored.read_bytes() == good.read_bytes()
    copy = evidence_file(tmp_path, name="copy.md", body=good.read_text(encoding="utf-8"))
    assert findings.add_evidence(fctx, pid, fid, file=copy).sha256 == digest
    assert len(list(fctx.evidence_dir.rglob("*"))) == 3  # two folders and one file

    before = len(audit.audit_log(fctx, limit=1000))
    big = evidence_file(tmp_path, name="big.txt", body="x" * 5000)  # test policy: 4096 bytes
    with pytest.raises(InvalidInputError, match="over the evidence limit of 4096"):
        findings.add_evidence(fctx, pid, fid, file=big)
    binary = tmp_path / "tool.txt"
    binary.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00")
    with pytest.raises(InvalidInputError, match="not an accepted evidence type"):
        findings.add_evidence(fctx, pid, fid, file=binary)
    fake_pdf = tmp_path / "scan.pdf"
    fake_pdf.write_bytes(b"hello, not a pdf")
    with pytest.raises(InvalidInputError, match="not an accepted evidence type"):
        findings.add_evidence(fctx, pid, fid, file=fake_pdf)
    with pytest.raises(InvalidInputError, match="not an http"):
        findings.add_evidence(fctx, pid, fid, url="file:///etc/passwd", note="n")
    with pytest.raises(InvalidInputError, match="exactly one"):
        findings.add_evidence(fctx, pid, fid)
    assert len(audit.audit_log(fctx, limit=1000)) == before


def test_check_records_are_validated(fctx: ServiceContext, tmp_path: Path) -> None:
    pid = project_with_profile(fctx, fair=3, safe=1)
    findings.derive_findings(fctx, pid)
    fid = by_catalogue(fctx, pid)["r-fair"].id
    record = {
        "schema": "ethos.check-record/1",
        "check_id": "bbq-bias",
        "check_version": "1.0",
        "metric": "bias_score_ses",
        "value": 0.67,
        "n": 1200,
        "parameters": {"category": "SES"},
        "dataset": {"id": "bbq", "version": "2022"},
        "model": {"id": "chat-250m", "version": "3"},
        "started_at": "2026-11-01T09:00:00Z",
        "duration_seconds": 812.5,
        "limitations": ["English prompts only"],
    }
    path = tmp_path / "check.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    stored = findings.add_evidence(fctx, pid, fid, record=path)
    assert stored.record is not None and stored.record["value"] == 0.67
    del record["model"]
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(InvalidInputError, match="field model: Field required"):
        findings.add_evidence(fctx, pid, fid, record=path)


def test_unknown_findings_and_mitigations_are_refused(fctx: ServiceContext) -> None:
    pid = project_with_profile(fctx, fair=3, safe=1)
    with pytest.raises(NotFoundError, match="finding 999 not found"):
        findings.resolve_finding(fctx, pid, 999, note="x")
    findings.derive_findings(fctx, pid)
    fid = by_catalogue(fctx, pid)["r-fair"].id
    with pytest.raises(InvalidInputError, match="not in the mitigation catalogue: teleport"):
        findings.plan_finding(fctx, pid, fid, mitigations=["teleport"], text="")
    with pytest.raises(InvalidInputError, match="--category"):
        findings.add_finding(fctx, pid, category="misc", title="t", severity=1, likelihood=1)
    with pytest.raises(InvalidInputError, match="--severity: 6"):
        findings.add_finding(fctx, pid, category="legal", title="t", severity=6, likelihood=1)
