"""API: findings (stages 2 and 3), evidence, and the card."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Path as PathParam
from fastapi import Query, Request
from fastapi.responses import Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from ethos.domain.errors import InvalidInputError, NotFoundError
from ethos.services import authz, findings
from ethos.web.api.common import Id, In, RefId, api_router, finding_json
from ethos.web.cardfiles import issue_card, render_card
from ethos.web.deps import ApiActor, form_file, form_text, reads_own_form, upload_form
from ethos.web.pages.cards import card_file
from ethos.web.pages.findings import save_upload

__all__ = ["router"]

router = api_router("findings")
Text = Annotated[str, Field(max_length=4000)]
Required = Annotated[str, Field(min_length=1, max_length=4000)]
# The upload's body, described by hand: the endpoint reads the form itself, after the
# token is checked (FastAPI would read form parameters before any dependency).
_UPLOAD_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "note": {"type": "string", "maxLength": 4000, "default": ""},
                },
            }
        }
    },
}


class FindingIn(In):
    category: Annotated[str, Field(max_length=40)]
    title: Annotated[str, Field(min_length=1, max_length=500)]
    description: Text = ""
    title_ko: Annotated[str, Field(max_length=500)] = ""
    description_ko: Text = ""
    severity: Annotated[int, Field(ge=1, le=5)]
    likelihood: Annotated[int, Field(ge=1, le=5)]


class AssignIn(In):
    owner: Annotated[RefId, Field(description="member id")]
    due: date


class PlanIn(In):
    mitigations: Annotated[list[Annotated[str, Field(max_length=80)]], Field(max_length=50)] = (
        Field(default_factory=list)
    )
    text: Text = ""


class EvidenceIn(In):
    """A URL with a note, or a check record (``ethos.check-record/1``).

    Files go to ``/evidence/file``.
    """

    url: Annotated[str | None, Field(max_length=2000)] = None
    record: dict[str, Any] | None = None
    note: Text = ""


class NoteIn(In):
    note: Text = ""


class ReasonIn(In):
    reason: Required


class RationaleIn(In):
    rationale: Required


def _change(me: ApiActor, project_id: Id, action: str) -> None:
    authz.require_change(me.ctx, me.principal, project_id, action=action)


@router.get("/projects/{project_id}/findings", summary="A project's findings")
def list_findings(me: ApiActor, project_id: Id) -> list[dict[str, Any]]:
    authz.project_access(me.ctx, me.principal, project_id, action="open the findings")
    _, found = findings.list_findings(me.reader, project_id)
    return [finding_json(f) for f in found]


@router.get("/projects/{project_id}/findings/{finding_id}", summary="One finding in full")
def get_finding(me: ApiActor, project_id: Id, finding_id: Id) -> dict[str, Any]:
    authz.project_access(me.ctx, me.principal, project_id, action="open the findings")
    _, found = findings.list_findings(me.reader, project_id)
    match = next((f for f in found if f.id == finding_id), None)
    if match is None:
        raise NotFoundError(
            f"finding {finding_id} not found in project {project_id}",
            ko=f"문제 {finding_id}: 과제 {project_id}에서 찾을 수 없습니다",
        )
    return finding_json(match)


@router.post("/projects/{project_id}/findings/derive", summary="Derive findings (idempotent)")
def derive(me: ApiActor, project_id: Id) -> dict[str, Any]:
    _change(me, project_id, "derive findings")
    result = findings.derive_findings(me.ctx, project_id)
    return {
        "added": result.added,
        "reinstated": result.reinstated,
        "withdrawn": result.withdrawn,
        "unchanged": result.unchanged,
    }


@router.post("/projects/{project_id}/findings", status_code=201, summary="Add a finding by hand")
def add(me: ApiActor, project_id: Id, body: FindingIn) -> dict[str, Any]:
    _change(me, project_id, "add a finding")
    return finding_json(findings.add_finding(me.ctx, project_id, **body.model_dump()))


@router.post("/projects/{project_id}/findings/{finding_id}/assign", summary="Owner and due date")
def assign(me: ApiActor, project_id: Id, finding_id: Id, body: AssignIn) -> dict[str, Any]:
    _change(me, project_id, "assign a finding")
    found = findings.assign_finding(
        me.ctx, project_id, finding_id, owner=str(body.owner), due=body.due
    )
    return finding_json(found)


@router.post("/projects/{project_id}/findings/{finding_id}/plan", summary="Mitigations and plan")
def plan(me: ApiActor, project_id: Id, finding_id: Id, body: PlanIn) -> dict[str, Any]:
    _change(me, project_id, "plan a finding")
    found = findings.plan_finding(
        me.ctx, project_id, finding_id, mitigations=body.mitigations, text=body.text
    )
    return finding_json(found)


@router.post(
    "/projects/{project_id}/findings/{finding_id}/evidence",
    status_code=201,
    summary="Attach a URL or a check record",
)
def evidence(me: ApiActor, project_id: Id, finding_id: Id, body: EvidenceIn) -> dict[str, Any]:
    _change(me, project_id, "attach evidence")
    with tempfile.TemporaryDirectory(prefix="ethos-api-") as folder:
        record = None
        if body.record is not None:
            record = Path(folder) / "record.json"
            record.write_text(json.dumps(body.record), encoding="utf-8")
        try:
            added = findings.add_evidence(
                me.ctx, project_id, finding_id, url=body.url, record=record, note=body.note
            )
        except InvalidInputError as exc:
            # The temporary file is no one's business: name the record instead, in each language.
            def named(text: str) -> str:
                given = f"--record {record}"
                return text.replace(given, "record").replace(str(record), "record")

            raise InvalidInputError(
                named(exc.message), ko=named(exc.message_ko) if exc.message_ko else None
            ) from None
    return {"id": added.id, "type": added.type.value, "sha256": added.sha256}


@router.post(
    "/projects/{project_id}/findings/{finding_id}/evidence/file",
    status_code=201,
    summary="Upload an evidence file (multipart)",
    openapi_extra={"requestBody": _UPLOAD_BODY},
)
@reads_own_form
async def evidence_file(
    request: Request, me: ApiActor, project_id: Id, finding_id: Id
) -> dict[str, Any]:
    """Fields ``file`` and ``note``, read only once the token's owner is known and may
    change the project (an anonymous upload is refused unread)."""
    await run_in_threadpool(_change, me, project_id, "attach evidence")
    async with upload_form(request, csrf=False) as form:
        file = form_file(form, "file", required=True)
        note = form_text(form, "note", max_length=4000)
        assert file is not None
        with tempfile.TemporaryDirectory(prefix="ethos-api-") as folder:
            path = await save_upload(me.ctx, file, Path(folder))
            added = await run_in_threadpool(
                findings.add_evidence, me.ctx, project_id, finding_id, file=path, note=note
            )
    return {"id": added.id, "type": added.type.value, "sha256": added.sha256}


@router.post("/projects/{project_id}/findings/{finding_id}/resolve", summary="Mark resolved")
def resolve(me: ApiActor, project_id: Id, finding_id: Id, body: NoteIn) -> dict[str, Any]:
    _change(me, project_id, "resolve a finding")
    return finding_json(findings.resolve_finding(me.ctx, project_id, finding_id, note=body.note))


@router.post(
    "/projects/{project_id}/findings/{finding_id}/verify",
    summary="Verify the fix (the task force's ethics member, not the owner)",
)
def verify(me: ApiActor, project_id: Id, finding_id: Id) -> dict[str, Any]:
    _, seat = authz.require_decider(me.ctx, me.principal, project_id, action="verify a finding")
    return finding_json(
        findings.verify_finding(me.ctx, project_id, finding_id, member=str(seat.id))
    )


@router.post("/projects/{project_id}/findings/{finding_id}/reject", summary="Reopen, with reason")
def reject(me: ApiActor, project_id: Id, finding_id: Id, body: ReasonIn) -> dict[str, Any]:
    _, seat = authz.require_decider(me.ctx, me.principal, project_id, action="reject a finding")
    found = findings.reject_finding(
        me.ctx, project_id, finding_id, member=str(seat.id), reason=body.reason
    )
    return finding_json(found)


@router.post("/projects/{project_id}/findings/{finding_id}/accept", summary="Accept a P3")
def accept(me: ApiActor, project_id: Id, finding_id: Id, body: RationaleIn) -> dict[str, Any]:
    _, seat = authz.require_decider(me.ctx, me.principal, project_id, action="accept a finding")
    found = findings.accept_finding(
        me.ctx, project_id, finding_id, member=str(seat.id), rationale=body.rationale
    )
    return finding_json(found)


_CARD_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "application/json": {},
            "text/markdown": {},
            "text/html": {},
            "application/pdf": {},
        }
    }
}
CardFormat = Annotated[str, PathParam(pattern="^(md|html|pdf|json)$")]
CardLang = Annotated[str, Query(pattern="^(ko|en)$")]


@router.get(
    "/projects/{project_id}/card.{fmt}",
    summary="A copy of the card as it stands (nothing is recorded)",
    response_class=Response,
    responses=_CARD_CONTENT,
)
def card(me: ApiActor, project_id: Id, fmt: CardFormat, lang: CardLang = "en") -> Response:
    authz.project_access(me.ctx, me.principal, project_id, action="download the card")
    return card_file(render_card(me.reader, project_id, fmt, lang))


@router.post(
    "/projects/{project_id}/card.{fmt}",
    summary="Issue the card: recorded in the audit trail (the task force or an admin)",
    response_class=Response,
    responses=_CARD_CONTENT,
)
def issue(me: ApiActor, project_id: Id, fmt: CardFormat, lang: CardLang = "en") -> Response:
    _change(me, project_id, "issue the card")
    return card_file(issue_card(me.ctx, project_id, fmt, lang))
