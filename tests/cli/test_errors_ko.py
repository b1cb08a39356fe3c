"""`ethos --lang ko` shows an error's Korean message, with the same exit code as in English."""

from __future__ import annotations

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
