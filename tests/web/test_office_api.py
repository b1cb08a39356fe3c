"""The office records, the statistics and the annual report through the REST API."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from ethos.services import audit, office
from tests.web.conftest import World
from tests.web.test_api import error_of
from tests.web.test_office_pages import CHAIR, committee, meeting

Api = Callable[[str | None], TestClient]
PARTNERSHIP = {
    "kind": "partnership",
    "partner": {"ko": "한강대학교", "en": "Hangang University"},
    "type": "academia",
    "start": "2025-09-01",
    "summary": {"ko": "공동 연구.", "en": "Joint research."},
}


def test_everyone_lists_and_reads_records_without_unpublished_names(api: Api, world: World) -> None:
    body = office.add_record(world.ctx, committee())
    held = office.add_record(world.ctx, meeting(body.id))
    for who in ("alice", "auditor", "admin"):
        listed = api(who).get("/api/v1/office").json()
        assert [(r["id"], r["kind"]) for r in listed] == [
            (body.id, "committee"),
            (held.id, "meeting"),
        ]
        assert CHAIR not in str(listed)
    assert [r["id"] for r in api("alice").get("/api/v1/office?kind=meeting").json()] == [held.id]
    assert [r["id"] for r in api("alice").get("/api/v1/office?year=2025").json()] == [body.id]
    shown = api("alice").get(f"/api/v1/office/{body.id}").json()
    assert shown["names_withheld"] == 1 and CHAIR not in str(shown)
    assert shown["data"]["members"][1] == {"role": {"ko": "외부 위원", "en": "External member"}}
    assert meeting(body.id)["projects"] == ["Care bot"]
    assert api("alice").get(f"/api/v1/office/{held.id}").json()["data"]["projects"] == [
        world.projects["care"]
    ]


def test_only_the_office_asks_for_unpublished_names(api: Api, world: World) -> None:
    body = office.add_record(world.ctx, committee())
    path = f"/api/v1/office/{body.id}?with_names=true"
    assert api("admin").get(path).json()["data"]["members"][0]["name"] == CHAIR
    for who in ("alice", "auditor"):
        response = api(who).get(path)
        assert response.status_code == 403 and error_of(response)["type"] == "forbidden"
    assert len(audit.audit_log(world.ctx, limit=10, action="auth.denied")) == 2


def test_the_office_adds_one_record_or_a_list(api: Api, world: World) -> None:
    client = api("admin")
    one = client.post("/api/v1/office", json=PARTNERSHIP)
    assert one.status_code == 201
    assert one.json()["kind"] == "partnership" and one.json()["year"] == 2025
    many = client.post("/api/v1/office", json=[committee(), {**PARTNERSHIP, "start": "2026-01-01"}])
    assert many.status_code == 201 and [r["kind"] for r in many.json()] == [
        "committee",
        "partnership",
    ]
    assert CHAIR not in many.text  # the answer follows the record's publish_names
    stored = office.list_records(world.ctx)  # oldest first: the committee (2024) leads
    assert [r.id for r in stored] == [many.json()[0]["id"], one.json()["id"], many.json()[1]["id"]]


def test_a_wrong_list_adds_nothing_and_names_every_problem(api: Api, world: World) -> None:
    response = api("admin").post(
        "/api/v1/office",
        json=[PARTNERSHIP, {**PARTNERSHIP, "type": "cartel"}, {"kind": "banquet"}],
    )
    assert response.status_code == 400
    message = error_of(response)["message"]
    assert "body: record 2 (partnership): field type" in message
    assert "body: record 3: field kind: 'banquet' is not one of" in message
    assert office.list_records(world.ctx, include_withdrawn=True) == []
    bad_json = api("admin").post(
        "/api/v1/office", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 400 and error_of(bad_json)["message"] == "body: not valid JSON"


@pytest.mark.parametrize("who", ["alice", "auditor"])
def test_users_and_auditors_may_not_change_records(api: Api, world: World, who: str) -> None:
    body = office.add_record(world.ctx, committee())
    client = api(who)
    attempts = [
        client.post("/api/v1/office", json=PARTNERSHIP),
        client.post(f"/api/v1/office/{body.id}/withdraw", json={"reason": "wrong"}),
        client.post(
            f"/api/v1/office/{body.id}/replace", json={"reason": "wrong", "record": committee()}
        ),
    ]
    assert [r.status_code for r in attempts] == [403, 403, 403]
    assert len(audit.audit_log(world.ctx, limit=10, action="auth.denied")) == 3
    assert [r.id for r in office.list_records(world.ctx, include_withdrawn=True)] == [body.id]


def test_withdraw_and_replace(api: Api, world: World) -> None:
    client = api("admin")
    first = office.add_record(world.ctx, PARTNERSHIP)
    corrected = {**PARTNERSHIP, "end": "2026-08-31"}
    replaced = client.post(
        f"/api/v1/office/{first.id}/replace", json={"reason": "it ended", "record": corrected}
    )
    assert replaced.status_code == 200
    new_id = replaced.json()["added"]["id"]
    assert replaced.json()["withdrawn"] == {
        **replaced.json()["withdrawn"],
        "id": first.id,
        "withdrawn": True,
        "replaced_by": new_id,
    }
    assert office.get_record(world.ctx, new_id).body.end_date is not None
    wrong_kind = client.post(
        f"/api/v1/office/{new_id}/replace", json={"reason": "x", "record": committee()}
    )
    assert wrong_kind.status_code == 400 and "field kind" in error_of(wrong_kind)["message"]
    assert client.post(f"/api/v1/office/{new_id}/withdraw", json={"reason": ""}).status_code == 422
    gone = client.post(f"/api/v1/office/{new_id}/withdraw", json={"reason": "ended"})
    assert gone.status_code == 200 and gone.json()["withdrawn"] is True
    again = client.post(f"/api/v1/office/{new_id}/withdraw", json={"reason": "again"})
    assert again.status_code == 409 and error_of(again)["type"] == "conflict"
    assert client.get("/api/v1/office/999").status_code == 404


def this_year() -> int:
    return datetime.now(UTC).year


def test_statistics_of_a_year_for_the_office_and_auditors(api: Api, world: World) -> None:
    year = this_year()
    for who in ("admin", "auditor"):
        figures = api(who).get(f"/api/v1/stats?year={year}").json()
        assert figures["schema"] == "ethos.stats/1" and figures["year"] == year
        assert figures["assessments"]["started"] == {
            "count": 2,
            "ids": sorted(world.projects.values()),
        }
        assert figures["previous_year"]["assessments"]["started"]["count"] == 0
    assert api("alice").get(f"/api/v1/stats?year={year}").status_code == 403
    assert api("admin").get(f"/api/v1/stats?year={year + 1}").status_code == 400
    assert api("admin").get("/api/v1/stats").status_code == 422


def test_the_report_through_the_api(api: Api, world: World) -> None:
    office.add_record(world.ctx, committee())
    year = this_year()
    response = api("auditor").get(f"/api/v1/report.md?year={year}&lang=ko")
    assert response.status_code == 200
    assert response.headers["x-content-sha256"] == hashlib.sha256(response.content).hexdigest()
    assert f"ethics-report-{year}-ko.md" in response.headers["content-disposition"]
    assert "AI 윤리위원회" in response.text and CHAIR not in response.text
    data = api("admin").get(f"/api/v1/report.json?year={year}").json()
    assert data["schema"] == "ethos.report/1" and data["lang"] == "en"
    assert api("alice").get(f"/api/v1/report.md?year={year}").status_code == 403
    assert api("admin").get(f"/api/v1/report.txt?year={year}").status_code == 422


def test_the_openapi_document_describes_the_office_endpoints(api: Api) -> None:
    schema = api(None).get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/office",
        "/api/v1/office/{record_id}",
        "/api/v1/office/{record_id}/withdraw",
        "/api/v1/office/{record_id}/replace",
        "/api/v1/stats",
        "/api/v1/report.{fmt}",
    ):
        assert path in paths, path
    body = paths["/api/v1/office"]["post"]["requestBody"]["content"]["application/json"]
    record = body["schema"]["anyOf"][0]
    kinds = {variant["properties"]["kind"]["const"] for variant in record["oneOf"]}
    assert kinds == {"committee", "meeting", "red_team", "education", "partnership", "policy_watch"}
    assert "$ref" not in str(record)
