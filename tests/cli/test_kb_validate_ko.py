"""``ethos --lang ko kb validate`` prints the content's problems in Korean."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ethos.cli.app import EXIT_BAD_INPUT
from tests.cli.conftest import Invoke

KNOWLEDGE = Path(__file__).resolve().parents[2] / "src" / "ethos" / "knowledge"


def _broken_copy(tmp_path: Path, folder: str, old: str, new: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(KNOWLEDGE / folder, content / folder)
    changed = 0
    for path in (content / folder).glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new), encoding="utf-8")
        changed += old in text
    assert changed == 1, "the edit must change exactly one file of the copy"
    return content


def test_a_legal_policy_problem_is_printed_in_korean(cli: Invoke, tmp_path: Path) -> None:
    content = _broken_copy(
        tmp_path,
        "catalogues",
        "kr-ai-basic-act: kr-ai-basic-act:art-33",
        "kr-ai-basic-act: kr-ai-basic-act:art-99",
    )
    path = content / "catalogues" / "legal-findings.yaml"
    korean = cli("--lang", "ko", "--content", str(content), "kb", "validate")
    assert korean.exit_code == EXIT_BAD_INPUT
    assert (
        f"{path}: incomplete.clause.kr-ai-basic-act: kr-ai-basic-act에 노드 "
        "'kr-ai-basic-act:art-99'이(가) 없습니다"
    ) in korean.output
    assert "error: 지식 베이스에 문제가 1건 있습니다" in korean.output
    assert "no node" not in korean.output
    english = cli("--content", str(content), "kb", "validate")
    assert english.exit_code == EXIT_BAD_INPUT
    assert (
        f"{path}: incomplete.clause.kr-ai-basic-act: no node 'kr-ai-basic-act:art-99' "
        "in kr-ai-basic-act"
    ) in english.output


def test_a_rule_condition_problem_is_printed_in_korean(cli: Invoke, tmp_path: Path) -> None:
    content = _broken_copy(
        tmp_path,
        "classification",
        "eq: [facts.practices.social_scoring, true]",
        "eq: [facts.practices social_scoring, true]",
    )
    korean = cli("--lang", "ko", "--content", str(content), "kb", "validate")
    assert korean.exit_code == EXIT_BAD_INPUT
    assert (
        "when.eq: 사실 경로(점으로 이은 이름)가 와야 하는데 "
        "'facts.practices social_scoring'이(가) 왔습니다"
    ) in korean.output
    assert "is expected" not in korean.output and "Value error" not in korean.output


def test_the_json_problems_follow_the_language(cli: Invoke, tmp_path: Path) -> None:
    content = _broken_copy(
        tmp_path,
        "catalogues",
        "eu-ai-act: eu-ai-act:art-6",
        "eu-ai-act: eu-ai-act:art-6.99",
    )
    result = cli("--lang", "ko", "--content", str(content), "kb", "validate", "--format", "json")
    assert result.exit_code == EXIT_BAD_INPUT
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert data["problems"] == [
        f"{content / 'catalogues' / 'legal-findings.yaml'}: incomplete.clause.eu-ai-act: "
        "eu-ai-act에 노드 'eu-ai-act:art-6.99'이(가) 없습니다"
    ]


def test_a_valid_knowledge_base_is_reported_in_korean(cli: Invoke) -> None:
    korean = cli("--lang", "ko", "kb", "validate")
    assert korean.exit_code == 0, korean.output
    assert korean.output.strip() == "지식 베이스에 문제가 없습니다"
    english = cli("kb", "validate")
    assert english.output.strip() == "knowledge base valid"


def test_a_node_is_shown_with_korean_labels(cli: Invoke) -> None:
    korean = cli("--lang", "ko", "kb", "show", "eu-ai-act:art-50")
    assert korean.exit_code == 0, korean.output
    lines = korean.output.splitlines()
    assert "  역할: provider, deployer" in lines
    assert any(line.startswith("  적용 시작 2026-08-02 (") for line in lines)
    assert "  실천 항목 item:ai-disclosure: intersects eu-ai-act:art-50.1" in lines
    assert not any(word in korean.output for word in ("roles:", "applies from", "practice "))
    english = cli("kb", "show", "eu-ai-act:art-50").output.splitlines()
    assert "  roles: provider, deployer" in english
    assert "  practice item:ai-disclosure: intersects eu-ai-act:art-50.1" in english
