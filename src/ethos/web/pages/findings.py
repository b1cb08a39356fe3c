"""The findings board: derive, add, assign, plan, attach evidence, resolve, decide."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ethos.domain.catalogue import FindingCategory
from ethos.domain.errors import InvalidInputError
from ethos.domain.findings import FindingStatus
from ethos.services import authz, findings, workspace
from ethos.services.context import ServiceContext
from ethos.services.stage1 import stage1_profile
from ethos.web.deps import PageActor, form_file, form_text, reads_own_form, upload_form
from ethos.web.pages.common import attachment, page_router
from ethos.web.rendering import redirect, render, say

__all__ = ["router", "save_upload"]

router = page_router()
Text = Annotated[str, Form(max_length=4000)]
_COLUMNS = [FindingStatus.OPEN, FindingStatus.RESOLVED, FindingStatus.VERIFIED]
_CHUNK = 1 << 20


def _safe_name(name: str | None) -> str:
    base = Path(name or "evidence").name
    cleaned = re.sub(r"[^\w.\- ]+", "_", base).strip(" .") or "evidence"
    return cleaned[-120:]


async def save_upload(ctx: ServiceContext, upload: UploadFile, folder: Path) -> Path:
    """Write an upload to ``folder`` under its (cleaned) name, stopping past the size limit."""
    limit = ctx.evidence_policy().max_bytes
    path = folder / _safe_name(upload.filename)
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise InvalidInputError(
                    f"file {path.name}: over the evidence limit of {limit} bytes",
                    ko=f"파일 {path.name}: 증빙 한도 {limit}바이트를 넘습니다",
                )
            out.write(chunk)
    return path


@router.get("/projects/{project_id}/findings")
def board(request: Request, me: PageActor, project_id: int) -> HTMLResponse:
    access = authz.project_access(me.ctx, me.principal, project_id, action="open the findings")
    _, found = findings.list_findings(me.reader, project_id)
    view = stage1_profile(me.reader, project_id)
    members = {m.id: m for m in view.members}
    mitigations = me.ctx.catalogues().mitigations.entries
    order = {"P1": 0, "P2": 1, "P3": 2}
    found.sort(key=lambda f: (order[f.priority.value], f.id))
    columns = {s: [f for f in found if f.status is s] for s in _COLUMNS}
    closed = [f for f in found if f.status in (FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN)]
    return render(
        request,
        "findings.html.j2",
        actor=me,
        project=access.project,
        access=access,
        columns=columns,
        closed=closed,
        members=members,
        mitigations=mitigations,
        mitigation_titles={m.id: m.title for m in mitigations},
        categories=list(FindingCategory),
        stage1_complete=view.profile.stage1_complete,
        today=me.ctx.clock().date().isoformat(),
    )


def _back(project_id: int, finding_id: int | None = None) -> RedirectResponse:
    anchor = f"#finding-{finding_id}" if finding_id else ""
    return redirect(f"/projects/{project_id}/findings{anchor}")


@router.post("/projects/{project_id}/findings/derive")
def derive(request: Request, me: PageActor, project_id: int) -> RedirectResponse:
    authz.require_change(me.ctx, me.principal, project_id, action="derive findings")
    result = findings.derive_findings(me.ctx, project_id)
    translate = request.app.state.ethos.catalogues.get(me.lang).gettext
    say(
        request,
        me,
        translate("Findings derived: {added} added, {withdrawn} withdrawn.").format(
            added=len(result.added) + len(result.reinstated), withdrawn=len(result.withdrawn)
        ),
    )
    return _back(project_id)


@router.post("/projects/{project_id}/findings")
def add(
    request: Request,
    me: PageActor,
    project_id: int,
    category: Annotated[str, Form(max_length=40)],
    title: Annotated[str, Form(max_length=500)],
    severity: Annotated[int, Form(ge=1, le=5)],
    likelihood: Annotated[int, Form(ge=1, le=5)],
    description: Text = "",
    title_ko: Annotated[str, Form(max_length=500)] = "",
) -> RedirectResponse:
    authz.require_change(me.ctx, me.principal, project_id, action="add a finding")
    finding = findings.add_finding(
        me.ctx,
        project_id,
        category=category,
        title=title,
        title_ko=title_ko,
        description=description,
        severity=severity,
        likelihood=likelihood,
    )
    say(request, me, "Finding added.")
    return _back(project_id, finding.id)


@router.post("/projects/{project_id}/findings/{finding_id}/assign")
def assign(
    request: Request,
    me: PageActor,
    project_id: int,
    finding_id: int,
    owner: Annotated[int, Form()],
    due: Annotated[date, Form()],
) -> RedirectResponse:
    authz.require_change(me.ctx, me.principal, project_id, action="assign a finding")
    findings.assign_finding(me.ctx, project_id, finding_id, owner=str(owner), due=due)
    say(request, me, "Finding assigned.")
    return _back(project_id, finding_id)


@router.post("/projects/{project_id}/findings/{finding_id}/plan")
def plan(
    request: Request,
    me: PageActor,
    project_id: int,
    finding_id: int,
    mitigation: Annotated[list[str] | None, Form()] = None,
    text: Text = "",
) -> RedirectResponse:
    authz.require_change(me.ctx, me.principal, project_id, action="plan a finding")
    findings.plan_finding(me.ctx, project_id, finding_id, mitigations=mitigation or [], text=text)
    say(request, me, "Plan saved.")
    return _back(project_id, finding_id)


@router.post("/projects/{project_id}/findings/{finding_id}/evidence")
@reads_own_form
async def evidence(
    request: Request, me: PageActor, project_id: int, finding_id: int
) -> RedirectResponse:
    """Fields ``file`` (optional), ``url`` and ``note``, read only once ``me`` is known (an
    anonymous upload is sent to the sign-in page unread, and one from someone who may not
    change the project refused unread); the CSRF token is checked before anything is done."""
    await run_in_threadpool(
        authz.require_change, me.ctx, me.principal, project_id, action="attach evidence"
    )
    async with upload_form(request, csrf=True) as form:
        file = form_file(form, "file", required=False)
        url = form_text(form, "url", max_length=2000)
        note = form_text(form, "note", max_length=4000)
        with tempfile.TemporaryDirectory(prefix="ethos-upload-") as folder:
            path = await save_upload(me.ctx, file, Path(folder)) if file else None
            await run_in_threadpool(
                findings.add_evidence,
                me.ctx,
                project_id,
                finding_id,
                file=path,
                url=url.strip() or None,
                note=note,
            )
    say(request, me, "Evidence attached.")
    return _back(project_id, finding_id)


@router.get("/projects/{project_id}/findings/{finding_id}/evidence/{evidence_id}")
def evidence_download(
    me: PageActor, project_id: int, finding_id: int, evidence_id: int
) -> Response:
    authz.project_access(me.ctx, me.principal, project_id, action="open evidence")
    found = workspace.evidence_file(me.ctx, project_id, finding_id, evidence_id)
    return Response(
        found.content,
        media_type=found.media_type,
        headers=attachment(found.filename),
    )


@router.post("/projects/{project_id}/findings/{finding_id}/resolve")
def resolve(
    request: Request, me: PageActor, project_id: int, finding_id: int, note: Text = ""
) -> RedirectResponse:
    authz.require_change(me.ctx, me.principal, project_id, action="resolve a finding")
    findings.resolve_finding(me.ctx, project_id, finding_id, note=note)
    say(request, me, "Finding resolved.")
    return _back(project_id, finding_id)


@router.post("/projects/{project_id}/findings/{finding_id}/verify")
def verify(request: Request, me: PageActor, project_id: int, finding_id: int) -> RedirectResponse:
    _, seat = authz.require_decider(me.ctx, me.principal, project_id, action="verify a finding")
    findings.verify_finding(me.ctx, project_id, finding_id, member=str(seat.id))
    say(request, me, "Finding verified.")
    return _back(project_id, finding_id)


@router.post("/projects/{project_id}/findings/{finding_id}/reject")
def reject(
    request: Request, me: PageActor, project_id: int, finding_id: int, reason: Text
) -> RedirectResponse:
    _, seat = authz.require_decider(me.ctx, me.principal, project_id, action="reject a finding")
    findings.reject_finding(me.ctx, project_id, finding_id, member=str(seat.id), reason=reason)
    say(request, me, "Resolution rejected; the finding is open again.")
    return _back(project_id, finding_id)


@router.post("/projects/{project_id}/findings/{finding_id}/accept")
def accept(
    request: Request, me: PageActor, project_id: int, finding_id: int, rationale: Text
) -> RedirectResponse:
    _, seat = authz.require_decider(me.ctx, me.principal, project_id, action="accept a finding")
    findings.accept_finding(
        me.ctx, project_id, finding_id, member=str(seat.id), rationale=rationale
    )
    say(request, me, "Finding accepted as a known limitation.")
    return _back(project_id, finding_id)
