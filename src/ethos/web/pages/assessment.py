"""Stage 1 in the browser: the questionnaire, the profile and the consensus."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from ethos.domain.errors import InvalidInputError
from ethos.domain.projects import Role
from ethos.domain.questionnaire import SCORE_MAX, SCORE_MIN
from ethos.reports.radar import radar_svg
from ethos.services import authz, stage1
from ethos.services.workspace import answers_of_member
from ethos.web.deps import Actor, PageActor, inline_read
from ethos.web.pages.common import page_router
from ethos.web.rendering import redirect, render, say

__all__ = ["router"]

router = page_router()
_MAX_COMMENT = 4000


@router.get("/projects/{project_id}/questionnaire")
def questionnaire_page(
    request: Request,
    me: PageActor,
    project_id: int,
    dimension: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    """One dimension at a time; a member resumes where their answers stop."""
    access = authz.project_access(me.ctx, me.principal, project_id, action="open the questionnaire")
    view = stage1.stage1_profile(me.reader, project_id)
    questionnaire = view.questionnaire
    seat = access.seat
    items = questionnaire.items_for(seat.role) if seat else list(questionnaire.items)
    mine = answers_of_member(me.ctx, project_id, seat.id) if seat else {}
    dimensions = [d for d in questionnaire.dimensions if any(i.dimension == d.id for i in items)]
    done = {
        d.id: (
            sum(1 for i in items if i.dimension == d.id and i.id in mine),
            sum(1 for i in items if i.dimension == d.id),
        )
        for d in dimensions
    }
    current = next((d for d in dimensions if d.id == dimension), None)
    if current is None:  # resume: the first dimension with an unanswered item
        current = next((d for d in dimensions if done[d.id][0] < done[d.id][1]), dimensions[0])
    position = dimensions.index(current)
    following = dimensions[position + 1] if position + 1 < len(dimensions) else None
    return render(
        request,
        "questionnaire.html.j2",
        actor=me,
        project=access.project,
        access=access,
        questionnaire=questionnaire,
        dimensions=dimensions,
        current=current,
        following=following,
        items=[i for i in items if i.dimension == current.id],
        mine=mine,
        done=done,
        answered=sum(d[0] for d in done.values()),
        total=len(items),
        scores=range(SCORE_MIN, SCORE_MAX + 1),
        closed=access.project.stage1_closed_at is not None,
    )


def _store_answers(me: Actor, project_id: int, form: Mapping[str, object]) -> int:
    """Store the scores (and comments) in ``form`` that changed; return how many."""
    _, seat = authz.require_seat(me.ctx, me.principal, project_id, action="answer")
    previous = answers_of_member(me.ctx, project_id, seat.id)
    entries = []
    for key, value in form.items():
        if not key.startswith("score.") or not isinstance(value, str) or not value:
            continue
        item = key.removeprefix("score.")
        if not value.isdigit():
            raise InvalidInputError(
                f"item {item!r}: score {value[:10]!r} is not 1-5",
                ko=f"문항 {item!r}: 점수 {value[:10]!r}은(는) 1~5가 아닙니다",
            )
        comment = form.get(f"comment.{item}")
        text = comment.strip()[:_MAX_COMMENT] if isinstance(comment, str) else ""
        old = previous.get(item)
        if old is not None and old.score == int(value) and old.comment == text:
            continue  # unchanged: no new audit event
        entries.append(stage1.SheetEntry(item, int(value), text))
    if entries:
        stage1.submit_answers(me.ctx, project_id, member=seat.id, entries=entries)
    return len(entries)


@router.post("/projects/{project_id}/questionnaire")
async def save_answers(request: Request, me: PageActor, project_id: int) -> Response:
    """Save the answers of one dimension; ``go`` names the dimension to show next.

    The page's script posts the same form as each answer changes (``X-Requested-With:
    fetch``) and gets JSON back; without script, the buttons post it.
    """
    form = dict(await request.form())
    saved = await run_in_threadpool(_store_answers, me, project_id, form)
    if request.headers.get("x-requested-with") == "fetch":
        return JSONResponse({"saved": saved})
    say(request, me, "Answers saved.")
    target = form.get("go")
    suffix = f"?dimension={target}" if isinstance(target, str) and target.isidentifier() else ""
    return redirect(f"/projects/{project_id}/questionnaire{suffix}")


@router.get("/projects/{project_id}/profile")
@inline_read
def profile_page(request: Request, me: PageActor, project_id: int) -> HTMLResponse:
    access = authz.project_access(me.ctx, me.principal, project_id, action="open the profile")
    view = stage1.stage1_profile(me.reader, project_id)
    chart = Markup(radar_svg(view.questionnaire, view.profile, lang=me.lang))  # noqa: S704
    names = {m.id: m.name for m in view.members}
    return render(
        request,
        "profile.html.j2",
        actor=me,
        project=access.project,
        access=access,
        view=view,
        profile=view.profile,
        chart=chart,
        names=names,
        roles=list(Role),
    )


@router.get("/projects/{project_id}/profile.svg")
@inline_read
def profile_svg(request: Request, me: PageActor, project_id: int) -> Response:
    authz.project_access(me.ctx, me.principal, project_id, action="open the profile")
    view = stage1.stage1_profile(me.reader, project_id)
    return Response(
        radar_svg(view.questionnaire, view.profile, lang=me.lang), media_type="image/svg+xml"
    )


@router.get("/projects/{project_id}/consensus")
@inline_read
def consensus_page(request: Request, me: PageActor, project_id: int) -> HTMLResponse:
    access = authz.project_access(me.ctx, me.principal, project_id, action="open the consensus")
    view = stage1.stage1_profile(me.reader, project_id)
    members = {m.id: m for m in view.members}
    return render(
        request,
        "consensus.html.j2",
        actor=me,
        project=access.project,
        access=access,
        view=view,
        profile=view.profile,
        members=members,
        scores=range(SCORE_MIN, SCORE_MAX + 1),
    )


@router.post("/projects/{project_id}/consensus")
def record_consensus(
    request: Request,
    me: PageActor,
    project_id: int,
    item: Annotated[str, Form(max_length=40)],
    score: Annotated[int, Form(ge=SCORE_MIN, le=SCORE_MAX)],
    note: Annotated[str, Form(max_length=_MAX_COMMENT)],
) -> Response:
    authz.require_change(me.ctx, me.principal, project_id, action="record a consensus")
    stage1.record_consensus(me.ctx, project_id, item=item, score=score, note=note)
    say(request, me, "Consensus recorded.")
    return redirect(f"/projects/{project_id}/consensus#{item}")
