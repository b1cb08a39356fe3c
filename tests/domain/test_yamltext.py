"""safe_load parses with libyaml and gives what yaml.safe_load gives, errors included."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from ethos.domain import yamltext

SRC = Path(__file__).resolve().parents[2] / "src" / "ethos"
SHIPPED = sorted([*SRC.rglob("*.yaml"), *SRC.rglob("*.yml")])

if os.environ.get("CI") == "true":
    assert yaml.__with_libyaml__, "PyYAML was built without libyaml"
elif not yaml.__with_libyaml__:
    pytest.skip("PyYAML without libyaml: safe_load is yaml.safe_load", allow_module_level=True)


def test_the_shipped_content_is_there() -> None:
    assert len(SHIPPED) >= 20
    assert any(path.name == "recognizers.yaml" for path in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: str(path.relative_to(SRC)))
def test_every_shipped_file_loads_as_with_the_pure_parser(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = yaml.load(text, Loader=yaml.SafeLoader)
    assert expected is not None
    assert yamltext.safe_load(text) == expected


TRICKY = [
    "a: 1\nb: [1, 2, {c: d}]\n",
    "key: 2026-11-22\nwhen: 2026-11-22T10:00:00Z\nflag: yes\nnull_value: ~\n",
    "ko: '한국어 문장: 콜론 포함'\nmulti: |\n  첫 줄\n  둘째 줄\n",
    "anchors:\n  base: &b {x: 1}\n  copy: *b\n",
    "octal: 0o17\nold_octal: 017\nfloat: 1e3\nsexagesimal: 1:30\n",
    "",
    "# only a comment\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_values_equal_the_pure_parsers(text: str) -> None:
    assert yamltext.safe_load(text) == yaml.load(text, Loader=yaml.SafeLoader)


BROKEN = [
    "a: [1, 2\n",
    "a: 1\n b: 2\n",
    "key: value\n\tbad: tab\n",
    "- a\nb: c\n",
    "a: *missing\n",
    "x: !!python/object:os.system ls\n",
]


@pytest.mark.parametrize("text", BROKEN)
def test_errors_are_the_pure_parsers(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as expected:
        yaml.load(text, Loader=yaml.SafeLoader)
    with pytest.raises(yaml.YAMLError) as got:
        yamltext.safe_load(text)
    assert type(got.value) is type(expected.value)
    assert str(got.value) == str(expected.value)


def test_without_libyaml_the_pure_parser_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamltext, "_C_LOADER", None)
    assert yamltext.safe_load("a: [1, 2]\n") == {"a": [1, 2]}
    with pytest.raises(yaml.YAMLError, match="while parsing a flow sequence"):
        yamltext.safe_load("a: [1, 2\n")
