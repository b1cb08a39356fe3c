"""Ethics-office records on both engines: references, all-or-nothing, corrections, years."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ethos.domain.errors import ConflictError, EthosError, InvalidInputError, NotFoundError
from ethos.domain.office import Committee, Meeting, OfficeKind, canonical_data
from ethos.services import audit, findings, office, projects
from ethos.services.context import ServiceContext
from ethos.services.demo import load_demo_organisation
from tests.domain.test_office import KINDS, SECRET_NAMES, record_input


def make_project(ctx: ServiceContext, name: str = "Care bot") -> int:
    return projects.create_project(ctx, name=name, type="product_development").id


def committee(ctx: ServiceContext, **overrides: Any) -> int:
    return office.add_record(ctx, record_input("committee", **overrides)).id


def events(ctx: ServiceContext) -> list[Any]:
    return audit.audit_log(ctx, limit=10_000)


def office_events(ctx: ServiceContext) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (e.action, e.subject, json.loads(e.payload))
        for e in events(ctx)
        if e.action.startswith("office.")
    ]


def test_each_kind_round_trips_on_this_engine(ctx: ServiceContext) -> None:
    pid = make_project(ctx)
    cid = committee(ctx)
    inputs = {kind: record_input(kind) for kind in KINDS}
    inputs["meeting"].update(committee=cid, projects=[pid])
    inputs["red_team"]["projects"] = [pid]
    inputs["policy_watch"]["projects"] = [pid]
    for kind in KINDS:
        added = office.add_record(ctx, inputs[kind])
        again = office.get_record(ctx, added.id)
        assert again == added
        assert again.kind.value == kind
        assert again.created_by == "tester"
        assert not again.withdrawn
        stored = canonical_data(again.body)
        for key, value in inputs[kind].items():
            if key not in ("dates", "established", "start", "end", "date"):
                assert stored[key] == value, key
    assert {r.kind.value for r in office.list_records(ctx)} == set(KINDS)
    assert [r.kind for r in office.list_records(ctx, kind="meeting")] == [OfficeKind.MEETING]


def test_each_change_is_audited_with_ids_and_kinds_only(ctx: ServiceContext) -> None:
    before = len(events(ctx))
    cid = committee(ctx)
    assert office_events(ctx) == [("office.add", f"office:{cid}", {"id": cid, "kind": "committee"})]
    assert len(events(ctx)) == before + 1


def test_projects_and_committees_may_be_named_and_are_stored_as_ids(ctx: ServiceContext) -> None:
    pid = make_project(ctx, "Resume study")
    cid = committee(ctx)
    meeting = office.add_record(
        ctx,
        record_input(
            "meeting", committee="AI ethics committee (한국어)", projects=["Resume study", pid]
        ),
    )
    assert isinstance(meeting.body, Meeting)
    assert meeting.body.committee == cid
    assert meeting.body.projects == [pid, pid]


@pytest.mark.parametrize(
    ("kind", "changes", "expected"),
    [
        ("meeting", {"projects": [4242]}, "field projects: no project with id 4242"),
        ("meeting", {"projects": ["No such"]}, "field projects[0]: no project named 'No such'"),
        ("red_team", {"projects": [77]}, "field projects: no project with id 77"),
        ("policy_watch", {"projects": [9]}, "field projects: no project with id 9"),
        (
            "policy_watch",
            {"frameworks": ["eu-ai-act:art-50", "eu-ai-act:art-999"]},
            "field frameworks[1]: no framework node 'eu-ai-act:art-999'",
        ),
        ("meeting", {"committee": 999}, "field committee: no committee record with id 999"),
        ("meeting", {"committee": "Board"}, "field committee: no committee record named 'Board'"),
        (
            "red_team",
            {"evidence": {"findings": [31337]}},
            "field evidence.findings[0]: no finding with id 31337",
        ),
    ],
)
def test_unknown_references_are_refused_and_nothing_is_written(
    ctx: ServiceContext, kind: str, changes: dict[str, Any], expected: str
) -> None:
    before = len(events(ctx))
    with pytest.raises(InvalidInputError) as caught:
        office.add_record(ctx, record_input(kind, **changes), source="rec.yaml")
    assert f"rec.yaml: {expected}" in caught.value.message
    assert office.list_records(ctx, include_withdrawn=True) == []
    assert len(events(ctx)) == before


def test_a_known_framework_node_is_accepted(ctx: ServiceContext) -> None:
    nodes = ["eu-ai-act:art-50", "kr-ai-basic-act:art-31", "unesco-rec-2021:principle-fairness"]
    assert all(ctx.legal().frameworks.has(n) for n in nodes)
    record = office.add_record(ctx, record_input("policy_watch", frameworks=nodes))
    assert getattr(record.body, "frameworks", None) == nodes


def test_red_team_evidence_findings_must_belong_to_its_projects(ctx: ServiceContext) -> None:
    mine, other = make_project(ctx, "Mine"), make_project(ctx, "Other")
    finding = findings.add_finding(
        ctx, other, category="fairness", title="Ranking gap", severity=3, likelihood=3
    )
    bad = record_input("red_team", projects=[mine], evidence={"findings": [finding.id]})
    with pytest.raises(InvalidInputError, match=rf"finding {finding.id} belongs to project"):
        office.add_record(ctx, bad)
    good = record_input("red_team", projects=[other], evidence={"findings": [finding.id]})
    assert office.add_record(ctx, good).id > 0


def test_a_meeting_needs_a_standing_committee_sitting_on_that_day(ctx: ServiceContext) -> None:
    cid = committee(ctx, dissolved="2026-06-30")
    with pytest.raises(InvalidInputError, match=r"field date: outside the term .* to 2026-06-30"):
        office.add_record(ctx, record_input("meeting", committee=cid, date="2026-07-01"))
    _, new = office.replace_record(ctx, cid, record_input("committee"), reason="wrong end date")
    with pytest.raises(InvalidInputError, match=rf"was withdrawn, replaced by {new.id}"):
        office.add_record(ctx, record_input("meeting", committee=cid))
    other = office.add_record(ctx, record_input("partnership")).id
    with pytest.raises(InvalidInputError, match=rf"no committee record with id {other}"):
        office.add_record(ctx, record_input("meeting", committee=other))
    assert office.add_record(ctx, record_input("meeting", committee=new.id, date="2026-07-01"))


def test_a_list_is_recorded_whole_or_not_at_all(ctx: ServiceContext) -> None:
    pid = make_project(ctx)
    before = len(events(ctx))
    good = [
        record_input("committee"),
        record_input("meeting", committee="AI ethics committee", projects=[pid]),
        record_input("education"),
    ]
    bad = [*good, record_input("red_team", projects=[4242]), record_input("partnership")]
    bad[2] = record_input("education", participants=-5)
    with pytest.raises(InvalidInputError) as caught:
        office.add_records(ctx, bad, source="--file all.yaml")
    assert caught.value.message.splitlines() == [
        "--file all.yaml: record 3 (education): field participants: "
        "Input should be greater than or equal to 0",
        "--file all.yaml: record 4 (red_team): field projects: no project with id 4242",
    ]
    assert office.list_records(ctx, include_withdrawn=True) == []
    assert len(events(ctx)) == before
    added = office.add_records(ctx, good)
    assert [r.kind.value for r in added] == ["committee", "meeting", "education"]
    assert isinstance(added[1].body, Meeting)
    assert added[1].body.committee == added[0].id  # named, added earlier in the same list
    assert len(events(ctx)) == before + 3


def test_withdraw_keeps_the_record_marks_it_and_is_audited(ctx: ServiceContext) -> None:
    rid = office.add_record(ctx, record_input("education")).id
    with pytest.raises(InvalidInputError, match="--reason"):
        office.withdraw_record(ctx, rid, reason="  ")
    withdrawn = office.withdraw_record(ctx, rid, reason="Entered twice.")
    assert withdrawn.withdrawn_reason == "Entered twice."
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.replaced_by is None
    assert office.list_records(ctx) == []
    assert [r.id for r in office.list_records(ctx, include_withdrawn=True)] == [rid]
    assert office.get_record(ctx, rid).withdrawn
    assert office_events(ctx)[-1] == (
        "office.withdraw",
        f"office:{rid}",
        {"id": rid, "kind": "education"},
    )
    with pytest.raises(ConflictError, match="already withdrawn"):
        office.withdraw_record(ctx, rid, reason="again")
    with pytest.raises(NotFoundError, match="office record 999 not found"):
        office.withdraw_record(ctx, 999, reason="x")


def test_replace_withdraws_and_adds_in_one_audited_step(ctx: ServiceContext) -> None:
    rid = office.add_record(ctx, record_input("red_team", issues_found=9)).id
    old, new = office.replace_record(
        ctx, rid, record_input("red_team", issues_found=11), reason="Two more found in review."
    )
    assert old.id == rid
    assert old.withdrawn
    assert old.replaced_by == new.id
    assert getattr(new.body, "issues_found", None) == 11
    assert [r.id for r in office.list_records(ctx)] == [new.id]
    assert office_events(ctx)[-2:] == [
        ("office.replace", f"office:{rid}", {"id": rid, "kind": "red_team", "replaced_by": new.id}),
        ("office.add", f"office:{new.id}", {"id": new.id, "kind": "red_team", "replaces": rid}),
    ]
    with pytest.raises(ConflictError, match="already withdrawn"):
        office.replace_record(ctx, rid, record_input("red_team"), reason="x")


def test_a_failed_replace_changes_nothing(ctx: ServiceContext) -> None:
    rid = office.add_record(ctx, record_input("partnership")).id
    before = len(events(ctx))
    with pytest.raises(InvalidInputError, match="field kind: a partnership record is replaced"):
        office.replace_record(ctx, rid, record_input("education"), reason="x")
    with pytest.raises(InvalidInputError, match=r"field summary\.ko: Field required"):
        office.replace_record(
            ctx, rid, record_input("partnership", summary={"en": "x"}), reason="x"
        )
    assert [(r.id, r.withdrawn) for r in office.list_records(ctx, include_withdrawn=True)] == [
        (rid, False)
    ]
    assert len(events(ctx)) == before


def _years_active(data: dict[str, Any]) -> set[int]:
    """Independently of the code: the calendar years from the first to the last day."""
    first = {
        "committee": "established",
        "meeting": "date",
        "red_team": "start",
        "education": "dates",
        "partnership": "start",
        "policy_watch": "date",
    }[data["kind"]]
    last = {"committee": "dissolved", "red_team": "end", "partnership": "end"}.get(
        data["kind"], first
    )
    start = data[first][0] if first == "dates" else data[first]
    end = data.get(last) if last != "dates" else data["dates"][-1]
    to_year = int(end[:4]) if end else 2100
    return set(range(int(start[:4]), to_year + 1))


def test_years_filter_by_the_span_of_each_activity(ctx: ServiceContext) -> None:
    cid = committee(ctx, established="2024-03-15")
    inputs = [
        record_input("committee", name=bi_("Old board"), dissolved="2025-06-30"),
        record_input("meeting", committee=cid, date="2025-11-20"),
        record_input("meeting", committee=cid, date="2026-03-19"),
        record_input("red_team", start="2025-12-15", end="2026-01-09"),
        record_input("education", dates=["2026-02-01"]),
        record_input("partnership", start="2023-01-01", end="2024-12-31"),
        record_input("partnership", start="2026-05-01"),
        record_input("policy_watch", date="2027-01-05"),
    ]
    added = office.add_records(ctx, inputs)
    everything = [record_input("committee", established="2024-03-15"), *inputs]
    ids = [cid, *(r.id for r in added)]
    office.withdraw_record(ctx, added[4].id, reason="cancelled")  # the 2026 education
    for year in (2023, 2024, 2025, 2026, 2027):
        expected = {i for i, d in zip(ids, everything, strict=True) if year in _years_active(d)} - {
            added[4].id
        }
        assert {r.id for r in office.list_records(ctx, year=year)} == expected, year
        by_kind = office.office_year(ctx, year)
        assert set(by_kind) == set(OfficeKind)
        assert {r.id for rs in by_kind.values() for r in rs} == expected
        assert all(r.kind is k for k, rs in by_kind.items() for r in rs)
        for rs in by_kind.values():
            assert [r.body.main_date for r in rs] == sorted(r.body.main_date for r in rs)
    assert added[4].id in {
        r.id for r in office.list_records(ctx, year=2026, include_withdrawn=True)
    }
    assert [len(office.office_year(ctx, 2026)[k]) for k in OfficeKind] == [1, 1, 1, 0, 1, 0]
    with pytest.raises(InvalidInputError, match="--year"):
        office.list_records(ctx, year=12026)
    with pytest.raises(InvalidInputError, match="--kind"):
        office.list_records(ctx, kind="survey")


def bi_(en: str) -> dict[str, str]:
    return {"en": en, "ko": f"{en} (한국어)"}


def test_member_names_never_reach_the_audit_trail(ctx: ServiceContext) -> None:
    cid = committee(ctx)
    office.add_record(ctx, record_input("meeting", committee=cid))
    replacement = record_input("committee", publish_names=True)
    replacement["members"].append({"role": bi_("Secretary"), "name": "Yoo Another-Name"})
    _, new = office.replace_record(ctx, cid, replacement, reason="A member was missing.")
    office.withdraw_record(ctx, new.id, reason="Merged into another body.")
    stored = office.get_record(ctx, new.id)
    assert isinstance(stored.body, Committee)
    assert [m.name for m in stored.body.members][:2] == list(SECRET_NAMES)  # names are kept
    trail = [(e.actor, e.action, e.subject, e.payload) for e in events(ctx)]
    assert len([t for t in trail if t[1].startswith("office.")]) == 5
    text = json.dumps(trail, ensure_ascii=False)
    for name in (*SECRET_NAMES, "Yoo Another-Name"):
        assert name not in text
        assert name.split()[1] not in text
    assert "Merged into another body" not in text  # free text stays out too
    assert audit.verify_audit_chain(ctx).ok


def test_office_year_of_an_empty_year_has_every_kind_empty(ctx: ServiceContext) -> None:
    assert office.office_year(ctx, 2026) == {k: [] for k in OfficeKind}


def test_the_demo_records_load_against_the_demo_projects(ctx: ServiceContext) -> None:
    organisation = load_demo_organisation()
    for spec in organisation.projects:
        projects.create_project(ctx, name=spec.name, type=spec.type.value)
    raw = yaml.safe_load(office.DEMO_OFFICE_FILE.read_text(encoding="utf-8"))
    named = {p for r in raw for p in r.get("projects", [])}
    assert named <= {p.name for p in organisation.projects}  # the two files agree
    added = office.seed_office_demo(ctx)
    assert len(added) == len(raw)
    year = office.office_year(ctx, 2026)
    expected = {k: sum(1 for r in raw if r["kind"] == k.value) for k in OfficeKind}
    assert {k: len(v) for k, v in year.items()} == expected  # everything is active in 2026
    assert all(
        isinstance(r.body, Committee) and not r.body.publish_names for r in year["committee"]
    )
    with pytest.raises(EthosError):
        office.seed_office_demo(ctx, Path("/nonexistent/office.yaml"))


def test_a_bad_demo_file_is_refused_whole(ctx: ServiceContext, tmp_path: Path) -> None:
    path = tmp_path / "office.yaml"
    records = [record_input("education"), record_input("education", audience=[])]
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"record 2 \(education\): field audience"):
        office.seed_office_demo(ctx, path)
    assert office.list_records(ctx) == []
