"""Shared set-up for service tests: test content and a project with a closed stage 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethos.knowledge.questionnaires import QuestionnaireLibrary
from ethos.services import projects, stage1
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store
from tests.factories import catalogue_files, questionnaire_data, write_questionnaire

S = stage1.SheetEntry


@pytest.fixture
def fctx(store: Store, tmp_path: Path) -> ServiceContext:
    root = tmp_path / "content"
    write_questionnaire(root / "questionnaires", questionnaire_data())
    catalogue_files(root / "catalogues")
    return ServiceContext(
        store=store,
        actor="office",
        questionnaires=QuestionnaireLibrary(root / "questionnaires"),
        catalogue_root=root / "catalogues",
        evidence_dir=tmp_path / "evidence",
    )


def project_with_profile(
    ctx: ServiceContext, *, fair: int, safe: int, kind: str = "product_development"
) -> int:
    project = projects.create_project(
        ctx, name=f"P-{kind}-{fair}-{safe}", type=kind, questionnaire_id="test-q"
    )
    for name, role in (("T", "technical"), ("B", "business"), ("E", "ethics"), ("E2", "ethics")):
        projects.add_member(ctx, project.id, name=name, role=role)
    stage1.submit_answers(
        ctx,
        project.id,
        member="T",
        entries=[S("fair-a", fair), S("fair-b", fair), S("safe-a", safe)],
    )
    stage1.submit_answers(
        ctx, project.id, member="B", entries=[S("fair-a", fair), S("safe-a", safe), S("safe-b", 1)]
    )
    stage1.submit_answers(
        ctx,
        project.id,
        member="E",
        entries=[S("fair-a", fair), S("fair-b", fair), S("safe-a", safe)],
    )
    stage1.close_stage1(ctx, project.id)
    return project.id
