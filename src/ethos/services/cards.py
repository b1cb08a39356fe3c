"""The assessment card: the whole process for one project, issued with the audit-chain head."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ethos.domain.audit import verify_chain
from ethos.domain.description import ProjectDescription
from ethos.domain.errors import ContentError, InvalidInputError, NotFoundError
from ethos.domain.findings import Finding, FindingStatus
from ethos.knowledge.loading import describe_validation_error
from ethos.services.context import ServiceContext, resolve_project
from ethos.services.datasets import card_training_data
from ethos.services.stage1 import load_profile
from ethos.store.unit_of_work import UnitOfWork

__all__ = [
    "CARD_SCHEMA",
    "IssuedCard",
    "build_card",
    "describe_project",
    "reassessment_due",
    "record_issue",
]

CARD_SCHEMA = "ethos.card/1"
SIGN_OFF_ACTIONS = {"stage1.closed", "finding.verified", "finding.accepted", "project.advanced"}


@dataclass(frozen=True, slots=True)
class IssuedCard:
    data: dict[str, Any]
    content_sha256: str


def describe_project(
    ctx: ServiceContext, project_ref: str | int, *, file: Path
) -> ProjectDescription:
    """Record what the card says about users, stakeholders, data and performance."""
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(
            f"--file {file}: cannot be read ({type(exc).__name__})",
            ko=f"--file {file}: 읽을 수 없습니다({type(exc).__name__})",
        ) from None
    except yaml.YAMLError:
        raise InvalidInputError(
            f"--file {file}: not valid YAML or JSON",
            ko=f"--file {file}: 올바른 YAML이나 JSON이 아닙니다",
        ) from None
    try:
        description = ProjectDescription.model_validate(raw or {})
    except ValidationError as exc:
        raise InvalidInputError(
            describe_validation_error(file, raw, exc),
            ko=describe_validation_error(file, raw, exc, lang="ko"),
        ) from None
    data = description.model_dump(mode="json")
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        uow.descriptions.put(project.id, data, ctx.clock())
        uow.record(
            at=ctx.clock(),
            actor=ctx.actor,
            action="project.described",
            subject=f"project:{project.id}",
            payload=data,
        )
    return description


def _finding_entry(
    f: Finding, lang: str, names: dict[int, str], mitigation_titles: dict[str, str]
) -> dict[str, Any]:
    return {
        "id": f.id,
        "catalogue_id": f.catalogue_id,
        "source": f.source.value,
        "category": f.category.value,
        "title": f.title(lang),
        "description": f.description(lang),
        "severity": f.severity,
        "likelihood": f.likelihood,
        "priority": f.priority.value,
        "status": f.status.value,
        "owner": names.get(f.owner_member_id) if f.owner_member_id else None,
        "due": f.due_date.isoformat() if f.due_date else None,
        "plan": {
            "mitigations": [
                {"id": m, "title": mitigation_titles.get(m, m)} for m in f.plan_mitigations
            ],
            "text": f.plan_text,
        },
        "resolution_note": f.resolution_note,
        "evidence": [
            {
                "type": e.type.value,
                "sha256": e.sha256,
                "filename": e.filename,
                "url": e.url,
                "note": e.note,
                "check": (
                    {k: e.record[k] for k in ("check_id", "metric", "value", "n")}
                    if e.record
                    else None
                ),
            }
            for e in f.evidence
        ],
        "decided_by": names.get(f.decided_by_member_id) if f.decided_by_member_id else None,
        "decided_at": f.decided_at.isoformat() if f.decided_at else None,
        "rationale": f.rationale,
    }


def _described(uow: UnitOfWork, project_id: int, lang: str) -> dict[str, Any]:
    """What ``project describe`` recorded, with the registered datasets the project is linked
    to added to its training data (unless it already lists the same name and version)."""
    described = uow.descriptions.get(project_id) or ProjectDescription().model_dump(mode="json")
    listed = {(d["name"], d["version"]) for d in described.get("training_data", [])}
    linked = [
        d
        for d in card_training_data(uow, project_id, lang=lang)
        if (d["name"], d["version"]) not in listed
    ]
    if not linked:
        return described
    return {**described, "training_data": [*described.get("training_data", []), *linked]}


def _card(
    ctx: ServiceContext, uow: UnitOfWork, project_ref: str | int, lang: str, now: datetime
) -> dict[str, Any]:
    view = load_profile(ctx, uow, project_ref)
    project, profile, questionnaire = view.project, view.profile, view.questionnaire
    names = {m.id: m.name for m in view.members}
    try:
        mitigation_titles = {m.id: m.title.get(lang) for m in ctx.catalogues().mitigations.entries}
    except (ContentError, NotFoundError):
        mitigation_titles = {}
    described = _described(uow, project.id, lang)
    found = [
        f for f in uow.findings.of_project(project.id) if f.status is not FindingStatus.WITHDRAWN
    ]
    order = {"P1": 0, "P2": 1, "P3": 2}
    found.sort(key=lambda f: (order[f.priority.value], f.id))
    chain = verify_chain(uow.audit.stream())
    events = uow.audit.latest(limit=1_000_000, subject=f"project:{project.id}")
    accepted = [f for f in found if f.status is FindingStatus.ACCEPTED]
    return {
        "schema": CARD_SCHEMA,
        "lang": lang,
        "issued_at": now.isoformat(timespec="seconds"),
        "issued_by": ctx.actor,
        "project": {
            "id": project.id,
            "name": project.name,
            "type": project.type.value,
            "lifecycle_stage": project.lifecycle_stage.value,
            "purpose": project.purpose,
            "description": project.description,
        },
        "task_force": [{"name": m.name, "role": m.role.value} for m in view.members],
        "description": described,
        "questionnaire": {
            "id": questionnaire.id,
            "version": questionnaire.version,
            "digest": questionnaire.digest(),
        },
        "profile": {
            "dimensions": {
                d.id: {
                    "title": d.title.get(lang),
                    "mean": profile.dimensions[d.id].mean,
                    "min": profile.dimensions[d.id].min,
                    "max": profile.dimensions[d.id].max,
                    "by_role": {r.value: v for r, v in profile.dimensions[d.id].by_role.items()},
                }
                for d in questionnaire.dimensions
            },
            "discuss": [
                {
                    "item": i,
                    "text": questionnaire.item(i).text.get(lang),
                    "consensus": profile.consensus.get(i),
                }
                for i in profile.discuss
            ],
            "stage1_complete": profile.stage1_complete,
            "stage1_closed_at": project.stage1_closed_at.isoformat()
            if project.stage1_closed_at
            else None,
        },
        "findings": [_finding_entry(f, lang, names, mitigation_titles) for f in found],
        "known_limitations": [
            *({"finding": f.id, "text": f.title(lang), "rationale": f.rationale} for f in accepted),
            *(
                {"finding": None, "text": t, "rationale": ""}
                for t in described.get("limitations", [])
            ),
        ],
        "sign_offs": [
            {"action": e.action, "by": e.actor, "at": e.occurred_at[:19] + "Z", "seq": e.seq}
            for e in events
            if e.action in SIGN_OFF_ACTIONS
        ],
        "audit": {"head": chain.head, "events": chain.count, "chain_ok": chain.ok},
    }


def build_card(ctx: ServiceContext, project_ref: str | int, *, lang: str) -> dict[str, Any]:
    """The card's data (the JSON card), without recording an issue."""
    if lang not in ("ko", "en"):
        raise InvalidInputError(
            f"--lang: {lang!r} is not one of: ko, en",
            ko=f"--lang: {lang!r}은(는) ko, en 중 하나가 아닙니다",
        )
    with ctx.store.unit_of_work() as uow:
        return _card(ctx, uow, project_ref, lang, ctx.clock())


