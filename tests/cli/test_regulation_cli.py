"""``ethos kb``, ``ethos facts`` and ``ethos classify`` as the issue's CLI contract states."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from ethos.cli.app import EXIT_BAD_INPUT
from tests.cli.conftest import Invoke, as_json

KNOWLEDGE = Path(__file__).resolve().parents[2] / "src" / "ethos" / "knowledge"

# A chatbot for the Korean and EU markets that writes text and images; nothing high-risk.
CHATBOT: dict[str, Any] = {
    "schema": "ethos.facts/1",
    "roles": ["provider"],
    "markets": ["eu", "kr"],
    "use_domains": ["other"],
    "profiling": False,
    "significant_impact": False,
    "annex_i": {"safety_component": False, "product_legislation": []},
    "practices": dict.fromkeys(
        [
            "manipulative_or_deceptive",
            "exploits_vulnerabilities",
            "social_scoring",
            "crime_prediction_solely_profiling",
            "untargeted_facial_scraping",
        ],
        False,
    ),
    "biometrics": {
        "remote_identification": False,
        "categorisation": False,
        "emotion_recognition": False,
    },
    "generative": {"outputs": ["text", "image"], "realistic_synthetic_content": True},
    "interacts_with_people": True,
    "general_purpose_model": False,
    "operator": {"established_in_korea": True},
}


def write(tmp_path: Path, data: Any, name: str = "facts.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_kb_list_names_all_eight_frameworks(cli: Invoke) -> None:
    listed = as_json(cli("kb", "list", "--format", "json"))
    assert {f["id"] for f in listed} == {
        "eu-ai-act",
        "kr-ai-basic-act",
        "unesco-rec-2021",
        "kr-ethics-guidelines-2020",
        "kr-digital-bill-of-rights",
        "lg-ai-ethics",
        "nist-ai-rmf",
        "iso-42001",
    }
    binding = {f["id"] for f in listed if f["binding"]}
    assert binding == {"eu-ai-act", "kr-ai-basic-act"}


def test_kb_show_gives_dates_and_the_practices_mapped(cli: Invoke) -> None:
    shown = as_json(
        cli("kb", "show", "eu-ai-act:art-50.1", "--as-of", "2026-09-01", "--format", "json")
    )
    assert shown["ref"] == "Art. 50(1)"
    assert [p["id"] for p in shown["path"]] == ["eu-ai-act:chapter-iv", "eu-ai-act:art-50"]
    # Art. 50 applies from 2 August 2026 (Art. 113): in force on 1 September 2026
    assert shown["applies"]["applies_from"] == "2026-08-02"
    assert {"item:ai-disclosure", "mitigation:ai-interaction-disclosure"} <= set(shown["practices"])
    missing = cli("kb", "show", "eu-ai-act:art-999")
    assert missing.exit_code == EXIT_BAD_INPUT
    assert "no framework node 'eu-ai-act:art-999'" in missing.output


def test_kb_validate_passes_on_the_shipped_content(cli: Invoke) -> None:
    result = cli("kb", "validate")
    assert result.exit_code == 0, result.output
    assert as_json(cli("kb", "validate", "--format", "json")) == {"valid": True, "problems": []}


@pytest.mark.parametrize(
    ("folder", "edit", "offender"),
    [
        # a rule cites a node that the knowledge base no longer has
        (
            "frameworks",
            lambda text: text.replace("id: eu-ai-act:art-50.1\n", "id: eu-ai-act:art-50.1x\n"),
            "eu-ai-act:art-50.1",
        ),
        # the crosswalk names a node that does not exist
        (
            "crosswalks",
            lambda text: text.replace(
                "node: nist-ai-rmf:MAP-1.1,", "node: nist-ai-rmf:MAP-9.9,", 1
            ),
            "nist-ai-rmf:MAP-9.9",
        ),
        # the legal-finding policy points an incomplete classification at no node
        (
            "catalogues",
            lambda text: text.replace(
                "kr-ai-basic-act: kr-ai-basic-act:art-33", "kr-ai-basic-act: kr-ai-basic-act:art-99"
            ),
            "kr-ai-basic-act:art-99",
        ),
        # a classification rule reads a fact that does not exist
        (
            "classification",
            lambda text: text.replace("facts.practices.social_scoring", "facts.practices.scoring"),
            "facts.practices.scoring",
        ),
    ],
)
def test_kb_validate_fails_on_a_broken_copy_naming_the_id(
    cli: Invoke, tmp_path: Path, folder: str, edit: Any, offender: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(KNOWLEDGE / folder, content / folder)
    changed = 0
    for path in (content / folder).glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        new = edit(text)
        changed += new != text
        path.write_text(new, encoding="utf-8")
    assert changed, "the edit must change the copy"
    result = cli("--content", str(content), "kb", "validate")
    assert result.exit_code == EXIT_BAD_INPUT
    assert repr(offender) in result.output  # quoted: the exact id, not a longer one
    listed = cli("--content", str(content), "kb", "validate", "--format", "json")
    assert listed.exit_code == EXIT_BAD_INPUT
    assert offender in listed.stdout


def test_kb_crosswalk_links_frameworks_through_practices(cli: Invoke) -> None:
    data = as_json(
        cli("kb", "crosswalk", "--from", "eu-ai-act", "--to", "nist-ai-rmf", "--format", "json")
    )
    assert data["from"] == "eu-ai-act" and data["links"]
    for link in data["links"]:
        assert link["from"].startswith("eu-ai-act:") and link["to"].startswith("nist-ai-rmf:")
        assert link["relationship"] in {"equal", "subset", "superset", "intersects", "related"}
        assert link["via"].split(":")[0] in {"item", "risk", "mitigation"}
    bad = cli("kb", "crosswalk", "--from", "eu-ai-act", "--to", "gdpr")
    assert bad.exit_code == EXIT_BAD_INPUT and "no framework 'gdpr'" in bad.output


def test_facts_set_show_and_classify_a_project(
    cli: Invoke, project: dict[str, Any], tmp_path: Path
) -> None:
    pid = str(project["id"])
    path = write(tmp_path, CHATBOT)
    set_ = as_json(cli("facts", "set", pid, "--file", str(path), "--format", "json"))
    assert set_["revision"] == 1 and not set_["unchanged"]
    again = as_json(cli("facts", "set", pid, "--file", str(path), "--format", "json"))
    assert again["unchanged"] and again["revision"] == 1
    shown = as_json(cli("facts", "show", pid, "--format", "json"))
    assert shown["facts"]["markets"] == ["eu", "kr"] and shown["revision"] == 1
    text = cli("facts", "show", pid)
    assert "# revision 1 by tester" in text.output

    out = as_json(cli("classify", pid, "--as-of", "2026-09-01", "--format", "json"))
    assert out["as_of"] == "2026-09-01"
    eu, kr = out["eu_ai_act"], out["kr_ai_basic_act"]
    assert {"tier", "annex", "reasons", "gpai", "systemic_risk", "obligations"} <= set(eu)
    assert {"high_impact", "domains", "reasons", "obligations", "missing_facts"} <= set(kr)
    # Art. 50(1) (people told they talk to an AI) and 50(2) (machine-readable marking)
    assert eu["tier"] == "limited"
    refs = {o["ref"] for o in eu["obligations"]}
    assert {"Art. 50(1)", "Art. 50(2)"} <= refs
    for duty in eu["obligations"]:
        assert set(duty) >= {"id", "ref", "role", "applies_from", "in_force"}
        assert duty["role"] == "provider"
    assert kr["high_impact"] is False
    # Korea's Act (Art. 31) asks generative-AI providers to give notice and label outputs
    assert any(o["id"].startswith("kr-ai-basic-act:art-31") for o in kr["obligations"])
    before = as_json(cli("classify", pid, "--as-of", "2026-08-01", "--format", "json"))
    art50 = [o for o in before["eu_ai_act"]["obligations"] if o["ref"] == "Art. 50(1)"]
    assert art50 and art50[0]["in_force"] is False  # applies from 2 August 2026

    human = cli("classify", pid, "--as-of", "2026-09-01")
    assert human.exit_code == 0 and "EU AI Act: tier limited" in human.output


def test_classify_unregistered_facts_and_report_what_is_missing(
    cli: Invoke, tmp_path: Path
) -> None:
    path = write(
        tmp_path, {"roles": ["provider"], "markets": ["eu"], "use_domains": ["recruitment"]}
    )
    out = as_json(cli("classify", "--facts", str(path), "--format", "json"))
    eu = out["eu_ai_act"]
    # without profiling or the Art. 6(3) conditions the tier cannot be decided
    assert eu["tier"] == "undetermined"
    facts = {m["fact"] for m in eu["missing_facts"]}
    assert "facts.profiling" in facts
    profiling = next(m for m in eu["missing_facts"] if m["fact"] == "facts.profiling")
    assert {a["answer"] for a in profiling["answers"]} >= {"true", "false"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["classify"], "give either a PROJECT or --facts FILE"),
        (["classify", "1", "--facts", "x.yaml"], "give either a PROJECT or --facts FILE"),
        (["classify", "--facts", "missing.yaml"], "--facts missing.yaml: cannot be read"),
        (["classify", "1", "--as-of", "2026-13-01"], "--as-of: '2026-13-01' is not a date"),
    ],
)
def test_classify_refuses_bad_input(cli: Invoke, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == EXIT_BAD_INPUT
    assert message in result.output


def test_bad_facts_file_names_file_and_field(
    cli: Invoke, project: dict[str, Any], tmp_path: Path
) -> None:
    pid = str(project["id"])
    path = write(tmp_path, {"markets": ["eu"], "biometrics": {"settings": ["moon"]}})
    result = cli("facts", "set", pid, "--file", str(path))
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"--file {path}: field biometrics.settings.0" in result.output
    none = cli("facts", "show", pid)
    assert none.exit_code == EXIT_BAD_INPUT and "no intake facts yet" in none.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("markets: [eu\n", encoding="utf-8")
    bad_yaml = cli("facts", "set", pid, "--file", str(broken))
    assert (
        bad_yaml.exit_code == EXIT_BAD_INPUT and "not valid JSON or YAML at line" in bad_yaml.output
    )
    no_facts = cli("classify", pid)
    assert no_facts.exit_code == EXIT_BAD_INPUT and "has no intake facts yet" in no_facts.output


def test_facts_set_in_korean_describes_each_bad_field_in_korean(
    cli: Invoke, project: dict[str, Any], tmp_path: Path
) -> None:
    bad = {
        **CHATBOT,
        "markets": "eu",
        "profiling": "sometimes",
        "training_compute_flop": -1,
        "colour": "blue",
    }
    path = write(tmp_path, bad)
    korean = cli("--lang", "ko", "facts", "set", str(project["id"]), "--file", str(path))
    assert korean.exit_code == EXIT_BAD_INPUT
    text = korean.stderr
    assert "필드 markets: 목록(list)이어야 합니다" in text
    assert "필드 profiling: 참/거짓 값이어야 합니다" in text
    assert "필드 training_compute_flop: 0 이상이어야 합니다" in text
    assert "필드 colour: 허용되지 않는 필드입니다" in text
    assert "Input should" not in text and "Extra inputs" not in text
    english = cli("facts", "set", str(project["id"]), "--file", str(path))
    assert english.exit_code == EXIT_BAD_INPUT
    assert "field markets: Input should be a valid list" in english.stderr
    assert "field colour: Extra inputs are not permitted" in english.stderr


def test_parse_facts_gives_both_languages_for_a_nested_field() -> None:
    from ethos.domain.errors import InvalidInputError
    from ethos.services.regulation import parse_facts

    with pytest.raises(InvalidInputError) as caught:
        parse_facts({"operator": {"revenue_krw": "lots"}}, source="f.yaml")
    assert caught.value.message == (
        "f.yaml: field operator.revenue_krw: "
        "Input should be a valid number, unable to parse string as a number"
    )
    assert caught.value.message_ko == (
        "f.yaml: 필드 operator.revenue_krw: 숫자여야 합니다(문자열을 숫자로 읽을 수 없습니다)"
    )
