"""The portfolio dashboard."""

from __future__ import annotations

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from ethos.domain.catalogue import FindingCategory, Priority
from ethos.domain.findings import LIFECYCLE_ORDER
from ethos.domain.projects import ProjectType
from ethos.services.portfolio import portfolio
from ethos.web.charts import bar_chart
from ethos.web.deps import PageActor
from ethos.web.pages.common import page_router
from ethos.web.rendering import render
from ethos.web.terms import term

__all__ = ["router"]

router = page_router()


@router.get("/")
def dashboard(
    request: Request, me: PageActor, page: int = Query(1, ge=1, le=100_000)
) -> HTMLResponse:
    view = portfolio(me.ctx, me.principal, page=page)
    translate = request.app.state.ethos.catalogues.get(me.lang).gettext
    chart = bar_chart(
        [(p.value, view.open_by_priority.get(p.value, 0), p.value) for p in Priority],
        title=translate("Open findings by priority"),
    )
    labels = {v.value: translate(term(v)) for v in (*ProjectType, *LIFECYCLE_ORDER)}
    return render(
        request,
        "dashboard.html.j2",
        actor=me,
        labels=labels,  # translated once, not once a row
        closed=translate("closed"),
        still_open=translate("open"),
        view=view,
        types=list(ProjectType),
        stages=LIFECYCLE_ORDER,
        priorities=[p.value for p in Priority],
        categories=list(FindingCategory),
        chart=chart,
    )
