"""The audit log and the state of its hash chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from ethos.services import audit, authz
from ethos.web.deps import PageActor
from ethos.web.pages.common import page_router
from ethos.web.rendering import render

__all__ = ["router"]

router = page_router()


@router.get("/audit")
def audit_page(
    request: Request,
    me: PageActor,
    subject: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> HTMLResponse:
    authz.require_role(
        me.ctx,
        me.principal,
        authz.ADMIN,
        authz.AUDITOR,
        action="read the audit log",
        subject="audit",
    )
    chain = audit.verify_audit_chain(me.reader)
    events = audit.audit_log(me.reader, limit=limit, subject=subject or None, action=action or None)
    return render(
        request,
        "audit.html.j2",
        actor=me,
        chain=chain,
        events=list(reversed(events)),
        subject=subject or "",
        action=action or "",
        limit=limit,
    )
