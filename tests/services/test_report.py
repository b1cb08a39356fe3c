"""The annual report's data: office records follow corrections; bad years are refused."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from ethos.domain.errors import InvalidInputError
from ethos.services import office, report
from ethos.services.context import ServiceContext

COMMITTEE = {
    "kind": "committee",
    "name": {"ko": "AI 윤리위원회", "en": "AI Ethics Committee"},
    "type": "committee",
    "mandate": {"ko": "윤리 원칙 이행 감독", "en": "Oversees the ethics principles"},
    "established": "2025-03-01",
    "members": [{"role": {"ko": "위원장", "en": "Chair"}, "name": "Lee Taeyang"}],
}


@pytest.fixture
def rctx(ctx: ServiceContext) -> ServiceContext:
    return dataclasses.replace(ctx, clock=lambda: datetime(2026, 11, 22, 12, tzinfo=UTC))


def test_meetings_of_a_corrected_committee_count_for_its_successor(rctx: ServiceContext) -> None:
    [committee] = office.add_records(rctx, COMMITTEE)
    meeting = {
        "kind": "meeting",
        "committee": committee.id,
        "date": "2026-04-02",
        "summary": {"ko": "정기 회의", "en": "Regular meeting"},
        "participants": 6,
    }
    office.add_records(rctx, [meeting, {**meeting, "date": "2026-09-03"}])
    corrected = {**COMMITTEE, "mandate": {"ko": "감독과 승인", "en": "Oversees and approves"}}
    _, successor = office.replace_record(rctx, committee.id, corrected, reason="mandate")
    data = report.build_report(rctx, 2026, lang="en")
    [body] = data["office"]["bodies"]
    assert body["id"] == successor.id and body["meetings"] == 2
    assert body["mandate"] == "Oversees and approves"
    assert body["members"] == ["Chair"]  # names withheld unless the body publishes them
    published = {**corrected, "publish_names": True}
    office.replace_record(rctx, successor.id, published, reason="publish")
    [body] = report.build_report(rctx, 2026, lang="ko")["office"]["bodies"]
    assert body["members"] == ["위원장 (Lee Taeyang)"] and body["meetings"] == 2


def test_a_year_in_the_future_is_refused(rctx: ServiceContext) -> None:
    with pytest.raises(InvalidInputError, match="--year: 2027"):
        report.build_report(rctx, 2027, lang="en")
