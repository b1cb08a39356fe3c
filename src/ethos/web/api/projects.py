"""API: the signed-in account, projects, task forces, the portfolio, lifecycle."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import Field

from ethos.services import accounts, authz, lifecycle, portfolio, projects
from ethos.web.api.common import Id, In, account_json, api_router, member_json, project_json
from ethos.web.deps import ApiActor, inline_read

__all__ = ["router"]

router = api_router("projects")
Name = Annotated[str, Field(min_length=1, max_length=200)]


class ProjectIn(In):
    name: Name
    type: Annotated[
        str, Field(description="basic_research, applied_research or product_development")
    ]
    purpose: Annotated[str, Field(max_length=4000)] = ""
    description: Annotated[str, Field(max_length=4000)] = ""
    lifecycle_stage: Annotated[str, Field(max_length=20)] = "planning"


class MemberIn(In):
    name: Name
    role: Annotated[str, Field(description="technical, business or ethics")]
    username: Annotated[str | None, Field(max_length=64, description="account to link")] = None


class LinkIn(In):
    username: Annotated[str | None, Field(max_length=64)] = None


class AdvanceIn(In):
    to: Annotated[str, Field(description="development, validation, release or retired")]


@router.get("/me", summary="The account the token belongs to")
def me_(me: ApiActor) -> dict[str, Any]:
    return account_json(accounts.get_user(me.ctx, me.principal.username))


@router.get("/dashboard", summary="Portfolio: projects by type and stage, open findings, due")
@inline_read
def dashboard(me: ApiActor, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> dict[str, Any]:
    view = portfolio.portfolio(me.ctx, me.principal, page=page)
    return {
        "total": view.total,
        "by_type_and_stage": view.by_type_and_stage,
        "open_findings": view.open_findings,
        "open_by_priority": view.open_by_priority,
        "due": view.due,
        "page": view.page,
        "pages": view.pages,
        "projects": [
            {**project_json(s.project), "members": s.members, "open_findings": s.open_findings}
            for s in view.projects
        ],
    }


@router.get("/projects", summary="Projects this account may see")
def list_projects(me: ApiActor) -> list[dict[str, Any]]:
    return [project_json(p) for p in portfolio.visible_projects(me.ctx, me.principal)]


@router.post("/projects", status_code=201, summary="Register a project (admin)")
def create_project(me: ApiActor, body: ProjectIn) -> dict[str, Any]:
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, action="create a project", subject="projects"
    )
    project = projects.create_project(
        me.ctx,
        name=body.name,
        type=body.type,
        purpose=body.purpose,
        description=body.description,
        lifecycle_stage=body.lifecycle_stage,
    )
    return project_json(project)


@router.get("/projects/due", summary="Projects due for re-assessment")
@inline_read
def due(me: ApiActor) -> list[dict[str, Any]]:
    return portfolio.portfolio(me.ctx, me.principal).due


@router.get("/projects/{project_id}", summary="One project with its task force")
def get_project(me: ApiActor, project_id: Id) -> dict[str, Any]:
    access = authz.project_access(me.ctx, me.principal, project_id, action="open the project")
    holders = accounts.seat_holders(me.ctx, access.project.id)
    members = projects.list_members(me.reader, access.project.id)
    return {
        **project_json(access.project),
        "members": [member_json(m, holders) for m in members],
        "your_seat": member_json(access.seat) if access.seat else None,
        "may_change": access.may_change,
    }


@router.get("/projects/{project_id}/members", summary="The task force")
def list_members(me: ApiActor, project_id: Id) -> list[dict[str, Any]]:
    access = authz.project_access(me.ctx, me.principal, project_id, action="open the project")
    holders = accounts.seat_holders(me.ctx, access.project.id)
    return [member_json(m, holders) for m in projects.list_members(me.reader, project_id)]


@router.post("/projects/{project_id}/members", status_code=201, summary="Add a member (admin)")
def add_member(me: ApiActor, project_id: Id, body: MemberIn) -> dict[str, Any]:
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, action="add a member", subject=f"project:{project_id}"
    )
    if body.username:
        accounts.get_user(me.ctx, body.username)
    member = projects.add_member(me.ctx, project_id, name=body.name, role=body.role)
    if body.username:
        accounts.link_member(me.ctx, project_id, member.id, body.username)
    return member_json(member, accounts.seat_holders(me.ctx, member.project_id))


@router.post(
    "/projects/{project_id}/members/{member_id}/link",
    summary="Link a member to an account, or unlink with null (admin)",
)
def link_member(me: ApiActor, project_id: Id, member_id: Id, body: LinkIn) -> dict[str, Any]:
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, action="link a member", subject=f"project:{project_id}"
    )
    member = accounts.link_member(me.ctx, project_id, member_id, body.username or None)
    return member_json(member, accounts.seat_holders(me.ctx, member.project_id))


@router.post("/projects/{project_id}/advance", summary="Move to a later lifecycle stage")
def advance(me: ApiActor, project_id: Id, body: AdvanceIn) -> dict[str, Any]:
    authz.require_change(me.ctx, me.principal, project_id, action="advance the project")
    return project_json(lifecycle.advance_project(me.ctx, project_id, to=body.to))
