"""Shared set-up for service tests: test content and a project with a closed stage 1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ethos.knowledge.questionnaires import QuestionnaireLibrary
from ethos.services import projects, stage1
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store
from tests.factories import catalogue_files, questionnaire_data, write_questionnaire
from tests.services.audit_guard import AuditGuard

S = stage1.SheetEntry


@pytest.fixture(autouse=True)
def audited_writes() -> Iterator[AuditGuard]:
    """Fail a test whose use cases changed what the read models read without an audit event
    about a project (``ethos.services.read_models`` relies on it)."""
    guard = AuditGuard()
    guard.start()
    try:
        yield guard
    finally:
        guard.stop()
    assert not guard.violations, guard.violations


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
