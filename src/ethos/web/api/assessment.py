"""API: stage 1 (questionnaire, answers, consensus, profile) and the project description."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import Path as PathParam
from fastapi import Query
from fastapi.responses import Response
from pydantic import Field

from ethos.domain.errors import InvalidInputError
from ethos.reports.profile import profile_json
from ethos.reports.radar import radar_svg
from ethos.services import authz, cards, questionnaires, stage1
from ethos.web.api.common import Id, In, RefId, api_router, project_json
from ethos.web.deps import ApiActor, inline_read

__all__ = ["router"]

router = api_router("stage 1")
Score = Annotated[int, Field(ge=1, le=5)]
Note = Annotated[str, Field(max_length=4000)]


class AnswerIn(In):
    score: Score
    comment: Note = ""


class AnswersIn(In):
    answers: Annotated[
        dict[Annotated[str, Field(max_length=40)], Score | AnswerIn],
        Field(min_length=1, description="item id -> score, or -> {score, comment}"),
    ]
    member: Annotated[
        RefId | None,
        Field(description="member id; only an admin may answer for a member (default: you)"),
    ] = None


class ConsensusIn(In):
    item: Annotated[str, Field(max_length=40)]
    score: Score
    note: Annotated[str, Field(min_length=1, max_length=4000)]


class ReasonIn(In):
    reason: Annotated[str, Field(min_length=1, max_length=4000)]


class MigrateIn(In):
    to_version: Annotated[RefId | None, Field()] = None


@router.get("/questionnaires/{questionnaire_id}", summary="A questionnaire version (ko and en)")
def questionnaire(
    me: ApiActor,
    questionnaire_id: Annotated[str, PathParam(max_length=40)],
    version: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    q = questionnaires.show_questionnaire(
        me.ctx, questionnaire_id=questionnaire_id, version=version
    )
    return q.model_dump(mode="json", by_alias=True)


@router.post("/projects/{project_id}/answers", summary="Record answers (all or nothing)")
def answers(me: ApiActor, project_id: Id, body: AnswersIn) -> dict[str, Any]:
    if body.member is not None and me.principal.is_admin:
        authz.require_change(me.ctx, me.principal, project_id, action="answer for a member")
        member: int = body.member
    else:
        _, seat = authz.require_seat(me.ctx, me.principal, project_id, action="answer")
        if body.member is not None and body.member != seat.id:
            authz.deny(me.ctx, me.principal, "answer for another member", f"project:{project_id}")
        member = seat.id
    sheet = {k: v.model_dump() if isinstance(v, AnswerIn) else v for k, v in body.answers.items()}
    count = stage1.submit_answers(
        me.ctx, project_id, member=member, entries=stage1.parse_answer_sheet(sheet)
    )
    return {"recorded": count, "member": member}


@router.post("/projects/{project_id}/consensus", summary="Record the agreed score of an item")
def consensus(me: ApiActor, project_id: Id, body: ConsensusIn) -> dict[str, Any]:
    authz.require_change(me.ctx, me.principal, project_id, action="record a consensus")
    agreed = stage1.record_consensus(
        me.ctx, project_id, item=body.item, score=body.score, note=body.note
    )
    return {"item": agreed.item_id, "score": agreed.score, "note": agreed.note}


@router.get("/projects/{project_id}/profile", summary="The stage-1 profile")
@inline_read
def profile(me: ApiActor, project_id: Id) -> dict[str, Any]:
    authz.project_access(me.ctx, me.principal, project_id, action="open the profile")
    view = stage1.stage1_profile(me.reader, project_id)
    return profile_json(view.project, view.profile)


@router.get(
    "/projects/{project_id}/profile.svg",
    summary="The profile's radar chart",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
@inline_read
def profile_svg(
    me: ApiActor, project_id: Id, lang: Annotated[str, Query(pattern="^(ko|en)$")] = "en"
) -> Response:
    authz.project_access(me.ctx, me.principal, project_id, action="open the profile")
    view = stage1.stage1_profile(me.reader, project_id)
    return Response(
        radar_svg(view.questionnaire, view.profile, lang=lang), media_type="image/svg+xml"
    )


@router.post("/projects/{project_id}/stage1/close", summary="Close stage 1")
def close(me: ApiActor, project_id: Id) -> dict[str, Any]:
    authz.require_change(me.ctx, me.principal, project_id, action="close stage 1")
    view = stage1.close_stage1(me.ctx, project_id)
    return project_json(view.project)


@router.post("/projects/{project_id}/stage1/reopen", summary="Reopen stage 1, with the reason")
def reopen(me: ApiActor, project_id: Id, body: ReasonIn) -> dict[str, Any]:
    authz.require_change(me.ctx, me.principal, project_id, action="reopen stage 1")
    stage1.reopen_stage1(me.ctx, project_id, reason=body.reason)
    return {"reopened": True}


@router.post("/projects/{project_id}/questionnaire/migrate", summary="Move to a newer version")
def migrate(me: ApiActor, project_id: Id, body: MigrateIn) -> dict[str, Any]:
    authz.require_change(me.ctx, me.principal, project_id, action="migrate the questionnaire")
    result = questionnaires.migrate_project(me.ctx, project_id, to_version=body.to_version)
    return {
        "project": result.project_id,
        "from_version": result.from_version,
        "to_version": result.to_version,
        "carried_answers": result.carried,
        "carried_consensus": result.carried_consensus,
        "dropped": result.dropped,
        "needs_answer": result.needs_answer,
    }


@router.put(
    "/projects/{project_id}/description",
    summary="What the card says about users, stakeholders, data and performance",
)
def describe(me: ApiActor, project_id: Id, body: dict[str, Any]) -> dict[str, Any]:
    authz.require_change(me.ctx, me.principal, project_id, action="describe the project")
    with tempfile.TemporaryDirectory(prefix="ethos-api-") as folder:
        path = Path(folder) / "description.json"
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        try:
            described = cards.describe_project(me.ctx, project_id, file=path)
        except InvalidInputError as exc:
            # The temporary file is no one's business: name the body instead, in each language.
            def named(text: str) -> str:
                return text.replace(f"--file {path}", "body").replace(str(path), "body")

            raise InvalidInputError(
                named(exc.message), ko=named(exc.message_ko) if exc.message_ko else None
            ) from None
    return described.model_dump(mode="json")
