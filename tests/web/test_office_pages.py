"""The ethics office's records in the browser: lists, record pages, forms and refusals."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from ethos.domain.office import Committee, Education, Meeting, PolicyWatch, RedTeam
from ethos.services import audit, office
from tests.web.conftest import Browser, World

CHAIR = "Lee Taeyang"


def committee(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "committee",
        "name": {"ko": "AI 윤리위원회", "en": "AI Ethics Committee"},
        "type": "committee",
        "mandate": {"ko": "원칙 이행을 감독한다.", "en": "Oversees the principles."},
        "established": "2024-03-15",
        "members": [
            {"role": {"ko": "위원장", "en": "Chair"}, "name": CHAIR},
            {"role": {"ko": "외부 위원", "en": "External member"}},
        ],
        **overrides,
    }


def meeting(committee_id: int) -> dict[str, Any]:
    return {
        "kind": "meeting",
        "committee": committee_id,
        "date": "2026-03-19",
        "summary": {"ko": "정기 회의.", "en": "Regular meeting."},
        "participants": 7,
        "projects": ["Care bot"],
    }


@pytest.fixture
def records(world: World) -> dict[str, int]:
    body = office.add_record(world.ctx, committee())
    held = office.add_record(world.ctx, meeting(body.id))
    return {"committee": body.id, "meeting": held.id}


def denials(world: World) -> list[str]:
    return [e.subject for e in audit.audit_log(world.ctx, limit=100, action="auth.denied")]


def listed(page: str, kind: str) -> list[int]:
    section = re.search(rf'<section data-kind="{kind}">(.*?)</section>', page, re.S)
    assert section, f"no {kind} section"
    return [int(n) for n in re.findall(r'data-record="(\d+)"', section.group(1))]


@pytest.mark.parametrize("who", ["admin", "auditor", "alice", "dave"])
def test_everyone_signed_in_reads_the_records_by_kind_and_year(
    browser: Callable[..., Browser], records: dict[str, int], who: str
) -> None:
    b = browser(who)
    page = b.get("/office").text
    assert listed(page, "committee") == [records["committee"]]
    assert listed(page, "meeting") == [records["meeting"]]
    # The committee (2024, not dissolved) is active in 2025; the meeting (2026) is not.
    in_2025 = b.get("/office?year=2025").text
    assert listed(in_2025, "committee") == [records["committee"]]
    assert listed(in_2025, "meeting") == []
    only = b.get("/office?kind=meeting").text
    assert listed(only, "meeting") == [records["meeting"]] and 'data-kind="committee"' not in only
    assert ('id="add-record"' in page) is (who == "admin")


def test_a_signed_out_visitor_is_sent_to_sign_in(browser: Callable[..., Browser]) -> None:
    response = browser().get("/office")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_bad_kind_or_year_is_a_clear_400(
    browser: Callable[..., Browser], records: dict[str, int]
) -> None:
    b = browser("alice")
    assert b.get("/office?kind=banquet").status_code == 400
    page = b.get("/office?year=19x")
    assert page.status_code == 400 and "year" in page.text


def test_a_record_page_hides_names_the_record_does_not_publish(
    browser: Callable[..., Browser], world: World, records: dict[str, int]
) -> None:
    path = f"/office/{records['committee']}"
    page = browser("alice").get(path).text
    assert "External member" in page and "Chair" in page
    assert CHAIR not in page and 'id="names-withheld"' in page
    assert CHAIR not in browser("auditor").get(path).text
    # Only the ethics office may ask for them, and a refusal is audited.
    assert browser("alice").get(f"{path}?names=true").status_code == 403
    assert denials(world)[-1] == f"office:{records['committee']}"
    assert CHAIR in browser("admin").get(f"{path}?names=true").text


def test_a_committee_that_publishes_names_shows_them(
    browser: Callable[..., Browser], world: World
) -> None:
    public = office.add_record(world.ctx, committee(publish_names=True))
    page = browser("dave").get(f"/office/{public.id}").text
    assert CHAIR in page and 'id="names-withheld"' not in page


def test_a_meeting_page_links_its_body_and_the_projects_you_may_open(
    browser: Callable[..., Browser], world: World, records: dict[str, int]
) -> None:
    path = f"/office/{records['meeting']}"
    care = world.projects["care"]
    page = browser("alice").get(path).text
    assert f'href="/office/{records["committee"]}"' in page
    assert f'<a href="/projects/{care}">Care bot</a>' in page
    # dave is not on the Care bot task force: he sees the id, not the name.
    other = browser("dave").get(path).text
    assert "Care bot" not in other and f"#{care}" in other


FORMS: dict[str, dict[str, Any]] = {
    "committee": {
        "name.ko": "데이터 작업반",
        "name.en": "Data working group",
        "type": "working_group",
        "mandate.ko": "데이터 기준을 정한다.",
        "mandate.en": "Sets the data rules.",
        "established": "2026-02-02",
        "dissolved": "2026-09-30",
        "members.0.role.ko": "반장",
        "members.0.role.en": "Lead",
        "members.0.name": "Kim Minji",
        "members.1.role.ko": "연구원",
        "members.1.role.en": "Researcher",
    },
    "red_team": {
        "start": "2026-05-11",
        "end": "2026-05-22",
        "projects": "Care bot",
        "scope.ko": "프롬프트 주입.",
        "scope.en": "Prompt injection.",
        "method": "manual",
        "participants": "12",
        "issues_found": "9",
        "evidence.url": "https://intranet.example.org/red-team",
        "summary.ko": "9건 발견.",
        "summary.en": "Nine issues found.",
    },
    "education": {
        "title.ko": "세미나",
        "title.en": "Seminar",
        "type": "seminar",
        "dates": "2026-01-15\n2026-01-29",
        "audience": ["researchers", "engineers"],
        "participants": "120",
        "hours_per_participant": "1.5",
        "summary.ko": "사례 토론.",
        "summary.en": "Cases discussed.",
    },
    "partnership": {
        "partner.ko": "한강대학교",
        "partner.en": "Hangang University",
        "type": "academia",
        "start": "2025-09-01",
        "summary.ko": "공동 연구.",
        "summary.en": "Joint research.",
    },
    "policy_watch": {
        "date": "2026-01-22",
        "jurisdiction": "KR",
        "source.citation": "AI Basic Act (Act No. 20676)",
        "source.url": "https://www.law.go.kr/",
        "summary.ko": "시행.",
        "summary.en": "In force.",
        "frameworks": "eu-ai-act:art-50\nkr-ai-basic-act:art-31",
        "status": "acted_on",
    },
}


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_the_office_adds_a_record_of_each_kind_with_its_form(
    browser: Callable[..., Browser], world: World, kind: str
) -> None:
    b = browser("admin")
    form = b.get(f"/office/new?kind={kind}")
    assert form.status_code == 200 and f'data-kind="{kind}"' in form.text
    response = b.post(f"/office/new/{kind}", FORMS[kind])
    assert response.status_code == 303, response.text
    record_id = int(response.headers["location"].rsplit("/", 1)[1])
    body = office.get_record(world.ctx, record_id).body
    care = world.projects["care"]
    if isinstance(body, Committee):
        assert body.name.en == "Data working group" and str(body.dissolved) == "2026-09-30"
        assert [(m.role.en, m.name) for m in body.members] == [
            ("Lead", "Kim Minji"),
            ("Researcher", None),
        ]
        assert body.publish_names is False
    elif isinstance(body, RedTeam):
        assert body.projects == [care] and body.issues_found == 9
        assert body.evidence is not None and body.evidence.url and not body.evidence.findings
    elif isinstance(body, Education):
        assert [str(d) for d in body.dates] == ["2026-01-15", "2026-01-29"]
        assert [a.value for a in body.audience] == ["researchers", "engineers"]
        assert body.hours_per_participant == 1.5
    elif isinstance(body, PolicyWatch):
        assert body.frameworks == ["eu-ai-act:art-50", "kr-ai-basic-act:art-31"]
        assert body.status.value == "acted_on" and body.source.url == "https://www.law.go.kr/"
    else:
        assert body.kind == "partnership" and body.end_date is None
    assert b.get(response.headers["location"]).status_code == 200


def test_a_meeting_is_added_for_a_body_chosen_from_the_list(
    browser: Callable[..., Browser], world: World, records: dict[str, int]
) -> None:
    b = browser("admin")
    form = b.get("/office/new?kind=meeting").text
    assert f'<option value="{records["committee"]}"' in form
    response = b.post(
        "/office/new/meeting",
        {
            "committee": str(records["committee"]),
            "date": "2026-06-01",
            "summary.ko": "회의.",
            "summary.en": "Meeting.",
            "agenda.ko": "계획\n예산",
            "agenda.en": "Plan\nBudget",
            "participants": "5",
        },
    )
    assert response.status_code == 303
    body = office.get_record(world.ctx, int(response.headers["location"].rsplit("/", 1)[1])).body
    assert isinstance(body, Meeting) and body.committee == records["committee"]
    assert [(a.ko, a.en) for a in body.agenda] == [("계획", "Plan"), ("예산", "Budget")]


def test_a_wrong_form_comes_back_with_the_problems_and_what_was_typed(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser("admin")
    data = {**FORMS["committee"], "mandate.en": "", "established": "2026-13-01"}
    response = b.post("/office/new/committee", data)
    assert response.status_code == 400
    page = response.text
    assert 'id="form-error"' in page and "mandate.en" in page and "established" in page
    assert 'value="Data working group"' in page and 'value="Kim Minji"' in page
    assert re.search(r'<fieldset data-field="mandate" class="invalid">', page)
    assert office.list_records(world.ctx, include_withdrawn=True) == []


@pytest.mark.parametrize("who", ["alice", "auditor"])
def test_users_and_auditors_may_not_add_withdraw_or_correct(
    browser: Callable[..., Browser], world: World, records: dict[str, int], who: str
) -> None:
    b = browser(who)
    rid = records["committee"]
    assert b.get("/office/new").status_code == 403
    assert b.get(f"/office/{rid}/replace").status_code == 403
    for path, data in [
        ("/office/new/partnership", FORMS["partnership"]),
        ("/office/import", {"records": "kind: partnership"}),
        (f"/office/{rid}/withdraw", {"reason": "wrong"}),
        (f"/office/{rid}/replace", {**FORMS["committee"], "reason": "wrong"}),
    ]:
        assert b.post(path, data).status_code == 403, path
    assert len(denials(world)) == 6
    assert [r.id for r in office.list_records(world.ctx, include_withdrawn=True)] == [
        records["committee"],
        records["meeting"],
    ]
    assert not office.get_record(world.ctx, rid).withdrawn


def test_office_forms_need_the_csrf_token(
    browser: Callable[..., Browser], world: World, records: dict[str, int]
) -> None:
    b = browser("admin")
    b.csrf = "not-the-token"
    assert b.post("/office/new/partnership", FORMS["partnership"]).status_code == 403
    assert b.post(f"/office/{records['committee']}/withdraw", {"reason": "x"}).status_code == 403
    assert b.post("/office/import", {"records": "kind: partnership"}).status_code == 403
    assert len(office.list_records(world.ctx, include_withdrawn=True)) == 2


def test_withdrawing_keeps_the_record_marked_with_the_reason(
    browser: Callable[..., Browser], world: World, records: dict[str, int]
) -> None:
    b = browser("admin")
    rid = records["meeting"]
    assert b.post(f"/office/{rid}/withdraw", {"reason": "held twice"}).status_code == 303
    record = office.get_record(world.ctx, rid)
    assert record.withdrawn and record.withdrawn_reason == "held twice"
    page = b.get(f"/office/{rid}").text
    assert 'id="withdrawn"' in page and "held twice" in page and 'id="withdraw"' not in page
    assert listed(b.get("/office").text, "meeting") == []
    assert listed(b.get("/office?withdrawn=true").text, "meeting") == [rid]
    assert b.post(f"/office/{rid}/withdraw", {"reason": "again"}).status_code == 409


def test_correcting_a_record_prefills_it_and_replaces_it(
    browser: Callable[..., Browser], world: World, records: dict[str, int]
) -> None:
    b = browser("admin")
    rid = records["committee"]
    form = b.get(f"/office/{rid}/replace").text
    # The form holds every field, names included, so that nothing is lost by correcting.
    assert f'value="{CHAIR}"' in form and "Oversees the principles." in form
    fields = dict(re.findall(r'name="([a-z_.0-9]+)"[^>]*value="([^"]*)"', form))
    fields |= dict(re.findall(r'name="([a-z_.0-9]+)"[^>]*>([^<]*)</textarea>', form))
    fields["type"] = "committee"
    fields["mandate.en"] = "Oversees the principles and approves the report."
    fields.pop("csrf_token", None)
    assert b.post(f"/office/{rid}/replace", {**fields, "reason": ""}).status_code == 400
    response = b.post(f"/office/{rid}/replace", {**fields, "reason": "mandate widened"})
    assert response.status_code == 303
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    old, new = office.get_record(world.ctx, rid), office.get_record(world.ctx, new_id)
    assert old.withdrawn and old.replaced_by == new_id and old.withdrawn_reason == "mandate widened"
    assert isinstance(new.body, Committee) and new.body.mandate.en.endswith("the report.")
    assert [m.name for m in new.body.members] == [CHAIR, None]
    assert f'href="/office/{rid}"' in b.get(f"/office/{new_id}").text  # "corrects record"


def test_records_pasted_in_yaml_are_added_whole_or_not_at_all(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser("admin")
    good = (
        "- kind: partnership\n  partner: {ko: 가, en: A}\n  type: industry\n"
        "  start: 2026-01-01\n  summary: {ko: 나, en: B}\n"
    )
    bad = good + "- kind: partnership\n  partner: {ko: 다}\n  type: industry\n"
    response = b.post("/office/import", {"records": bad})
    assert response.status_code == 400
    assert "record 2 (partnership)" in response.text and "partner.en" in response.text
    assert "type: industry" in response.text  # the text comes back to be fixed
    assert office.list_records(world.ctx) == []
    assert b.post("/office/import", {"records": good + good}).status_code == 303
    assert len(office.list_records(world.ctx)) == 2
    assert b.post("/office/import", {"records": "[: not yaml"}).status_code == 400