def record_issue(
    ctx: ServiceContext, card: dict[str, Any], *, rendered: bytes, fmt: str
) -> IssuedCard:
    """Record that ``card`` was issued as ``rendered``: digest, chain head, versions covered."""
    digest = hashlib.sha256(rendered).hexdigest()
    versions = ProjectDescription.model_validate(card["description"]).versions()
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, card["project"]["id"])
        uow.card_issues.add(
            project_id=project.id,
            issued_at=ctx.clock(),
            issued_by=ctx.actor,
            chain_head=card["audit"]["head"],
            chain_count=card["audit"]["events"],
            content_sha256=digest,
            artefacts={"format": fmt, "lang": card["lang"], "versions": versions},
        )
        uow.record(
            at=ctx.clock(),
            actor=ctx.actor,
            action="card.issued",
            subject=f"project:{project.id}",
            payload={
                "format": fmt,
                "lang": card["lang"],
                "sha256": digest,
                "chain_head": card["audit"]["head"],
            },
        )
    return IssuedCard(card, digest)


def reassessment_due(ctx: ServiceContext) -> list[dict[str, Any]]:
    """Projects whose card is older than the review period, or whose model or data changed."""
    now = ctx.clock()
    due = []
    with ctx.store.unit_of_work() as uow:
        issued = uow.card_issues.latest_of_all()
        for project in uow.projects.list():
            if project.id not in issued:
                continue
            issued_at, artefacts = issued[project.id]
            reasons = []
            months = (now.year - issued_at.year) * 12 + now.month - issued_at.month
            if months > ctx.review_months or (
                months == ctx.review_months and now.day >= issued_at.day
            ):
                reasons.append(
                    f"card issued {issued_at.date().isoformat()}, "
                    f"over {ctx.review_months} months ago"
                )
            current = ProjectDescription.model_validate(
                _described(uow, project.id, "en")
            ).versions()
            before = artefacts.get("versions", {})
            for key in sorted(set(current) | set(before)):
                if current.get(key) != before.get(key):
                    reasons.append(f"{key} changed from {before.get(key)} to {current.get(key)}")
            if reasons:
                due.append({"project": project.id, "name": project.name, "reasons": reasons})
    return due
