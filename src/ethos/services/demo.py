"""The demo organisation: three projects walked through stage 1 with made-up answers."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ethos.domain.description import ProjectDescription
from ethos.domain.findings import FindingStatus
from ethos.domain.projects import LifecycleStage, ProjectType, Role
from ethos.knowledge.loading import load_model
from ethos.services import accounts, cards, findings, projects, regulation, stage1
from ethos.services.context import ServiceContext
from ethos.services.lifecycle import advance_project

__all__ = ["DemoOrganisation", "DemoOutcome", "load_demo_organisation", "seed_demo"]

Score = Annotated[float, Field(ge=1, le=5)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DemoMember(_Model):
    name: str
    role: Role
    lean: Annotated[float, Field(ge=-2, le=2)] = 0.0
    username: str | None = None


class DemoAccount(_Model):
    """A sign-in for the web app; the password is made up and printed by ``ethos demo``."""

    username: str
    display_name: str
    role: Literal["admin", "auditor", "user"]
    password: str


class DemoProject(_Model):
    name: str
    type: ProjectType
    lifecycle_stage: LifecycleStage = LifecycleStage.PLANNING
    purpose: str
    exposure: dict[str, Score]
    members: Annotated[list[DemoMember], Field(min_length=1)]
    close_stage1: bool = False
    full_assessment: bool = False
    description: ProjectDescription | None = None
    facts: dict[str, Any] | None = None  # intake facts, validated when recorded


class DemoOrganisation(_Model):
    schema_: Literal["ethos.demo/1"] = Field(alias="schema")
    seed: int
    accounts: list[DemoAccount] = Field(default_factory=list)
    projects: Annotated[list[DemoProject], Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class DemoOutcome:
    """One seeded project and what happened to it."""

    project_id: int
    name: str
    flagged: list[str]
    closed: bool
    findings: int = 0


def load_demo_organisation(path: Path | None = None) -> DemoOrganisation:
    """The demo organisation shipped with Ethos, or one from ``path``."""
    default = Path(__file__).resolve().parent.parent / "knowledge" / "demo" / "organisation.yaml"
    return load_model(path or default, DemoOrganisation)


def _full_assessment(ctx: ServiceContext, project_id: int, spec: DemoProject, work: Path) -> int:
    """Stages 2 and 3 for one project: every P1 and P2 fixed and verified, P3 accepted."""
    findings.derive_findings(ctx, project_id)
    _, found = findings.list_findings(ctx, project_id)
    owner = next(m for m in spec.members if m.role is Role.TECHNICAL).name
    verifier = next(m for m in spec.members if m.role is Role.ETHICS).name
    work.mkdir(parents=True, exist_ok=True)
    for finding in found:
        if finding.priority.value == "P3":
            findings.accept_finding(
                ctx,
                project_id,
                finding.id,
                member=verifier,
                rationale="Low severity; reviewed again at the yearly re-assessment.",
            )
            continue
        findings.assign_finding(
            ctx, project_id, finding.id, owner=owner, due=ctx.clock().date().replace(day=28)
        )
        note = work / f"finding-{finding.id}.md"
        note.write_text(
            f"# {finding.title_en}\n\nMitigations carried out: "
            f"{', '.join(finding.plan_mitigations)}.\nReviewed by the task force.\n",
            encoding="utf-8",
        )
        findings.add_evidence(ctx, project_id, finding.id, file=note, note="work record")
        findings.resolve_finding(ctx, project_id, finding.id, note="Mitigations carried out.")
        findings.verify_finding(ctx, project_id, finding.id, member=verifier)
    for stage in ("validation", "release"):
        advance_project(ctx, project_id, to=stage)
    _, found = findings.list_findings(ctx, project_id)
    return sum(1 for f in found if f.status is not FindingStatus.WITHDRAWN)


def seed_demo(
    ctx: ServiceContext, organisation: DemoOrganisation, *, work: Path | None = None
) -> list[DemoOutcome]:
    """Create the demo projects, answer for every member, agree on flagged items.

    Every change goes through the same services a task force uses, so the audit trail of the
    demo is a real one.
    """
    rng = random.Random(organisation.seed)  # noqa: S311  (made-up answers, not secrets)
    for account in organisation.accounts:
        accounts.create_user(
            ctx,
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            password=account.password,
        )
    outcomes = []
    for spec in organisation.projects:
        project = projects.create_project(
            ctx,
            name=spec.name,
            type=spec.type.value,
            purpose=spec.purpose,
            lifecycle_stage=spec.lifecycle_stage.value,
        )
        if spec.facts is not None:
            regulation.set_facts(ctx, project.id, spec.facts)
        view = stage1.stage1_profile(ctx, project.id)
        questionnaire = view.questionnaire
        for person in spec.members:
            member = projects.add_member(ctx, project.id, name=person.name, role=person.role.value)
            if person.username:
                accounts.link_member(ctx, project.id, member.id, person.username)
            entries = []
            for item in questionnaire.items_for(person.role):
                base = spec.exposure.get(item.dimension, 3.0) + person.lean
                score = round(base + rng.choice((-1, 0, 0, 0, 1)) * 0.8)
                entries.append(stage1.SheetEntry(item.id, min(5, max(1, score))))
            stage1.submit_answers(ctx, project.id, member=member.id, entries=entries)
        view = stage1.stage1_profile(ctx, project.id)
        flagged = list(view.profile.discuss)
        if spec.close_stage1:
            for item_id in flagged:
                scores = sorted(view.profile.items[item_id].scores.values())
                agreed = scores[len(scores) // 2]
                stage1.record_consensus(
                    ctx,
                    project.id,
                    item=item_id,
                    score=agreed,
                    note="Agreed in the task-force meeting after each member explained "
                    "their score.",
                )
            stage1.close_stage1(ctx, project.id)
        count = 0
        if spec.description is not None:
            described = (work or Path(".")) / f"description-{project.id}.yaml"
            described.parent.mkdir(parents=True, exist_ok=True)
            described.write_text(
                json.dumps(spec.description.model_dump(mode="json"), ensure_ascii=False),
                encoding="utf-8",
            )
            cards.describe_project(ctx, project.id, file=described)
        if spec.full_assessment:
            count = _full_assessment(ctx, project.id, spec, (work or Path(".")) / "evidence-notes")
        outcomes.append(DemoOutcome(project.id, project.name, flagged, spec.close_stage1, count))
    return outcomes
