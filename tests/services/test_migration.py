"""Moving a project's answers to a newer questionnaire version through its migration map."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethos.domain.errors import ConflictError, InvalidInputError
from ethos.knowledge.questionnaires import QuestionnaireLibrary
from ethos.services import audit, projects, questionnaires, stage1
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store
from tests.factories import item_data, questionnaire_data, write_questionnaire

S = stage1.SheetEntry


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    write_questionnaire(root, questionnaire_data())
    return root


def publish_v2(root: Path) -> None:
    """v2: fair-a renamed, fair-b dropped, safe-a kept but to be answered anew, safe-c new."""
    items = [
        item_data("fair-groups", "fairness"),
        item_data("safe-a", "safety"),
        item_data("safe-b", "safety", ["business"]),
        item_data("safe-c", "safety", ["technical"]),
    ]
    mapping = {
        "fair-a": "fair-groups",
        "fair-b": None,
        "safe-a": {"to": "safe-a", "reanswer": True},
        "safe-b": "safe-b",
    }
    write_questionnaire(
        root,
        questionnaire_data(version=2, items=items, migrates_from={"version": 1, "map": mapping}),
    )


def test_answers_follow_the_map_and_fresh_ones_are_listed(store: Store, content: Path) -> None:
    ctx = ServiceContext(store=store, actor="office", questionnaires=QuestionnaireLibrary(content))
    project = projects.create_project(
        ctx, name="P", type="applied_research", questionnaire_id="test-q"
    )
    for name, role in (("T", "technical"), ("B", "business"), ("E", "ethics")):
        projects.add_member(ctx, project.id, name=name, role=role)
    stage1.submit_answers(
        ctx, project.id, member="T", entries=[S("fair-a", 1), S("fair-b", 2), S("safe-a", 3)]
    )
    stage1.submit_answers(
        ctx, project.id, member="B", entries=[S("fair-a", 4), S("safe-a", 3), S("safe-b", 2)]
    )
    stage1.submit_answers(
        ctx, project.id, member="E", entries=[S("fair-a", 3), S("fair-b", 2), S("safe-a", 4)]
    )
    stage1.record_consensus(ctx, project.id, item="fair-a", score=3, note="agreed")

    with pytest.raises(InvalidInputError, match="not newer"):
        questionnaires.migrate_project(ctx, project.id, to_version=1)
    publish_v2(content)
    result = questionnaires.migrate_project(ctx, project.id)

    assert (result.from_version, result.to_version) == (1, 2)
    assert result.carried == 4  # fair-a x3 -> fair-groups, safe-b x1; safe-a must be re-answered
    assert result.carried_consensus == 1
    assert result.dropped == ["fair-b"]
    assert result.needs_answer == ["safe-a", "safe-c"]

    view = stage1.stage1_profile(ctx, project.id)
    assert view.project.questionnaire_version == 2
    assert dict(view.profile.items["fair-groups"].scores) == {1: 1, 2: 4, 3: 3}
    assert view.profile.consensus == {"fair-groups": 3}
    assert view.profile.items["safe-a"].scores == {}
    event = audit.audit_log(ctx, limit=1)[0]
    assert event.action == "questionnaire.migrated"
    assert event.payload_data()["needs_answer"] == ["safe-a", "safe-c"]
    # the version-1 answers are kept as they were
    with store.unit_of_work() as uow:
        assert len(uow.answers.of_project(project.id, "test-q", 1)) == 9


def test_a_closed_stage1_is_not_migrated(store: Store, content: Path) -> None:
    ctx = ServiceContext(store=store, actor="office", questionnaires=QuestionnaireLibrary(content))
    project = projects.create_project(
        ctx, name="P", type="basic_research", questionnaire_id="test-q"
    )
    for name, role in (("T", "technical"), ("B", "business"), ("E", "ethics")):
        projects.add_member(ctx, project.id, name=name, role=role)
    stage1.submit_answers(
        ctx, project.id, member="T", entries=[S("fair-a", 2), S("fair-b", 2), S("safe-a", 2)]
    )
    stage1.submit_answers(
        ctx, project.id, member="B", entries=[S("fair-a", 2), S("safe-a", 2), S("safe-b", 2)]
    )
    stage1.submit_answers(
        ctx, project.id, member="E", entries=[S("fair-a", 2), S("fair-b", 2), S("safe-a", 2)]
    )
    stage1.close_stage1(ctx, project.id)
    publish_v2(content)
    with pytest.raises(ConflictError, match="reopen it before migrating"):
        questionnaires.migrate_project(ctx, project.id)


def test_migration_maps_compose_across_versions(tmp_path: Path, store: Store) -> None:
    root = tmp_path / "c"
    write_questionnaire(root, questionnaire_data())
    publish_v2(root)
    items = [
        item_data("fairness-groups", "fairness"),
        item_data("safe-a", "safety"),
        item_data("safe-b", "safety", ["business"]),
        item_data("safe-c", "safety", ["technical"]),
    ]
    mapping = {
        "fair-groups": "fairness-groups",
        "safe-a": "safe-a",
        "safe-b": None,
        "safe-c": "safe-c",
    }
    write_questionnaire(
        root,
        questionnaire_data(version=3, items=items, migrates_from={"version": 2, "map": mapping}),
    )
    ctx = ServiceContext(store=store, actor="o", questionnaires=QuestionnaireLibrary(root))
    path = questionnaires.migration_path(ctx, "test-q", 1, 3)
    assert path == {
        "fair-a": ("fairness-groups", False),
        "fair-b": None,
        "safe-a": ("safe-a", True),
        "safe-b": None,
    }
