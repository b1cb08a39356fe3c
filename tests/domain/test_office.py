"""Ethics-office records as data: shapes, dates, counts, bilingual text, names withheld."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from ethos.domain.errors import InvalidInputError
from ethos.domain.office import (
    Committee,
    Education,
    OfficeKind,
    OfficeRecord,
    canonical_data,
    parse_office_record,
    parse_office_records,
    record_data,
)

SECRET_NAMES = ("Kim Hidden-Member", "Seo Private-Person")


def bi(en: str) -> dict[str, str]:
    return {"en": en, "ko": f"{en} (한국어)"}


_DEFAULTS: dict[str, dict[str, Any]] = {
    "committee": {
        "name": bi("AI ethics committee"),
        "type": "committee",
        "mandate": bi("Oversees the practice."),
        "established": "2024-03-15",
        "members": [
            {"role": bi("Chair"), "name": SECRET_NAMES[0]},
            {"role": bi("External member"), "name": SECRET_NAMES[1]},
            {"role": bi("Legal counsel")},
        ],
    },
    "meeting": {
        "committee": 1,
        "date": "2026-03-19",
        "summary": bi("First meeting of the year."),
        "decisions": [bi("The plan is approved.")],
        "participants": 7,
        "participant_roles": [bi("Chair"), bi("Members")],
    },
    "red_team": {
        "start": "2026-05-11",
        "end": "2026-05-22",
        "scope": bi("Prompt injection."),
        "method": "manual",
        "participants": 12,
        "issues_found": 9,
        "summary": bi("Nine issues found."),
    },
    "education": {
        "title": bi("Ethics seminar"),
        "type": "seminar",
        "dates": ["2026-01-15", "2026-01-29"],
        "audience": ["researchers"],
        "participants": 40,
        "hours_per_participant": 2.0,
        "summary": bi("Cases from projects."),
    },
    "partnership": {
        "partner": bi("A university"),
        "type": "academia",
        "start": "2025-09-01",
        "summary": bi("Joint research."),
    },
    "policy_watch": {
        "date": "2026-01-22",
        "jurisdiction": "KR",
        "source": {"citation": "Act No. 20676", "url": "https://www.law.go.kr/"},
        "summary": bi("The act entered into force."),
        "frameworks": ["kr-ai-basic-act:art-31"],
        "status": "acted_on",
    },
}
KINDS = list(_DEFAULTS)


def record_input(kind: str, **overrides: Any) -> dict[str, Any]:
    """A valid record of ``kind`` as a file would hold it; any field overridable."""
    data: dict[str, Any] = {"kind": kind, **copy.deepcopy(_DEFAULTS[kind])}
    data.update(overrides)
    return data


def problem(data: Any) -> str:
    with pytest.raises(InvalidInputError) as caught:
        parse_office_record(data, source="f.yaml")
    return caught.value.message


def test_every_kind_has_a_factory() -> None:
    assert set(KINDS) == {k.value for k in OfficeKind}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_round_trips_through_its_stored_form(kind: str) -> None:
    body = parse_office_record(record_input(kind))
    stored = canonical_data(body)
    assert stored["schema"] == "ethos.office-record/1"
    assert stored["kind"] == kind
    assert parse_office_record(stored) == body
    for key, value in record_input(kind).items():  # nothing lost or renamed on the way
        if isinstance(value, str) and key in stored:
            assert stored[key] == value


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("committee", "name"),
        ("committee", "mandate"),
        ("meeting", "summary"),
        ("red_team", "scope"),
        ("red_team", "summary"),
        ("education", "title"),
        ("education", "summary"),
        ("partnership", "partner"),
        ("partnership", "summary"),
        ("policy_watch", "summary"),
    ],
)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_both_languages_are_required_and_the_missing_one_is_named(
    kind: str, field: str, lang: str
) -> None:
    data = record_input(kind)
    del data[field][lang]
    assert f"f.yaml: field {field}.{lang}: Field required" in problem(data)
    data[field][lang] = "   "
    assert f"field {field}.{lang}:" in problem(data)


@pytest.mark.parametrize(
    ("kind", "changes", "expected"),
    [
        ("committee", {"dissolved": "2024-03-14"}, "field dissolved: 2024-03-14 is before"),
        ("red_team", {"end": "2026-05-10"}, "field end: 2026-05-10 is before start"),
        ("partnership", {"end": "2025-08-31"}, "field end: 2025-08-31 is before start"),
        ("education", {"dates": ["2026-02-01", "2026-01-01"]}, "field dates: list each day"),
        ("education", {"dates": ["2026-02-01", "2026-02-01"]}, "field dates: list each day"),
        ("education", {"dates": []}, "field dates: List should have at least 1 item"),
        ("meeting", {"date": "2026-02-30"}, "field date:"),
        ("meeting", {"date": "1026-02-01"}, "field date: 1026-02-01 is outside 1950-2100"),
        ("meeting", {"participants": -1}, "field participants: Input should be greater"),
        ("red_team", {"issues_found": -3}, "field issues_found: Input should be greater"),
        ("education", {"hours_per_participant": 0}, "field hours_per_participant:"),
        ("meeting", {"committee": 0}, "field committee:"),
        ("meeting", {"year": 2025}, "field year: 2025 is not the year of date (2026)"),
        ("committee", {"type": "club"}, "field type: Input should be 'committee'"),
        ("red_team", {"method": "guess"}, "field method:"),
        ("policy_watch", {"status": "done"}, "field status:"),
        ("policy_watch", {"jurisdiction": "korea"}, "field jurisdiction: expected a two-letter"),
        ("policy_watch", {"frameworks": ["Art 5"]}, "field frameworks[0]: expected a framework"),
        ("policy_watch", {"source": {"citation": "x"}}, "field source.url: Field required"),
        (
            "policy_watch",
            {"source": {"citation": "x", "url": "ftp://x"}},
            "field source.url: expected an http(s) address",
        ),
        ("red_team", {"evidence": {}}, "field evidence: give findings, sha256 or url"),
        ("red_team", {"evidence": {"sha256": "ABC"}}, "field evidence.sha256: expected 64"),
        ("education", {"audience": ["everyone"]}, "field audience[0]:"),
        ("committee", {"colour": "blue"}, "field colour: Extra inputs are not permitted"),
        ("committee", {"schema": "ethos.office-record/2"}, "field schema:"),
    ],
)
def test_invalid_values_are_refused_naming_the_field(
    kind: str, changes: dict[str, Any], expected: str
) -> None:
    assert expected in problem(record_input(kind, **changes))


def test_a_year_matching_the_main_date_is_accepted_and_not_stored() -> None:
    body = parse_office_record(record_input("red_team", year=2026))
    assert "year" not in canonical_data(body)


def test_kind_missing_or_unknown_is_named() -> None:
    assert "field kind: missing (one of committee, meeting" in problem({"date": "2026-01-01"})
    assert "field kind: 'survey' is not one of" in problem({"kind": "survey"})
    assert "expected a mapping with a kind" in problem(["not", "a", "record"])


def test_a_single_date_is_accepted_for_one_day_education() -> None:
    data = record_input("education")
    del data["dates"]
    data["date"] = "2026-04-01"
    body = parse_office_record(data)
    assert isinstance(body, Education)
    assert body.dates == [dt.date(2026, 4, 1)]


def test_every_problem_of_a_list_is_reported_with_its_position() -> None:
    records = [
        record_input("committee"),
        record_input("meeting", participants=-1),
        {"kind": "nope"},
        record_input("education", summary={"ko": "요약"}),
    ]
    with pytest.raises(InvalidInputError) as caught:
        parse_office_records(records, source="--file x.yaml")
    lines = caught.value.message.splitlines()
    assert lines == [
        "--file x.yaml: record 2 (meeting): field participants: "
        "Input should be greater than or equal to 0",
        "--file x.yaml: record 3: field kind: 'nope' is not one of committee, meeting, "
        "red_team, education, partnership, policy_watch",
        "--file x.yaml: record 4 (education): field summary.en: Field required",
    ]
    assert len(parse_office_records(records[:1])) == 1
    with pytest.raises(InvalidInputError, match="holds no records"):
        parse_office_records([])


def test_errors_never_echo_member_names() -> None:
    data = record_input("committee")
    data["members"][0]["name"] = SECRET_NAMES[0] * 20  # too long
    data["members"][1]["role"] = SECRET_NAMES[1]  # not bilingual
    message = problem(data)
    assert "field members[0].name: String should have at most 200 characters" in message
    assert "field members[1].role:" in message
    assert not any(part in message for n in SECRET_NAMES for part in n.split())


def _stored(body: Any, **fields: Any) -> OfficeRecord:
    at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return OfficeRecord(id=1, body=body, created_at=at, created_by="t", updated_at=at, **fields)


def test_member_names_are_shown_only_when_published_or_asked_for() -> None:
    hidden = parse_office_record(record_input("committee"))
    published = parse_office_record(record_input("committee", publish_names=True))
    assert isinstance(hidden, Committee)
    assert hidden.publish_names is False  # the default
    for view in (record_data(hidden), record_data(published, include_names=False)):
        assert [set(m) for m in view["members"]] == [{"role"}] * 3
        assert not any(n in str(view) for n in SECRET_NAMES)
    for view in (record_data(published), record_data(hidden, include_names=True)):
        assert [m.get("name") for m in view["members"]] == [*SECRET_NAMES, None]
    assert _stored(hidden).names_withheld() == 2
    assert _stored(published).names_withheld() == 0
    assert _stored(hidden).names_withheld(include_names=True) == 0
    assert _stored(hidden).to_json()["names_withheld"] == 2
    assert not any(n in str(_stored(hidden).to_json()) for n in SECRET_NAMES)
    assert canonical_data(hidden)["members"][0]["name"] == SECRET_NAMES[0]  # stored


@pytest.mark.parametrize(
    ("kind", "changes", "active"),
    [
        ("committee", {}, {2023: False, 2024: True, 2026: True, 2030: True}),
        ("committee", {"dissolved": "2025-06-30"}, {2024: True, 2025: True, 2026: False}),
        ("partnership", {"end": "2026-01-31"}, {2024: False, 2025: True, 2026: True, 2027: False}),
        ("red_team", {"start": "2025-12-15", "end": "2026-01-09"}, {2025: True, 2026: True}),
        ("meeting", {}, {2025: False, 2026: True, 2027: False}),
        ("education", {"dates": ["2025-11-01", "2026-02-01"]}, {2025: True, 2026: True}),
    ],
)
def test_a_record_is_active_in_the_years_its_activity_touches(
    kind: str, changes: dict[str, Any], active: dict[int, bool]
) -> None:
    record = _stored(parse_office_record(record_input(kind, **changes)))
    assert {year: record.active_in(year) for year in active} == active


def test_headlines_follow_the_language() -> None:
    body = parse_office_record(record_input("education"))
    assert body.headline("en") == "Ethics seminar"
    assert body.headline("ko") == "Ethics seminar (한국어)"
    assert parse_office_record(record_input("policy_watch")).headline("ko") == "Act No. 20676"


def korean_problem(data: Any) -> str:
    with pytest.raises(InvalidInputError) as caught:
        parse_office_record(data, source="f.yaml")
    return caught.value.message_ko or ""


@pytest.mark.parametrize(
    ("kind", "changes", "expected_ko"),
    [
        ("committee", {"dissolved": "2024-03-14"}, "필드 dissolved: 2024-03-14이(가) established"),
        ("education", {"dates": ["2026-02-01", "2026-01-01"]}, "필드 dates: 날짜마다 한 번씩"),
        ("education", {"dates": []}, "필드 dates: 목록의 항목이 1개 이상이어야 합니다(지금 0개)"),
        ("meeting", {"date": "1026-02-01"}, "필드 date: 1026-02-01이(가) 1950-2100 범위 밖"),
        ("meeting", {"participants": -1}, "필드 participants: 0 이상이어야 합니다"),
        ("meeting", {"year": 2025}, "필드 year: 2025은(는) date의 연도(2026)가 아닙니다"),
        ("committee", {"type": "club"}, "필드 type: 'committee'"),
        ("policy_watch", {"jurisdiction": "korea"}, "필드 jurisdiction: 대문자 두 글자 코드"),
        ("policy_watch", {"frameworks": ["Art 5"]}, "필드 frameworks[0]: eu-ai-act:art-50 같은"),
        ("policy_watch", {"source": {"citation": "x"}}, "필드 source.url: 값이 없습니다"),
        (
            "policy_watch",
            {"source": {"citation": "x", "url": "ftp://x"}},
            "필드 source.url: http(s) 주소여야 합니다",
        ),
        ("red_team", {"evidence": {}}, "필드 evidence: findings, sha256, url 중 하나를 주세요"),
        ("red_team", {"evidence": {"sha256": "ABC"}}, "필드 evidence.sha256: 소문자 16진수 64자"),
        ("education", {"audience": ["researchers"] * 2}, "필드 audience: 같은 값이 두 번 나옵니다"),
        ("committee", {"colour": "blue"}, "필드 colour: 허용되지 않는 필드입니다"),
    ],
)
def test_invalid_values_are_refused_in_korean(
    kind: str, changes: dict[str, Any], expected_ko: str
) -> None:
    korean = korean_problem(record_input(kind, **changes))
    assert expected_ko in korean
    assert "Input should" not in korean and "Value error" not in korean


def test_korean_errors_never_echo_member_names() -> None:
    data = record_input("committee")
    data["members"][0]["name"] = SECRET_NAMES[0] * 20  # too long
    korean = korean_problem(data)
    assert "필드 members[0].name: 200자 이하여야 합니다" in korean
    assert not any(part in korean for n in SECRET_NAMES for part in n.split())
