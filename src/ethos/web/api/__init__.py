"""The REST API under /api/v1: JSON in and out, bearer tokens, documented by OpenAPI."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["routers"]


def routers() -> list[APIRouter]:
    from ethos.web.api import (
        accounts,
        assessment,
        audit,
        findings,
        office,
        projects,
        regulation,
        reports,
    )

    return [
        projects.router,
        assessment.router,
        findings.router,
        accounts.router,
        audit.router,
        regulation.router,
        office.router,
        reports.router,
    ]
