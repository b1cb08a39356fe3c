"""A scan's errors reach a person in Korean: `ethos --lang ko scan ...` prints the Korean
message with the same facts (paths, fields, line numbers) and exits 2, as in English.

Every value here is FAKE.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ethos.cli.main import app
from ethos.datagov.engine import PiiSpec, ReadOptions, ScanInputError, ScanRequest, run_scan
from ethos.datagov.toxicity import ToxicityConfigError, load_model, load_thresholds
from tests.datagov.engine.conftest import write_jsonl, write_parquet, write_text

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture
def scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("ETHOS_PSEUDONYM_KEY", raising=False)
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'ethos.sqlite3'}"

    def invoke(*args: str, lang: str) -> Result:
        return runner.invoke(app, ["--db", database, "--lang", lang, "scan", *args])

    return invoke


def both(scan: Any, *args: str) -> tuple[str, str]:
    """The error line in Korean and in English; each run must exit 2."""
    korean, english = scan(*args, lang="ko"), scan(*args, lang="en")
    assert (korean.exit_code, english.exit_code) == (2, 2), (korean.output, english.output)
    return korean.stderr.strip(), english.stderr.strip()


def test_a_missing_input_is_reported_in_korean_and_exits_2(scan: Any, tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    out = tmp_path / "out" / "pii.jsonl"
    korean, english = both(scan, "pii", "--in", str(missing), "--out", str(out))
    assert korean == f"error: 입력을 찾을 수 없습니다: {missing}"
    assert english == f"error: input not found: {missing}"
    assert not out.exists()


def test_a_missing_text_column_names_the_file_field_and_columns_in_korean(
    scan: Any, tmp_path: Path
) -> None:
    table = write_parquet(tmp_path / "in" / "t.parquet", [{"id": "a", "body": "FAKE"}])
    out = tmp_path / "out" / "pii.jsonl"
    korean, english = both(
        scan, "pii", "--in", str(table), "--out", str(out), "--text-field", "text"
    )
    assert korean == "error: t.parquet: text 필드 'text'이(가) 없습니다(열: id, body)"
    assert english == "error: t.parquet: no text field 'text' (columns: id, body)"


@pytest.mark.parametrize(
    ("args", "korean", "english"),
    [
        (
            ["toxicity", "--threshold", "1.5"],
            "--threshold는 0보다 크고 1 이하여야 합니다",
            "--threshold must be above 0 and at most 1",
        ),
        (
            ["toxicity", "--action", "mask"],
            "--action과 --filtered OUT.jsonl은 함께 지정해야 합니다",
            "--action and --filtered OUT.jsonl go together",
        ),
        (
            ["pii", "--operator", "mask"],
            "--operator에는 --anonymize OUT.jsonl이 필요합니다",
            "--operator needs --anonymize OUT.jsonl",
        ),
        (
            ["pii", "--dataset", "ds-1"],
            "--in PATH와 --dataset ID 중 하나만 지정하세요",
            "give either --in PATH or --dataset ID",
        ),
    ],
)
def test_bad_options_are_reported_in_korean(
    scan: Any, tmp_path: Path, args: list[str], korean: str, english: str
) -> None:
    corpus = write_jsonl(tmp_path / "in" / "docs.jsonl", [{"text": "FAKE"}])
    out = tmp_path / "out" / "result.jsonl"
    shown = both(scan, *args, "--in", str(corpus), "--out", str(out))
    assert shown == (f"error: {korean}", f"error: {english}")
    assert not out.exists()


def test_unknown_pii_types_keep_the_type_names_in_korean(scan: Any, tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "in" / "docs.jsonl", [{"text": "FAKE"}])
    args = ["pii", "--in", str(corpus), "--out", str(tmp_path / "o.jsonl")]
    korean, english = both(scan, *args, "--types", "EMAIL,NOT_A_TYPE")
    assert korean.startswith("error: --types: 알 수 없는 유형 NOT_A_TYPE. 알려진 유형: ")
    assert english.startswith("error: --types: unknown type(s) NOT_A_TYPE; known: ")
    # the list of known types is the same in both languages
    assert korean.split(": ")[-1] == english.split(": ")[-1]
    assert "EMAIL" in korean.split(": ")[-1].split(", ")


def test_unreadable_result_files_are_reported_in_korean(scan: Any, tmp_path: Path) -> None:
    missing = tmp_path / "none.jsonl"
    assert both(scan, "report", str(missing)) == (
        f"error: 결과 파일을 찾을 수 없습니다: {missing}",
        f"error: result file not found: {missing}",
    )
    assert both(scan, "report", str(tmp_path)) == (
        f"error: {tmp_path}은(는) 결과 파일이 아니라 디렉터리입니다",
        f"error: {tmp_path} is a directory, not a result file",
    )
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "spans": []}\n{not json\n', encoding="utf-8")
    korean, english = both(scan, "report", str(broken))
    assert english.endswith(":2: not valid JSON")
    assert korean == english.replace("not valid JSON", "올바른 JSON이 아닙니다")


# ------------------------------------------------------------ the engine's own checks


def test_every_refused_request_carries_korean_with_the_same_paths(tmp_path: Path) -> None:
    corpus = write_text(tmp_path / "t.txt", ["FAKE"])
    out = tmp_path / "out" / "d.jsonl"
    cases: list[dict[str, Any]] = [
        {"spec": PiiSpec(operator="mask")},
        {"spec": PiiSpec(), "transformed": tmp_path / "a.jsonl"},
        {"spec": PiiSpec(), "workers": 0},
        {"spec": PiiSpec(), "read": ReadOptions(id_field="id")},
        {"spec": PiiSpec(), "rejects": out},
    ]
    requests = [ScanRequest(location=str(corpus), output=out, progress=False, **c) for c in cases]
    requests.append(ScanRequest(str(corpus), corpus, PiiSpec(), progress=False))
    requests.append(ScanRequest(str(tmp_path), tmp_path / "o.jsonl", PiiSpec(), progress=False))
    for request in requests:
        with pytest.raises(ScanInputError) as caught:
            run_scan(request)
        error = caught.value
        korean = error.text("ko")
        assert HANGUL.search(korean) and korean != error.message, error.message
        # names, paths and option names stay as they are
        for fact in re.findall(r"--[a-z-]+|\S*t\.txt|\S*o\.jsonl", error.message):
            assert fact in korean, (fact, korean)
    assert not out.parent.exists()


def test_the_pseudonym_operator_without_a_key_says_so_in_korean() -> None:
    with pytest.raises(ScanInputError) as caught:
        PiiSpec(operator="pseudonym")
    assert caught.value.text("ko") == (
        "pseudonym 연산자에는 키가 필요합니다: --key-file PATH 또는 $ETHOS_PSEUDONYM_KEY"
    )


# ------------------------------------------------------------ toxicity content files


def test_a_broken_thresholds_file_is_reported_in_korean_at_the_same_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "thresholds.yaml"
    path.write_text("version: 1\nlabels: [1, 2\n", encoding="utf-8")
    with pytest.raises(ToxicityConfigError) as caught:
        load_thresholds(path)
    error = caught.value
    ((line, column),) = re.findall(r"invalid YAML at line (\d+), column (\d+)", error.message)
    # The list opened on line 2 is not closed: the message points back to its bracket.
    assert error.message.endswith(
        "(while parsing a flow sequence, which starts at line 2, column 9)"
    )
    assert error.text("ko") == (
        f"thresholds.yaml: 올바른 YAML이 아닙니다({line}번째 줄, {column}번째 열): "
        "expected ',' or ']', but got '<stream end>' "
        "(2번째 줄 9번째 열에서 시작한 부분: while parsing a flow sequence)"
    )


def test_a_damaged_model_file_names_the_line_in_korean(tmp_path: Path) -> None:
    path = tmp_path / "model.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("not-a-model\t{}\n")
    with pytest.raises(ToxicityConfigError) as caught:
        load_model(path)
    error = caught.value
    assert error.message.startswith("model.tsv.gz: line 1: not a toxicity model file")
    assert error.text("ko").startswith("model.tsv.gz: 1번째 줄: 유해성 모델 파일이 아닙니다")
