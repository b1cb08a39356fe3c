"""The annual report on the demo organisation: golden Markdown in both languages, a complete
cross-reference index, PDF pages that really hold what the index cites, and no names.

Golden files change only with ``pytest --update-golden``; review the diff before committing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from ethos.reports.annual import render_report_html, render_report_markdown, render_report_pdf
from ethos.services import demo, office, report
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store

GOLDEN = Path(__file__).parent / "golden"
KNOWLEDGE = Path(__file__).resolve().parents[2] / "src" / "ethos" / "knowledge"


def ticking_clock() -> Iterator[datetime]:
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    while True:
        yield moment
        moment += timedelta(seconds=7)


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceContext]:
    """The demo organisation seeded on a fixed clock: the same records on every run."""
    base = tmp_path_factory.mktemp("report")
    store = Store.open(f"sqlite:///{base / 'ethos.sqlite3'}")
    store.upgrade()
    ticks = ticking_clock()
    ctx = ServiceContext(
        store=store, actor="ethics-office", clock=lambda: next(ticks), evidence_dir=base / "ev"
    )
    demo.seed_demo(ctx, demo.load_demo_organisation(), work=base / "work")
    office.seed_office_demo(ctx)
    yield ctx
    store.dispose()


@pytest.fixture(scope="module")
def reports(demo_ctx: ServiceContext) -> dict[str, dict[str, Any]]:
    return {lang: report.build_report(demo_ctx, 2026, lang=lang) for lang in ("en", "ko")}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_markdown_report_matches_golden(
    reports: dict[str, dict[str, Any]], lang: str, request: pytest.FixtureRequest
) -> None:
    text = render_report_markdown(reports[lang])
    golden = GOLDEN / f"report.{lang}.md"
    if request.config.getoption("--update-golden"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"missing {golden}: run pytest --update-golden and review it"
    assert text == golden.read_text(encoding="utf-8")


def clause_ids() -> dict[str, list[str]]:
    """Every node id of every framework, read straight from the YAML files."""
    found: dict[str, list[str]] = {}

    def walk(nodes: list[dict[str, Any]], into: list[str]) -> None:
        for node in nodes:
            into.append(node["id"])
            walk(node.get("children", []), into)

    for path in sorted((KNOWLEDGE / "frameworks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids: list[str] = []
        walk(data["nodes"], ids)
        found[data["id"]] = ids
    return found


def test_every_clause_of_every_framework_is_in_the_index(
    reports: dict[str, dict[str, Any]],
) -> None:
    built = {t["framework"]: [r["id"] for r in t["rows"]] for t in reports["en"]["index"]}
    assert built == clause_ids()
    markdown = render_report_markdown(reports["en"])
    index = markdown.split('<a id="index"></a>', 1)[1]
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', markdown))
    cited = 0
    for framework, ids in clause_ids().items():
        assert f"(`{framework}`)" in index
        for node_id in ids:
            line = next(x for x in index.splitlines() if x.startswith(f"| `{node_id}` "))
            where = line.rsplit("|", 2)[1].strip()
            links = re.findall(r"\]\(#([^)]+)\)", where)
            assert where == "-" or links, line
            assert all(link in anchors for link in links), line
            cited += len(links)
    assert cited > 0


def test_index_follows_the_crosswalk_and_the_records(reports: dict[str, dict[str, Any]]) -> None:
    r = reports["en"]
    rows = {row["id"]: row for t in r["index"] for row in t["rows"]}
    found_risks = {x["id"] for x in r["results"]["risks"]}
    crosswalk = yaml.safe_load(
        (KNOWLEDGE / "crosswalks" / "ethos-practices.yaml").read_text(encoding="utf-8")
    )
    # a clause mapped directly from a risk that was found this year cites that risk's row
    for practice, links in crosswalk["practices"].items():
        kind, pid = practice.split(":", 1)
        if kind != "risk" or pid not in found_risks:
            continue
        for link in links:
            assert f"risk-{pid}" in rows[link["node"]]["anchors"], (practice, link["node"])
    # legal findings cite their clause directly
    for clause in r["results"]["legal"]:
        assert clause["anchor"] in rows[clause["id"]]["anchors"]
    # a clause nothing maps to and no record names shows a dash
    dashes = [row for row in rows.values() if not row["practices"] and not row["anchors"]]
    assert dashes


def test_pdf_pages_cited_hold_the_rows(reports: dict[str, dict[str, Any]]) -> None:
    r = reports["en"]
    pdf, pages = render_report_pdf(r)
    reader = PdfReader(io.BytesIO(pdf))
    texts = ["".join(p.extract_text().split()) for p in reader.pages]
    assert max(pages.values()) <= len(texts)
    rows = {
        **{x["anchor"]: x["id"] for x in r["results"]["risks"]},
        **{x["anchor"]: x["id"] for x in r["results"]["mitigations"]},
        **{x["anchor"]: x["id"] for x in r["results"]["legal"]},
        **{x["anchor"]: x["id"] for x in r["results"]["profile_items"]},
    }
    assert rows
    for anchor, row_id in rows.items():
        assert row_id in texts[pages[anchor] - 1], (anchor, pages[anchor])
    numbers = {s["id"]: s["number"] for s in r["sections"]}
    titles = {"results-findings": "Stage2:problemsfound", "index": "Appendix:cross-referenceindex"}
    for section, title in titles.items():
        assert f"{numbers[section]}{title}" in texts[pages[section] - 1]
    # the index prints the same pages
    risk = r["results"]["risks"][0]
    assert f"5.3(p.{pages[risk['anchor']]}" in "".join(texts)


def test_no_personal_names_in_the_report(reports: dict[str, dict[str, Any]]) -> None:
    organisation = yaml.safe_load(
        (KNOWLEDGE / "demo" / "organisation.yaml").read_text(encoding="utf-8")
    )
    names = [m["name"] for p in organisation["projects"] for m in p["members"]]
    assert names
    for lang, data in reports.items():
        for text in (render_report_markdown(data), render_report_html(data)):
            leaked = [n for n in names if n in text]
            assert leaked == [], lang
