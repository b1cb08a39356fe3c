"""``ethos office``: add, list, show, withdraw, replace, as docs/office.md describes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ethos.cli.app import EXIT_BAD_INPUT
from tests.cli.conftest import Invoke, as_json
from tests.domain.test_office import SECRET_NAMES, record_input

DOCS = Path(__file__).resolve().parents[2] / "docs" / "office.md"


def write(tmp_path: Path, data: Any, name: str = "record.yaml") -> Path:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def everything(result: Any) -> str:
    return str(result.stdout) + str(result.stderr)


def test_add_and_show_round_trip_one_record(cli: Invoke, tmp_path: Path) -> None:
    data = record_input("partnership", end="2026-12-31")
    added = as_json(cli("office", "add", "--file", str(write(tmp_path, data)), "--format", "json"))
    assert added["kind"] == "partnership"
    assert added["year"] == 2025
    assert added["end_date"] == "2026-12-31"
    shown = as_json(cli("office", "show", str(added["id"]), "--format", "json"))
    assert shown["data"] == {"schema": "ethos.office-record/1", **data}
    assert shown["created_by"] == "tester"
    assert shown["withdrawn_at"] is None
    text = cli("office", "show", str(added["id"]))
    assert text.exit_code == 0
    assert "Joint research." in text.stdout


def test_a_json_file_with_a_list_adds_every_record(cli: Invoke, tmp_path: Path) -> None:
    records = [record_input("committee"), record_input("meeting"), record_input("education")]
    path = write(tmp_path, records, "records.json")
    added = as_json(cli("office", "add", "--file", str(path), "--format", "json"))
    assert [a["kind"] for a in added] == ["committee", "meeting", "education"]
    listed = as_json(cli("office", "list", "--format", "json"))
    assert sorted(r["id"] for r in listed) == sorted(a["id"] for a in added)


def test_a_bad_list_adds_nothing_and_names_each_problem(cli: Invoke, tmp_path: Path) -> None:
    records = [
        record_input("education"),
        record_input("meeting", committee=42),
        record_input("red_team", summary={"en": "only English"}),
        record_input("policy_watch", frameworks=["eu-ai-act:art-999"], projects=["Ghost"]),
    ]
    path = write(tmp_path, records)
    result = cli("office", "add", "--file", str(path))
    assert result.exit_code == EXIT_BAD_INPUT
    where = f"--file {path}"
    for line in (
        f"{where}: record 2 (meeting): field committee: no committee record with id 42",
        f"{where}: record 3 (red_team): field summary.ko: Field required",
        f"{where}: record 4 (policy_watch): field projects[0]: no project named 'Ghost'",
        f"{where}: record 4 (policy_watch): field frameworks[0]: no framework node",
    ):
        assert line in result.stderr
    assert "record 1" not in result.stderr
    assert as_json(cli("office", "list", "--all", "--format", "json")) == []


def test_bad_input_exits_with_code_2(cli: Invoke, tmp_path: Path) -> None:
    bad = write(tmp_path, {"kind": "survey"})
    assert cli("office", "add", "--file", str(bad)).exit_code == EXIT_BAD_INPUT
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [unclosed\n", encoding="utf-8")
    result = cli("office", "add", "--file", str(broken))
    assert result.exit_code == EXIT_BAD_INPUT
    assert "not valid JSON or YAML" in result.stderr
    assert cli("office", "list", "--kind", "survey").exit_code == EXIT_BAD_INPUT
    assert cli("office", "show", "999").exit_code == EXIT_BAD_INPUT
    assert cli("office", "withdraw", "999", "--reason", "x").exit_code == EXIT_BAD_INPUT


def test_list_filters_by_kind_year_and_withdrawal(cli: Invoke, tmp_path: Path) -> None:
    records = [
        record_input("committee", established="2024-03-15"),
        record_input("education", dates=["2025-05-01"]),
        record_input("education", dates=["2026-05-01"]),
        record_input("red_team", start="2026-06-01", end="2026-06-05"),
    ]
    ids = [
        a["id"]
        for a in as_json(
            cli("office", "add", "--file", str(write(tmp_path, records)), "--format", "json")
        )
    ]

    def listed(*options: str) -> list[int]:
        return [r["id"] for r in as_json(cli("office", "list", *options, "--format", "json"))]

    assert listed("--year", "2026") == [ids[0], ids[2], ids[3]]  # the committee still sits
    assert listed("--year", "2025") == [ids[0], ids[1]]
    assert listed("--kind", "education") == [ids[1], ids[2]]
    assert listed("--kind", "education", "--year", "2026") == [ids[2]]
    assert cli("office", "withdraw", str(ids[2]), "--reason", "Cancelled.").exit_code == 0
    assert listed("--kind", "education") == [ids[1]]
    assert listed("--kind", "education", "--all") == [ids[1], ids[2]]
    text = cli("office", "list", "--all", "--kind", "education").stdout.splitlines()
    assert len(text) == 2
    assert "[withdrawn]" in text[1]
    assert "[withdrawn]" not in text[0]


def test_withdraw_and_replace(cli: Invoke, tmp_path: Path) -> None:
    first = as_json(
        cli(
            "office",
            "add",
            "--file",
            str(write(tmp_path, record_input("red_team"))),
            "--format",
            "json",
        )
    )
    fixed = write(tmp_path, record_input("red_team", issues_found=11), "fixed.yaml")
    replaced = as_json(
        cli(
            "office",
            "replace",
            str(first["id"]),
            "--file",
            str(fixed),
            "--reason",
            "Count corrected.",
            "--format",
            "json",
        )
    )
    new_id = replaced["added"]["id"]
    assert replaced["withdrawn"]["replaced_by"] == new_id
    old = as_json(cli("office", "show", str(first["id"]), "--format", "json"))
    assert old["withdrawn_reason"] == "Count corrected."
    assert old["replaced_by"] == new_id
    assert (
        as_json(cli("office", "show", str(new_id), "--format", "json"))["data"]["issues_found"]
        == 11
    )
    again = cli("office", "withdraw", str(first["id"]), "--reason", "x")
    assert again.exit_code == EXIT_BAD_INPUT
    assert "already withdrawn" in again.stderr
    done = cli("office", "withdraw", str(new_id), "--reason", "Exercise cancelled.")
    assert done.exit_code == 0
    assert f"office record {new_id} withdrawn" in done.stdout
    audit = as_json(cli("audit", "log", "--format", "json"))
    actions = [e["action"] for e in audit if e["action"].startswith("office.")]
    assert actions == ["office.add", "office.replace", "office.add", "office.withdraw"]


def test_member_names_stay_out_of_every_output_unless_asked_for(
    cli: Invoke, tmp_path: Path
) -> None:
    path = write(tmp_path, [record_input("committee"), record_input("meeting")])
    outputs = [cli("office", "add", "--file", str(path))]
    outputs.append(cli("office", "add", "--file", str(path), "--format", "json"))
    ids = [r["id"] for r in as_json(outputs[-1])]
    outputs += [
        cli("office", "list"),
        cli("office", "list", "--format", "json"),
        cli("office", "show", str(ids[0])),
        cli("office", "show", str(ids[0]), "--format", "json"),
        cli("office", "withdraw", str(ids[0]), "--reason", "Duplicate."),
        cli("audit", "log", "--format", "json"),
    ]
    assert all(r.exit_code == 0 for r in outputs), [everything(r) for r in outputs]
    for result in outputs:
        for name in SECRET_NAMES:
            assert name not in everything(result)
    hidden = as_json(outputs[5])
    assert hidden["names_withheld"] == 2
    assert "2 member name(s) withheld" in outputs[4].stderr
    shown = cli("office", "show", str(ids[0]), "--with-names", "--format", "json")
    assert [m.get("name") for m in as_json(shown)["data"]["members"]] == [*SECRET_NAMES, None]


def test_published_names_are_shown(cli: Invoke, tmp_path: Path) -> None:
    path = write(tmp_path, record_input("committee", publish_names=True))
    rid = as_json(cli("office", "add", "--file", str(path), "--format", "json"))["id"]
    text = cli("office", "show", str(rid))
    assert all(name in text.stdout for name in SECRET_NAMES)
    assert "withheld" not in everything(text)


def test_korean_output_follows_lang(cli: Invoke, tmp_path: Path) -> None:
    path = write(tmp_path, record_input("education"))
    added = cli("--lang", "ko", "office", "add", "--file", str(path))
    assert added.exit_code == 0
    assert "교육" in added.stdout
    listed = cli("--lang", "ko", "office", "list")
    assert "Ethics seminar (한국어)" in listed.stdout


def test_the_example_files_of_the_docs_are_valid(cli: Invoke, tmp_path: Path) -> None:
    """Every ``yaml`` block of docs/office.md is a record (or list) the CLI accepts."""
    text = DOCS.read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```yaml\n")[1:]]
    assert len(blocks) >= 6
    cli(
        "project",
        "create",
        "--name",
        "Hanbit customer-care assistant",
        "--type",
        "product_development",
    )
    kinds = []
    for number, block in enumerate(blocks):
        path = tmp_path / f"example-{number}.yaml"
        path.write_text(block, encoding="utf-8")
        result = cli("office", "add", "--file", str(path), "--format", "json")
        assert result.exit_code == 0, f"example {number}: {result.stderr}"
        added = json.loads(result.stdout)
        kinds += [a["kind"] for a in (added if isinstance(added, list) else [added])]
    assert set(kinds) == {
        "committee",
        "meeting",
        "red_team",
        "education",
        "partnership",
        "policy_watch",
    }
