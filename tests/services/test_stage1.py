"""Stage-1 use cases on both engines: audit events, all-or-nothing writes, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethos.domain.errors import ConflictError, ContentError, InvalidInputError, NotFoundError
from ethos.knowledge.questionnaires import QuestionnaireLibrary
from ethos.services import audit, projects, stage1
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store
from tests.factories import questionnaire_data, write_questionnaire

S = stage1.SheetEntry


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    write_questionnaire(root, questionnaire_data())
    return root


@pytest.fixture
def qctx(store: Store, content: Path) -> ServiceContext:
    return ServiceContext(store=store, actor="office", questionnaires=QuestionnaireLibrary(content))


def setup_project(ctx: ServiceContext) -> int:
    project = projects.create_project(
        ctx, name="Care bot", type="product_development", questionnaire_id="test-q"
    )
    for name, role in (("Tech", "technical"), ("Biz", "business"), ("Eth", "ethics")):
        projects.add_member(ctx, project.id, name=name, role=role)
    return project.id


def actions(ctx: ServiceContext) -> list[str]:
    return [e.action for e in audit.audit_log(ctx, limit=1000)]


def test_every_change_is_an_audit_event(qctx: ServiceContext) -> None:
    pid = setup_project(qctx)
    stage1.submit_answers(qctx, pid, member="Tech", entries=[S("fair-a", 2), S("fair-b", 1)])
    stage1.record_consensus(qctx, pid, item="fair-a", score=3, note="talked it through")
    assert actions(qctx) == [
        "project.created",
        "member.added",
        "member.added",
        "member.added",
        "questionnaire.pinned",
        "answers.submitted",
        "consensus.recorded",
    ]
    event = audit.audit_log(qctx, limit=1, action="answers.submitted")[0]
    assert event.actor == "office"
    assert event.payload_data()["answers"] == {
        "fair-a": {"score": 2, "comment": ""},
        "fair-b": {"score": 1, "comment": ""},
    }
    assert audit.verify_audit_chain(qctx).ok


def test_changing_an_answer_records_the_previous_score(qctx: ServiceContext) -> None:
    pid = setup_project(qctx)
    stage1.submit_answers(qctx, pid, member="Tech", entries=[S("fair-a", 2)])
    stage1.submit_answers(qctx, pid, member="Tech", entries=[S("fair-a", 4, "rethought")])
    event = audit.audit_log(qctx, limit=1, action="answers.submitted")[0]
    assert event.payload_data()["answers"]["fair-a"] == {
        "score": 4,
        "comment": "rethought",
        "previous": 2,
    }
    view = stage1.stage1_profile(qctx, pid)
    assert dict(view.profile.items["fair-a"].scores) == {1: 4}


@pytest.mark.parametrize(
    ("entries", "member", "error", "message"),
    [
        ([S("fair-a", 2), S("nope", 3)], "Tech", InvalidInputError, "unknown item.*nope"),
        ([S("fair-a", 2)], "Stranger", NotFoundError, "'Stranger' is not on the task force"),
    ],
)
def test_bad_answers_write_nothing(
    qctx: ServiceContext, entries: list[stage1.SheetEntry], member: str, error: type, message: str
) -> None:
    pid = setup_project(qctx)
    before = actions(qctx)
    with pytest.raises(error, match=message):
        stage1.submit_answers(qctx, pid, member=member, entries=entries)
    assert actions(qctx) == before
    assert stage1.stage1_profile(qctx, pid).profile.dimensions["fairness"].answers == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fair-a": 6}, "item 'fair-a': score 6 is outside 1-5"),
        ({"fair-a": 0}, "outside 1-5"),
        ({"fair-a": "4"}, "not a whole number"),
        ({"fair-a": True}, "not a whole number"),
        ({"fair-a": 2.5}, "not a whole number"),
        ({"fair-a": {"comment": "x"}}, "field score is missing"),
        ({"fair-a": {"score": 2, "why": "x"}}, "unknown field"),
        ([1, 2], "expected a non-empty mapping"),
        ({}, "expected a non-empty mapping"),
    ],
)
def test_answer_sheets_are_checked(data: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        stage1.parse_answer_sheet(data)


def test_answer_sheet_accepts_scores_comments_and_a_wrapper() -> None:
    sheet = {"answers": {"fair-a": 2, "safe-a": {"score": 5, "comment": " risky "}}}
    assert stage1.parse_answer_sheet(sheet) == [S("fair-a", 2), S("safe-a", 5, "risky")]


def test_stage1_closes_only_when_complete(qctx: ServiceContext) -> None:
    project = projects.create_project(
        qctx, name="Lab", type="basic_research", questionnaire_id="test-q"
    )
    projects.add_member(qctx, project.id, name="Tech", role="technical")
    with pytest.raises(ConflictError, match="no task-force member with role business, ethics"):
        stage1.close_stage1(qctx, project.id)
    projects.add_member(qctx, project.id, name="Biz", role="business")
    projects.add_member(qctx, project.id, name="Eth", role="ethics")
    stage1.submit_answers(
        qctx, project.id, member="Tech", entries=[S("fair-a", 1), S("fair-b", 2), S("safe-a", 3)]
    )
    stage1.submit_answers(
        qctx, project.id, member="Biz", entries=[S("fair-a", 4), S("safe-a", 3), S("safe-b", 2)]
    )
    with pytest.raises(
        ConflictError, match=r"3 item\(s\) for ethics unanswered; no consensus yet on fair-a"
    ):
        stage1.close_stage1(qctx, project.id)
    stage1.submit_answers(
        qctx, project.id, member="Eth", entries=[S("fair-a", 2), S("fair-b", 2), S("safe-a", 4)]
    )
    stage1.record_consensus(qctx, project.id, item="fair-a", score=2, note="agreed")
    view = stage1.close_stage1(qctx, project.id)
    assert view.project.stage1_closed_at is not None
    with pytest.raises(ConflictError, match="is closed"):
        stage1.submit_answers(qctx, project.id, member="Tech", entries=[S("fair-a", 5)])
    stage1.reopen_stage1(qctx, project.id, reason="new use case")
    stage1.submit_answers(qctx, project.id, member="Tech", entries=[S("fair-a", 5)])
    assert actions(qctx)[-3:] == ["stage1.closed", "stage1.reopened", "answers.submitted"]


def test_consensus_needs_a_valid_item_score_and_note(qctx: ServiceContext) -> None:
    pid = setup_project(qctx)
    with pytest.raises(InvalidInputError, match="--item: 'x'"):
        stage1.record_consensus(qctx, pid, item="x", score=3, note="n")
    with pytest.raises(InvalidInputError, match="outside 1-5"):
        stage1.record_consensus(qctx, pid, item="fair-a", score=9, note="n")
    with pytest.raises(InvalidInputError, match="--note"):
        stage1.record_consensus(qctx, pid, item="fair-a", score=3, note="  ")


def test_a_questionnaire_version_cannot_change_once_answered(
    qctx: ServiceContext, content: Path
) -> None:
    pid = setup_project(qctx)
    data = questionnaire_data()
    data["items"][0]["text"]["en"] = "Reworded before anyone answered"
    write_questionnaire(content, data)
    stage1.submit_answers(qctx, pid, member="Tech", entries=[S("fair-a", 2)])
    data["items"][0]["text"]["en"] = "Reworded after answers"
    write_questionnaire(content, data)
    with pytest.raises(ContentError, match="version 1 was edited after answers referenced it"):
        stage1.stage1_profile(qctx, pid)


def test_projects_and_members_are_unique_and_checked(qctx: ServiceContext) -> None:
    pid = setup_project(qctx)
    with pytest.raises(ConflictError, match="already exists"):
        projects.create_project(
            qctx, name="Care bot", type="basic_research", questionnaire_id="test-q"
        )
    with pytest.raises(ConflictError, match="already on the task force"):
        projects.add_member(qctx, pid, name="Tech", role="ethics")
    with pytest.raises(InvalidInputError, match="--type: 'robot'"):
        projects.create_project(qctx, name="X", type="robot", questionnaire_id="test-q")
    with pytest.raises(InvalidInputError, match="all digits"):
        projects.create_project(qctx, name="123", type="basic_research", questionnaire_id="test-q")
    with pytest.raises(NotFoundError, match="project 'Nope' not found"):
        projects.add_member(qctx, "Nope", name="A", role="ethics")
    assert projects.get_project(qctx, "Care bot").id == pid
    assert projects.get_project(qctx, str(pid)).name == "Care bot"
