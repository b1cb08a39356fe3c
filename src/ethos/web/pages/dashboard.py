"""The portfolio dashboard."""

from __future__ import annotations

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from ethos.domain.catalogue import FindingCategory, Priority
from ethos.domain.findings import LIFECYCLE_ORDER
from ethos.domain.projects import ProjectType
from ethos.services.portfolio import Portfolio, portfolio
from ethos.services.read_models import read_models
from ethos.web.charts import bar_chart
from ethos.web.deps import Actor, PageActor, inline_read, web_state
from ethos.web.pages.common import page_router
from ethos.web.rendering import render
from ethos.web.terms import term

__all__ = ["router"]

router = page_router()


@router.get("/")
@inline_read
def dashboard(
    request: Request, me: PageActor, page: int = Query(1, ge=1, le=100_000)
) -> HTMLResponse:
    view = portfolio(me.ctx, me.principal, page=page)
    if view.state is None:
        body = _body(request, me, view)
    else:  # the same figures, language and role give the same content: rendered once
        key = ("dashboard.html", view.state, me.lang, me.principal.is_admin)
        body = read_models(me.ctx.store).get_or_compute(key, lambda: _body(request, me, view))
    return render(request, "dashboard.html.j2", actor=me, body=body)


def _body(request: Request, me: Actor, view: Portfolio) -> Markup:
    """The dashboard's content: everything but the page furniture (menu, CSRF token)."""
    state = web_state(request)
    translate = state.catalogues.get(me.lang).gettext
    chart = bar_chart(
        [(p.value, view.open_by_priority.get(p.value, 0), p.value) for p in Priority],
        title=translate("Open findings by priority"),
    )
    labels = {v.value: translate(term(v)) for v in (*ProjectType, *LIFECYCLE_ORDER)}
    html = state.templates.get_template("dashboard_body.html.j2").render(
        _=translate,
        me=me.principal,
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
    return Markup(html)  # noqa: S704 - rendered by the autoescaping environment
