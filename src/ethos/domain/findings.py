"""Stage 2 and 3: findings, their plans and evidence, verification, and lifecycle gates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from ethos.domain.catalogue import FindingCategory, Priority, RiskEntry
from ethos.domain.errors import ConflictError
from ethos.domain.profile import Profile
from ethos.domain.projects import LifecycleStage, Member, Project, Role
from ethos.domain.rules import evaluate

__all__ = [
    "LIFECYCLE_ORDER",
    "Evidence",
    "EvidenceType",
    "Finding",
    "FindingSource",
    "FindingStatus",
    "blocking_findings",
    "check_decider",
    "profile_facts",
    "triggered",
]

LIFECYCLE_ORDER = [
    LifecycleStage.PLANNING,
    LifecycleStage.DEVELOPMENT,
    LifecycleStage.VALIDATION,
    LifecycleStage.RELEASE,
    LifecycleStage.RETIRED,
]


class FindingStatus(StrEnum):
    """``open`` until resolved with evidence; ``verified`` or ``accepted`` close it.

    ``withdrawn``: a derived finding whose trigger no longer holds.
    """

    OPEN = "open"
    RESOLVED = "resolved"
    VERIFIED = "verified"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"


CLOSED_STATUSES = frozenset(
    {FindingStatus.VERIFIED, FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN}
)


class FindingSource(StrEnum):
    DERIVED = "derived"
    MANUAL = "manual"
    OBLIGATION = "obligation"  # a legal duty from the project's classification
    CLASSIFICATION = "classification"  # the classification waits on facts that would change it


class EvidenceType(StrEnum):
    FILE = "file"
    URL = "url"
    CHECK_RECORD = "check_record"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Something that shows a finding was dealt with."""

    id: int
    finding_id: int
    type: EvidenceType
    note: str
    added_by: str
    added_at: datetime
    sha256: str | None = None
    filename: str | None = None
    media_type: str | None = None
    size_bytes: int | None = None
    url: str | None = None
    record: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A concrete problem the project could cause, with its priority and its fix."""

    id: int
    project_id: int
    source: FindingSource
    catalogue_id: str | None
    category: FindingCategory
    title_en: str
    title_ko: str
    description_en: str
    description_ko: str
    severity: int
    likelihood: int
    priority: Priority
    status: FindingStatus
    created_at: datetime
    owner_member_id: int | None = None
    due_date: date | None = None
    plan_mitigations: tuple[str, ...] = ()
    plan_text: str = ""
    resolution_note: str = ""
    decided_by_member_id: int | None = None
    decided_at: datetime | None = None
    rationale: str = ""
    evidence: tuple[Evidence, ...] = field(default=())
    clause_id: str | None = None  # the framework node a legal finding answers

    @property
    def is_open(self) -> bool:
        """Not yet verified, accepted or withdrawn."""
        return self.status not in CLOSED_STATUSES

    def title(self, lang: str) -> str:
        return self.title_ko if lang == "ko" and self.title_ko else self.title_en

    def description(self, lang: str) -> str:
        return self.description_ko if lang == "ko" and self.description_ko else self.description_en


def profile_facts(project: Project, profile: Profile) -> dict[str, Any]:
    """The facts risk triggers read: project type and stage, dimension and item figures."""
    facts: dict[str, Any] = {
        "project.type": project.type.value,
        "project.lifecycle_stage": project.lifecycle_stage.value,
    }
    for dim, stats in profile.dimensions.items():
        facts[f"dimension.{dim}.mean"] = stats.mean
        facts[f"dimension.{dim}.min"] = stats.min
        facts[f"dimension.{dim}.max"] = stats.max
    for item_id, item in profile.items.items():
        values = list(item.scores.values())
        facts[f"item.{item_id}.score"] = item.score
        facts[f"item.{item_id}.min"] = min(values) if values else item.consensus
        facts[f"item.{item_id}.max"] = max(values) if values else item.consensus
    return facts


def triggered(entries: Iterable[RiskEntry], facts: Mapping[str, Any]) -> list[RiskEntry]:
    """The catalogue entries whose trigger is known to hold for ``facts``."""
    return [entry for entry in entries if evaluate(entry.when, facts).holds]


def blocking_findings(findings: Iterable[Finding], target: LifecycleStage) -> list[Finding]:
    """Findings that stop a project from moving to ``target``.

    Any open P1 blocks every advance; open P1 and P2 block reaching ``release``. Retiring a
    project is never blocked.
    """
    if target is LifecycleStage.RETIRED:
        return []
    blocking = {Priority.P1}
    if target is LifecycleStage.RELEASE:
        blocking.add(Priority.P2)
    return [f for f in findings if f.is_open and f.priority in blocking]


# The decisions of :func:`check_decider`, as the Korean message names them.
_ACTION_KO = {"verify": "이행 확인", "reject": "반려", "accept": "수용"}


def check_decider(finding: Finding, member: Member, *, action: str) -> None:
    """Only an ethics member who does not own the finding may verify, reject or accept it."""
    if member.project_id != finding.project_id:
        raise ConflictError(
            f"{member.name!r} is not on this project's task force",
            ko=f"{member.name!r}은(는) 이 과제의 TF 구성원이 아닙니다",
        )
    if member.role is not Role.ETHICS:
        raise ConflictError(
            f"only a task-force member with the ethics role may {action} a finding; "
            f"{member.name!r} has role {member.role.value}",
            ko=(
                f"윤리 역할의 TF 구성원만 문제를 {_ACTION_KO.get(action, action)}할 "
                f"수 있습니다. {member.name!r}의 역할은 {member.role.value}입니다"
            ),
        )
    if finding.owner_member_id == member.id:
        raise ConflictError(
            f"{member.name!r} owns finding {finding.id}; another ethics member must {action} it",
            ko=(
                f"{member.name!r}은(는) 문제 {finding.id}의 "
                f"담당자입니다. 다른 윤리 구성원이 {_ACTION_KO.get(action, action)}해야 "
                "합니다"
            ),
        )
