"""Request size limits: a body over its limit is answered 413 before it is read whole, and
nothing is written; forms are parsed within limits; the CSRF header spares the parsing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ethos.services import audit, findings, projects
from ethos.web.app import create_app
from ethos.web.settings import MAX_BODY_BYTES, WebSettings
from tests.web.conftest import Browser, World

Api = Callable[[str | None], TestClient]
KIB = 1024
PADDING = "p" * (300 * KIB)  # over the 256 KiB of an ordinary request


def evidence_of(world: World, finding: int) -> list[Any]:
    _, found = findings.list_findings(world.ctx, world.projects["care"])
    return [e for f in found if f.id == finding for e in f.evidence]


def trail(world: World) -> int:
    return len(audit.audit_log(world.ctx, limit=100_000))


def names(world: World) -> list[str]:
    return sorted(p.name for p in projects.list_projects(world.ctx))


def chunks(size: int, count: int) -> Iterator[bytes]:
    """A body sent without ``Content-Length`` (``Transfer-Encoding: chunked``)."""
    for _ in range(count):
        yield b"x" * size


@pytest.fixture
def finding(world: World) -> int:
    care = world.projects["care"]
    found = findings.add_finding(
        world.ctx, care, category="privacy", title="t", severity=3, likelihood=3
    )
    return found.id


def test_the_default_limit_is_256_kib() -> None:
    assert MAX_BODY_BYTES == 256 * KIB
    settings = WebSettings(database_url="sqlite://", data_dir=Path("unused"))
    assert settings.max_body_bytes == 256 * KIB and settings.max_upload_bytes is None


def test_a_300_kib_form_is_refused_with_413_and_nothing_is_written(
    browser: Callable[..., Browser], world: World
) -> None:
    admin = browser("admin")
    before, known = trail(world), names(world)
    form = {"name": "Padded", "type": "basic_research", "padding": PADDING}
    refused = admin.post("/projects", form)
    assert refused.status_code == 413
    assert 'data-status="413"' in refused.text and "256 KiB" in refused.text
    assert refused.headers["content-security-policy"].startswith("default-src 'self'")
    assert names(world) == known and trail(world) == before
    # The same form without the padding is accepted: the size was the only problem.
    del form["padding"]
    assert admin.post("/projects", form).status_code == 303
    assert names(world) == sorted([*known, "Padded"])


def test_the_413_page_is_in_the_persons_language(browser: Callable[..., Browser]) -> None:
    admin = browser("admin")
    admin.get("/lang/ko?next=/")
    refused = admin.post("/projects", {"name": "x", "type": "basic_research", "pad": PADDING})
    assert refused.status_code == 413
    assert "요청이 너무 큽니다" in refused.text and "256 KiB" in refused.text


def test_a_large_json_body_gets_a_json_413(api: Api, world: World) -> None:
    admin = api("admin")
    before, known = trail(world), names(world)
    body = {"name": "Padded", "type": "basic_research", "description": PADDING}
    refused = admin.post("/api/v1/projects", json=body)
    assert refused.status_code == 413
    assert refused.json()["error"]["type"] == "too_large"
    assert str(256 * KIB) in refused.json()["error"]["message"]
    assert names(world) == known and trail(world) == before


def test_a_declared_length_over_the_limit_is_refused_unread(api: Api) -> None:
    # Anonymous, and the header alone decides: the body sent is small.
    refused = api(None).post(
        "/api/v1/projects",
        content=b"{}",
        headers={"content-type": "application/json", "content-length": str(10 * 1024 * KIB)},
    )
    assert refused.status_code == 413
    assert refused.json()["error"]["type"] == "too_large"


def test_a_chunked_body_over_the_limit_gets_413(api: Api, world: World) -> None:
    client = api("admin")
    before = trail(world)
    refused = client.post(
        "/api/v1/projects",
        content=chunks(64 * KIB, 8),
        headers={"content-type": "application/json"},
    )
    assert refused.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in refused.request.headers
    assert refused.status_code == 413 and refused.json()["error"]["type"] == "too_large"
    assert trail(world) == before
    small = client.post(
        "/api/v1/projects",
        content=iter([b'{"name": "Chunked", ', b'"type": "basic_research"}']),
        headers={"content-type": "application/json"},
    )
    assert small.status_code == 201


def test_a_streamed_body_is_abandoned_once_it_passes_the_limit(app: FastAPI) -> None:
    """Driven at the ASGI level, so the chunks arrive one by one as from a socket."""
    pulled = 0
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        if pulled > 50:
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": b"a=" + b"x" * (64 * KIB - 2), "more_body": True}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/projects",
        "raw_path": b"/projects",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/x-www-form-urlencoded")],
        "client": ("203.0.113.5", 4000),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    [start] = [m for m in sent if m["type"] == "http.response.start"]
    assert start["status"] == 413
    assert pulled == 5  # 4 x 64 KiB fit in 256 KiB; the 5th passes it and is the last read


def test_evidence_uploads_may_be_larger_up_to_their_own_limit(world: World, finding: int) -> None:
    settings = WebSettings(
        database_url=world.url,
        data_dir=world.data_dir,
        evidence_dir=world.data_dir / "evidence",
        secret_key="test-secret-key-" + "x" * 32,
        max_upload_bytes=1024 * KIB,
    )
    app = create_app(settings)
    care = world.projects["care"]
    b = Browser(app)
    assert b.login("alice").status_code == 303
    url = f"/projects/{care}/findings/{finding}/evidence"
    text = ("evidence line\n" * 40_000).encode()  # 560,000 bytes: over 256 KiB, under 1 MiB
    upload = b.post(url, {"note": "big"}, files={"file": ("e.txt", text, "text/plain")})
    assert upload.status_code == 303
    [attached] = evidence_of(world, finding)
    assert attached.note == "big"
    before = trail(world)
    huge = b.post(url, {"note": "huge"}, files={"file": ("h.txt", text * 2, "text/plain")})
    assert huge.status_code == 413
    assert len(evidence_of(world, finding)) == 1
    assert trail(world) == before
    # Any other route keeps the ordinary limit.
    assert b.post("/projects", {"name": "x", "pad": PADDING}).status_code == 413


def test_the_upload_limit_follows_the_evidence_policy(app: FastAPI, world: World) -> None:
    from ethos.web.app import RequestSizeLimit

    limiter = app.middleware_stack or app.build_middleware_stack()
    while not isinstance(limiter, RequestSizeLimit):
        limiter = limiter.app  # type: ignore[attr-defined]
    policy = world.ctx.evidence_policy().max_bytes
    care, api_path = world.projects["care"], "/api/v1/projects/{p}/findings/{f}/evidence/file"
    upload = {"type": "http", "method": "POST", "path": f"/projects/{care}/findings/3/evidence"}
    assert limiter.limit_of(upload) == policy + 1024 * KIB
    api_upload = {**upload, "path": api_path.format(p=care, f=3)}
    assert limiter.limit_of(api_upload) == policy + 1024 * KIB
    for path in (
        f"/projects/{care}/findings/3/plan",
        f"/api/v1/projects/{care}/findings/3/evidence",
    ):
        assert limiter.limit_of({**upload, "path": path}) == 256 * KIB
    assert limiter.limit_of({**upload, "method": "PUT"}) == 256 * KIB


def test_a_form_with_two_files_or_a_long_extra_field_is_refused(
    world: World, finding: int, browser: Callable[..., Browser]
) -> None:
    care = world.projects["care"]
    alice = browser("alice")
    url = f"/projects/{care}/findings/{finding}/evidence"
    two = [("file", ("a.txt", b"one", "text/plain")), ("file", ("b.txt", b"two", "text/plain"))]
    assert alice.post(url, {"note": "two"}, files=two).status_code == 400
    long_field = {"note": "long", "extra": "y" * (300 * KIB)}  # fits the upload limit, not a field
    one = {"file": ("a.txt", b"one", "text/plain")}
    assert alice.post(url, long_field, files=one).status_code == 400
    assert evidence_of(world, finding) == []
    assert alice.post(url, {"note": "fine"}, files=one).status_code == 303


def test_the_csrf_header_is_checked_without_parsing_the_form(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser("alice")
    broken = {"content-type": "multipart/form-data; boundary=zz", "x-csrf-token": b.csrf}
    out = b.client.post("/logout", content=b"not multipart at all", headers=broken)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert b.get("/").status_code == 303  # signed out
    # A wrong header is refused even when the form carries the right token.
    b = browser("alice")
    wrong = b.client.post(
        "/logout", data={"csrf_token": b.csrf}, headers={"x-csrf-token": "not the token"}
    )
    assert wrong.status_code == 403
    assert b.get("/").status_code == 200  # still signed in
