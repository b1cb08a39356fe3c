"""The recognizers file: schema errors name file, recognizer and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ethos.datagov.pii import RecognizerConfigError, detect, load_recognizers
from ethos.datagov.pii.schema import default_recognizers

GOOD_RECOGNIZER = """\
  - type: TICKET
    description: Internal ticket id
    patterns:
      - name: ticket
        regex: 'TCK-{{DIGITS}}'
        score: 0.6
    context: [ticket]
"""


def write(tmp_path: Path, body: str, *, header: str = "version: 1\n") -> Path:
    path = tmp_path / "custom.yaml"
    fragments = "fragments:\n  DIGITS: '[0-9]{4}'\n"
    path.write_text(header + fragments + "recognizers:\n" + body, encoding="utf-8")
    return path


def test_shipped_file_loads_and_compiles() -> None:
    recognizers = default_recognizers()
    assert recognizers.version == 1
    assert {"KR_RRN", "EMAIL", "CREDENTIAL", "KR_PERSON", "PERSON"} <= recognizers.types


def test_custom_file_is_used_by_detect(tmp_path: Path) -> None:
    recognizers = load_recognizers(write(tmp_path, GOOD_RECOGNIZER))
    spans = detect("see TCK-1234 and 010-1234-5678", recognizers=recognizers)
    assert [(s.type, s.start, s.end, s.score) for s in spans] == [("TICKET", 4, 12, 0.6)]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        pytest.param("score: 0.6", "score: 1.6", "patterns.0.score", id="score-above-one"),
        pytest.param("    context: [ticket]", "    validator: nope", "validator", id="validator"),
        pytest.param("TCK-{{DIGITS}}", "TCK-(", "patterns.0.regex", id="bad-regex"),
        pytest.param("{{DIGITS}}", "{{MISSING}}", "patterns.0.regex", id="unknown-fragment"),
        pytest.param("    description: Internal ticket id\n", "", "description", id="missing"),
        pytest.param("    context: [ticket]", "    colour: red", "colour", id="unknown-field"),
        pytest.param("        score: 0.6\n", "", "patterns.0.score", id="missing-score"),
        pytest.param("type: TICKET", "type: ticket id", "type", id="bad-type-name"),
    ],
)
def test_malformed_recognizer_names_file_recognizer_and_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    body = GOOD_RECOGNIZER.replace(old, new)
    with pytest.raises(RecognizerConfigError) as caught:
        load_recognizers(write(tmp_path, body))
    message = str(caught.value)
    assert message.startswith("custom.yaml: recognizer ")
    assert "(#0)" in message
    assert f"field '{field}'" in message


def test_type_name_is_named_when_known(tmp_path: Path) -> None:
    with pytest.raises(RecognizerConfigError, match=re.escape("recognizer TICKET (#0)")):
        load_recognizers(write(tmp_path, GOOD_RECOGNIZER.replace("0.6", "2")))


def test_duplicate_type_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RecognizerConfigError, match=r"TICKET \(#1\): field 'type'"):
        load_recognizers(write(tmp_path, GOOD_RECOGNIZER * 2))


def test_wrong_version_names_the_field(tmp_path: Path) -> None:
    with pytest.raises(
        RecognizerConfigError, match=re.escape("custom.yaml: file: field 'version'")
    ):
        load_recognizers(write(tmp_path, GOOD_RECOGNIZER, header="version: 2\n"))


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nrecognizers: [\n  - oops: [\n", encoding="utf-8")
    with pytest.raises(RecognizerConfigError, match=r"broken\.yaml: invalid YAML at line \d+"):
        load_recognizers(path)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(RecognizerConfigError, match=re.escape("absent.yaml: cannot read")):
        load_recognizers(tmp_path / "absent.yaml")


def test_error_messages_do_not_repeat_file_values(tmp_path: Path) -> None:
    body = GOOD_RECOGNIZER.replace("score: 0.6", "score: secret-value-123")
    with pytest.raises(RecognizerConfigError) as caught:
        load_recognizers(write(tmp_path, body))
    assert "secret-value-123" not in str(caught.value)
