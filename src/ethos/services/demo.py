"""The demo organisation: three projects walked through stage 1 with made-up answers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ethos.domain.projects import LifecycleStage, ProjectType, Role
from ethos.knowledge.loading import load_model
from ethos.services import projects, stage1
from ethos.services.context import ServiceContext

__all__ = ["DemoOrganisation", "DemoOutcome", "load_demo_organisation", "seed_demo"]

Score = Annotated[float, Field(ge=1, le=5)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DemoMember(_Model):
    name: str
    role: Role
    lean: Annotated[float, Field(ge=-2, le=2)] = 0.0


class DemoProject(_Model):
    name: str
    type: ProjectType
    lifecycle_stage: LifecycleStage = LifecycleStage.PLANNING
    purpose: str
    exposure: dict[str, Score]
    members: Annotated[list[DemoMember], Field(min_length=1)]
    close_stage1: bool = False


class DemoOrganisation(_Model):
    schema_: Literal["ethos.demo/1"] = Field(alias="schema")
    seed: int
    projects: Annotated[list[DemoProject], Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class DemoOutcome:
    """One seeded project and what happened to it."""

    project_id: int
    name: str
    flagged: list[str]
    closed: bool


def load_demo_organisation(path: Path | None = None) -> DemoOrganisation:
    """The demo organisation shipped with Ethos, or one from ``path``."""
    default = Path(__file__).resolve().parent.parent / "knowledge" / "demo" / "organisation.yaml"
    return load_model(path or default, DemoOrganisation)


def seed_demo(ctx: ServiceContext, organisation: DemoOrganisation) -> list[DemoOutcome]:
    """Create the demo projects, answer for every member, agree on flagged items.

    Every change goes through the same services a task force uses, so the audit trail of the
    demo is a real one.
    """
    rng = random.Random(organisation.seed)  # noqa: S311  (made-up answers, not secrets)
    outcomes = []
    for spec in organisation.projects:
        project = projects.create_project(
            ctx,
            name=spec.name,
            type=spec.type.value,
            purpose=spec.purpose,
            lifecycle_stage=spec.lifecycle_stage.value,
        )
        view = stage1.stage1_profile(ctx, project.id)
        questionnaire = view.questionnaire
        for person in spec.members:
            member = projects.add_member(ctx, project.id, name=person.name, role=person.role.value)
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
        outcomes.append(DemoOutcome(project.id, project.name, flagged, spec.close_stage1))
    return outcomes
