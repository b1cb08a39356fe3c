"""YAML errors name the position, PyYAML's problem and where the unfinished part began."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ethos.cli.files import read_data_file
from ethos.domain.errors import ContentError, InvalidInputError
from ethos.domain.yamltext import describe_yaml_error
from ethos.knowledge.loading import read_yaml


def problem_of(text: str) -> yaml.YAMLError:
    with pytest.raises(yaml.YAMLError) as caught:
        yaml.safe_load(text)
    return caught.value


@pytest.mark.parametrize(
    ("text", "where", "start"),
    [
        # An unclosed list: the parser gives up at the next key; the bracket is on line 1.
        ("ids: [a, b\nversion: 2\n", (2, 8), (1, 6)),
        # An unclosed quote runs to the end of the text.
        ('title: "안녕\nnext: 1\n', (3, 1), (1, 8)),
        # An item at the wrong indent inside a block sequence.
        ("a:\n  - 1\n  b: 2\n", (3, 3), (2, 3)),
    ],
)
def test_position_and_start_are_one_based_lines_and_columns(
    text: str, where: tuple[int, int], start: tuple[int, int]
) -> None:
    exc = problem_of(text)
    found = describe_yaml_error(exc)
    assert (found.line, found.column) == where
    assert (found.context_line, found.context_column) == start
    # The same positions, independently: PyYAML's marks are 0-based.
    assert exc.problem_mark is not None and exc.context_mark is not None  # type: ignore[attr-defined]
    assert where == (exc.problem_mark.line + 1, exc.problem_mark.column + 1)  # type: ignore[attr-defined]
    # The line named is really where the opening character is.
    line, column = start
    assert text.splitlines()[line - 1][column - 1] in '["-'


def test_no_context_when_the_problem_is_where_it_starts() -> None:
    found = describe_yaml_error(problem_of("a: b: c\n"))
    assert found.context == ""
    assert found.detail() == "mapping values are not allowed here"
    assert found.where() == " at line 1, column 5" and found.where("ko") == "(1번째 줄, 5번째 열)"


def test_content_files_and_command_files_report_it_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "checks.yaml"
    path.write_text("checks: [\n  a, b\nversion: 2\n", encoding="utf-8")
    with pytest.raises(ContentError) as content:
        read_yaml(path)
    assert content.value.message == (
        f"{path}: not valid YAML at line 3, column 8: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence, which starts at line 1, column 9)"
    )
    assert content.value.text("ko") == (
        f"{path}: 올바른 YAML이 아닙니다(3번째 줄, 8번째 열): expected ',' or ']', but got ':' "
        "(1번째 줄 9번째 열에서 시작한 부분: while parsing a flow sequence)"
    )
    with pytest.raises(InvalidInputError) as given:
        read_data_file(path)
    assert given.value.message.startswith(
        f"--file {path}: not valid JSON or YAML at line 3, column 8"
    )
    broken_json = tmp_path / "answers.json"
    broken_json.write_text('{"a": 1,\n "b": }\n', encoding="utf-8")
    with pytest.raises(InvalidInputError) as json_error:
        read_data_file(broken_json, option="--answers")
    assert json_error.value.message == (
        f"--answers {broken_json}: not valid JSON at line 2, column 7: Expecting value"
    )
    assert "(2번째 줄, 7번째 열)" in json_error.value.text("ko")
