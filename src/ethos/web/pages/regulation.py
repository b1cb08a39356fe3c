"""Intake facts and the legal classification (EU AI Act, Korea AI Basic Act) of a project."""

from __future__ import annotations

import json
from typing import Annotated, Any

import yaml
from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ethos.domain.errors import EthosError, InvalidInputError
from ethos.services import authz, regulation
from ethos.services.context import ServiceContext
from ethos.web.deps import PageActor
from ethos.web.pages.common import page_router
from ethos.web.rendering import redirect, render, say

__all__ = ["clause_titles", "router"]

router = page_router()


def clause_titles(ctx: ServiceContext, refs: set[str], lang: str) -> dict[str, str]:
    """Titles of the clauses a classification cites, in ``lang`` where the content has them."""
    titles = {}
    for ref in sorted(refs):
        try:
            node = regulation.node_detail(ctx, ref).node
        except (EthosError, KeyError, ValueError):
            continue
        title = node.title
        if title is not None:
            titles[ref] = title.get(lang) if hasattr(title, "get") else str(title)
    return titles


def _refs(verdict: dict[str, Any]) -> set[str]:
    found = {r["ref"] for r in verdict.get("reasons", []) if "ref" in r}
    found |= {o["id"] for o in verdict.get("obligations", []) if "id" in o}
    return found


@router.get("/projects/{project_id}/facts")
def facts_page(request: Request, me: PageActor, project_id: int) -> HTMLResponse:
    access = authz.project_access(me.ctx, me.principal, project_id, action="open the facts")
    current = regulation.get_facts(me.reader, project_id)
    text = yaml.safe_dump(current, allow_unicode=True, sort_keys=False) if current else ""
    return render(
        request, "facts.html.j2", actor=me, project=access.project, access=access, facts_text=text
    )


@router.post("/projects/{project_id}/facts")
def set_facts(
    request: Request,
    me: PageActor,
    project_id: int,
    facts: Annotated[str, Form(max_length=100_000)],
) -> RedirectResponse:
    authz.require_change(me.ctx, me.principal, project_id, action="record intake facts")
    try:
        data = yaml.safe_load(facts)
    except yaml.YAMLError:
        raise InvalidInputError(
            "facts: not valid YAML or JSON", ko="facts: 올바른 YAML이나 JSON이 아닙니다"
        ) from None
    change = regulation.set_facts(me.ctx, project_id, data or {})
    if change.unchanged:
        say(request, me, "Facts unchanged.")
    else:
        say(request, me, "Facts recorded.")
    return redirect(f"/projects/{project_id}/classification")


@router.get("/projects/{project_id}/classification")
def classification_page(request: Request, me: PageActor, project_id: int) -> HTMLResponse:
    access = authz.project_access(
        me.ctx, me.principal, project_id, action="open the classification"
    )
    if regulation.get_facts(me.reader, project_id) is None:
        verdicts = None
        titles: dict[str, str] = {}
    else:
        verdicts = regulation.classify_project(me.reader, project_id).to_json()
        refs = _refs(verdicts["eu_ai_act"]) | _refs(verdicts["kr_ai_basic_act"])
        titles = clause_titles(me.ctx, refs, me.lang)
    return render(
        request,
        "classification.html.j2",
        actor=me,
        project=access.project,
        access=access,
        verdicts=verdicts,
        titles=titles,
        dumps=lambda v: json.dumps(v, ensure_ascii=False),
    )
