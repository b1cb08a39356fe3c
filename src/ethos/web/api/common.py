"""What the API routers share: the router factory, the error body, JSON shapes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from ethos.domain.findings import Finding
from ethos.domain.projects import Member, Project
from ethos.services.accounts import Account, ApiToken
from ethos.web.deps import SnapshotRoute

__all__ = [
    "MAX_ID",
    "ErrorBody",
    "Id",
    "In",
    "RefId",
    "account_json",
    "api_router",
    "finding_json",
    "member_json",
    "project_json",
    "token_json",
]


MAX_ID = 2**31 - 1
Id = Annotated[int, PathParam(ge=1, le=MAX_ID)]
RefId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorDetail(BaseModel):
    type: str
    message: str


class ErrorBody(BaseModel):
    """Every error: a type and a message for a person; never a stack trace."""

    error: ErrorDetail


class In(BaseModel):
    """Request bodies refuse unknown fields, so a typo is an error and not ignored."""

    model_config = ConfigDict(extra="forbid")


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "The input is not valid"),
        (401, "No valid API token"),
        (403, "Not allowed for this account"),
        (404, "Not found"),
        (409, "The current state forbids it"),
        (422, "The request does not match the schema"),
    )
}


def api_router(tag: str) -> APIRouter:
    return APIRouter(prefix="/api/v1", tags=[tag], responses=_ERRORS, route_class=SnapshotRoute)


def project_json(p: Project) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "type": p.type.value,
        "purpose": p.purpose,
        "description": p.description,
        "lifecycle_stage": p.lifecycle_stage.value,
        "created_by": p.created_by,
        "created_at": p.created_at.isoformat(),
        "questionnaire": {"id": p.questionnaire_id, "version": p.questionnaire_version},
        "stage1_closed_at": p.stage1_closed_at.isoformat() if p.stage1_closed_at else None,
    }


def member_json(m: Member, holders: dict[int, str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": m.id, "name": m.name, "role": m.role.value}
    if holders is not None:
        data["username"] = holders.get(m.id)
    return data


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "project_id": f.project_id,
        "source": f.source.value,
        "catalogue_id": f.catalogue_id,
        "category": f.category.value,
        "title": {"en": f.title_en, "ko": f.title_ko},
        "description": {"en": f.description_en, "ko": f.description_ko},
        "severity": f.severity,
        "likelihood": f.likelihood,
        "priority": f.priority.value,
        "status": f.status.value,
        "owner": f.owner_member_id,
        "due": f.due_date.isoformat() if f.due_date else None,
        "plan": {"mitigations": list(f.plan_mitigations), "text": f.plan_text},
        "resolution_note": f.resolution_note,
        "decided_by": f.decided_by_member_id,
        "decided_at": f.decided_at.isoformat() if f.decided_at else None,
        "rationale": f.rationale,
        "evidence": [
            {
                "id": e.id,
                "type": e.type.value,
                "sha256": e.sha256,
                "filename": e.filename,
                "media_type": e.media_type,
                "size_bytes": e.size_bytes,
                "url": e.url,
                "record": e.record,
                "note": e.note,
                "added_by": e.added_by,
                "added_at": e.added_at.isoformat(),
            }
            for e in f.evidence
        ],
    }


def account_json(a: Account) -> dict[str, Any]:
    return {
        "id": a.id,
        "username": a.username,
        "display_name": a.display_name,
        "role": a.role,
        "active": a.active,
        "created_at": a.created_at.isoformat(),
    }


def token_json(t: ApiToken) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": t.id,
        "name": t.name,
        "created_at": when(t.created_at),
        "last_used_at": when(t.last_used_at),
        "expires_at": when(t.expires_at),
        "revoked_at": when(t.revoked_at),
    }
