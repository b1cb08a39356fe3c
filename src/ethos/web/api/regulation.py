"""API: a project's intake facts and its legal classification."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Query

from ethos.services import authz, regulation
from ethos.web.api.common import Id, api_router
from ethos.web.deps import ApiActor

__all__ = ["router"]

router = api_router("regulation")


@router.get("/projects/{project_id}/facts", summary="The current intake facts (null if none)")
def get_facts(me: ApiActor, project_id: Id) -> dict[str, Any] | None:
    authz.project_access(me.ctx, me.principal, project_id, action="open the facts")
    return regulation.get_facts(me.reader, project_id)


@router.put("/projects/{project_id}/facts", summary="Record a new revision of the intake facts")
def set_facts(me: ApiActor, project_id: Id, body: dict[str, Any]) -> dict[str, Any]:
    authz.require_change(me.ctx, me.principal, project_id, action="record intake facts")
    change = regulation.set_facts(me.ctx, project_id, body)
    return {
        "project": change.project_id,
        "revision": change.revision,
        "digest": change.digest,
        "changed": change.changed,
        "unchanged": change.unchanged,
    }


@router.get(
    "/projects/{project_id}/classification",
    summary="EU AI Act and Korea AI Basic Act classification with legal references",
)
def classification(
    me: ApiActor, project_id: Id, as_of: Annotated[date | None, Query()] = None
) -> dict[str, Any]:
    authz.project_access(me.ctx, me.principal, project_id, action="open the classification")
    return regulation.classify_project(me.reader, project_id, as_of=as_of).to_json()
