"""``ethos scan``: the contract of pii, report, and its errors. Every value here is FAKE."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ethos.cli.main import app
from ethos.datagov.pii import anonymize, detect
from tests.datagov.engine.conftest import eval_documents, read_jsonl, write_bytes, write_jsonl

KEY = "cli-test-pseudonym-key-0123"


@pytest.fixture
def scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("ETHOS_PSEUDONYM_KEY", raising=False)
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'ethos.sqlite3'}"

    def invoke(*args: str, lang: str = "en", env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, ["--db", database, "--lang", lang, "scan", *args], env=env)

    return invoke


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    documents = eval_documents(150)
    return write_jsonl(tmp_path / "in" / "docs.jsonl", documents), documents


def test_pii_writes_one_line_per_document_with_spans(
    scan: Any, corpus: Any, tmp_path: Path
) -> None:
    path, documents = corpus
    out = tmp_path / "out" / "pii.jsonl"
    result = scan("pii", "--in", str(path), "--out", str(out), "--id-field", "id", "--workers", "2",
                  "--shard-mb", "0.01")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = read_jsonl(out)
    assert [line["id"] for line in lines] == [d["id"] for d in documents]
    for line, document in zip(lines, documents, strict=True):
        assert set(line) == {"id", "spans"}
        for span in line["spans"]:
            assert set(span) == {"type", "start", "end", "score"}
        assert line["spans"] == [
            {"type": s.type, "start": s.start, "end": s.end, "score": s.score}
            for s in detect(document["text"])
        ]
    assert result.stdout == ""
    assert "scanned 150 documents" in result.stderr
    flagged = sum(1 for line in lines if line["spans"])
    assert f"{flagged} with findings" in result.stderr
    for document in documents:  # no detected value reaches the summary
        for span in document["spans"]:
            assert document["text"][span["start"] : span["end"]] not in result.stderr


@pytest.mark.parametrize("operator", ["placeholder", "mask", "pseudonym", "drop"])
def test_anonymisation_operators(scan: Any, corpus: Any, tmp_path: Path, operator: str) -> None:
    path, documents = corpus
    out, anonymised = tmp_path / "d.jsonl", tmp_path / "anon.jsonl"
    result = scan(
        "pii", "--in", str(path), "--out", str(out), "--anonymize", str(anonymised),
        "--operator", operator, env={"ETHOS_PSEUDONYM_KEY": KEY},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = []
    for document in documents:
        done = anonymize(
            document["text"], detect(document["text"]), operator=operator, key=KEY.encode()
        )
        if not done.dropped:
            expected.append({**document, "text": done.text})
    assert read_jsonl(anonymised) == expected
    assert len(read_jsonl(out)) == len(documents)  # dropped documents keep their detections
    if operator == "drop":
        assert len(expected) < len(documents)
        assert f"{len(documents) - len(expected)} documents left out" in result.stderr
    assert KEY not in result.output
    assert KEY.encode() not in anonymised.read_bytes() + out.read_bytes()


def test_pseudonym_key_from_a_file_equals_the_environment(
    scan: Any, corpus: Any, tmp_path: Path
) -> None:
    path, _ = corpus
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n")
    args = ["pii", "--in", str(path), "--out", str(tmp_path / "d.jsonl"), "--operator", "pseudonym"]
    by_file = scan(*args, "--anonymize", str(tmp_path / "a1.jsonl"), "--key-file", str(key_file))
    by_env = scan(
        *args, "--anonymize", str(tmp_path / "a2.jsonl"), env={"ETHOS_PSEUDONYM_KEY": KEY}
    )
    assert by_file.exit_code == by_env.exit_code == 0, by_file.output + by_env.output
    assert (tmp_path / "a1.jsonl").read_bytes() == (tmp_path / "a2.jsonl").read_bytes()
    other = scan(*args, "--anonymize", str(tmp_path / "a3.jsonl"),
                 env={"ETHOS_PSEUDONYM_KEY": KEY + "-other"})  # fmt: skip
    assert other.exit_code == 0
    assert (tmp_path / "a3.jsonl").read_bytes() != (tmp_path / "a1.jsonl").read_bytes()


@pytest.mark.parametrize(
    ("extra", "env", "message"),
    [
        (["--operator", "pseudonym", "--anonymize", "a.jsonl"], {}, "needs a key"),
        (["--operator", "pseudonym", "--anonymize", "a.jsonl"], {"ETHOS_PSEUDONYM_KEY": "short"},
         "at least 16 bytes"),
        (["--operator", "mask"], {}, "--operator needs --anonymize"),
        (["--types", "EMAIL,NOT_A_TYPE"], {}, "unknown type(s) NOT_A_TYPE"),
        (["--key-file", "/no/such/key", "--operator", "pseudonym", "--anonymize", "a.jsonl"], {},
         "cannot be read"),
    ],
)  # fmt: skip
def test_bad_options_exit_2_and_write_nothing(
    scan: Any, corpus: Any, tmp_path: Path, extra: list[str], env: dict[str, str], message: str
) -> None:
    path, _ = corpus
    out = tmp_path / "out" / "d.jsonl"
    result = scan("pii", "--in", str(path), "--out", str(out), *extra, env=env)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "short" not in result.stderr
    assert not out.parent.exists()


def test_missing_input_exits_2(scan: Any, tmp_path: Path) -> None:
    result = scan("pii", "--in", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "d.jsonl"))
    assert result.exit_code == 2
    assert "input not found" in result.stderr


def test_bad_lines_are_rejected_and_reported_by_location(scan: Any, tmp_path: Path) -> None:
    data = b'{"text": "a"}\n{"text": broken\n{"body": "b"}\n{"text": "caf\xe9"}\n'
    path = write_bytes(tmp_path / "in.jsonl", data)
    out = tmp_path / "d.jsonl"
    result = scan("pii", "--in", str(path), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "2 input lines rejected (first: in.jsonl:2: malformed JSON at column" in result.stderr
    assert "1 undecodable byte sequences replaced by U+FFFD in 1 documents (first: in.jsonl:4)" in (
        result.stderr
    )
    rejects = read_jsonl(tmp_path / "d.rejects.jsonl")
    assert [(r["file"], r["line"], r["reason"]) for r in rejects][1] == (
        "in.jsonl",
        3,
        "missing text field 'text'",
    )
    assert [line["id"] for line in read_jsonl(out)] == ["in.jsonl:1", "in.jsonl:4"]
    korean = scan("pii", "--in", str(path), "--out", str(out), lang="ko")
    assert "거부된 입력 줄 2건" in korean.stderr


def test_parquet_without_the_text_column_exits_2(scan: Any, tmp_path: Path) -> None:
    from tests.datagov.engine.conftest import write_parquet

    path = write_parquet(tmp_path / "p.parquet", [{"body": "x"}])
    result = scan("pii", "--in", str(path), "--out", str(tmp_path / "d.jsonl"))
    assert result.exit_code == 2
    assert "p.parquet: no text field 'text' (columns: body)" in result.stderr


def test_jsonl_without_the_text_field_exits_2_in_either_language(scan: Any, tmp_path: Path) -> None:
    path = write_bytes(tmp_path / "mail.jsonl", b'{"id": 1, "body": "x"}\n' * 3)
    out = tmp_path / "d.jsonl"
    result = scan("pii", "--in", str(path), "--out", str(out))
    assert result.exit_code == 2
    assert "mail.jsonl: its first 3 records lack the text field 'text' (fields there:" in (
        result.stderr
    )
    korean = scan("pii", "--in", str(path), "--out", str(out), lang="ko")
    assert korean.exit_code == 2
    assert "text 필드 'text'이(가) 있는 것이 없습니다" in korean.stderr
    assert not out.exists()


def test_report_counts_match_an_independent_count(scan: Any, corpus: Any, tmp_path: Path) -> None:
    path, documents = corpus
    out = tmp_path / "d.jsonl"
    scanned = scan("pii", "--in", str(path), "--out", str(out))
    assert scanned.exit_code == 0
    spans = Counter(s.type for d in documents for s in detect(d["text"]))
    ordered = sorted(spans.items(), key=lambda item: (-item[1], item[0]))
    assert scanned.stderr.splitlines()[-1] == "by type: " + ", ".join(
        f"{name} {count:,}" for name, count in ordered
    )
    documents_by_type = Counter(t for d in documents for t in {s.type for s in detect(d["text"])})
    flagged = sum(1 for d in documents if detect(d["text"]))
    result = scan("report", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report == {
        "kind": "pii",
        "documents": len(documents),
        "documents_flagged": flagged,
        "findings": sum(spans.values()),
        "by_type": dict(sorted(spans.items())),
        "documents_by_type": dict(sorted(documents_by_type.items())),
    }
    table = scan("report", str(out)).stdout.splitlines()
    assert table[0].split() == ["type", "spans", "documents"]
    top, count = spans.most_common(1)[0]
    assert table[1].split() == [top, str(count), str(documents_by_type[top])]
    assert table[-1] == f"{flagged} of {len(documents)} documents with findings"
    korean = scan("report", str(out), lang="ko").stdout.splitlines()
    assert korean[0].split() == ["유형", "탐지", "문서"]


def test_report_on_toxicity_results_counts_labels(scan: Any, tmp_path: Path) -> None:
    lines = [
        {"id": 1, "score": 0.9, "labels": ["toxic", "hate"]},
        {"id": 2, "score": 0.1, "labels": []},
        {"id": 3, "score": 0.7, "labels": ["toxic"]},
    ]
    path = write_jsonl(tmp_path / "tox.jsonl", lines)
    report = json.loads(scan("report", str(path), "--format", "json").stdout)
    assert report["kind"] == "toxicity"
    assert report["by_type"] == {"hate": 1, "toxic": 2}
    assert (report["documents"], report["documents_flagged"]) == (3, 2)
    table = scan("report", str(path)).stdout.splitlines()
    assert table[0].split() == ["label", "documents"]
    assert table[1].split() == ["toxic", "2"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"id": 1, "spans": []}\nnot json\n', "r.jsonl:2: not valid JSON"),
        (b'{"id": 1, "spans": []}\n{"id": 2, "labels": []}\n', "toxicity result in a file of pii"),
        (b'{"id": 1}\n', "r.jsonl:1: neither 'spans'"),
    ],
)
def test_report_on_a_bad_file_exits_2(
    scan: Any, tmp_path: Path, content: bytes, message: str
) -> None:
    result = scan("report", str(write_bytes(tmp_path / "r.jsonl", content)))
    assert result.exit_code == 2
    assert message in result.stderr
    assert scan("report", str(tmp_path / "missing.jsonl")).exit_code == 2


def test_text_input_one_document_per_file(scan: Any, tmp_path: Path) -> None:
    write_bytes(tmp_path / "docs" / "a.txt", "메일 kim@example.com\n두 번째 줄\n".encode())
    write_bytes(tmp_path / "docs" / "b.txt", b"nothing here\n", "gzip")
    out = tmp_path / "d.jsonl"
    result = scan("pii", "--in", str(tmp_path / "docs"), "--out", str(out), "--doc-per", "file")
    assert result.exit_code == 0, result.output
    lines = read_jsonl(out)
    assert [line["id"] for line in lines] == ["a.txt", "b.txt"]
    assert [(s["type"], s["start"], s["end"]) for s in lines[0]["spans"]] == [("EMAIL", 3, 18)]


def test_ray_engine_started_by_the_command(scan: Any, corpus: Any, tmp_path: Path) -> None:
    path, _ = corpus
    local, on_ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    assert scan("pii", "--in", str(path), "--out", str(local), "--shard-mb", "0.02").exit_code == 0
    result = scan("pii", "--in", str(path), "--out", str(on_ray), "--shard-mb", "0.02",
                  "--engine", "ray", "--workers", "1")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert on_ray.read_bytes() == local.read_bytes()


TOXIC_TEXTS = ["이 시1발 새끼야", "좋은 하루 보내세요", "you are a fucking idiot", "see you at 3pm"]


def test_toxicity_contract_actions_and_report(scan: Any, tmp_path: Path) -> None:
    from ethos.datagov.toxicity import ToxicityScorer

    path = write_jsonl(tmp_path / "t.jsonl", [{"text": t} for t in TOXIC_TEXTS])
    out, filtered = tmp_path / "scores.jsonl", tmp_path / "kept.jsonl"
    result = scan("toxicity", "--in", str(path), "--out", str(out), "--action", "drop",
                  "--filtered", str(filtered))  # fmt: skip
    assert result.exit_code == 0, result.output
    scorer = ToxicityScorer.default()
    expected = [scorer.score(t) for t in TOXIC_TEXTS]
    lines = read_jsonl(out)
    assert lines == [{"id": f"t.jsonl:{n}", **r.to_json()} for n, r in enumerate(expected, 1)]
    assert [r["text"] for r in read_jsonl(filtered)] == [
        t for t, r in zip(TOXIC_TEXTS, expected, strict=True) if not r.labels
    ]
    report = json.loads(scan("report", str(out), "--format", "json").stdout)
    labels = Counter(label for r in expected for label in r.labels)
    assert report["kind"] == "toxicity"
    assert report["by_type"] == dict(sorted(labels.items()))
    assert report["documents_flagged"] == sum(1 for r in expected if r.labels)
    for text in TOXIC_TEXTS:
        assert text not in result.stderr


def test_toxicity_action_needs_an_output(scan: Any, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "t.jsonl", [{"text": "x"}])
    result = scan("toxicity", "--in", str(path), "--out", str(tmp_path / "s.jsonl"),
                  "--action", "mask")  # fmt: skip
    assert result.exit_code == 2
    assert "--action and --filtered" in result.stderr
    bad = scan("toxicity", "--in", str(path), "--out", str(tmp_path / "s.jsonl"),
               "--threshold", "1.5")  # fmt: skip
    assert bad.exit_code == 2
    assert "--threshold must be" in bad.stderr


def test_toxicity_model_choice(scan: Any, tmp_path: Path) -> None:
    from ethos.datagov.toxicity import ToxicityScorer

    texts = [
        *TOXIC_TEXTS,
        "이 시1발 새끼야",
        "여자들은 다 그렇지 뭐",
        "오늘 회의는 3시에 시작합니다.",
    ]
    path = write_jsonl(tmp_path / "t.jsonl", [{"text": t} for t in texts])
    outputs = {}
    for model in ("default", "sharealike"):
        out = tmp_path / f"{model}.jsonl"
        result = scan("toxicity", "--in", str(path), "--out", str(out), "--model", model)
        assert result.exit_code == 0, result.output
        scorer = ToxicityScorer.default(model=model)
        expected = [
            {"id": f"t.jsonl:{n}", **scorer.score(t).to_json()} for n, t in enumerate(texts, 1)
        ]
        outputs[model] = read_jsonl(out)
        assert outputs[model] == expected
    assert outputs["default"] != outputs["sharealike"]  # the choice reached the workers
    bad = scan("toxicity", "--in", str(path), "--out", str(tmp_path / "x.jsonl"),
               "--model", "nope")  # fmt: skip
    assert bad.exit_code == 2
    assert "unknown toxicity model 'nope'" in bad.stderr and "sharealike" in bad.stderr
    assert not (tmp_path / "x.jsonl").exists()
    korean = scan("toxicity", "--in", str(path), "--out", str(tmp_path / "y.jsonl"),
                  "--model", "nope", lang="ko")  # fmt: skip
    assert korean.exit_code == 2 and "알 수 없는 유해성 모델" in korean.stderr
