"""The CLI contract other tools rely on: JSON shapes, exit codes, nothing written on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from statistics import fmean
from typing import Any

import pytest

from tests.cli.conftest import Invoke, as_json

ROLES = ("technical", "business", "ethics")


def audit_count(cli: Invoke) -> int:
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    return int(result.stdout.split()[1])


def test_questionnaire_show_contract(cli: Invoke) -> None:
    q = as_json(cli("questionnaire", "show", "--format", "json"))
    assert q["id"] == "ethos-stage1" and q["version"] == 1
    assert len(q["dimensions"]) == 6
    for item in q["items"]:
        assert set(item) >= {"id", "dimension", "text", "roles"}
        assert set(item["text"]) == {"en", "ko"}
        assert set(item["roles"]) <= set(ROLES)


def test_profile_contract_and_numbers(cli: Invoke, project: dict[str, Any]) -> None:
    profile = as_json(cli("profile", str(project["id"]), "--format", "json"))
    assert profile["project"] == project["id"]
    assert profile["project_name"] == "Care bot"
    assert profile["questionnaire_version"] == 1
    items = project["questionnaire"]["items"]
    scores = project["scores"]
    # independent computation: item score = mean over the roles the item is meant for
    for dim in (d["id"] for d in project["questionnaire"]["dimensions"]):
        in_dim = [i for i in items if i["dimension"] == dim]
        expected = fmean(fmean(scores[r] for r in i["roles"]) for i in in_dim)
        got = profile["dimensions"][dim]
        assert got["mean"] == pytest.approx(expected)
        answered = {scores[r] for i in in_dim for r in i["roles"]}
        assert (got["min"], got["max"]) == (min(answered), max(answered))
        for role in {r for i in in_dim for r in i["roles"]}:
            assert got["by_role"][role] == pytest.approx(scores[role])
    # technical 2 vs ethics 4 on the same item is a 2-point gap
    expected_discuss = [i["id"] for i in items if {"technical", "ethics"} <= set(i["roles"])]
    assert profile["discuss"] == expected_discuss
    assert profile["consensus"] == {}
    assert profile["stage1_complete"] is False


def test_consensus_completes_stage1(cli: Invoke, project: dict[str, Any]) -> None:
    pid = str(project["id"])
    for item in as_json(cli("profile", pid, "--format", "json"))["discuss"]:
        result = cli("consensus", pid, "--item", item, "--score", "3", "--note", "agreed in TF")
        assert result.exit_code == 0, result.output
    profile = as_json(cli("profile", pid, "--format", "json"))
    assert profile["stage1_complete"] is True
    assert set(profile["consensus"].values()) == {3}
    assert cli("stage1", "close", pid).exit_code == 0
    assert as_json(cli("profile", pid, "--format", "json"))["stage1_closed"] is True


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        ('{"decision-impact": 7}', "score 7 is outside 1-5"),
        ('{"no-such-item": 3}', "unknown item(s)"),
        ("{not json", "not valid JSON at line 1, column 2"),
    ],
)
def test_bad_answer_files_exit_2_and_write_nothing(
    cli: Invoke, project: dict[str, Any], tmp_path: Path, sheet: str, message: str
) -> None:
    before = audit_count(cli)
    path = tmp_path / "bad.json"
    path.write_text(sheet, encoding="utf-8")
    result = cli("answer", str(project["id"]), "--member", "Kim", "--file", str(path))
    assert result.exit_code == 2
    assert message in result.stderr and str(path) in result.stderr
    assert audit_count(cli) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["answer", "{pid}", "--member", "Nobody", "--file", "{sheet}"],
            "'Nobody' is not on the task force",
        ),
        (["answer", "{pid}", "--member", "Kim", "--file", "/nonexistent/x.yaml"], "cannot be read"),
        (
            ["member", "add", "{pid}", "--name", "Choi", "--role", "lawyer"],
            "--role: 'lawyer' is not one of",
        ),
        (["project", "create", "--name", "X", "--type", "moonshot"], "--type: 'moonshot'"),
        (
            ["consensus", "{pid}", "--item", "decision-impact", "--score", "0", "--note", "n"],
            "outside 1-5",
        ),
        (
            ["consensus", "{pid}", "--item", "bogus", "--score", "3", "--note", "n"],
            "'bogus' is not an item",
        ),
        (["profile", "Missing project"], "project 'Missing project' not found"),
    ],
)
def test_bad_input_exits_2_naming_what(
    cli: Invoke, project: dict[str, Any], tmp_path: Path, args: list[str], message: str
) -> None:
    sheet = tmp_path / "ok.yaml"
    sheet.write_text("decision-impact: 3\n", encoding="utf-8")
    before = audit_count(cli)
    result = cli(*[a.format(pid=project["id"], sheet=sheet) for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert audit_count(cli) == before


def test_interactive_answers_item_by_item(cli: Invoke, project: dict[str, Any]) -> None:
    pid = str(project["id"])
    items = [i for i in project["questionnaire"]["items"] if "business" in i["roles"]]
    # first item: an invalid score, then 5 with a comment; second skipped; the rest 1
    replies = ["9", "5", "customers depend on it", "", *(["1", ""] * (len(items) - 2))]
    result = cli("--lang", "ko", "answer", pid, "--member", "Lee", input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.output
    assert items[0]["text"]["ko"] in result.stdout
    assert f"recorded {len(items) - 1} answer(s)" in result.stdout
    log = as_json(
        cli("audit", "log", "--action", "answers.submitted", "--limit", "1", "--format", "json")
    )
    answers = log[0]["payload"]["answers"]
    assert answers[items[0]["id"]] == {
        "score": 5,
        "comment": "customers depend on it",
        "previous": 3,
    }
    assert items[1]["id"] not in answers


def test_profile_table_and_chart_in_both_languages(
    cli: Invoke, project: dict[str, Any], tmp_path: Path
) -> None:
    pid = str(project["id"])
    en = cli("profile", pid)
    ko = cli("--lang", "ko", "profile", pid)
    assert en.exit_code == ko.exit_code == 0
    assert "Human dignity" in en.stdout and "Stage 1: incomplete" in en.stdout
    assert "인간존중" in ko.stdout and "1단계: 미완료" in ko.stdout
    out = tmp_path / "radar.svg"
    assert cli("profile", pid, "--format", "svg", "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<svg")


def test_audit_verify_exit_codes_after_tampering(
    cli: Invoke, project: dict[str, Any], sqlite_url: str
) -> None:
    import sqlite3

    count = audit_count(cli)
    assert cli("audit", "verify").stdout.strip() == f"ok {count} events"
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_events_no_update")
        conn.execute("UPDATE audit_events SET actor = 'mallory' WHERE seq = 5")
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert result.stdout.startswith("broken at event 5:")
    data = json.loads(cli("audit", "verify", "--format", "json").stdout)
    assert data["ok"] is False and data["broken_at"] == 5


def test_commands_refuse_an_unmigrated_database(tmp_path: Path, cli: Invoke) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    result = cli("project", "list", db=url)
    assert result.exit_code == 2 and "run `ethos db upgrade`" in result.stderr
    assert cli("db", "upgrade", db=url).exit_code == 0
    assert cli("project", "list", "--format", "json", db=url).stdout.strip() == "[]"


def test_the_installed_command_runs_in_a_real_process(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ETHOS_DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
        "ETHOS_ACTOR": "ci",
    }
    ethos = [sys.executable, "-m", "ethos"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*ethos, *args], env=env, capture_output=True, text=True, timeout=120)

    assert run("db", "upgrade").returncode == 0
    created = run(
        "project", "create", "--name", "P", "--type", "basic_research", "--format", "json"
    )
    assert created.returncode == 0 and json.loads(created.stdout) == {"id": 1}
    bad = run("member", "add", "1", "--name", "A", "--role", "chef")
    assert bad.returncode == 2 and "--role" in bad.stderr
    verified = run("audit", "verify")
    assert verified.returncode == 0 and verified.stdout.strip() == "ok 1 events"
