"""The annual report (choose year and language, download md, html, pdf or json) and the
figures of a year (``ethos stats``) in the browser: for the ethics office and auditors."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from ethos.services import authz
from ethos.services.stats import FIRST_YEAR, year_stats
from ethos.web.deps import Actor, PageActor
from ethos.web.i18n import LANGUAGES
from ethos.web.pages.common import attachment, page_router
from ethos.web.rendering import render
from ethos.web.reportfiles import REPORT_FORMATS, annual_report

__all__ = ["router"]

router = page_router()
Year = Annotated[int | None, Query(ge=FIRST_YEAR, le=2100)]


def _office_or_auditor(me: Actor, action: str) -> None:
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, authz.AUDITOR, action=action, subject="report"
    )


def _years(me: Actor) -> list[int]:
    return list(range(me.ctx.clock().year, FIRST_YEAR - 1, -1))


@router.get("/report")
def report_page(request: Request, me: PageActor, year: Year = None) -> HTMLResponse:
    _office_or_auditor(me, "build the annual report")
    return render(
        request,
        "report.html.j2",
        actor=me,
        years=_years(me),
        year=year or me.ctx.clock().year,
        languages=LANGUAGES,
        formats=list(REPORT_FORMATS),
    )


@router.get("/report/download")
def report_download(
    me: PageActor,
    year: Annotated[int, Query(ge=FIRST_YEAR, le=2100)],
    format: Annotated[str, Query(pattern="^(md|html|pdf|json)$")] = "html",
    lang: Annotated[str | None, Query(pattern="^(ko|en)$")] = None,
    organisation: Annotated[str, Query(max_length=200)] = "",
    view: bool = False,
) -> Response:
    """The report as a file (``view``: HTML shown in the browser instead)."""
    _office_or_auditor(me, "build the annual report")
    rendered = annual_report(
        me.reader,
        year=year,
        lang=lang or me.lang,
        fmt=format,
        organisation=organisation,
        before_layout=me.end_snapshot,
    )
    headers = {"X-Content-SHA256": rendered.sha256}
    if not (view and format == "html"):
        headers |= attachment(rendered.filename)
    return Response(rendered.content, media_type=rendered.media_type, headers=headers)


@router.get("/stats")
def stats_page(request: Request, me: PageActor, year: Year = None) -> HTMLResponse:
    """The figures of a year compared with the year before, with the ids they count."""
    _office_or_auditor(me, "read the statistics")
    chosen = year or me.ctx.clock().year
    return render(
        request,
        "stats.html.j2",
        actor=me,
        years=_years(me),
        year=chosen,
        data=year_stats(me.reader, chosen),
    )
