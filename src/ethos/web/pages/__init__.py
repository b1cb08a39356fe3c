"""Server-rendered pages. Every state-changing form is checked for the session's CSRF token."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["routers"]


def routers() -> list[APIRouter]:
    from ethos.web.pages import (
        accounts,
        assessment,
        audit,
        auth,
        cards,
        dashboard,
        findings,
        office,
        projects,
        regulation,
        reports,
    )

    return [
        auth.router,
        dashboard.router,
        projects.router,
        assessment.router,
        findings.router,
        cards.router,
        audit.router,
        accounts.router,
        regulation.router,
        office.router,
        reports.router,
    ]
