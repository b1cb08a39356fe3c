"""The REST API: tokens, JSON errors, permissions, and the assessment end to end."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from ethos.services import accounts, audit, stage1
from tests.web.conftest import World
from tests.web.test_pages import SCORES

Api = Callable[[str | None], TestClient]


def error_of(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) - {"message_ko"} == {"type", "message"}
    return body["error"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/projects"),
        ("get", "/api/v1/projects/1"),
        ("post", "/api/v1/projects"),
        ("get", "/api/v1/projects/1/findings"),
        ("get", "/api/v1/audit/log"),
        ("get", "/api/v1/users"),
    ],
)
def test_without_a_token_the_api_answers_401_in_json(api: Api, method: str, path: str) -> None:
    response = getattr(api(None), method)(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert error_of(response)["type"] == "not_authenticated"


def test_a_wrong_revoked_or_expired_token_is_refused_and_audited(api: Api, world: World) -> None:
    client = api(None)
    client.headers["Authorization"] = "Bearer ethos_not-a-real-token"
    assert client.get("/api/v1/me").status_code == 401
    token, issued = accounts.issue_token(world.ctx, "alice", name="short")
    client.headers["Authorization"] = f"Bearer {token}"
    assert client.get("/api/v1/me").json()["username"] == "alice"
    accounts.revoke_token(world.ctx, "alice", issued.id)
    assert client.get("/api/v1/me").status_code == 401
    refused = audit.audit_log(world.ctx, limit=10, action="auth.token_refused")
    assert [e.payload_data()["reason"] for e in refused] == ["unknown token", "revoked token"]
    assert token not in "".join(e.payload for e in audit.audit_log(world.ctx, limit=1000))


def test_a_session_cookie_is_not_an_api_credential(api: Api) -> None:
    client = api(None)
    client.cookies.set("ethos_session", "anything")
    assert client.get("/api/v1/me").status_code == 401


def test_members_see_only_their_projects(api: Api, world: World) -> None:
    dave = api("dave")
    assert [p["name"] for p in dave.get("/api/v1/projects").json()] == ["Lab study"]
    response = dave.get(f"/api/v1/projects/{world.projects['care']}/profile")
    assert response.status_code == 404  # as if it did not exist; the refusal is audited
    assert error_of(response)["type"] == "not_found"
    assert len(api("auditor").get("/api/v1/projects").json()) == 2


def test_errors_are_json_with_a_message_never_a_trace(api: Api, world: World) -> None:
    admin = api("admin")
    missing = admin.get("/api/v1/projects/424242")
    assert missing.status_code == 404 and "424242" in error_of(missing)["message"]
    invalid = admin.post("/api/v1/projects", json={"name": "X", "type": "nonsense"})
    assert invalid.status_code == 400 and "not one of" in error_of(invalid)["message"]
    schema = admin.post("/api/v1/projects", json={"name": "X", "type": "basic_research", "x": 1})
    assert schema.status_code == 422 and error_of(schema)["type"] == "invalid_input"
    taken = admin.post("/api/v1/projects", json={"name": "Care bot", "type": "basic_research"})
    assert taken.status_code == 409
    unknown = admin.get("/api/v1/nothing-here")
    assert unknown.status_code == 404 and error_of(unknown)["type"] == "not_found"
    for response in (missing, invalid, schema, taken, unknown):
        assert "Traceback" not in response.text


def test_an_auditor_cannot_change_anything_through_the_api(api: Api, world: World) -> None:
    auditor = api("auditor")
    pid = world.projects["care"]
    attempts = [
        ("/api/v1/projects", {"name": "X", "type": "basic_research"}),
        (f"/api/v1/projects/{pid}/members", {"name": "E", "role": "ethics"}),
        (f"/api/v1/projects/{pid}/answers", {"answers": {"decision-impact": 3}}),
        (f"/api/v1/projects/{pid}/consensus", {"item": "decision-impact", "score": 3, "note": "n"}),
        (f"/api/v1/projects/{pid}/findings/derive", None),
        (f"/api/v1/projects/{pid}/advance", {"to": "development"}),
        ("/api/v1/users", {"username": "eve", "password": "x" * 12}),
    ]
    for path, body in attempts:
        assert auditor.post(path, json=body).status_code == 403, path
    assert auditor.get("/api/v1/audit/verify").json()["ok"] is True


def test_the_whole_assessment_through_the_api(api: Api, world: World) -> None:
    pid = world.projects["care"]
    q = api("alice").get("/api/v1/questionnaires/ethos-stage1").json()
    for username, score in SCORES.items():
        client = api(username)
        seat = client.get(f"/api/v1/projects/{pid}").json()["your_seat"]
        sheet = {i["id"]: score for i in q["items"] if seat["role"] in i["roles"]}
        recorded = client.post(f"/api/v1/projects/{pid}/answers", json={"answers": sheet})
        assert recorded.json() == {"recorded": len(sheet), "member": seat["id"]}
    carol = api("carol")
    profile = carol.get(f"/api/v1/projects/{pid}/profile").json()
    assert profile["discuss"]
    for item in profile["discuss"]:
        body = {"item": item, "score": 4, "note": "agreed in the meeting"}
        assert carol.post(f"/api/v1/projects/{pid}/consensus", json=body).status_code == 200
    assert carol.post(f"/api/v1/projects/{pid}/stage1/close").json()["stage1_closed_at"]
    derived = carol.post(f"/api/v1/projects/{pid}/findings/derive").json()
    assert derived["added"]
    target = derived["added"][0]
    alice = api("alice")
    base = f"/api/v1/projects/{pid}/findings/{target}"
    assigned = alice.post(
        f"{base}/assign", json={"owner": world.members["alice"], "due": "2030-01-31"}
    )
    assert assigned.json()["owner"] == world.members["alice"]
    upload = alice.post(
        f"{base}/evidence/file",
        files={"file": ("eval.csv", b"group,accuracy\na,0.91\nb,0.90\n", "text/csv")},
        data={"note": "subgroup evaluation"},
    )
    assert upload.status_code == 201 and len(upload.json()["sha256"]) == 64
    assert (
        alice.post(f"{base}/resolve", json={"note": "gap under 2 points"}).json()["status"]
        == "resolved"
    )
    assert alice.post(f"{base}/verify").status_code == 403  # technical member
    verified = carol.post(f"{base}/verify").json()
    assert verified["status"] == "verified" and verified["decided_by"] == world.members["carol"]
    card = carol.get(f"/api/v1/projects/{pid}/card.json?lang=ko")
    assert card.json()["schema"] == "ethos.card/1" and card.json()["lang"] == "ko"
    assert card.json()["audit"]["chain_ok"] is True
    dashboard = api("admin").get("/api/v1/dashboard").json()
    assert dashboard["total"] == 2


def test_answering_for_someone_else_is_refused(api: Api, world: World) -> None:
    pid = world.projects["care"]
    response = api("alice").post(
        f"/api/v1/projects/{pid}/answers",
        json={"answers": {"decision-impact": 3}, "member": world.members["bob"]},
    )
    assert response.status_code == 403
    assert stage1.stage1_profile(world.ctx, pid).profile.items["decision-impact"].scores == {}


def test_accounts_and_tokens_through_the_api(api: Api, world: World) -> None:
    admin = api("admin")
    made = admin.post(
        "/api/v1/users", json={"username": "erin", "password": "long enough pw", "role": "auditor"}
    )
    assert made.status_code == 201 and made.json()["role"] == "auditor"
    first, _ = accounts.issue_token(world.ctx, "erin", name="first")
    erin = api(None)
    erin.headers["Authorization"] = f"Bearer {first}"
    body = {"name": "ci", "days": 7, "current_password": "long enough pw"}
    issued = erin.post("/api/v1/users/erin/tokens", json=body).json()
    erin.headers["Authorization"] = f"Bearer {issued['token']}"
    assert erin.get("/api/v1/me").json()["username"] == "erin"
    listed = erin.get("/api/v1/users/erin/tokens").json()
    assert [t["name"] for t in listed] == ["first", "ci"] and "token" not in listed[0]
    assert api("alice").get("/api/v1/users/erin/tokens").status_code == 403
    assert erin.post(f"/api/v1/users/erin/tokens/{issued['id']}/revoke").json()["revoked_at"]
    assert erin.get("/api/v1/me").status_code == 401


def test_the_openapi_schema_documents_the_api_only(api: Api) -> None:
    schema = api(None).get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert "/api/v1/projects/{project_id}/findings/{finding_id}/verify" in paths
    assert all(p.startswith("/api/v1/") for p in paths)


def test_facts_and_classification_through_the_api(api: Api, world: World) -> None:
    pid = world.projects["care"]
    alice = api("alice")
    assert alice.get(f"/api/v1/projects/{pid}/facts").json() is None
    missing = alice.get(f"/api/v1/projects/{pid}/classification")
    assert missing.status_code == 404 and "no intake facts" in error_of(missing)["message"]
    facts = {
        "schema": "ethos.facts/1",
        "markets": ["kr"],
        "roles": ["provider"],
        "generative": {"outputs": ["text"]},
    }
    recorded = alice.put(f"/api/v1/projects/{pid}/facts", json=facts).json()
    assert recorded["revision"] == 1 and recorded["unchanged"] is False
    verdict = alice.get(f"/api/v1/projects/{pid}/classification").json()
    assert set(verdict) == {"as_of", "eu_ai_act", "kr_ai_basic_act"}
    assert verdict["kr_ai_basic_act"]["generative"] is True
    bad = alice.put(f"/api/v1/projects/{pid}/facts", json={"markets": "everywhere"})
    assert bad.status_code == 400 and "markets" in error_of(bad)["message"]
    assert api("dave").get(f"/api/v1/projects/{pid}/facts").status_code == 404
    assert api("auditor").put(f"/api/v1/projects/{pid}/facts", json=facts).status_code == 403
