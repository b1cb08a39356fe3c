"""The content check (``validate_content``) tells a Korean reader every problem in Korean."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ethos.knowledge.content import ContentRoots, validate_content

KNOWLEDGE = Path(__file__).resolve().parents[2] / "src" / "ethos" / "knowledge"
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _copy(tmp_path: Path, folder: str) -> tuple[ContentRoots, Path]:
    """A content folder with its own copy of ``folder``; the rest is the shipped content."""
    base = tmp_path / "content"
    shutil.copytree(KNOWLEDGE / folder, base / folder)
    return ContentRoots.at(base), base / folder


def _edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _both(roots: ContentRoots) -> tuple[list[str], list[str]]:
    english, korean = validate_content(roots), validate_content(roots, lang="ko")
    assert english and korean, "the broken copy must have problems"
    return english, korean


def _set(key: str, value: Any) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        data["incomplete"]["clause"][key] = value

    return change


# ---------------------------------------------------------------- the legal-finding policy


def test_a_clause_naming_no_node_is_told_in_korean(tmp_path: Path) -> None:
    roots, folder = _copy(tmp_path, "catalogues")
    path = folder / "legal-findings.yaml"
    _edit_yaml(path, _set("kr-ai-basic-act", "kr-ai-basic-act:art-99"))
    english, korean = _both(roots)
    assert english == [
        f"{path}: incomplete.clause.kr-ai-basic-act: no node 'kr-ai-basic-act:art-99' "
        "in kr-ai-basic-act"
    ]
    assert korean == [
        f"{path}: incomplete.clause.kr-ai-basic-act: kr-ai-basic-act에 노드 "
        "'kr-ai-basic-act:art-99'이(가) 없습니다"
    ]


def test_a_law_without_rules_is_told_in_korean(tmp_path: Path) -> None:
    roots, folder = _copy(tmp_path, "catalogues")
    path = folder / "legal-findings.yaml"
    _edit_yaml(path, _set("gdpr", "gdpr:art-5"))
    english, korean = _both(roots)
    assert english == [
        f"{path}: incomplete.clause: 'gdpr' is not one of eu-ai-act, kr-ai-basic-act"
    ]
    assert korean == [
        f"{path}: incomplete.clause: 'gdpr'은(는) eu-ai-act, kr-ai-basic-act 중 하나가 아닙니다"
    ]


def test_a_schema_problem_in_the_policy_is_told_in_korean(tmp_path: Path) -> None:
    roots, folder = _copy(tmp_path, "catalogues")
    path = folder / "legal-findings.yaml"

    def change(data: Any) -> None:
        data["version"] = 0
        del data["severity"]["default"]

    _edit_yaml(path, change)
    english, korean = _both(roots)
    # English: pydantic's own report, line by line, as before
    assert f"{path}: version" in english
    assert any("greater than or equal to 1" in line for line in english)
    # Korean: each problem on one line naming the file and the field
    assert f"{path}: 필드 version: 1 이상이어야 합니다" in korean
    assert all(line.startswith(f"{path}: ") and _HANGUL.search(line) for line in korean)
    assert not any("Input should" in line for line in korean)


def test_a_yaml_syntax_error_in_the_policy_is_told_in_korean(tmp_path: Path) -> None:
    roots, folder = _copy(tmp_path, "catalogues")
    path = folder / "legal-findings.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line.startswith("version:"))
    lines[broken] = "version: [1"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    english, korean = _both(roots)
    assert english[0].startswith(f"{path}: ") and "expected ',' or ']'" in " ".join(english)
    (line,) = korean
    assert line.startswith(f"{path}: 올바른 YAML이 아닙니다(")
    # the parser's position, one-based, as the English report gives it
    row, column = re.findall(r"line (\d+), column (\d+)", " ".join(english))[-1]
    assert f"({row}번째 줄, {column}번째 열)" in line


# ---------------------------------------------------------------- the other checks


def test_a_risk_citing_no_framework_node_is_told_in_korean(tmp_path: Path) -> None:
    roots, folder = _copy(tmp_path, "catalogues")
    risks = folder / "risks" / "v1.yaml"
    cited: dict[str, str] = {}

    def change(data: Any) -> None:
        entry = data["entries"][0]
        entry["frameworks"] = ["eu-ai-act:art-999"]
        cited["id"] = entry["id"]

    _edit_yaml(risks, change)
    english, korean = _both(roots)
    risk = cited["id"]
    assert english == [f"{folder}: risk {risk!r}: no framework node 'eu-ai-act:art-999'"]
    assert korean == [
        f"{folder}: 위험 {risk!r}: 프레임워크 노드 'eu-ai-act:art-999'이(가) 없습니다"
    ]


def test_a_malformed_rule_condition_is_told_in_korean(tmp_path: Path) -> None:
    roots, folder = _copy(tmp_path, "classification")
    path = folder / "eu-ai-act.yaml"
    _edit_yaml(path, lambda data: data["rules"][1].update(when={"python": "os.system('x')"}))
    english, korean = _both(roots)
    (line_en,) = [line for line in english if "'python'" in line]
    (line_ko,) = [line for line in korean if "'python'" in line]
    assert line_en.startswith(f"{path}: ")
    assert "when: unknown operator 'python' (allowed: all, any, not," in line_en
    assert "Value error" not in line_en
    assert line_ko.startswith(f"{path}: ")
    assert "when: 알 수 없는 연산자 'python'(쓸 수 있는 연산자: all, any, not," in line_ko
    assert "unknown operator" not in line_ko


def test_the_shipped_content_has_no_problems_in_korean_either() -> None:
    assert validate_content(ContentRoots.at(None), lang="ko") == []
