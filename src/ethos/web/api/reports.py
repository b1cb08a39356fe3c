"""API: the figures of a year (``ethos stats``) and the annual report (ethics office and
auditors)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path as PathParam
from fastapi import Query
from fastapi.responses import Response

from ethos.services import authz
from ethos.services.stats import FIRST_YEAR, year_stats
from ethos.web.api.common import api_router
from ethos.web.deps import Actor, ApiActor
from ethos.web.pages.common import attachment
from ethos.web.reportfiles import REPORT_FORMATS, annual_report

__all__ = ["router"]

router = api_router("report")
Year = Annotated[int, Query(ge=FIRST_YEAR, le=2100, description="calendar year (UTC)")]


def _office_or_auditor(me: Actor, action: str) -> None:
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, authz.AUDITOR, action=action, subject="report"
    )


@router.get(
    "/stats",
    summary="The figures of a year with the ids they count, and the year before (ethos.stats/1)",
)
def stats(me: ApiActor, year: Year) -> dict[str, Any]:
    _office_or_auditor(me, "read the statistics")
    return year_stats(me.reader, year)


@router.get(
    "/report.{fmt}",
    summary="The annual accountability report (PDF takes a while)",
    response_class=Response,
    responses={200: {"content": {media.split(";")[0]: {} for media in REPORT_FORMATS.values()}}},
)
def report(
    me: ApiActor,
    fmt: Annotated[str, PathParam(pattern="^(md|html|pdf|json)$")],
    year: Year,
    lang: Annotated[str, Query(pattern="^(ko|en)$")] = "en",
    organisation: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    _office_or_auditor(me, "build the annual report")
    rendered = annual_report(
        me.reader,
        year=year,
        lang=lang,
        fmt=fmt,
        organisation=organisation,
        before_layout=me.end_snapshot,
    )
    headers = attachment(rendered.filename) | {"X-Content-SHA256": rendered.sha256}
    return Response(rendered.content, media_type=rendered.media_type, headers=headers)
