"""What the page routers share: the router factory and safe redirects."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Depends

from ethos.web.deps import SnapshotRoute, check_csrf

__all__ = ["attachment", "page_router", "safe_next"]


def page_router() -> APIRouter:
    """A router for pages: left out of the API schema, CSRF-checked on every unsafe method."""
    return APIRouter(
        include_in_schema=False, dependencies=[Depends(check_csrf)], route_class=SnapshotRoute
    )


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: no scheme, no host, no ``//`` (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def attachment(filename: str) -> dict[str, str]:
    """A ``Content-Disposition`` header that downloads ``filename`` under its own name."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename)[-120:] or "download"
    return {
        "Content-Disposition": f'attachment; filename="{fallback}"; '
        f"filename*=UTF-8''{quote(filename[-200:], safe='')}"
    }
