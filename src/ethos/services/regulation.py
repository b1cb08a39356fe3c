"""Regulation use cases: the knowledge base, intake facts per project, classification."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from ethos.domain.classification import Classification, classify
from ethos.domain.crosswalk import CrosswalkLink, via_practices
from ethos.domain.errors import InvalidInputError, NotFoundError
from ethos.domain.facts import FACTS_SCHEMA, Facts
from ethos.domain.frameworks import Node
from ethos.domain.validation import describe_problem
from ethos.knowledge.content import LegalKnowledge, validate_content
from ethos.services.context import ServiceContext, resolve_project
from ethos.store.facts_repository import StoredFacts
from ethos.store.unit_of_work import UnitOfWork

__all__ = [
    "FactsChange",
    "classify_facts",
    "classify_project",
    "crosswalk",
    "facts_history",
    "get_facts",
    "node_detail",
    "parse_facts",
    "project_classification",
    "project_facts",
    "set_facts",
    "validate_knowledge",
]


def validate_knowledge(ctx: ServiceContext, *, lang: str = "en") -> list[str]:
    """Every problem in the frameworks, rules, catalogues and crosswalk in use (in Korean
    with ``lang="ko"``)."""
    return validate_content(ctx.content_roots(), lang=lang)


def parse_facts(data: Any, *, source: str = "facts") -> Facts:
    """Validate intake facts; errors name ``source`` and each offending field."""
    if not isinstance(data, Mapping):
        raise InvalidInputError(
            f"{source}: expected a mapping of facts (see docs/facts.md)",
            ko=f"{source}: 사실의 매핑이어야 합니다(docs/facts.md 참고)",
        )
    try:
        return Facts.model_validate(dict(data))
    except ValidationError as exc:
        lines, lines_ko = [], []
        for detail in exc.errors():
            where = ".".join(str(p) for p in detail["loc"])
            lines.append(f"{source}: field {where or '(top level)'}: {describe_problem(detail)}")
            lines_ko.append(
                f"{source}: 필드 {where or '(최상위)'}: {describe_problem(detail, 'ko')}"
            )
        raise InvalidInputError("\n".join(lines), ko="\n".join(lines_ko)) from None


def _canonical(facts: Facts) -> dict[str, Any]:
    return facts.model_dump(mode="json", by_alias=True, exclude_none=True)


def _digest(data: Mapping[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _leaves(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found.update(_leaves(value, f"{path}."))
        else:
            found[path] = value
    return found


@dataclass(frozen=True, slots=True)
class FactsChange:
    """What :func:`set_facts` did: the revision now current and the fields that changed."""

    project_id: int
    revision: int
    digest: str
    changed: list[str]
    unchanged: bool


def set_facts(ctx: ServiceContext, project_ref: str | int, data: Mapping[str, Any]) -> FactsChange:
    """Record a new revision of a project's intake facts (nothing when they are the same)."""
    facts = parse_facts(data)
    canonical = _canonical(facts)
    digest = _digest(canonical)
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        current = uow.facts.current(project.id)
        if current is not None and current.digest == digest:
            return FactsChange(project.id, current.revision, digest, [], True)
        before = _leaves(current.data) if current else {}
        after = _leaves(canonical)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        stored = uow.facts.add(
            project_id=project.id,
            schema=FACTS_SCHEMA,
            data=canonical,
            digest=digest,
            recorded_by=ctx.actor,
            recorded_at=ctx.clock(),
        )
        uow.record(
            at=ctx.clock(),
            actor=ctx.actor,
            action="facts.set",
            subject=f"project:{project.id}",
            payload={"revision": stored.revision, "digest": digest, "changed": changed},
        )
    return FactsChange(project.id, stored.revision, digest, changed, False)


def project_facts(uow: UnitOfWork, project_id: int) -> Facts | None:
    """The project's current facts, or ``None`` when none were recorded."""
    current = uow.facts.current(project_id)
    return parse_facts(current.data) if current else None


def get_facts(ctx: ServiceContext, project_ref: str | int) -> dict[str, Any] | None:
    """The current facts as recorded (unknown facts left out), or ``None``."""
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        current = uow.facts.current(project.id)
        return dict(current.data) if current else None


def facts_history(ctx: ServiceContext, project_ref: str | int) -> list[StoredFacts]:
    """Every recorded revision, oldest first."""
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        return uow.facts.history(project.id)


def _classify(legal: LegalKnowledge, facts: Facts, as_of: date) -> Classification:
    return classify(
        facts,
        eu_rules=legal.rule_set("eu-ai-act"),
        kr_rules=legal.rule_set("kr-ai-basic-act"),
        lookup=legal.frameworks,
        as_of=as_of,
    )


def classify_facts(
    ctx: ServiceContext,
    data: Mapping[str, Any],
    *,
    as_of: date | None = None,
    source: str = "facts",
) -> Classification:
    """Classify a system that is not registered, from its facts."""
    facts = parse_facts(data, source=source)
    return _classify(ctx.legal(), facts, as_of or ctx.clock().date())


def classify_project(
    ctx: ServiceContext, project_ref: str | int, *, as_of: date | None = None
) -> Classification:
    """Classify a project from its current facts; an error when it has none."""
    legal = ctx.legal()
    with ctx.store.unit_of_work() as uow:
        project = resolve_project(uow, project_ref)
        facts = project_facts(uow, project.id)
    if facts is None:
        raise NotFoundError(
            f"project {project.name!r} has no intake facts yet; record them with "
            "`ethos facts set` (format: docs/facts.md)",
            ko=(
                f"과제 {project.name!r}에는 아직 기본 사실이 "
                "없습니다. `ethos facts set`으로 기록하세요(형식: "
                "docs/facts.md)"
            ),
        )
    return _classify(legal, facts, as_of or ctx.clock().date())


def project_classification(ctx: ServiceContext, facts: Facts, as_of: date) -> Classification:
    """Classify already-validated facts with the content in use."""
    return _classify(ctx.legal(), facts, as_of)


@dataclass(frozen=True, slots=True)
class NodeDetail:
    node: Node
    framework: str
    path: list[Node]
    practices: dict[str, list[dict[str, str]]]


def node_detail(ctx: ServiceContext, node_id: str) -> NodeDetail:
    """A node with its ancestors and the practices the crosswalk maps to it."""
    legal = ctx.legal()
    node = legal.frameworks.node(node_id)
    ids = [node_id, *(n.id for n in node.walk() if n.id != node_id)]
    practices = {
        practice: [{"node": m.node, "rel": m.rel} for m in links]
        for practice, links in ctx.crosswalk().practices_for(ids).items()
    }
    path = list(reversed(legal.frameworks.ancestors(node_id)))
    return NodeDetail(node, node_id.split(":", 1)[0], path, practices)


def crosswalk(ctx: ServiceContext, source: str, target: str) -> list[CrosswalkLink]:
    """Links from framework ``source`` to ``target`` through the practices both map to."""
    legal = ctx.legal()
    known = {f.id for f in legal.frameworks.frameworks()}
    for name in (source, target):
        if name not in known:
            raise NotFoundError(
                f"no framework {name!r} (known: {', '.join(sorted(known))})",
                ko=f"프레임워크 {name!r}이(가) 없습니다(있는 것: {', '.join(sorted(known))})",
            )
    if source == target:
        raise InvalidInputError(
            "--from and --to name the same framework",
            ko="--from과 --to가 같은 프레임워크를 가리킵니다",
        )
    return via_practices(ctx.crosswalk(), None, source, target)
