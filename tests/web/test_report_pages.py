"""The annual report and the figures of a year in the browser (ethics office, auditors)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from ethos.services import audit, office
from ethos.services.findings import list_findings
from tests.web.conftest import Browser, World
from tests.web.test_office_pages import CHAIR, committee
from tests.web.test_pages import agree_and_close, answer_all


def this_year() -> int:
    return datetime.now(UTC).year


@pytest.mark.parametrize("who", ["admin", "auditor"])
def test_the_report_page_offers_years_languages_and_formats(
    browser: Callable[..., Browser], who: str
) -> None:
    page = browser(who).get("/report").text
    assert f'<option value="{this_year()}" selected>' in page
    assert re.findall(r'name="format" value="(\w+)"', page) == ["html", "md", "pdf", "json"]
    assert 'href="/report"' in page  # the navigation offers it to them


def test_task_force_members_get_neither_report_nor_figures(
    browser: Callable[..., Browser], world: World
) -> None:
    b = browser("alice")
    year = this_year()
    for path in ("/report", f"/report/download?year={year}&format=md", "/stats"):
        assert b.get(path).status_code == 403, path
    assert len(audit.audit_log(world.ctx, limit=10, action="auth.denied")) == 3
    assert 'href="/report"' not in b.get("/").text


def test_the_report_downloads_in_the_chosen_year_and_language(
    browser: Callable[..., Browser], world: World
) -> None:
    office.add_record(world.ctx, committee())
    b = browser("auditor")
    year = this_year()
    md = b.get(f"/report/download?year={year}&lang=ko&format=md&organisation=Hanbit")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert f"ethics-report-{year}-ko.md" in md.headers["content-disposition"]
    assert md.headers["x-content-sha256"] == hashlib.sha256(md.content).hexdigest()
    assert "AI 윤리위원회" in md.text and "Hanbit" in md.text and CHAIR not in md.text
    html = b.get(f"/report/download?year={year}&lang=en&format=html&view=true")
    assert "content-disposition" not in html.headers and "AI Ethics Committee" in html.text
    assert b.get(f"/report/download?year={year}&format=docx").status_code == 400
    assert b.get("/report/download?year=1999&format=md").status_code == 400


def test_the_report_downloads_as_pdf(browser: Callable[..., Browser], world: World) -> None:
    office.add_record(world.ctx, committee())
    pdf = browser("admin").get(f"/report/download?year={this_year()}&format=pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) > 10_000


def test_the_figures_of_the_year_count_what_was_recorded(
    browser: Callable[..., Browser], world: World
) -> None:
    answer_all(world)
    agree_and_close(world)  # closes stage 1 of Care bot and derives its findings
    page = browser("admin").get(f"/stats?year={this_year()}").text

    def count(row: str) -> int:
        cell = rf'data-row="{row}">\s*<th[^>]*>[^<]*</th>\s*<td[^>]*data-count="(\d+)"'
        found = re.search(cell, page)
        assert found, row
        return int(found.group(1))

    _, found = list_findings(world.ctx, world.projects["care"])
    assert count("started") == 2 and count("stage1_closed") == 1 and count("completed") == 0
    assert count("findings") == len([f for f in found if f.status.value != "withdrawn"])
    assert count("open_p1") == sum(1 for f in found if f.priority.value == "P1" and f.is_open)
    previous = browser("auditor").get(f"/stats?year={this_year() - 1}").text
    assert 'data-row="started"' in previous and 'data-count="2"' not in previous
