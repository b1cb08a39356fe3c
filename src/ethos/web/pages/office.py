"""The ethics office's own records in the browser: lists, a record's page, and the forms
that add, withdraw and correct them (docs/office.md).

Every signed-in person reads the records (they describe the organisation, not a project);
only the ethics office (admin) changes them. Committee member names are personal data:
pages show roles only unless the record publishes the names; an admin may ask for them.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Annotated, Any

import yaml
from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ethos.domain.errors import InvalidInputError, NotFoundError
from ethos.domain.office import Committee, Meeting, OfficeKind, OfficeRecord
from ethos.domain.projects import parse_enum
from ethos.services import authz, office, projects
from ethos.web.deps import Actor, PageActor
from ethos.web.officeforms import (
    FORMS,
    KIND_LABELS,
    form_values,
    member_rows,
    posted,
    record_from_form,
)
from ethos.web.pages.common import page_router
from ethos.web.rendering import redirect, render, say

__all__ = ["router"]

router = page_router()
Reason = Annotated[str, Form(max_length=1000)]
_FIELD = re.compile(r"field ([a-z_]+(?:\.[a-z_]+)?)")
_MAX_IMPORT = 200_000


def _admin(me: Actor, action: str, subject: str = "office") -> None:
    authz.require_role(me.ctx, me.principal, authz.ADMIN, action=action, subject=subject)


def _kind(value: str) -> OfficeKind:
    return parse_enum(OfficeKind, value, field="kind")


def _year(value: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not text.isdigit() or not 1950 <= int(text) <= 2100:
        raise InvalidInputError(
            f"year: {text[:10]!r} is not a year from 1950 to 2100",
            ko=f"year: {text[:10]!r}은(는) 1950년부터 2100년 사이의 연도가 아닙니다",
        )
    return int(text)


@router.get("/office")
def office_list(
    request: Request,
    me: PageActor,
    kind: Annotated[str, Query(max_length=20)] = "",
    year: Annotated[str, Query(max_length=10)] = "",
    withdrawn: bool = False,
) -> HTMLResponse:
    """Records by kind, optionally of one kind and active in one year."""
    chosen = _kind(kind) if kind else None
    records = office.list_records(
        me.reader, kind=chosen, year=_year(year), include_withdrawn=withdrawn
    )
    every = office.list_records(me.reader, include_withdrawn=True)
    groups = [(k, [r for r in records if r.kind is k]) for k in OfficeKind if chosen in (None, k)]
    return render(
        request,
        "office_list.html.j2",
        actor=me,
        groups=groups,
        kinds=list(OfficeKind),
        kind_labels=KIND_LABELS,
        kind=chosen.value if chosen else "",
        year=_year(year),
        years=sorted({r.year for r in every}, reverse=True),
        withdrawn=withdrawn,
    )


def _project_names(me: Actor, ids: set[int]) -> dict[int, str]:
    """Names of the referenced projects the person may open (others show as ids)."""
    visible = authz.visible_project_ids(me.reader, me.principal)
    names = {}
    for pid in sorted(ids):
        if visible is not None and pid not in visible:
            continue
        try:
            names[pid] = projects.get_project(me.reader, pid).name
        except NotFoundError:
            continue
    return names


def _related(me: Actor, record: OfficeRecord) -> dict[str, Any]:
    """What a record's page links to: its body, its predecessor, projects by name."""
    body = record.body
    committee = None
    if isinstance(body, Meeting):
        try:
            committee = office.get_record(me.reader, body.committee)
        except NotFoundError:
            committee = None
    replaces = [
        r.id
        for r in office.list_records(me.reader, kind=record.kind, include_withdrawn=True)
        if r.replaced_by == record.id
    ]
    return {
        "committee": committee,
        "replaces": replaces[0] if replaces else None,
        "project_names": _project_names(me, set(getattr(body, "projects", []))),
    }


@router.get("/office/new")
def new_record(
    request: Request, me: PageActor, kind: Annotated[str, Query(max_length=20)] = ""
) -> HTMLResponse:
    """Choose a kind (or paste records in YAML); with ``kind``, its form."""
    _admin(me, "add an office record")
    if not kind:
        return render(
            request,
            "office_new.html.j2",
            actor=me,
            kinds=list(OfficeKind),
            kind_labels=KIND_LABELS,
            records_text="",
            error=None,
        )
    chosen = _kind(kind)
    return _form(request, me, chosen, values={}, action=f"/office/new/{chosen.value}")


def _form(
    request: Request,
    me: Actor,
    kind: OfficeKind,
    *,
    values: dict[str, Any],
    action: str,
    error: InvalidInputError | None = None,
    replacing: OfficeRecord | None = None,
    reason: str = "",
) -> HTMLResponse:
    """The record form; with ``error``, shown in the person's language, and the fields the
    (English) message names marked invalid."""
    committees = office.list_records(me.reader, kind=OfficeKind.COMMITTEE)
    return render(
        request,
        "office_form.html.j2",
        actor=me,
        status=400 if error else 200,
        kind=kind,
        kind_label=KIND_LABELS[kind],
        fields=FORMS[kind],
        values=values,
        rows=member_rows(values),
        committees=committees,
        action=action,
        error=error.text(me.lang) if error else None,
        invalid={m.group(1).split(".")[0] for m in _FIELD.finditer(error.message if error else "")},
        replacing=replacing,
        reason=reason,
    )


