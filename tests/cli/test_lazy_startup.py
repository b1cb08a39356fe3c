"""``ethos`` loads a sub-command's module only when that sub-command runs (or shows its help).

The real-process tests run the command line in a fresh interpreter and then list which of
the heavy packages (SQLAlchemy, Alembic, the store, the services, the web app, the reports)
that process imported.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc
from typer.core import TyperGroup

from ethos.cli.commands import COMMANDS, CommandKind, load_command
from ethos.services import projects
from tests.cli.conftest import Invoke

# What ``ethos --help`` listed, in this order, when main.py still imported every module.
COMMANDS_BEFORE = [
    "answer", "consensus", "profile", "demo", "card", "classify", "stats", "report", "serve",
    "db", "project", "member", "questionnaire", "stage1", "audit", "findings", "scan", "kb",
    "facts", "office", "user", "datasets",
]  # fmt: skip
GROUPS_BEFORE = {
    "db", "project", "member", "questionnaire", "stage1", "audit", "findings", "scan", "kb",
    "facts", "office", "user", "datasets",
}  # fmt: skip
HEAVY = ("sqlalchemy", "alembic", "ethos.store", "ethos.services", "ethos.web", "ethos.reports")

# Runs the CLI in-process with sys.argv set, then writes what it imported to argv[1].
PROBE = """
import json, sys
report = sys.argv[1]
sys.argv = ["ethos", *sys.argv[2:]]
from ethos.cli.main import run
code = 0
try:
    run()
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in sys.modules if m.startswith(HEAVY))
with open(report, "w", encoding="utf-8") as out:
    json.dump({"code": code, "heavy": heavy}, out)
""".replace("HEAVY", repr(HEAVY))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ETHOS_")}
    # A wide terminal, so that help rows are not wrapped.
    return {**env, "ETHOS_HOME": str(tmp_path / "home"), "COLUMNS": "250", **extra}


def _ethos(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ethos", *args],
        env=_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _probe(tmp_path: Path, *args: str) -> dict[str, Any]:
    report = tmp_path / "probe.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *args],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert report.exists(), done.stderr
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    result["stderr"] = done.stderr
    return result


def _help_rows(output: str) -> dict[str, str]:
    """Command name -> its help, from the Commands panel of a rich help screen."""
    panel = output.split("Commands")[1]
    rows = {}
    for line in panel.splitlines():
        found = re.match(r"^│ (\S+)\s+(.*?)\s*│$", line)
        if found:
            rows[found[1]] = found[2]
    return rows


def test_help_lists_every_command_in_the_old_order_with_the_tables_help(tmp_path: Path) -> None:
    done = _ethos(tmp_path, "--help")
    assert done.returncode == 0, done.stderr
    rows = _help_rows(done.stdout)
    assert list(rows) == COMMANDS_BEFORE
    assert rows == {entry.name: entry.help for entry in COMMANDS}


def test_help_imports_no_heavy_module(tmp_path: Path) -> None:
    result = _probe(tmp_path, "--help")
    assert result["code"] == 0, result["stderr"]
    assert result["heavy"] == []


def test_scan_pii_help_imports_no_heavy_module(tmp_path: Path) -> None:
    result = _probe(tmp_path, "scan", "pii", "--help")
    assert result["code"] == 0, result["stderr"]
    assert result["heavy"] == []


def test_a_real_scan_imports_no_heavy_module(tmp_path: Path) -> None:
    small, out = tmp_path / "small.jsonl", tmp_path / "out.jsonl"
    docs = ["call 010-1234-5678", "nothing here", "write to kim@example.com"]
    small.write_text("".join(json.dumps({"text": t}) + "\n" for t in docs), encoding="utf-8")
    result = _probe(tmp_path, "scan", "pii", "--in", str(small), "--out", str(out), "--quiet")
    assert result["code"] == 0, result["stderr"]
    assert result["heavy"] == []
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    assert [bool(line["spans"]) for line in lines] == [True, False, True]


def test_the_probe_sees_the_store_when_a_command_needs_it(tmp_path: Path) -> None:
    """The probe is not blind: a database command does load SQLAlchemy and the store."""
    result = _probe(tmp_path, "db", "--help")
    assert result["code"] == 0, result["stderr"]
    assert "sqlalchemy" in result["heavy"] and "ethos.store.schema" in result["heavy"]
    assert "ethos.cli.scan" not in result["heavy"]


def test_the_table_names_exactly_the_commands_ethos_had() -> None:
    names = [entry.name for entry in COMMANDS]
    assert names == COMMANDS_BEFORE
    assert {e.name for e in COMMANDS if e.kind is CommandKind.GROUP} == GROUPS_BEFORE


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
def test_the_tables_help_is_the_first_paragraph_of_the_real_help(entry: Any) -> None:
    command = load_command(entry)
    assert command.name == entry.name
    assert isinstance(command, TyperGroup) == (entry.kind is CommandKind.GROUP)
    first = inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]
    assert first.strip() == entry.help


def test_project_lists_the_commands_other_modules_add_in_a_fixed_order() -> None:
    project = next(entry for entry in COMMANDS if entry.name == "project")
    findings = next(entry for entry in COMMANDS if entry.name == "findings")
    load_command(findings)  # imports findings.py (and its ``project advance``) first
    group = load_command(project)
    assert isinstance(group, TyperGroup)
    assert list(group.commands) == ["create", "list", "show", "describe", "due", "advance"]


def test_database_commands_work_with_the_default_database(tmp_path: Path) -> None:
    assert _ethos(tmp_path, "db", "upgrade").returncode == 0
    # No --db and no $ETHOS_DATABASE_URL: the file under $ETHOS_HOME, as before.
    assert (tmp_path / "home" / "ethos.sqlite3").is_file()
    created = _ethos(tmp_path, "project", "create", "--name", "P", "--type", "basic_research")
    assert created.returncode == 0, created.stderr
    listed = _ethos(tmp_path, "project", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert [p["name"] for p in json.loads(listed.stdout)] == ["P"]


def test_an_unreachable_database_is_exit_2_with_the_drivers_reason(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    done = _ethos(tmp_path, "--db", f"sqlite:///{folder}", "project", "list")
    assert done.returncode == 2
    assert done.stderr == "error: database: unable to open database file\n"


def test_an_operational_error_maps_to_exit_2(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise sqlalchemy.exc.OperationalError("SELECT", {}, Exception("server gone\ndetail"))

    monkeypatch.setattr(projects, "list_projects", fail)
    result = cli("project", "list")
    assert result.exit_code == 2
    assert result.stderr == "error: database: server gone\n"


def test_other_errors_pass_through_unchanged(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    boom = RuntimeError("boom")

    def fail(*_args: object, **_kwargs: object) -> None:
        raise boom

    monkeypatch.setattr(projects, "list_projects", fail)
    result = cli("project", "list")
    assert result.exit_code == 1
    assert result.exception is boom
