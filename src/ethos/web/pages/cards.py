"""The card page: a preview, copies to download, and issuing the card (recorded)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from ethos.services import authz
from ethos.web.cardfiles import FORMATS, RenderedCard, card_html, issue_card, render_card
from ethos.web.deps import PageActor
from ethos.web.i18n import LANGUAGES
from ethos.web.pages.common import attachment, page_router
from ethos.web.rendering import render

__all__ = ["router"]

router = page_router()
Lang = Annotated[str | None, Query(pattern="^(ko|en)$")]
Format = Annotated[str, Path(pattern="^(md|html|pdf|json)$")]


def card_file(card: RenderedCard) -> Response:
    """The card as a download, with the digest of exactly these bytes."""
    headers = attachment(card.filename) | {"X-Content-SHA256": card.sha256}
    return Response(card.content, media_type=card.media_type, headers=headers)


@router.get("/projects/{project_id}/card")
def card_page(request: Request, me: PageActor, project_id: int, lang: Lang = None) -> HTMLResponse:
    access = authz.project_access(me.ctx, me.principal, project_id, action="open the card")
    return render(
        request,
        "card.html.j2",
        actor=me,
        project=access.project,
        access=access,
        card_lang=lang or me.lang,
        languages=LANGUAGES,
        formats=list(FORMATS),
    )


@router.get("/projects/{project_id}/card/preview")
def card_preview(me: PageActor, project_id: int, lang: Lang = None) -> HTMLResponse:
    authz.project_access(me.ctx, me.principal, project_id, action="open the card")
    return HTMLResponse(card_html(me.reader, project_id, lang or me.lang))


@router.get("/projects/{project_id}/card.{fmt}")
def card_download(me: PageActor, project_id: int, fmt: Format, lang: Lang = None) -> Response:
    """A copy of the card as it stands; nothing is recorded (issuing is a POST)."""
    authz.project_access(me.ctx, me.principal, project_id, action="download the card")
    return card_file(render_card(me.reader, project_id, fmt, lang or me.lang))


@router.post("/projects/{project_id}/card/issue")
def card_issue(
    me: PageActor,
    project_id: int,
    fmt: Annotated[str, Form(pattern="^(md|html|pdf|json)$")],
    lang: Annotated[str, Form(pattern="^(ko|en)$")],
) -> Response:
    """Issue the card: recorded in the audit trail (digest, chain head), which re-assessment
    due dates count from; the task force or an admin."""
    authz.require_change(me.ctx, me.principal, project_id, action="issue the card")
    return card_file(issue_card(me.ctx, project_id, fmt, lang))
