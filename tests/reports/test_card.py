"""The assessment card: golden Markdown and HTML in both languages, JSON schema, PDF text.

Golden files change only with ``pytest --update-golden``; review the diff before committing.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pypdf import PdfReader

from ethos.knowledge.questionnaires import QuestionnaireLibrary
from ethos.reports.card import render_card_html, render_card_markdown, render_card_pdf
from ethos.reports.labels import label
from ethos.reports.radar import radar_svg
from ethos.services import cards, findings, projects, stage1
from ethos.services.context import ServiceContext
from ethos.services.lifecycle import advance_project
from ethos.store.unit_of_work import Store
from tests.factories import catalogue_files, questionnaire_data, write_questionnaire

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "card.schema.json"
SECTIONS = [
    "sec_purpose",
    "sec_people",
    "sec_data",
    "sec_performance",
    "sec_profile",
    "sec_findings",
    "sec_limitations",
    "sec_signoffs",
    "sec_record",
]
S = stage1.SheetEntry


def ticking_clock() -> Iterator[datetime]:
    moment = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    while True:
        yield moment
        moment += timedelta(seconds=1)


@pytest.fixture
def issued(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[ServiceContext, int]]:
    """A product project through all three stages, on a clock that tells the same story."""
    root = tmp_path / "content"
    write_questionnaire(root / "questionnaires", questionnaire_data())
    catalogue_files(root / "catalogues")
    ticks = ticking_clock()
    store = Store.open(sqlite_url)
    ctx = ServiceContext(
        store=store,
        actor="ethics-office",
        questionnaires=QuestionnaireLibrary(root / "questionnaires"),
        clock=lambda: next(ticks),
        catalogue_root=root / "catalogues",
        evidence_dir=tmp_path / "evidence",
    )
    pid = projects.create_project(
        ctx,
        name="Hanbit care assistant",
        type="product_development",
        purpose="Answers insurance questions & hands claims to people <agents>.",
        questionnaire_id="test-q",
    ).id
    for name, role in (
        ("Kim", "technical"),
        ("Lee", "business"),
        ("Park", "ethics"),
        ("Choi", "ethics"),
    ):
        projects.add_member(ctx, pid, name=name, role=role)
    stage1.submit_answers(
        ctx, pid, member="Kim", entries=[S("fair-a", 2), S("fair-b", 3), S("safe-a", 4)]
    )
    stage1.submit_answers(
        ctx, pid, member="Lee", entries=[S("fair-a", 3), S("safe-a", 4), S("safe-b", 2)]
    )
    stage1.submit_answers(
        ctx, pid, member="Park", entries=[S("fair-a", 5), S("fair-b", 3), S("safe-a", 5)]
    )
    stage1.record_consensus(ctx, pid, item="fair-a", score=4, note="older customers affected")
    stage1.close_stage1(ctx, pid)
    findings.derive_findings(ctx, pid)
    _, found = findings.list_findings(ctx, pid)
    fair = next(f for f in found if f.catalogue_id == "r-fair")
    findings.assign_finding(ctx, pid, fair.id, owner="Park", due=date(2026, 12, 1))
    report = tmp_path / "subgroups.md"
    report.write_text("Accuracy by age group: 91%, 90%, 88%.\n", encoding="utf-8")
    findings.add_evidence(ctx, pid, fair.id, file=report, note="evaluation by age group")
    findings.resolve_finding(ctx, pid, fair.id, note="gap under 3 points")
    findings.verify_finding(ctx, pid, fair.id, member="Choi")
    advance_project(ctx, pid, to="development")
    manual = findings.add_finding(
        ctx,
        pid,
        category="transparency",
        title="Tone of refusals",
        severity=1,
        likelihood=1,
        title_ko="거절 답변의 어조",
    )
    findings.accept_finding(
        ctx, pid, manual.id, member="Park", rationale="cosmetic; reviewed quarterly"
    )
    description = tmp_path / "describe.yaml"
    description.write_text(
        "intended_use: Customer questions about policies\n"
        "end_users: [Policy holders, Call-centre agents]\n"
        "stakeholders: [Claims department]\n"
        "model: {name: care-chat, version: '2.1'}\n"
        "training_data: [{name: faq-corpus, version: '2026-10', licence: CC-BY-4.0}]\n"
        "performance: [{metric: accuracy, value: 0.9, dataset: faq-test, subgroup: age 65+}]\n"
        "limitations: [Korean dialects not evaluated]\n",
        encoding="utf-8",
    )
    cards.describe_project(ctx, pid, file=description)
    yield ctx, pid
    store.dispose()


def render(ctx: ServiceContext, pid: int, fmt: str, lang: str) -> str:
    card = cards.build_card(ctx, pid, lang=lang)
    if fmt == "md":
        return render_card_markdown(card)
    view = stage1.stage1_profile(ctx, pid)
    return render_card_html(card, radar_svg=radar_svg(view.questionnaire, view.profile, lang=lang))


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_card_matches_golden_file(
    issued: tuple[ServiceContext, int], fmt: str, lang: str, request: pytest.FixtureRequest
) -> None:
    ctx, pid = issued
    text = render(ctx, pid, fmt, lang)
    golden = GOLDEN / f"card.{lang}.{fmt}"
    if request.config.getoption("--update-golden"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"missing {golden}: run pytest --update-golden and review it"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_card_content_follows_the_records(issued: tuple[ServiceContext, int], lang: str) -> None:
    ctx, pid = issued
    card = cards.build_card(ctx, pid, lang=lang)
    jsonschema.validate(card, json.loads(SCHEMA.read_text(encoding="utf-8")))
    by_status = {f["status"]: f for f in card["findings"]}
    assert by_status["verified"]["decided_by"] == "Choi"
    assert by_status["verified"]["evidence"][0]["filename"] == "subgroups.md"
    assert by_status["accepted"]["priority"] == "P3"
    assert card["known_limitations"][0]["rationale"] == "cosmetic; reviewed quarterly"
    assert [s["action"] for s in card["sign_offs"]] == [
        "stage1.closed",
        "finding.verified",
        "project.advanced",
        "finding.accepted",
    ]
    from ethos.services.audit import verify_audit_chain

    chain = verify_audit_chain(ctx)
    assert card["audit"] == {"head": chain.head, "events": chain.count, "chain_ok": True}
    html = render(ctx, pid, "html", lang)
    assert "&lt;agents&gt;" in html and "<agents>" not in html  # escaped
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # standalone


def test_a_broken_card_fails_its_schema(issued: tuple[ServiceContext, int]) -> None:
    ctx, pid = issued
    card: dict[str, Any] = cards.build_card(ctx, pid, lang="en")
    card["findings"][0]["priority"] = "P0"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(card, json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_pdf_card_holds_the_name_and_every_section(
    issued: tuple[ServiceContext, int], lang: str
) -> None:
    ctx, pid = issued
    pdf = render_card_pdf(render(ctx, pid, "html", lang))
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    flat = " ".join(text.split())
    assert "Hanbit care assistant" in flat
    for key in SECTIONS:
        assert " ".join(label(key, lang).split()) in flat, key
    assert "1 / " in flat  # page numbers


def test_issuing_records_digest_and_flags_reassessment(issued: tuple[ServiceContext, int]) -> None:
    ctx, pid = issued
    card = cards.build_card(ctx, pid, lang="en")
    rendered = render_card_markdown(card).encode()
    done = cards.record_issue(ctx, card, rendered=rendered, fmt="md")
    import hashlib

    assert done.content_sha256 == hashlib.sha256(rendered).hexdigest()
    assert cards.reassessment_due(ctx) == []
    later = ServiceContext(
        store=ctx.store,
        actor="x",
        questionnaires=ctx.questionnaires,
        clock=lambda: datetime(2027, 11, 3, tzinfo=UTC),
        catalogue_root=ctx.catalogue_root,
    )
    assert cards.reassessment_due(later)[0]["reasons"] == [
        "card issued 2026-11-02, over 12 months ago"
    ]
    path = Path(ctx.evidence_dir).parent / "describe2.yaml"
    path.write_text("model: {name: care-chat, version: '2.2'}\n", encoding="utf-8")
    cards.describe_project(ctx, pid, file=path)
    reasons = cards.reassessment_due(ctx)[0]["reasons"]
    assert "model:care-chat changed from 2.1 to 2.2" in reasons
    assert "dataset:faq-corpus changed from 2026-10 to None" in reasons
