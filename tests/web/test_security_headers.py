"""Headers on every answer (an unexpected error's 500 too), no Swagger page, the source of a
refused token, and the secret key's length."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ethos.domain.errors import InvalidInputError
from ethos.services import audit
from ethos.web.app import create_app
from ethos.web.settings import WebSettings
from tests.web.conftest import PASSWORD, Browser, World

HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "same-origin",
}


def assert_security_headers(response: Any) -> None:
    for name, value in HEADERS.items():
        assert response.headers[name] == value, name
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'self'" in policy


@pytest.fixture
def failing(app: FastAPI) -> FastAPI:
    """The app with two routes that fail unexpectedly (only in this test app)."""

    @app.get("/api/v1/test-unexpected")
    def api_failure() -> None:
        raise RuntimeError("/srv/secret/path: boom")

    @app.get("/test-unexpected")
    def page_failure() -> None:
        raise RuntimeError("/srv/secret/path: boom")

    return app


@pytest.mark.parametrize("base_url", ["http://testserver", "https://ethos.example"])
def test_an_unexpected_error_answers_500_with_every_security_header(
    failing: FastAPI, base_url: str
) -> None:
    client = TestClient(failing, base_url=base_url, raise_server_exceptions=False)
    api = client.get("/api/v1/test-unexpected")
    assert api.status_code == 500
    assert api.json()["error"]["type"] == "internal"
    page = client.get("/test-unexpected")
    assert page.status_code == 500 and 'data-status="500"' in page.text
    for response in (api, page):
        assert "/srv/secret" not in response.text
        assert_security_headers(response)
        hsts = response.headers.get("strict-transport-security")
        assert (hsts is not None) is base_url.startswith("https:")


def test_ordinary_answers_keep_their_headers(app: FastAPI, browser: Callable[..., Browser]) -> None:
    client = TestClient(app, follow_redirects=False)
    for response in (
        client.get("/login"),
        client.get("/static/ethos.css"),
        client.get("/api/v1/me"),
        client.get("/no-such-page"),
        browser("alice").get("/"),
    ):
        assert_security_headers(response)
        assert "strict-transport-security" not in response.headers


def test_the_swagger_page_is_gone_and_the_schema_stays(app: FastAPI) -> None:
    client = TestClient(app)
    for gone in ("/api/docs", "/api/redoc", "/docs", "/redoc"):
        assert client.get(gone).status_code == 404, gone
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Ethos"
    assert "/api/v1/me" in schema.json()["paths"]


def test_serve_points_to_the_schema(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str, tmp_path: Path
) -> None:
    import uvicorn

    from ethos.cli.main import app as cli

    monkeypatch.setattr(uvicorn, "run", lambda target, **options: None)
    monkeypatch.setenv("ETHOS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ETHOS_MAX_BODY_BYTES", "1048576")
    result = CliRunner().invoke(cli, ["--db", sqlite_url, "serve"])
    assert result.exit_code == 0, result.output
    assert "/api/openapi.json" in result.output and "/api/docs" not in result.output


def refusals(world: World) -> list[audit.AuditEvent]:
    return audit.audit_log(world.ctx, limit=100_000, action="auth.token_refused")


def test_a_refused_token_is_recorded_once_per_source_address(app: FastAPI, world: World) -> None:
    junk = {"Authorization": "Bearer ethos_not-a-token"}
    first = TestClient(app, client=("203.0.113.7", 50000))
    second = TestClient(app, client=("198.51.100.4", 50000))
    for client in (first, first, second, second, first):
        assert client.get("/api/v1/me", headers=junk).status_code == 401
    events = refusals(world)
    assert len(events) == 2  # one per address: the address reached the service
    for event in events:  # and, as for sign-ins, it is not kept in the permanent trail
        assert "203.0.113.7" not in str(event.payload_data())
        assert "198.51.100.4" not in str(event.payload_data())


@pytest.mark.parametrize(
    ("where", "named"),
    [("settings", "the secret_key setting"), ("environment", "ETHOS_SECRET_KEY")],
)
def test_the_app_refuses_a_short_secret_naming_where_it_came_from(
    world: World, monkeypatch: pytest.MonkeyPatch, where: str, named: str
) -> None:
    short = "k" * 31
    monkeypatch.setenv("ETHOS_SECRET_KEY", short)
    settings = WebSettings(
        database_url=world.url,
        data_dir=world.data_dir,
        secret_key=short if where == "settings" else None,
    )
    with pytest.raises(InvalidInputError, match="too short") as refused:
        create_app(settings)
    assert named in refused.value.message and short not in refused.value.message


@pytest.mark.parametrize(
    ("variable", "value"),
    [("ETHOS_MAX_BODY_BYTES", "lots"), ("ETHOS_MAX_UPLOAD_BYTES", "0")],
)
def test_a_bad_size_limit_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidInputError, match=variable):
        WebSettings.from_env("sqlite://")


def test_size_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ETHOS_MAX_BODY_BYTES", "1048576")
    monkeypatch.setenv("ETHOS_MAX_UPLOAD_BYTES", "5242880")
    settings = WebSettings.from_env("sqlite://")
    assert (settings.max_body_bytes, settings.max_upload_bytes) == (1 << 20, 5 << 20)


def test_api_answers_to_a_token_are_not_cached(
    api: Callable[[str | None], TestClient], world: World
) -> None:
    alice = api("alice")
    made = alice.post(
        "/api/v1/users/alice/tokens",
        json={"name": "laptop", "days": 30, "current_password": PASSWORD},
    )
    assert made.status_code == 201 and made.json()["token"].startswith("ethos_")
    assert made.headers["cache-control"] == "no-store"
    assert alice.get("/api/v1/me").headers["cache-control"] == "no-store"
    card = alice.get(f"/api/v1/projects/{world.projects['care']}/card.md")
    assert card.status_code == 200 and card.headers["cache-control"] == "no-store"
    assert "cache-control" not in api(None).get("/api/openapi.json").headers
