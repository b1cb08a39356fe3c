"""``ethos serve`` hands uvicorn the proxy it is told to trust, and no other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ethos.cli.main import app


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: calls.append(options))
    monkeypatch.setenv("ETHOS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    return calls


def serve(sqlite_url: str, *options: str) -> None:
    result = CliRunner().invoke(app, ["--db", sqlite_url, "serve", *options])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("options", "trusted"),
    [
        ((), None),
        (("--proxy-headers",), "127.0.0.1"),
        (
            ("--proxy-headers", "--forwarded-allow-ips", "10.0.0.5,10.0.1.0/24"),
            "10.0.0.5,10.0.1.0/24",
        ),
        (("--forwarded-allow-ips", "10.0.0.5"), None),  # without --proxy-headers: nobody
    ],
)
def test_the_trusted_proxy_is_configurable(
    served: list[dict[str, Any]], sqlite_url: str, options: tuple[str, ...], trusted: str | None
) -> None:
    serve(sqlite_url, *options)
    [call] = served
    assert call["forwarded_allow_ips"] == trusted
    assert call["proxy_headers"] is ("--proxy-headers" in options)


def test_the_trusted_proxy_can_come_from_the_environment(
    served: list[dict[str, Any]], sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "192.0.2.7")
    serve(sqlite_url, "--proxy-headers")
    assert served[0]["forwarded_allow_ips"] == "192.0.2.7"
