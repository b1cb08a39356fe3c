"""The stage-2/3 CLI contract: JSON shapes, refusals with exit 2, the card."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from tests.cli.conftest import Invoke, as_json

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "card.schema.json"


def close_stage1(cli: Invoke, project: dict[str, Any]) -> str:
    pid = str(project["id"])
    for item in as_json(cli("profile", pid, "--format", "json"))["discuss"]:
        assert (
            cli("consensus", pid, "--item", item, "--score", "4", "--note", "agreed").exit_code == 0
        )
    assert cli("stage1", "close", pid).exit_code == 0
    return pid


def test_findings_lifecycle_on_the_command_line(
    cli: Invoke, project: dict[str, Any], tmp_path: Path
) -> None:
    pid = close_stage1(cli, project)
    derived = as_json(cli("findings", "derive", pid, "--format", "json"))
    assert derived["added"]
    listed = as_json(cli("findings", "list", pid, "--format", "json"))
    assert all(
        set(f)
        == {
            "id",
            "catalogue_id",
            "clause_id",
            "category",
            "severity",
            "likelihood",
            "priority",
            "status",
            "owner",
        }
        for f in listed
    )
    assert as_json(cli("findings", "derive", pid, "--format", "json"))["added"] == []
    p1 = next(f for f in listed if f["priority"] == "P1")
    fid = str(p1["id"])

    blocked = cli("project", "advance", pid, "--to", "development")
    assert blocked.exit_code == 2 and f"#{fid} P1 open" in blocked.stderr

    no_evidence = cli("findings", "resolve", pid, fid, "--note", "done")
    assert no_evidence.exit_code == 2 and "has no evidence" in no_evidence.stderr
    assert (
        cli("findings", "assign", pid, fid, "--owner", "Park", "--due", "2027-02-30").exit_code == 2
    )
    assert (
        cli("findings", "assign", pid, fid, "--owner", "Park", "--due", "2027-02-28").exit_code == 0
    )
    report = tmp_path / "report.md"
    report.write_text("# Done\n", encoding="utf-8")
    resolved = cli(
        "findings", "resolve", pid, fid, "--file", str(report), "--note", "done", "--format", "json"
    )
    detail = as_json(resolved)
    assert detail["status"] == "resolved" and detail["evidence"][0]["filename"] == "report.md"
    by_owner = cli("findings", "verify", pid, fid, "--member", "Park")
    assert by_owner.exit_code == 2 and "owns finding" in by_owner.stderr
    by_technical = cli("findings", "verify", pid, fid, "--member", "Kim")
    assert by_technical.exit_code == 2 and "ethics role" in by_technical.stderr
    assert as_json(cli("findings", "show", pid, fid))["status"] == "resolved"  # nothing changed


def test_card_json_validates_and_other_formats_render(
    cli: Invoke, project: dict[str, Any], tmp_path: Path
) -> None:
    pid = close_stage1(cli, project)
    assert cli("findings", "derive", pid).exit_code == 0
    result = cli("card", pid, "--format", "json", "--lang", "ko")
    card = as_json(result)
    jsonschema.validate(card, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert card["lang"] == "ko" and card["findings"]
    out = tmp_path / "card.html"
    assert cli("card", pid, "--format", "html", "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    log = as_json(cli("audit", "log", "--action", "card.issued", "--format", "json"))
    assert [e["payload"]["format"] for e in log] == ["json", "html"]
    missing = cli("card", pid, "--format", "pdf")
    assert missing.exit_code == 2
