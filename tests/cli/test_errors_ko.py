"""`ethos --lang ko` shows an error's Korean message, with the same exit code as in English."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.conftest import Invoke


def test_an_error_is_shown_in_korean_and_exits_2(cli: Invoke) -> None:
    korean = cli("--lang", "ko", "project", "show", "424242")
    assert korean.exit_code == 2
    assert korean.stderr.strip() == (
        "error: 과제 '424242'을(를) 찾을 수 없습니다(id나 정확한 이름을 지정하세요)"
    )
    english = cli("project", "show", "424242")
    assert english.exit_code == 2
    assert english.stderr.strip() == "error: project '424242' not found (give its id or exact name)"


def test_an_option_error_keeps_the_option_name_in_korean(cli: Invoke) -> None:
    result = cli("--lang", "ko", "project", "create", "--name", " ", "--type", "basic_research")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --name: 비워 둘 수 없습니다"


def test_a_store_error_is_shown_in_korean(cli: Invoke) -> None:
    result = cli("--lang", "ko", "project", "list", db="not a url")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --db: 'not a url'은(는) 데이터베이스 URL이 아닙니다"


# ---------------------------------------------------------------- stage 1


def test_a_bad_answer_sheet_is_reported_in_korean_naming_file_and_item(
    cli: Invoke, project: dict[str, Any], tmp_path: Path
) -> None:
    sheet = tmp_path / "sheet.json"
    sheet.write_text(json.dumps({"X1": 7}), encoding="utf-8")
    args = ("answer", str(project["id"]), "--member", "Kim", "--file", str(sheet))
    korean, english = cli("--lang", "ko", *args), cli(*args)
    assert (korean.exit_code, english.exit_code) == (2, 2)
    assert english.stderr.strip() == f"error: --file {sheet}: item 'X1': score 7 is outside 1-5"
    assert korean.stderr.strip() == (
        f"error: --file {sheet}: 문항 'X1': 점수 7이(가) 1-5 범위를 벗어납니다"
    )


def test_an_unknown_item_is_reported_in_korean_with_the_questionnaire_version(
    cli: Invoke, project: dict[str, Any], tmp_path: Path
) -> None:
    q = project["questionnaire"]
    sheet = tmp_path / "sheet.json"
    sheet.write_text(json.dumps({"NOPE-1": 3}), encoding="utf-8")
    result = cli("--lang", "ko", "answer", str(project["id"]), "--member", "Kim",
                 "--file", str(sheet))  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: --file {sheet}: 설문 {q['id']!r} 버전 {q['version']}에 없는 문항: NOPE-1"
    )


def test_closing_an_incomplete_stage_1_gives_each_reason_in_korean(cli: Invoke) -> None:
    created = cli("project", "create", "--name", "Empty", "--type", "basic_research",
                  "--format", "json")  # fmt: skip
    pid = json.loads(created.stdout)["id"]
    english = cli("stage1", "close", str(pid))
    korean = cli("--lang", "ko", "stage1", "close", str(pid))
    assert (english.exit_code, korean.exit_code) == (2, 2)
    head_en = "error: stage 1 of 'Empty' cannot close: "
    head_ko = "error: 과제 'Empty'의 1단계를 종료할 수 없습니다: "
    assert english.stderr.startswith(head_en) and korean.stderr.startswith(head_ko)
    reasons_en = english.stderr.strip().removeprefix(head_en).split("; ")
    reasons_ko = korean.stderr.strip().removeprefix(head_ko).split("; ")
    # no member at all: every role is missing, and the same roles are named in both
    roles = "technical, business, ethics"
    assert reasons_en[0] == f"no task-force member with role {roles}"
    assert reasons_ko[0] == f"역할이 {roles}인 TF 구성원이 없습니다"
    assert len(reasons_ko) == len(reasons_en)


def test_reopening_an_open_stage_1_and_a_bad_consensus_score_in_korean(
    cli: Invoke, project: dict[str, Any]
) -> None:
    pid = str(project["id"])
    reopen = cli("--lang", "ko", "stage1", "reopen", pid, "--reason", "a second look")
    assert reopen.exit_code == 2
    assert reopen.stderr.strip() == "error: 과제 'Care bot'의 1단계는 종료되지 않았습니다"
    bad = cli("--lang", "ko", "consensus", pid, "--item", "X1", "--score", "9", "--note", "n")
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "error: 문항 'X1'의 --score: 점수 9이(가) 1-5 범위를 벗어납니다"
    empty = cli("--lang", "ko", "consensus", pid, "--item", "X1", "--score", "3", "--note", " ")
    assert empty.stderr.strip() == "error: --note: TF가 이 점수에 어떻게 합의했는지 적어 주세요"
