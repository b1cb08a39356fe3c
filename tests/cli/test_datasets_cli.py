"""``ethos datasets``: the command contract, exit codes, JSON output and the two exports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from ethos.cli.main import app
from tests.domain.test_datasets import dataset_data

Run = Callable[..., Result]
FILES = {"train.jsonl": '{"text": "안녕하세요"}\n', "docs/readme.txt": "Korean news, 2024.\n"}


@pytest.fixture
def run(sqlite_url: str) -> Run:
    runner = CliRunner()

    def invoke(*args: str, actor: str = "alice", lang: str = "en") -> Result:
        return runner.invoke(app, ["--db", sqlite_url, "--actor", actor, "--lang", lang, *args])

    return invoke


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def as_json(result: Result) -> Any:
    return json.loads(ok(result).stdout)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def record_file(tmp_path: Path, name: str = "dataset.yaml", **overrides: Any) -> Path:
    data = dataset_data(**overrides)
    data.pop("files")
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def added(run: Run, tmp_path: Path, folder: Path) -> dict[str, Any]:
    path = record_file(tmp_path, retention={"retain_until": "2025-03-01"})
    return as_json(  # type: ignore[no-any-return]
        run(
            "datasets",
            "add",
            "--file",
            str(path),
            "--manifest-from",
            str(folder),
            "--format",
            "json",
        )
    )


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_add_list_and_show(run: Run, added: dict[str, Any], tmp_path: Path) -> None:
    assert added["id"] == "ko-news" and added["versions"] == ["1.0"]
    assert (added["files"], added["bytes"]) == (2, sum(len(t.encode()) for t in FILES.values()))
    assert added["licence_terms"]["class"] == "attribution"
    assert added["allowlist"] == ["carol"]
    listed = as_json(run("datasets", "list", "--format", "json"))
    assert [d["id"] for d in listed] == ["ko-news"]
    shown = as_json(run("datasets", "show", "ko-news", "--format", "json"))
    manifest = {f["path"]: f["sha256"] for f in shown["record"]["files"]["manifest"]}
    assert manifest == {name: sha(text) for name, text in FILES.items()}
    assert [h["version"] for h in shown["history"]] == ["1.0"]
    text = ok(run("datasets", "show", "ko-news")).stdout
    assert "licence: CC-BY-4.0 (attribution)" in text
    korean = ok(run("datasets", "show", "ko-news", lang="ko")).stdout
    assert "라이선스: CC-BY-4.0 (attribution)" in korean and "소유자: alice" in korean
    second = record_file(tmp_path, "v2.yaml", version="2.0", legal={"licence": "CC-BY-SA-4.0"})
    assert "version 2.0 registered" in ok(run("datasets", "add", "--file", str(second))).stdout
    shown = as_json(run("datasets", "show", "ko-news@1.0", "--format", "json"))
    assert shown["versions"] == ["1.0", "2.0"] and shown["shown_version"] == "1.0"
    assert shown["shown_licence_terms"]["class"] == "attribution"
    assert shown["licence_terms"]["class"] == "share-alike"  # the newest version's


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"legal": {"licence": "MIT and BSD"}}, "field legal.licence: not an SPDX"),
        ({"access": {}}, "field access.owner: Field required"),
        ({"provenance": {"origin": "x", "method": "scrape"}}, "field provenance.method"),
    ],
)
def test_bad_records_exit_2_and_register_nothing(
    run: Run, tmp_path: Path, overrides: dict[str, Any], message: str
) -> None:
    path = record_file(tmp_path, **overrides)
    result = run("datasets", "add", "--file", str(path))
    assert result.exit_code == 2
    assert f"--file {path}: {message}" in result.stderr
    assert as_json(run("datasets", "list", "--format", "json")) == []


def test_the_same_version_twice_is_refused(run: Run, added: dict[str, Any], tmp_path: Path) -> None:
    path = record_file(tmp_path, "again.yaml")
    result = run("datasets", "add", "--file", str(path))
    assert result.exit_code == 2 and "already registered" in result.stderr


def test_link_grant_revoke_contract(run: Run, added: dict[str, Any]) -> None:
    pid = as_json(
        run(
            "project",
            "create",
            "--name",
            "Chat",
            "--type",
            "product_development",
            "--format",
            "json",
        )
    )["id"]
    assert "linked to project" in ok(run("datasets", "link", "ko-news", str(pid))).stdout
    assert "no change" in ok(run("datasets", "link", "ko-news", "Chat")).stdout
    assert run("datasets", "link", "ko-news", "Nope").exit_code == 2
    assert run("datasets", "link", "nope", str(pid)).exit_code == 2
    assert as_json(run("datasets", "show", "ko-news", "--format", "json"))["projects"] == [pid]
    ok(run("datasets", "unlink", "ko-news", str(pid)))
    assert run("datasets", "unlink", "ko-news", str(pid)).exit_code == 2
    denied = run("datasets", "grant", "ko-news", "dan", actor="carol")
    assert denied.exit_code == 2 and "carol may not grant access" in denied.stderr
    assert "dan may now read" in ok(run("datasets", "grant", "ko-news", "dan")).stdout
    assert "taken off" in ok(run("datasets", "revoke", "ko-news", "dan")).stdout
    assert "was not on" in ok(run("datasets", "revoke", "ko-news", "dan")).stdout


def test_due_and_dispose(run: Run, added: dict[str, Any], folder: Path) -> None:
    assert as_json(run("datasets", "due", "--as-of", "2025-03-01", "--format", "json")) == []
    (due,) = as_json(run("datasets", "due", "--as-of", "2025-03-11", "--format", "json"))
    assert (due["id"], due["days_over"], due["retain_until"]) == ("ko-news", 10, "2025-03-01")
    bad = run("datasets", "due", "--as-of", "March")
    assert bad.exit_code == 2 and "--as-of" in bad.stderr
    assert (
        run("datasets", "dispose", "ko-news", "--method", "shred", "--reason", "x").exit_code == 2
    )
    disposed = as_json(
        run(
            "datasets", "dispose", "ko-news", "--method", "overwrite", "--reason", "retention over",
            "--format", "json",
        )
    )  # fmt: skip
    assert disposed["disposal"]["files"] == 2
    assert disposed["disposal"]["method"] == "overwrite"
    assert disposed["disposal"]["by"] == "alice"
    assert not (folder / "train.jsonl").exists()
    shown = as_json(run("datasets", "show", "ko-news", "--format", "json"))
    assert shown["disposed"] is True and shown["disposal"]["reason"] == "retention over"
    assert "disposed" in ok(run("datasets", "show", "ko-news")).stdout
    refused = run("datasets", "export", "ko-news", "--format", "croissant")
    assert refused.exit_code == 2 and "was disposed" in refused.stderr
    assert as_json(run("datasets", "due", "--as-of", "2030-01-01", "--format", "json")) == []


def test_croissant_export(run: Run, added: dict[str, Any]) -> None:
    doc = as_json(run("datasets", "export", "ko-news", "--format", "croissant", actor="carol"))
    assert doc["@type"] == "sc:Dataset"
    assert doc["@context"]["rai"] == "http://mlcommons.org/croissant/RAI/"
    assert doc["@context"]["@vocab"] == "https://schema.org/"
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert (doc["name"], doc["version"]) == ("Korean news corpus", "1.0")
    assert doc["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    files = {f["contentUrl"]: f for f in doc["distribution"]}
    assert set(files) == set(FILES)
    for name, text in FILES.items():
        assert files[name]["@type"] == "cr:FileObject"
        assert files[name]["sha256"] == sha(text)
        assert files[name]["contentSize"] == f"{len(text.encode())} B"
    assert doc["rai:dataCollectionType"] == ["Web scraping"]
    assert doc["rai:dataCollectionTimeframe"] == ["2024-01-01", "2024-06-30"]
    assert doc["rai:dataUseCases"] == ["pretraining"]
    assert doc["rai:dataLimitations"] == ["not to be used for: profiling people"]
    assert "personal information: no" in doc["rai:personalSensitiveInformation"]
    assert doc["inLanguage"] == ["ko"]


def test_spdx_export(run: Run, added: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out" / "ko-news.spdx.json"
    ok(run("datasets", "export", "ko-news", "--format", "spdx", "--out", str(out)))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    graph = doc["@graph"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for element in graph:
        by_type.setdefault(element["type"], []).append(element)
    (creation,) = by_type["CreationInfo"]
    assert creation["specVersion"] == "3.0.1" and creation["created"].endswith("Z")
    (dataset,) = by_type["dataset_DatasetPackage"]
    assert dataset["software_packageVersion"] == "1.0"
    assert dataset["software_primaryPurpose"] == "data"
    assert dataset["dataset_datasetType"] == ["text"]
    assert dataset["dataset_datasetSize"] == sum(len(t.encode()) for t in FILES.values())
    assert dataset["dataset_hasSensitivePersonalInformation"] == "no"
    hashes = {
        f["name"]: [(h["algorithm"], h["hashValue"]) for h in f["verifiedUsing"]]
        for f in by_type["software_File"]
    }
    assert hashes == {name: [("sha256", sha(text))] for name, text in FILES.items()}
    (document,) = by_type["SpdxDocument"]
    ids = {e["spdxId"] for e in graph if "spdxId" in e}
    assert document["rootElement"] == [dataset["spdxId"]]
    assert set(document["element"]) == ids - {document["spdxId"]}
    assert all(e.get("creationInfo", "_:creationinfo") == creation["@id"] for e in graph[1:])
    relations = {r["relationshipType"]: r for r in by_type["Relationship"]}
    assert set(relations["contains"]["to"]) == {f["spdxId"] for f in by_type["software_File"]}
    assert all(r["from"] == dataset["spdxId"] for r in relations.values())
    (licence,) = by_type["simplelicensing_LicenseExpression"]
    assert licence["simplelicensing_licenseExpression"] == "CC-BY-4.0"
    assert relations["hasDeclaredLicense"]["to"] == [licence["spdxId"]]


def test_export_is_an_audited_access(run: Run, added: dict[str, Any], folder: Path) -> None:
    refused = run("datasets", "export", "ko-news", "--format", "spdx", actor="eve")
    assert refused.exit_code == 2 and "eve may not read dataset 'ko-news'" in refused.stderr
    (folder / "train.jsonl").write_text("tampered\n", encoding="utf-8")
    tampered = run("datasets", "export", "ko-news", "--format", "croissant")
    assert tampered.exit_code == 2 and "train.jsonl: content differs" in tampered.stderr
    log = as_json(run("audit", "log", "--action", "dataset.access", "--format", "json"))
    outcomes = [(e["actor"], e["payload"]["principal"], e["payload"]["outcome"]) for e in log]
    assert outcomes == [("eve", "eve", "denied"), ("alice", "alice", "refused")]
    assert [e["payload"]["purpose"] for e in log] == ["export spdx", "export croissant"]


def test_scanning_a_registered_dataset_checks_access_and_keeps_the_counts(
    run: Run, tmp_path: Path
) -> None:
    data = tmp_path / "mail"
    data.mkdir()
    lines = [
        {"id": "a", "text": "연락처는 010-1234-5678 입니다"},
        {"id": "b", "text": "write to kim@example.org or lee@example.org"},
        {"id": "c", "text": "no personal data here"},
    ]
    (data / "part-0.jsonl").write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8"
    )
    path = record_file(tmp_path, "mail.yaml", id="ko-mail")
    ok(run("datasets", "add", "--file", str(path), "--manifest-from", str(data)))
    out = tmp_path / "found.jsonl"
    refused = run("scan", "pii", "--dataset", "ko-mail", "--out", str(out), actor="mallory")
    assert refused.exit_code == 2 and not out.exists()
    scan = ("scan", "pii", "--dataset", "ko-mail", "--id-field", "id", "--out", str(out), "-q")
    ok(run(*scan, actor="carol"))
    spans = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [s["id"] for s in spans] == ["a", "b", "c"]
    types = [sp["type"] for s in spans for sp in s["spans"]]
    assert types.count("EMAIL") == 2 and types.count("KR_PHONE") == 1
    shown = as_json(run("datasets", "show", "ko-mail", "--format", "json"))
    assert shown["scans"]["pii"]["counts"] == {"EMAIL": 2, "KR_PHONE": 1}
    log = as_json(run("audit", "log", "--subject", "dataset:ko-mail", "--format", "json"))
    outcomes = [e["payload"]["outcome"] for e in log if e["action"] == "dataset.access"]
    assert outcomes == ["denied", "granted"]
    assert "010-1234-5678" not in json.dumps(log, ensure_ascii=False)
    both = run("scan", "pii", "--dataset", "ko-mail", "--in", str(data), "--out", str(out))
    assert both.exit_code == 2 and "either --in PATH or --dataset ID" in both.output


BIBTEX = "@misc{konews2024,\n  title = {Korean news corpus},\n  year = {2024}\n}"


def test_publication_is_read_from_the_record_file_shown_and_exported(
    run: Run, added: dict[str, Any], tmp_path: Path
) -> None:
    text = ok(run("datasets", "show", "ko-news")).stdout
    assert "published: not recorded\n" in text and "cite as: not recorded\n" in text
    korean = ok(run("datasets", "show", "ko-news", lang="ko")).stdout
    assert "공개일: 기록 없음\n" in korean and "인용 정보: 기록 없음\n" in korean
    bare = as_json(run("datasets", "export", "ko-news", "--format", "croissant"))
    assert "citeAs" not in bare and "datePublished" not in bare

    path = record_file(
        tmp_path, "v2.yaml", version="2.0", publication={"date": "2024-09-02", "citation": BIBTEX}
    )
    written = path.read_text(encoding="utf-8")
    assert "date: '2024-09-02'" in written
    path.write_text(written.replace("'2024-09-02'", "2024-09-02"), encoding="utf-8")  # a date
    ok(run("datasets", "add", "--file", str(path)))
    text = ok(run("datasets", "show", "ko-news")).stdout
    assert "published: 2024-09-02\n" in text
    lines = BIBTEX.splitlines()
    shown = "cite as: " + lines[0] + "\n" + "".join(f"  {line}\n" for line in lines[1:])
    assert shown in text
    korean = ok(run("datasets", "show", "ko-news", lang="ko")).stdout
    assert "공개일: 2024-09-02\n" in korean and f"인용 정보: {lines[0]}\n" in korean
    record = as_json(run("datasets", "show", "ko-news", "--format", "json"))["record"]
    assert record["publication"] == {"date": "2024-09-02", "citation": BIBTEX}
    first = as_json(run("datasets", "show", "ko-news@1.0", "--format", "json"))["record"]
    assert "publication" not in first
    doc = as_json(run("datasets", "export", "ko-news", "--format", "croissant"))
    assert (doc["citeAs"], doc["datePublished"]) == (BIBTEX, "2024-09-02")
    spdx = as_json(run("datasets", "export", "ko-news", "--format", "spdx"))
    (package,) = [e for e in spdx["@graph"] if e["type"] == "dataset_DatasetPackage"]
    assert package["releaseTime"] == "2024-09-02T00:00:00Z"


def test_a_bad_publication_date_exits_2_naming_the_field(run: Run, tmp_path: Path) -> None:
    path = record_file(tmp_path, publication={"date": "2024-02-30"})
    result = run("datasets", "add", "--file", str(path))
    assert result.exit_code == 2
    assert f"--file {path}: field publication.date: Input should be a valid date" in result.stderr
    korean = run("datasets", "add", "--file", str(path), lang="ko")
    assert korean.exit_code == 2
    assert f"--file {path}: 필드 publication.date: 올바른 날짜나 일시여야 합니다" in korean.stderr
    assert as_json(run("datasets", "list", "--format", "json")) == []
