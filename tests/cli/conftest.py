from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ethos.cli.main import app

Invoke = Callable[..., Result]


@pytest.fixture
def cli(sqlite_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, db: str | None = None) -> Result:
        return runner.invoke(
            app, ["--db", db or sqlite_url, "--actor", "tester", *args], input=input
        )

    return invoke


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def project(cli: Invoke, tmp_path: Path) -> dict[str, Any]:
    """A product project with three members who answered every item meant for their role."""
    pid = as_json(
        cli(
            "project",
            "create",
            "--name",
            "Care bot",
            "--type",
            "product_development",
            "--format",
            "json",
        )
    )["id"]
    members = {}
    for name, role in (("Kim", "technical"), ("Lee", "business"), ("Park", "ethics")):
        members[role] = as_json(
            cli("member", "add", str(pid), "--name", name, "--role", role, "--format", "json")
        )["id"]
    q = as_json(cli("questionnaire", "show", "--format", "json"))
    scores = {"technical": 2, "business": 3, "ethics": 4}
    for role, member in members.items():
        sheet = {i["id"]: scores[role] for i in q["items"] if role in i["roles"]}
        path = tmp_path / f"{role}.json"
        path.write_text(json.dumps(sheet), encoding="utf-8")
        result = cli("answer", str(pid), "--member", str(member), "--file", str(path))
        assert result.exit_code == 0, result.output
    return {"id": pid, "members": members, "questionnaire": q, "scores": scores}