def _typed_back(kind: OfficeKind, form: dict[str, list[str]]) -> dict[str, Any]:
    """What was posted, to show the form again: lists for checkboxes, text otherwise."""
    lists = {f.name for f in FORMS[kind] if f.widget == "choices"}
    return {k: v if k in lists else v[-1] for k, v in form.items() if k != "csrf_token"}


async def _posted(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    return posted(form.multi_items())


@router.post("/office/new/{kind}")
async def add_record(request: Request, me: PageActor, kind: str) -> Response:
    await run_in_threadpool(_admin, me, "add an office record")
    chosen = _kind(kind)
    form = await _posted(request)
    data = record_from_form(chosen, form)
    try:
        record = await run_in_threadpool(office.add_record, me.ctx, data, source="record")
    except InvalidInputError as exc:
        again = partial(
            _form,
            request,
            me,
            chosen,
            values=_typed_back(chosen, form),
            action=request.url.path,
            error=exc,
        )
        return await run_in_threadpool(again)
    say(request, me, "Record added.")
    return redirect(f"/office/{record.id}")


@router.post("/office/import")
def import_records(
    request: Request, me: PageActor, records: Annotated[str, Form(max_length=_MAX_IMPORT)]
) -> Response:
    """Records in YAML or JSON (one, or a list recorded whole or not at all)."""
    _admin(me, "add an office record")
    try:
        try:
            data = yaml.safe_load(records)
        except yaml.YAMLError:
            raise InvalidInputError(
                "records: not valid YAML or JSON",
                ko="records: 올바른 YAML이나 JSON이 아닙니다",
            ) from None
        added = office.add_records(me.ctx, data, source="records")
    except InvalidInputError as exc:
        return render(
            request,
            "office_new.html.j2",
            actor=me,
            status=400,
            kinds=list(OfficeKind),
            kind_labels=KIND_LABELS,
            records_text=records,
            error=exc.text(me.lang),
        )
    translate = request.app.state.ethos.catalogues.get(me.lang).gettext
    say(request, me, translate("Records added: {count}.").format(count=len(added)))
    return redirect("/office")


@router.get("/office/{record_id}")
def record_page(request: Request, me: PageActor, record_id: int, names: bool = False) -> Response:
    """One record, withdrawn or not; member names only when published (or an admin asks)."""
    if names:
        _admin(me, "see unpublished member names", f"office:{record_id}")
    record = office.get_record(me.reader, record_id)
    shown = record.to_json(include_names=True if names else None)
    return render(
        request,
        "office_record.html.j2",
        actor=me,
        record=record,
        data=shown["data"],
        withheld=shown["names_withheld"],
        published=isinstance(record.body, Committee) and record.body.publish_names,
        names=names,
        fields=FORMS[record.kind],
        kind_label=KIND_LABELS[record.kind],
        **_related(me, record),
    )


@router.post("/office/{record_id}/withdraw")
def withdraw(request: Request, me: PageActor, record_id: int, reason: Reason) -> RedirectResponse:
    _admin(me, "withdraw an office record", f"office:{record_id}")
    office.withdraw_record(me.ctx, record_id, reason=reason)
    say(request, me, "Record withdrawn.")
    return redirect(f"/office/{record_id}")


@router.get("/office/{record_id}/replace")
def replace_form(request: Request, me: PageActor, record_id: int) -> HTMLResponse:
    """The record's form filled in with its fields (names included), to correct it."""
    _admin(me, "correct an office record", f"office:{record_id}")
    record = office.get_record(me.reader, record_id)
    values = form_values(record.kind, record.to_json(include_names=True)["data"])
    return _form(
        request,
        me,
        record.kind,
        values=values,
        action=f"/office/{record_id}/replace",
        replacing=record,
    )


@router.post("/office/{record_id}/replace")
async def replace(request: Request, me: PageActor, record_id: int) -> Response:
    await run_in_threadpool(_admin, me, "correct an office record", f"office:{record_id}")
    old = await run_in_threadpool(office.get_record, me.ctx, record_id)
    form = await _posted(request)
    reason = " ".join(form.get("reason", [""])).strip()[:1000]
    data = record_from_form(old.kind, form)
    try:
        if not reason:
            raise InvalidInputError(
                "reason: say why the record is corrected",
                ko="reason: 기록을 바로잡는 이유를 적어 주세요",
            )
        change = partial(office.replace_record, me.ctx, record_id, data, reason=reason)
        _, new = await run_in_threadpool(change)
    except InvalidInputError as exc:
        again = partial(
            _form,
            request,
            me,
            old.kind,
            values=_typed_back(old.kind, form),
            action=request.url.path,
            error=exc,
            replacing=old,
            reason=reason,
        )
        return await run_in_threadpool(again)
    say(request, me, "Record corrected: the old one is withdrawn and points to this one.")
    return redirect(f"/office/{new.id}")
