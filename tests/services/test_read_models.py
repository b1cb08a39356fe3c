"""Read models kept per head of the audit chain: every write moves the key, none goes stale."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import profiles

from ethos.services import accounts, cards, findings, projects, stage1
from ethos.services.authz import Principal, project_access
from ethos.services.context import ServiceContext
from ethos.services.inline import WouldBlockError, may_block, on_event_loop
from ethos.services.lifecycle import advance_project
from ethos.services.portfolio import portfolio
from ethos.services.project_overview import project_overview
from ethos.services.read_models import ReadModels, chain_state, project_state, read_models
from ethos.services.snapshots import RequestStore
from ethos.store.unit_of_work import Store
from tests.services.audit_guard import AuditGuard
from tests.services.conftest import project_with_profile

S = stage1.SheetEntry
OFFICE = Principal(user_id=0, username="office", display_name="Office", role="admin")


def fresh(ctx: ServiceContext) -> ServiceContext:
    """The same database through a new store: its read models start empty, so what it
    returns is computed from the records, not kept."""
    return dataclasses.replace(ctx, store=Store(ctx.store.engine))


def keys(ctx: ServiceContext, project_id: int) -> tuple[Any, Any]:
    with ctx.store.for_reading().unit_of_work() as uow:
        return chain_state(uow), project_state(uow, project_id)


def read_all(ctx: ServiceContext, project_id: int) -> dict[str, Any]:
    """Every read model of the project and the dashboard, as a request would read them."""
    view = portfolio(ctx, OFFICE)
    return {
        "profile": stage1.stage1_profile(ctx, project_id),
        "overview": project_overview(ctx, project_id),
        "project": project_access(ctx, OFFICE, project_id, action="open").project,
        "portfolio": dataclasses.replace(view, state=None),
    }


def description_file(tmp_path: Path, version: str) -> Path:
    file = tmp_path / f"description-{version}.yaml"
    file.write_text(
        f"intended_use: triage\nmodel: {{name: triage-model, version: '{version}'}}\n",
        encoding="utf-8",
    )
    return file


def test_every_write_use_case_moves_the_key_and_the_next_read_sees_it(
    fctx: ServiceContext, tmp_path: Path
) -> None:
    pid = project_with_profile(fctx, fair=3, safe=4)
    evidence = tmp_path / "results.txt"
    evidence.write_text("per-group evaluation", encoding="utf-8")
    accounts.use_password_parameters(profiles.CHEAPEST)
    try:
        accounts.create_user(
            fctx, username="kim", display_name="Kim", role="user", password="a long password"
        )
    finally:
        accounts.use_password_parameters(profiles.RFC_9106_LOW_MEMORY)
    found: dict[str, int] = {}

    def derive() -> None:
        findings.derive_findings(fctx, pid)
        _, listed = findings.list_findings(fctx, pid)
        found.update({f.catalogue_id or "": f.id for f in listed})

    def issue() -> None:
        card = cards.build_card(fctx, pid, lang="en")
        cards.record_issue(fctx, card, rendered=b"card", fmt="json")

    steps = [
        ("reopen stage 1", lambda: stage1.reopen_stage1(fctx, pid, reason="new member")),
        ("add a member", lambda: projects.add_member(fctx, pid, name="B2", role="business")),
        ("link an account", lambda: accounts.link_member(fctx, pid, "B2", "kim")),
        ("unlink it", lambda: accounts.link_member(fctx, pid, "B2", None)),
        (
            "answer",
            lambda: stage1.submit_answers(
                fctx, pid, member="B2", entries=[S("fair-a", 3), S("safe-a", 4), S("safe-b", 1)]
            ),
        ),
        (
            "change an answer",
            lambda: stage1.submit_answers(fctx, pid, member="B2", entries=[S("fair-a", 5)]),
        ),
        (
            "record consensus",
            lambda: stage1.record_consensus(fctx, pid, item="fair-a", score=3, note="agreed"),
        ),
        ("close stage 1", lambda: stage1.close_stage1(fctx, pid)),
        ("derive findings", derive),
        (
            "add a finding",
            lambda: findings.add_finding(
                fctx, pid, category="legal", title="Export rules", severity=2, likelihood=2
            ),
        ),
        (
            "assign",
            lambda: findings.assign_finding(
                fctx, pid, found["r-fair"], owner="E", due=date(2027, 1, 31)
            ),
        ),
        (
            "plan",
            lambda: findings.plan_finding(
                fctx, pid, found["r-fair"], mitigations=["subgroup-eval"], text="Per group."
            ),
        ),
        ("evidence", lambda: findings.add_evidence(fctx, pid, found["r-fair"], file=evidence)),
        ("resolve", lambda: findings.resolve_finding(fctx, pid, found["r-fair"], note="done")),
        (
            "reject",
            lambda: findings.reject_finding(
                fctx, pid, found["r-fair"], member="E2", reason="no sign-off"
            ),
        ),
        ("resolve again", lambda: findings.resolve_finding(fctx, pid, found["r-fair"], note="ok")),
        ("verify", lambda: findings.verify_finding(fctx, pid, found["r-fair"], member="E2")),
        (
            "describe",
            lambda: cards.describe_project(fctx, pid, file=description_file(tmp_path, "1.0")),
        ),
        ("issue a card", issue),
        (
            "describe a new model version",
            lambda: cards.describe_project(fctx, pid, file=description_file(tmp_path, "2.0")),
        ),
    ]
    for name, change in steps:
        cached = read_all(fctx, pid)  # kept under the current key
        assert read_all(fctx, pid) == cached, name
        before = keys(fctx, pid)
        change()
        after = keys(fctx, pid)
        assert after[0] != before[0], f"{name}: the chain's head did not move"
        assert after[1] != before[1], f"{name}: the project's key did not move"
        assert read_all(fctx, pid) == read_all(fresh(fctx), pid), f"{name}: stale read model"

    view = portfolio(fctx, OFFICE)
    assert [d["project"] for d in view.due] == [pid]
    assert "model:triage-model changed from 1.0 to 2.0" in view.due[0]["reasons"]

    advanced = advance_project(fctx, pid, to="development")  # the P2 finding is still open
    assert advanced.lifecycle_stage.value == "development"
    assert project_access(fctx, OFFICE, pid, action="open").project == advanced
    assert portfolio(fctx, OFFICE).by_type_and_stage["product_development"] == {"development": 1}


def test_a_change_to_another_project_keeps_this_projects_model(fctx: ServiceContext) -> None:
    pid = project_with_profile(fctx, fair=3, safe=4)
    other = projects.create_project(
        fctx, name="Other", type="basic_research", questionnaire_id="test-q"
    ).id
    first = stage1.stage1_profile(fctx, pid)
    projects.add_member(fctx, other, name="X", role="technical")
    assert stage1.stage1_profile(fctx, pid) is first  # kept: its records did not change
    assert project_overview(fctx, other).view.members[0].name == "X"


def test_the_re_assessment_check_runs_again_on_a_new_day(
    fctx: ServiceContext, tmp_path: Path
) -> None:
    today = [datetime(2026, 3, 10, 9, 0, tzinfo=UTC)]
    ctx = dataclasses.replace(fctx, clock=lambda: today[0], review_months=12)
    pid = project_with_profile(ctx, fair=3, safe=4)
    cards.describe_project(ctx, pid, file=description_file(tmp_path, "1.0"))
    cards.record_issue(ctx, cards.build_card(ctx, pid, lang="en"), rendered=b"c", fmt="json")
    assert portfolio(ctx, OFFICE).due == []
    today[0] += timedelta(days=365)  # nothing changed in the database, a year went by
    due = portfolio(ctx, OFFICE).due
    assert [d["project"] for d in due] == [pid]
    assert due[0]["reasons"] == ["card issued 2026-03-10, over 12 months ago"]


def test_a_request_sees_its_own_write_on_its_next_read(fctx: ServiceContext) -> None:
    pid = project_with_profile(fctx, fair=3, safe=4)
    request = dataclasses.replace(fctx, store=RequestStore(fctx.store))
    before = keys(request, pid)
    assert keys(request, pid) == before  # remembered within the snapshot
    projects.add_member(request, pid, name="Late", role="business")  # ends the snapshot
    assert keys(request, pid) != before
    names = [m.name for m in stage1.stage1_profile(request, pid).members]
    assert "Late" in names
    request.store.release()  # type: ignore[attr-defined]


def test_two_databases_never_share_models(fctx: ServiceContext, tmp_path: Path) -> None:
    other = Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    other.upgrade()
    assert read_models(fctx.store) is read_models(fctx.store.for_reading())
    assert read_models(fctx.store) is not read_models(other)
    other.dispose()


def test_models_are_bounded_and_counted() -> None:
    models = ReadModels(max_entries=2)
    assert models.get_or_compute("a", lambda: 1) == 1
    assert models.get_or_compute("a", lambda: 2) == 1
    models.get_or_compute("b", lambda: 3)
    models.get_or_compute("c", lambda: 4)  # "a" was used least recently: dropped
    assert len(models) == 2
    assert models.get_or_compute("a", lambda: 5) == 5
    assert (models.hits, models.misses) == (1, 4)


def test_on_the_event_loop_a_kept_model_is_served_and_a_missing_one_is_refused() -> None:
    models = ReadModels()
    computed: list[str] = []

    def compute(value: int) -> Any:
        def run() -> int:
            computed.append("x")
            return value

        return run

    models.get_or_compute("kept", compute(1))
    with on_event_loop():
        assert models.get_or_compute("kept", compute(2)) == 1
        with pytest.raises(WouldBlockError):
            models.get_or_compute("new", compute(3))
    # Nothing was computed or kept on the loop, nor counted as a miss.
    assert computed == ["x"] and len(models) == 1 and (models.hits, models.misses) == (1, 1)
    assert models.get_or_compute("new", compute(3)) == 3  # off the loop: computed
    may_block()  # off the loop: nothing to refuse


def test_on_the_event_loop_a_request_reads_but_does_not_write(fctx: ServiceContext) -> None:
    pid = project_with_profile(fctx, fair=3, safe=4)
    request = dataclasses.replace(fctx, store=RequestStore(fctx.store))
    members = len(projects.list_members(fctx, pid))
    reader = dataclasses.replace(request, store=request.store.for_reading())
    with on_event_loop():
        assert len(projects.list_members(reader, pid)) == members  # reads go on
        with pytest.raises(WouldBlockError):  # a read through the writing store waits too
            projects.list_members(request, pid)
        with pytest.raises(WouldBlockError):
            projects.add_member(request, pid, name="Late", role="business")
    assert len(projects.list_members(fctx, pid)) == members  # nothing was written
    projects.add_member(request, pid, name="Late", role="business")  # off the loop: written
    assert len(projects.list_members(fctx, pid)) == members + 1
    request.store.release()  # type: ignore[attr-defined]


def test_the_guard_catches_a_change_without_an_audit_event(
    fctx: ServiceContext, audited_writes: AuditGuard
) -> None:
    pid = project_with_profile(fctx, fair=3, safe=4)
    assert audited_writes.violations == []
    with fctx.store.unit_of_work() as uow:
        uow.projects.set_stage1_closed(pid, None)  # a write no use case makes this way
    assert len(audited_writes.violations) == 1
    assert "projects" in audited_writes.violations[0]
    audited_writes.violations.clear()
