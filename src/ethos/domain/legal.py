"""From a classification to stage-2 findings: one ``legal`` finding per applicable duty.

The duties come from both laws' verdicts, merged per framework node (the roles joined, the
earliest date kept). How severe and how pressing each is comes from the policy file
``knowledge/catalogues/legal-findings.yaml``: severity by the node's type, likelihood by
how soon the duty applies. Titles and descriptions are templates in Korean and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ethos.domain.classification import Classification
from ethos.domain.frameworks import Node
from ethos.domain.validation import invalid

__all__ = [
    "LEGAL_POLICY_SCHEMA",
    "IncompleteClassification",
    "LegalDuty",
    "LegalFindingPolicy",
    "LegalFindingText",
    "incomplete_classifications",
    "legal_duties",
]

LEGAL_POLICY_SCHEMA = "ethos.legal-findings/1"
Level = Annotated[int, Field(ge=1, le=5)]
TEMPLATE_FIELDS = ("ref", "title", "roles", "applies_from", "framework")
INCOMPLETE_FIELDS = ("ref", "framework", "facts", "count")


class _Policy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Template(_Policy):
    en: Annotated[str, Field(min_length=1)]
    ko: Annotated[str, Field(min_length=1)]

    @classmethod
    def fields(cls) -> tuple[str, ...]:
        return TEMPLATE_FIELDS

    @model_validator(mode="after")
    def _known_fields(self) -> _Template:
        known = self.fields()
        for text in (self.en, self.ko):
            try:
                text.format_map(dict.fromkeys(known, ""))
            except (KeyError, IndexError, ValueError) as exc:
                raise invalid(
                    f"template {text!r} uses an unknown field {exc}; known: {', '.join(known)}",
                    f"템플릿 {text!r}이(가) 모르는 필드 {exc}을(를) 씁니다. "
                    f"쓸 수 있는 필드: {', '.join(known)}",
                ) from None
        return self


class _IncompleteTemplate(_Template):
    @classmethod
    def fields(cls) -> tuple[str, ...]:
        return INCOMPLETE_FIELDS


class _Incomplete(_Policy):
    """The finding raised while a law's classification cannot be completed for want of facts:
    where it points (the article that decides the classification), how severe and pressing."""

    clause: dict[str, Annotated[str, Field(min_length=1)]]
    severity: Level
    likelihood: Level
    title: _IncompleteTemplate
    description: _IncompleteTemplate


class _Timing(_Policy):
    in_force: Level
    within_months: Annotated[int, Field(ge=1, le=60)]
    soon: Level
    later: Level


class LegalFindingPolicy(_Policy):
    """Severity per node type, likelihood per timing, and the texts of legal findings."""

    schema_: Literal["ethos.legal-findings/1"] = Field(alias="schema")
    version: Annotated[int, Field(ge=1)]
    severity: dict[str, Level]
    likelihood: _Timing
    title: _Template
    description: _Template
    pending_description: _Template
    incomplete: _Incomplete

    @model_validator(mode="after")
    def _default_severity(self) -> LegalFindingPolicy:
        if "default" not in self.severity:
            raise invalid(
                "severity: a 'default' entry is required",
                "severity: 'default' 항목이 있어야 합니다",
            )
        return self

    def levels(self, duty: LegalDuty, as_of: date) -> tuple[int, int]:
        """Severity and likelihood of a finding for ``duty`` as of ``as_of``."""
        severity = self.severity.get(duty.node_type, self.severity["default"])
        start = duty.applies_from
        if start is None or start <= as_of:
            return severity, self.likelihood.in_force
        months = (start.year - as_of.year) * 12 + (start.month - as_of.month)
        soon = months <= self.likelihood.within_months
        return severity, self.likelihood.soon if soon else self.likelihood.later


@dataclass(frozen=True, slots=True)
class LegalFindingText:
    title_en: str
    title_ko: str
    description_en: str
    description_ko: str


@dataclass(frozen=True, slots=True)
class LegalDuty:
    """A framework node that applies to the project, for the roles it holds."""

    node_id: str
    framework: str
    ref: str
    node_type: str
    title_en: str
    title_ko: str
    roles: tuple[str, ...]
    applies_from: date | None
    in_force: bool

    def text(self, policy: LegalFindingPolicy) -> LegalFindingText:
        def fill(template: str, lang: str) -> str:
            title = self.title_ko if lang == "ko" else self.title_en
            start = self.applies_from.isoformat() if self.applies_from else "?"
            values: Mapping[str, Any] = {
                "ref": self.ref,
                "title": title,
                "roles": ", ".join(self.roles),
                "applies_from": start,
                "framework": self.framework,
            }
            return template.format_map(values)

        body = policy.description if self.applies_from else policy.pending_description
        return LegalFindingText(
            title_en=fill(policy.title.en, "en"),
            title_ko=fill(policy.title.ko, "ko"),
            description_en=fill(body.en, "en"),
            description_ko=fill(body.ko, "ko"),
        )


class NodeSource(Protocol):
    def node(self, node_id: str) -> Node: ...


def _titles(node: Node) -> tuple[str, str]:
    text = node.title or node.summary
    if text is None:
        return node.ref, node.ref
    en = text.en or text.ko or node.ref
    return en, text.ko or en


def legal_duties(classification: Classification, nodes: NodeSource) -> list[LegalDuty]:
    """The duties both verdicts list, one per node, ordered by date then id."""
    merged: dict[str, dict[str, Any]] = {}
    verdicts = (classification.eu_ai_act, classification.kr_ai_basic_act)
    obligations: Iterable[Mapping[str, Any]] = (o for v in verdicts for o in v.obligations)
    for item in obligations:
        start = date.fromisoformat(item["applies_from"]) if item["applies_from"] else None
        entry = merged.setdefault(
            item["id"],
            {"ref": item["ref"], "roles": set(), "start": start, "in_force": False},
        )
        entry["roles"].add(item["role"])
        if start is not None and (entry["start"] is None or start < entry["start"]):
            entry["start"] = start
        entry["in_force"] = entry["in_force"] or bool(item["in_force"])
    duties = []
    for node_id, entry in merged.items():
        node = nodes.node(node_id)
        title_en, title_ko = _titles(node)
        duties.append(
            LegalDuty(
                node_id=node_id,
                framework=node_id.split(":", 1)[0],
                ref=entry["ref"],
                node_type=node.type.value,
                title_en=title_en,
                title_ko=title_ko,
                roles=tuple(sorted(entry["roles"])),
                applies_from=entry["start"],
                in_force=entry["in_force"],
            )
        )
    duties.sort(key=lambda d: (d.applies_from or date.max, d.node_id))
    return duties


@dataclass(frozen=True, slots=True)
class IncompleteClassification:
    """A law whose classification of the project waits on facts that would change it."""

    framework: str
    clause_id: str
    facts: tuple[str, ...]

    def text(self, policy: LegalFindingPolicy, nodes: NodeSource) -> LegalFindingText:
        node = nodes.node(self.clause_id)
        template = policy.incomplete
        facts = ", ".join(f.removeprefix("facts.") for f in self.facts)
        values: Mapping[str, Any] = {
            "ref": node.ref,
            "framework": self.framework,
            "facts": facts,
            "count": len(self.facts),
        }
        return LegalFindingText(
            title_en=template.title.en.format_map(values),
            title_ko=template.title.ko.format_map(values),
            description_en=template.description.en.format_map(values),
            description_ko=template.description.ko.format_map(values),
        )


def _matters(entry: Mapping[str, Any], headline: Mapping[str, Any]) -> bool:
    """Whether knowing the fact could settle the verdict's headline: it decides scope, or one
    of its answers moves the tier (EU) or high impact (Korea)."""
    if entry.get("note") == "decides scope":
        return True
    return any(
        key in answer and answer[key] != value
        for answer in entry.get("answers", [])
        for key, value in headline.items()
    )


def incomplete_classifications(
    classification: Classification, policy: LegalFindingPolicy
) -> list[IncompleteClassification]:
    """The laws (with a clause in the policy) whose verdict is not settled: scope unknown, the
    EU tier ``undetermined`` or Korea's high impact unknown. Duties that only an unknown fact
    would add (a compute threshold, say) leave the verdict settled; ``classify`` lists them."""
    found = []
    for verdict in (classification.eu_ai_act, classification.kr_ai_basic_act):
        clause = policy.incomplete.clause.get(verdict.framework)
        if clause is None or verdict.applies is False:
            continue
        headline: dict[str, Any] = {
            key: verdict.summary[key] for key in ("tier", "high_impact") if key in verdict.summary
        }
        settled = verdict.applies is True and all(
            value not in (None, "undetermined") for value in headline.values()
        )
        if settled:
            continue
        facts = sorted({m["fact"] for m in verdict.missing_facts if _matters(m, headline)})
        found.append(IncompleteClassification(verdict.framework, clause, tuple(facts)))
    return found
