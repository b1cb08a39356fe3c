"""API: the ethics office's own records (``ethos.office-record/1``, docs/office.md).

Everyone with a token reads them; only the ethics office (admin) adds, withdraws and
corrects them. Committee member names are withheld unless the record publishes them or an
admin asks (``with_names``). The request bodies are documented with the record schema
itself, so the OpenAPI document shows every kind and field.
"""

from __future__ import annotations

import json
from functools import cache, partial
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import Field, TypeAdapter
from starlette.concurrency import run_in_threadpool

from ethos.domain.errors import InvalidInputError
from ethos.domain.office import OfficeKind, OfficeRecord, OfficeRecordData
from ethos.services import authz, office
from ethos.web.api.common import Id, In, api_router
from ethos.web.deps import Actor, ApiActor

__all__ = ["router"]

router = api_router("ethics office")
_BY_NAME = ("projects", "committee")  # may be given by exact name instead of id


class WithdrawIn(In):
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


def record_summary(record: OfficeRecord) -> dict[str, Any]:
    """What a list shows of a record: never member names."""
    return {
        "id": record.id,
        "kind": record.kind.value,
        "year": record.year,
        "main_date": record.body.main_date.isoformat(),
        "end_date": record.body.end_date.isoformat() if record.body.end_date else None,
        "headline": {"en": record.body.headline("en"), "ko": record.body.headline("ko")},
        "withdrawn": record.withdrawn,
        "replaced_by": record.replaced_by,
    }


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with its ``$defs`` written in place (OpenAPI has no room for them), ids of
    projects and committees also accepted as names."""
    defs = schema.get("$defs", {})

    def walk(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(defs[node["$ref"].rsplit("/", 1)[-1]], key)
            found = {k: walk(v, k) for k, v in node.items() if k not in ("$defs", "discriminator")}
            if key in _BY_NAME and found.get("type") == "integer":
                return {"anyOf": [found, {"type": "string", "maxLength": 200}]}
            if key in _BY_NAME and found.get("type") == "array":
                return {**found, "items": {"anyOf": [found["items"], {"type": "string"}]}}
            return found
        if isinstance(node, list):
            return [walk(v, key) for v in node]
        return node

    return {k: v for k, v in walk(schema).items() if k != "title"}


@cache
def _record_schema() -> dict[str, Any]:
    return _inline(TypeAdapter(OfficeRecordData).json_schema())


def _body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


def _add_body() -> dict[str, Any]:
    record = _record_schema()
    return _body(
        {"anyOf": [record, {"type": "array", "items": record, "minItems": 1}]},
        "One record, or a list recorded whole or not at all. Projects and a meeting's "
        "committee may be named instead of numbered.",
    )


def _replace_body() -> dict[str, Any]:
    return _body(
        {
            "type": "object",
            "properties": {
                "reason": {"type": "string", "minLength": 1, "maxLength": 1000},
                "record": _record_schema(),
            },
            "required": ["reason", "record"],
            "additionalProperties": False,
        },
        "The corrected record (same kind) and why the old one is withdrawn.",
    )


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidInputError("body: not valid JSON", ko="body: 올바른 JSON이 아닙니다") from None


def _admin(me: Actor, action: str, subject: str = "office") -> None:
    authz.require_role(me.ctx, me.principal, authz.ADMIN, action=action, subject=subject)


@router.get("/office", summary="Office records, oldest first (never member names)")
def list_records(
    me: ApiActor,
    kind: OfficeKind | None = None,
    year: Annotated[int | None, Query(ge=1950, le=2100, description="active in this year")] = None,
    include_withdrawn: bool = False,
) -> list[dict[str, Any]]:
    records = office.list_records(
        me.reader, kind=kind, year=year, include_withdrawn=include_withdrawn
    )
    return [record_summary(r) for r in records]


@router.get("/office/{record_id}", summary="One office record, withdrawn or not")
def get_record(
    me: ApiActor,
    record_id: Id,
    with_names: Annotated[
        bool, Query(description="committee member names even when not published (admin)")
    ] = False,
) -> dict[str, Any]:
    if with_names:
        _admin(me, "see unpublished member names", f"office:{record_id}")
    record = office.get_record(me.reader, record_id)
    return record.to_json(include_names=True if with_names else None)


@router.post(
    "/office",
    status_code=201,
    summary="Add records (ethics office)",
    openapi_extra=_add_body(),
)
async def add_records(request: Request, me: ApiActor) -> Any:
    await run_in_threadpool(_admin, me, "add an office record")
    data = await _json(request)
    added = await run_in_threadpool(partial(office.add_records, me.ctx, data, source="body"))
    shown = [r.to_json() for r in added]
    return shown if isinstance(data, list) else shown[0]


@router.post("/office/{record_id}/withdraw", summary="Withdraw a record (ethics office)")
def withdraw(me: ApiActor, record_id: Id, body: WithdrawIn) -> dict[str, Any]:
    _admin(me, "withdraw an office record", f"office:{record_id}")
    return record_summary(office.withdraw_record(me.ctx, record_id, reason=body.reason))


@router.post(
    "/office/{record_id}/replace",
    summary="Correct a record: withdraw it and add the corrected one (ethics office)",
    openapi_extra=_replace_body(),
)
async def replace(request: Request, me: ApiActor, record_id: Id) -> dict[str, Any]:
    await run_in_threadpool(_admin, me, "correct an office record", f"office:{record_id}")
    body = await _json(request)
    if not isinstance(body, dict) or set(body) != {"reason", "record"}:
        raise InvalidInputError(
            "body: expected an object with reason and record",
            ko="body: reason과 record가 있는 객체여야 합니다",
        )
    reason, record = body["reason"], body["record"]
    if not isinstance(reason, str) or not isinstance(record, dict):
        raise InvalidInputError(
            "body: reason is text and record an object",
            ko="body: reason은 텍스트, record는 객체여야 합니다",
        )
    change = partial(
        office.replace_record, me.ctx, record_id, record, reason=reason, source="record"
    )
    old, new = await run_in_threadpool(change)
    return {"withdrawn": record_summary(old), "added": new.to_json()}
