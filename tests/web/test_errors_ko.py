"""A domain error reaches a person in their language: a Korean page, or JSON with both texts."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from fastapi import FastAPI
from fastapi.testclient import TestClient

from ethos.domain.errors import ContentError, InvalidInputError
from ethos.services import findings, office, projects
from ethos.web.errors import public_message
from tests.web.conftest import Browser, World
from tests.web.test_office_pages import FORMS, committee

Api = Callable[[str | None], TestClient]

MISSING_EN = "project '99999' not found (give its id or exact name)"
MISSING_KO = "과제 '99999'을(를) 찾을 수 없습니다(id나 정확한 이름을 지정하세요)"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_a_page_shows_the_korean_message_to_a_korean_reader(
    browser: Callable[..., Browser],
) -> None:
    b = browser("admin")
    english = b.get("/projects/99999")
    assert english.status_code == 404
    assert MISSING_EN in unescape(english.text) and MISSING_KO not in unescape(english.text)
    assert b.get("/lang/ko?next=/").status_code in (302, 303)
    korean = b.get("/projects/99999")
    assert korean.status_code == 404
    assert MISSING_KO in unescape(korean.text) and MISSING_EN not in unescape(korean.text)


def test_a_form_error_is_shown_in_korean(browser: Callable[..., Browser]) -> None:
    b = browser("admin")
    b.get("/lang/ko?next=/")
    bad = b.post("/projects", {"name": "Fine name", "type": "nonsense"})
    assert bad.status_code == 400
    text = unescape(bad.text)
    assert "--type: 'nonsense'은(는) 다음 중 하나가 아닙니다: " in text
    assert "is not one of" not in text


def test_the_api_answers_english_and_korean_side_by_side(api: Api, world: World) -> None:
    admin = api("admin")
    missing = admin.get("/api/v1/projects/99999")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"type": "not_found", "message": MISSING_EN, "message_ko": MISSING_KO}
    }
    invalid = admin.post("/api/v1/projects", json={"name": "X", "type": "nonsense"})
    error = invalid.json()["error"]
    assert invalid.status_code == 400 and set(error) == {"type", "message", "message_ko"}
    assert error["message"].startswith("--type: 'nonsense' is not one of: ")
    assert error["message_ko"].startswith("--type: 'nonsense'은(는) 다음 중 하나가 아닙니다: ")
    # the list of allowed values is the same in both languages
    assert error["message"].split(": ")[-1] == error["message_ko"].split(": ")[-1]


def test_an_error_without_korean_answers_json_without_message_ko(app: FastAPI) -> None:
    @app.get("/api/v1/test-english-only")
    def english_only() -> None:  # only in this test app: every shipped error has Korean
        raise InvalidInputError("english only")

    response = TestClient(app).get("/api/v1/test-english-only")
    assert response.status_code == 400
    assert response.json()["error"] == {"type": "invalid_input", "message": "english only"}


def test_a_content_error_names_no_server_folder_in_either_language() -> None:
    error = ContentError(
        "/srv/ethos/content/risks/v1.yaml: not valid YAML at line 3, column 1: oops",
        ko="/srv/ethos/content/risks/v1.yaml: 올바른 YAML이 아닙니다(3번째 줄, 1번째 열): oops",
    )
    assert public_message(error) == "v1.yaml: not valid YAML at line 3, column 1: oops"
    assert (
        public_message(error, "ko") == "v1.yaml: 올바른 YAML이 아닙니다(3번째 줄, 1번째 열): oops"
    )


# ---------------------------------------------------------------- stage 1 and access


def test_a_stage_1_error_reaches_the_api_in_both_languages(api: Api, world: World) -> None:
    care = world.projects["care"]
    project = projects.get_project(world.ctx, care)
    q, version = project.questionnaire_id, project.questionnaire_version
    bad = api("alice").post(f"/api/v1/projects/{care}/answers", json={"answers": {"NOPE-1": 3}})
    assert bad.status_code == 400
    assert bad.json()["error"] == {
        "type": "invalid_input",
        "message": f"unknown item(s) for questionnaire {q!r} version {version}: NOPE-1",
        "message_ko": f"설문 {q!r} 버전 {version}에 없는 문항: NOPE-1",
    }
    reopen = api("admin").post(
        f"/api/v1/projects/{care}/stage1/reopen", json={"reason": "a second look"}
    )
    assert reopen.status_code == 409
    assert reopen.json()["error"]["message_ko"] == "과제 'Care bot'의 1단계는 종료되지 않았습니다"


def test_a_project_outside_ones_task_force_reads_as_missing_in_korean_too(
    api: Api, world: World
) -> None:
    care = world.projects["care"]
    hidden = api("dave").get(f"/api/v1/projects/{care}")
    missing = api("admin").get("/api/v1/projects/99999")
    assert hidden.status_code == missing.status_code == 404
    # worded exactly as a missing project in both languages: existence is not revealed
    expected = {
        key: value.replace("99999", str(care)) for key, value in missing.json()["error"].items()
    }
    assert hidden.json()["error"] == expected
    assert expected["message_ko"] == MISSING_KO.replace("99999", str(care))


def test_a_refusal_is_explained_in_korean(api: Api) -> None:
    refused = api("auditor").post("/api/v1/projects", json={"name": "X", "type": "basic_research"})
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["message"] == "auditor may not create a project (projects)"
    assert (
        error["message_ko"] == "auditor에게는 이 작업 권한이 없습니다: create a project (projects)"
    )


# ---------------------------------------------------------------- rebuilt errors


def test_a_bad_description_names_the_body_in_both_languages(api: Api, world: World) -> None:
    care = world.projects["care"]
    bad = api("alice").put(f"/api/v1/projects/{care}/description", json={"users": 5})
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["message"].startswith("body") and error["message_ko"].startswith("body")
    assert HANGUL.search(error["message_ko"])
    assert "ethos-api-" not in error["message"] + error["message_ko"]  # no temporary path


def test_a_bad_check_record_names_the_record_in_both_languages(api: Api, world: World) -> None:
    care = world.projects["care"]
    found = findings.add_finding(
        world.ctx, care, category="privacy", title="t", severity=3, likelihood=3
    )
    url = f"/api/v1/projects/{care}/findings/{found.id}/evidence"
    bad = api("alice").post(url, json={"record": {"schema": "nonsense"}, "note": "n"})
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["message"].startswith("record") and error["message_ko"].startswith("record")
    assert HANGUL.search(error["message_ko"])
    assert "ethos-api-" not in error["message"] + error["message_ko"]


# ---------------------------------------------------------------- office forms


def test_an_office_form_error_is_shown_in_korean_with_the_fields_marked(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser("admin")
    data = {**FORMS["committee"], "mandate.en": "", "established": "2026-13-01"}
    english = unescape(b.post("/office/new/committee", data).text)
    assert "field mandate" in english
    b.get("/lang/ko?next=/")
    response = b.post("/office/new/committee", data)
    assert response.status_code == 400
    page = unescape(response.text)
    assert "필드 mandate" in page and "필드 established" in page
    assert "field mandate" not in page
    # the fields the message names are still marked
    assert re.search(r'<fieldset data-field="mandate" class="invalid">', page)
    assert office.list_records(world.ctx, include_withdrawn=True) == []


def test_office_import_and_correction_errors_are_shown_in_korean(
    browser: Callable[..., Browser], world: World
) -> None:
    record = office.add_record(world.ctx, committee())
    b = browser("admin")
    b.get("/lang/ko?next=/")
    imported = b.post("/office/import", {"records": "[unclosed"})
    assert imported.status_code == 400
    page = unescape(imported.text)
    assert "records: 올바른 YAML이나 JSON이 아닙니다" in page
    assert "not valid YAML" not in page
    empty = b.post("/office/import", {"records": "[]"})
    assert "records: 목록에 기록이 없습니다" in unescape(empty.text)
    corrected = b.post(f"/office/{record.id}/replace", {**FORMS["committee"], "reason": " "})
    assert corrected.status_code == 400
    assert "reason: 기록을 바로잡는 이유를 적어 주세요" in unescape(corrected.text)


def test_request_validation_answers_json_with_korean_beside_english(api: Api) -> None:
    admin = api("admin")
    missing = admin.get("/api/v1/stats")
    assert missing.status_code == 422
    error = missing.json()["error"]
    assert error["type"] == "invalid_input" and set(error) == {"type", "message", "message_ko"}
    assert error["message"] == "query.year: Field required"
    assert error["message_ko"] == "query.year: 값이 없습니다(꼭 있어야 하는 필드입니다)"
    wrong = admin.get("/api/v1/stats?year=soon")
    assert wrong.status_code == 422
    korean = wrong.json()["error"]["message_ko"]
    assert korean.startswith("query.year: 정수여야 합니다") and "Input should" not in korean


def test_request_validation_shows_korean_on_a_korean_page(
    browser: Callable[..., Browser],
) -> None:
    b = browser("admin")
    english = b.get("/?page=0")
    assert english.status_code == 400
    assert "query.page: Input should be greater than or equal to 1" in unescape(english.text)
    b.get("/lang/ko?next=/")
    korean = b.get("/?page=0")
    assert korean.status_code == 400
    text = unescape(korean.text)
    assert "query.page: 1 이상이어야 합니다" in text and "Input should" not in text
