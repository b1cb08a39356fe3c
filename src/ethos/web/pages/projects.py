"""The project page (facts, task force, stage progress) and the forms that change them."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup

from ethos.domain.findings import LIFECYCLE_ORDER, FindingStatus
from ethos.domain.projects import ProjectType, Role
from ethos.services import accounts, authz, lifecycle, projects, stage1
from ethos.services.project_overview import ProjectOverview, project_overview
from ethos.web.deps import Actor, PageActor, inline_read, web_state
from ethos.web.pages.common import page_router
from ethos.web.rendering import redirect, render, say
from ethos.web.sessions import csrf_token

__all__ = ["router"]

router = page_router()
Text = Annotated[str, Form(max_length=4000)]


@router.get("/projects/new")
def new_project_form(request: Request, me: PageActor) -> HTMLResponse:
    authz.require_role(me.ctx, me.principal, authz.ADMIN, action="create a project", subject="")
    return render(request, "project_new.html.j2", actor=me, types=list(ProjectType))


@router.post("/projects")
def create_project(
    request: Request,
    me: PageActor,
    name: Annotated[str, Form(max_length=200)],
    type: Annotated[str, Form(max_length=40)],
    purpose: Text = "",
    description: Text = "",
) -> RedirectResponse:
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, action="create a project", subject="projects"
    )
    project = projects.create_project(
        me.ctx, name=name, type=type, purpose=purpose, description=description
    )
    say(request, me, "Project created.")
    return redirect(f"/projects/{project.id}")


@router.get("/projects/{project_id}")
@inline_read
def project_page(request: Request, me: PageActor, project_id: int) -> HTMLResponse:
    access = authz.project_access(me.ctx, me.principal, project_id, action="open the project")
    overview = project_overview(me.reader, access.project.id)
    # The content depends on the project's records (the overview), the language and what
    # this person may do; it is rendered once per overview and kind of reader, with a slot
    # for the session's CSRF token.
    seat = access.seat.id if access.seat else None
    key = ("project_body.html.j2", me.lang, me.principal.is_admin, access.may_change, seat)
    body = overview.derived.get(key)
    if not isinstance(body, str):
        body = overview.derived.setdefault(key, _body(request, me, access, overview))
    assert isinstance(body, str)
    with_token = Markup(body.replace(_CSRF_SLOT, csrf_token(request)))  # noqa: S704
    return render(request, "project.html.j2", actor=me, project=access.project, body=with_token)


# Stands for the CSRF token in kept content; random, so no project text can hold it.
_CSRF_SLOT = f"csrf-{secrets.token_hex(16)}"


def _body(
    request: Request, me: Actor, access: authz.ProjectAccess, overview: ProjectOverview
) -> str:
    """The project page's content, the CSRF token left as :data:`_CSRF_SLOT`."""
    view, found, holders = overview.view, overview.findings, overview.holders
    answered = {
        m.id: sum(1 for s in view.profile.items.values() if m.id in s.scores) for m in view.members
    }
    needed = {m.id: len(view.questionnaire.items_for(m.role)) for m in view.members}
    counts = {s.value: sum(1 for f in found if f.status is s) for s in FindingStatus}
    later = LIFECYCLE_ORDER[LIFECYCLE_ORDER.index(access.project.lifecycle_stage) + 1 :]
    state = web_state(request)
    return state.templates.get_template("project_body.html.j2").render(
        _=state.catalogues.get(me.lang).gettext,
        csrf=_CSRF_SLOT,
        me=me.principal,
        access=access,
        project=access.project,
        view=view,
        profile=view.profile,
        holders=holders,
        answered=answered,
        needed=needed,
        counts=counts,
        findings_total=sum(v for k, v in counts.items() if k != "withdrawn"),
        roles=list(Role),
        later_stages=later,
        stages=LIFECYCLE_ORDER,
    )


@router.post("/projects/{project_id}/members")
def add_member(
    request: Request,
    me: PageActor,
    project_id: int,
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=20)],
    username: Annotated[str, Form(max_length=64)] = "",
) -> RedirectResponse:
    """Put a person on the task force (admin), linked to their account when given."""
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, action="add a member", subject=f"project:{project_id}"
    )
    if username.strip():
        accounts.get_user(me.ctx, username)  # refuse an unknown account before adding
    member = projects.add_member(me.ctx, project_id, name=name, role=role)
    if username.strip():
        accounts.link_member(me.ctx, project_id, member.id, username)
    say(request, me, "Member added.")
    return redirect(f"/projects/{project_id}")


@router.post("/projects/{project_id}/members/{member_id}/link")
def link_member(
    request: Request,
    me: PageActor,
    project_id: int,
    member_id: int,
    username: Annotated[str, Form(max_length=64)] = "",
) -> RedirectResponse:
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, action="link a member", subject=f"project:{project_id}"
    )
    accounts.link_member(me.ctx, project_id, member_id, username.strip() or None)
    say(request, me, "Account link saved.")
    return redirect(f"/projects/{project_id}")


@router.post("/projects/{project_id}/stage1/close")
def close_stage1(request: Request, me: PageActor, project_id: int) -> RedirectResponse:
    authz.require_change(me.ctx, me.principal, project_id, action="close stage 1")
    stage1.close_stage1(me.ctx, project_id)
    say(request, me, "Stage 1 closed.")
    return redirect(f"/projects/{project_id}")


@router.post("/projects/{project_id}/stage1/reopen")
def reopen_stage1(
    request: Request, me: PageActor, project_id: int, reason: Text
) -> RedirectResponse:
    authz.require_change(me.ctx, me.principal, project_id, action="reopen stage 1")
    stage1.reopen_stage1(me.ctx, project_id, reason=reason)
    say(request, me, "Stage 1 reopened.")
    return redirect(f"/projects/{project_id}")


@router.post("/projects/{project_id}/advance")
def advance(
    request: Request, me: PageActor, project_id: int, to: Annotated[str, Form(max_length=20)]
) -> RedirectResponse:
    authz.require_change(me.ctx, me.principal, project_id, action="advance the project")
    lifecycle.advance_project(me.ctx, project_id, to=to)
    say(request, me, "Lifecycle stage changed.")
    return redirect(f"/projects/{project_id}")
