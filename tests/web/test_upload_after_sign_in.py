"""Evidence uploads are read only once the person is known (and may change the project).

Driven at the ASGI level, so the body arrives chunk by chunk as from a socket and the test
sees how much of it the app asked for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, MutableMapping
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ethos.services import accounts, findings
from tests.web.conftest import Browser, World

KIB = 1024
BOUNDARY = "ethos-test-boundary"
CHUNKS = 20  # 20 x 64 KiB of file: over the ordinary 256 KiB, within the upload limit


@pytest.fixture
def finding(world: World) -> int:
    found = findings.add_finding(
        world.ctx, world.projects["care"], category="privacy", title="t", severity=3, likelihood=3
    )
    return found.id


def evidence_count(world: World) -> int:
    _, found = findings.list_findings(world.ctx, world.projects["care"])
    return sum(len(f.evidence) for f in found)


def multipart_chunks() -> list[bytes]:
    """A well-formed multipart body with one file, in the pieces a socket would deliver."""
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="e.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return [head, *[b"x" * (64 * KIB)] * CHUNKS, tail]


def send_upload(app: FastAPI, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """POST the upload to ``path``; the status answered and how many chunks were read."""
    body = multipart_chunks()
    pulled = 0
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled >= len(body):
            return {"type": "http.disconnect"}
        pulled += 1
        return {"type": "http.request", "body": body[pulled - 1], "more_body": pulled < len(body)}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            (b"host", b"testserver"),
            *headers,
        ],
        "client": ("203.0.113.5", 4000),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    [start] = [m for m in sent if m["type"] == "http.response.start"]
    return int(start["status"]), pulled


def test_the_test_body_is_read_whole_by_a_signed_in_upload(
    app: FastAPI, world: World, finding: int
) -> None:
    """The check of the check: a permitted upload reads every chunk and attaches the file."""
    token, _ = accounts.issue_token(world.ctx, "alice", name="upload")
    path = f"/api/v1/projects/{world.projects['care']}/findings/{finding}/evidence/file"
    status, pulled = send_upload(app, path, [(b"authorization", f"Bearer {token}".encode())])
    assert (status, pulled) == (201, CHUNKS + 2)
    assert evidence_count(world) == 1


def test_an_anonymous_page_upload_is_sent_to_sign_in_unread(
    app: FastAPI, world: World, finding: int
) -> None:
    path = f"/projects/{world.projects['care']}/findings/{finding}/evidence"
    assert send_upload(app, path, []) == (303, 0)
    assert evidence_count(world) == 0


@pytest.mark.parametrize("authorization", [None, b"Bearer not-a-token", b"Basic YTpi"])
def test_an_api_upload_without_a_valid_token_is_refused_unread(
    app: FastAPI, world: World, finding: int, authorization: bytes | None
) -> None:
    path = f"/api/v1/projects/{world.projects['care']}/findings/{finding}/evidence/file"
    headers = [(b"authorization", authorization)] if authorization else []
    assert send_upload(app, path, headers) == (401, 0)
    assert evidence_count(world) == 0


def test_an_api_upload_by_someone_who_may_not_change_the_project_is_refused_unread(
    app: FastAPI, world: World, finding: int
) -> None:
    token, _ = accounts.issue_token(world.ctx, "dave", name="upload")  # on the other project
    path = f"/api/v1/projects/{world.projects['care']}/findings/{finding}/evidence/file"
    status, pulled = send_upload(app, path, [(b"authorization", f"Bearer {token}".encode())])
    assert status in (403, 404) and pulled == 0
    assert evidence_count(world) == 0


def test_a_signed_in_page_upload_still_needs_the_csrf_token(
    browser: Callable[..., Browser], world: World, finding: int
) -> None:
    alice = browser("alice")
    path = f"/projects/{world.projects['care']}/findings/{finding}/evidence"
    one = {"file": ("a.txt", b"one", "text/plain")}
    refused = alice.client.post(path, data={"note": "n", "csrf_token": "wrong"}, files=one)
    assert refused.status_code == 403
    assert alice.client.post(path, data={"note": "n"}, files=one).status_code == 403
    assert evidence_count(world) == 0
    assert alice.post(path, {"note": "n"}, files=one).status_code == 303
    assert evidence_count(world) == 1


def test_api_upload_fields_are_checked(
    api: Callable[[str | None], TestClient], world: World, finding: int
) -> None:
    client = api("alice")
    path = f"/api/v1/projects/{world.projects['care']}/findings/{finding}/evidence/file"
    no_file = client.post(path, data={"note": "n"}, files={"other": ("a.txt", b"1")})
    assert no_file.status_code == 400 and "'file'" in no_file.json()["error"]["message"]
    long_note = client.post(path, data={"note": "n" * 4001}, files={"file": ("a.txt", b"1")})
    assert long_note.status_code == 400 and "'note'" in long_note.json()["error"]["message"]
    as_text = client.post(path, data={"file": "not a file"}, files={"x": ("a.txt", b"1")})
    assert as_text.status_code == 400
    assert evidence_count(world) == 0
    done = client.post(path, data={"note": "kept"}, files={"file": ("a.txt", b"1")})
    assert done.status_code == 201
    assert evidence_count(world) == 1


def test_the_schema_still_describes_the_upload(app: FastAPI) -> None:
    schema = app.openapi()
    operation = schema["paths"]["/api/v1/projects/{project_id}/findings/{finding_id}/evidence/file"]
    body = operation["post"]["requestBody"]
    assert body["required"] is True
    form = body["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"]
    assert form["properties"]["file"] == {"type": "string", "format": "binary"}
    assert form["properties"]["note"]["maxLength"] == 4000
    assert {p["name"] for p in operation["post"]["parameters"]} == {"project_id", "finding_id"}
