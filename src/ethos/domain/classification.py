"""Legal classification of an AI system from its intake facts, as of a date.

Rules are data (``knowledge/classification/*.yaml``) read by the three-valued evaluator of
:mod:`ethos.domain.rules`. A rule set runs in two stages: ``classify`` rules set the tier,
annex point, flags and Korean domains; from their outcome the engine derives facts such as
``eu.high_risk_annex_iii`` (true, false or unknown) that ``duties`` rules read to list the
obligations that apply, per role, each dated from the knowledge base.

A fact that is not known never counts as "no": a rule that could raise the tier but cannot
be decided leaves the tier ``undetermined``, and every missing fact is reported with what
each possible answer would change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal, Protocol, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ethos.domain.facts import Facts, OperatorRole, fact_mapping
from ethos.domain.frameworks import Applicability, Node, NodeId, natural_key
from ethos.domain.rules import (
    All,
    AnyOf,
    Compare,
    Condition,
    Not,
    Outcome,
    Truth,
    evaluate,
    parse_condition,
)
from ethos.domain.validation import invalid

__all__ = [
    "RULES_SCHEMA",
    "TIERS",
    "Classification",
    "Effect",
    "NodeLookup",
    "ObligationRef",
    "Rule",
    "RuleSet",
    "Verdict",
    "classify",
    "derived_paths",
]

RULES_SCHEMA = "ethos.classification/1"
TIERS = ("minimal", "limited", "high_risk", "prohibited")
Tier = Literal["minimal", "limited", "high_risk", "prohibited"]
Flag = Literal["gpai", "systemic_risk", "high_impact", "generative", "art_32", "domestic_rep"]
ParsedCondition = Annotated[Condition, BeforeValidator(parse_condition)]


class _Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class ObligationRef(_Rules):
    """A duty a rule brings: the clause, the roles it binds, the route for its dates."""

    node: NodeId
    roles: Annotated[list[OperatorRole], Field(min_length=1)]
    scope: str | None = None


class Effect(_Rules):
    tier: Tier | None = None
    annex: Literal["I", "III"] | None = None
    point: str | None = None
    exempts: Literal["annex-iii"] | None = None
    flags: list[Flag] = Field(default_factory=list)
    domain: str | None = None
    obligations: list[ObligationRef] = Field(default_factory=list)


class Rule(_Rules):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")]
    ref: NodeId
    stage: Literal["classify", "duties"] = "classify"
    when: ParsedCondition
    effect: Effect


class RuleSet(_Rules):
    schema_: Literal["ethos.classification/1"] = Field(alias="schema")
    framework: Literal["eu-ai-act", "kr-ai-basic-act"]
    applies_when: ParsedCondition
    rules: Annotated[list[Rule], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        ids = [r.id for r in self.rules]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise invalid(
                f"rules: ids used twice: {', '.join(twice)}",
                f"rules: 두 번 쓰인 id: {', '.join(twice)}",
            )
        return self

    def node_ids(self) -> set[str]:
        """Every framework node the rules cite."""
        found = {r.ref for r in self.rules}
        found.update(o.node for r in self.rules for o in r.effect.obligations)
        return found

    def paths(self) -> set[str]:
        """Every fact path the rules read."""
        found = self.applies_when.paths()
        for rule in self.rules:
            found |= rule.when.paths()
        return found


class NodeLookup(Protocol):
    """What the engine needs from the knowledge base."""

    def has(self, node_id: str) -> bool: ...

    def node(self, node_id: str) -> Node: ...

    def applicability(
        self, node_id: str, as_of: date, *, scope: str | None = None
    ) -> Applicability | None: ...


def derived_paths(framework: str) -> frozenset[str]:
    """Paths the engine adds between the two stages, for ``duties`` rules to read."""
    if framework == "eu-ai-act":
        names = ("prohibited", "high_risk", "high_risk_annex_i", "high_risk_annex_iii")
        extra = ("gpai", "systemic_risk", "limited", "art_6_3_exempt")
        return frozenset(f"eu.{n}" for n in (*names, *extra))
    return frozenset(f"kr.{n}" for n in ("high_impact", "generative", "art_32", "domestic_rep"))


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Verdict:
    """One framework's result; :meth:`to_json` gives the CLI contract's shape."""

    framework: str
    applies: bool | None
    reasons: list[dict[str, str]]
    obligations: list[dict[str, Any]]
    missing_facts: list[dict[str, Any]]
    summary: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary,
            "applies": self.applies,
            "reasons": self.reasons,
            "obligations": self.obligations,
            "missing_facts": self.missing_facts,
        }


@dataclass(frozen=True)
class Classification:
    as_of: date
    eu_ai_act: Verdict
    kr_ai_basic_act: Verdict

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "eu_ai_act": self.eu_ai_act.to_json(),
            "kr_ai_basic_act": self.kr_ai_basic_act.to_json(),
        }


# ------------------------------------------------------------------------------ engine


def _tri(outcomes: list[Outcome]) -> bool | None:
    if any(o.holds for o in outcomes):
        return True
    if any(o.truth is Truth.UNKNOWN for o in outcomes):
        return None
    return False


@dataclass(frozen=True)
class _Stage:
    """What the classify stage decided, before duties are listed."""

    outcomes: dict[str, Outcome]
    fired: list[Rule]
    summary: dict[str, Any]
    derived: dict[str, bool | None]


def _classify_eu(rules: RuleSet, facts: Mapping[str, Any]) -> _Stage:
    staged = [r for r in rules.rules if r.stage == "classify"]
    outcomes = {r.id: evaluate(r.when, facts) for r in staged}
    exemption = _tri([outcomes[r.id] for r in staged if r.effect.exempts])
    exempt = exemption is True

    def counts(rule: Rule) -> bool:
        return not (exempt and rule.effect.annex == "III")

    fired = [r for r in staged if outcomes[r.id].holds and counts(r)]
    unknown = [r for r in staged if outcomes[r.id].truth is Truth.UNKNOWN and counts(r)]
    if exempt:
        fired += [r for r in staged if r.effect.exempts and outcomes[r.id].holds]
    rank = {t: i for i, t in enumerate(TIERS)}
    established = max((rank[r.effect.tier] for r in fired if r.effect.tier), default=0)
    higher = sorted(
        {
            rank[r.effect.tier]
            for r in unknown
            if r.effect.tier and rank[r.effect.tier] > established
        }
    )
    tier = TIERS[established] if not higher else "undetermined"

    def route(annex: str) -> bool | None:
        group = [outcomes[r.id] for r in staged if r.effect.annex == annex and counts(r)]
        return False if annex == "III" and exempt else _tri(group)

    def flag(name: str) -> bool | None:
        return _tri([outcomes[r.id] for r in staged if name in r.effect.flags])

    annex = [
        {"annex": r.effect.annex, "point": r.effect.point, "ref": r.ref}
        for r in fired
        if r.effect.annex
    ]
    derived: dict[str, bool | None] = {
        "eu.prohibited": _tri([outcomes[r.id] for r in staged if r.effect.tier == "prohibited"]),
        "eu.high_risk_annex_i": route("I"),
        "eu.high_risk_annex_iii": route("III"),
        "eu.gpai": flag("gpai"),
        "eu.systemic_risk": flag("systemic_risk"),
        "eu.limited": _tri([outcomes[r.id] for r in staged if r.effect.tier == "limited"]),
        "eu.art_6_3_exempt": exemption,
    }
    derived["eu.high_risk"] = _tri(
        [Outcome(_truth(derived[k])) for k in ("eu.high_risk_annex_i", "eu.high_risk_annex_iii")]
    )
    summary = {
        "tier": tier,
        "possible_tiers": [TIERS[established], *(TIERS[i] for i in higher)],
        "annex": annex or None,
        "art_6_3_exemption": exemption,
        "gpai": derived["eu.gpai"],
        "systemic_risk": derived["eu.systemic_risk"],
    }
    return _Stage(outcomes, fired, summary, derived)


def _classify_kr(rules: RuleSet, facts: Mapping[str, Any]) -> _Stage:
    staged = [r for r in rules.rules if r.stage == "classify"]
    outcomes = {r.id: evaluate(r.when, facts) for r in staged}
    fired = [r for r in staged if outcomes[r.id].holds]

    def flag(name: str) -> bool | None:
        return _tri([outcomes[r.id] for r in staged if name in r.effect.flags])

    derived = {f"kr.{n}": flag(n) for n in ("high_impact", "generative", "art_32", "domestic_rep")}
    domains = sorted({r.effect.domain for r in fired if r.effect.domain})
    summary = {
        "high_impact": derived["kr.high_impact"],
        "domains": domains,
        "generative": derived["kr.generative"],
        "art_32_safety": derived["kr.art_32"],
        "domestic_representative": derived["kr.domestic_rep"],
    }
    return _Stage(outcomes, fired, summary, derived)


def _truth(value: bool | None) -> Truth:
    return Truth.UNKNOWN if value is None else Truth.TRUE if value else Truth.FALSE


def _stage(rules: RuleSet, facts: Mapping[str, Any]) -> _Stage:
    if rules.framework == "eu-ai-act":
        return _classify_eu(rules, facts)
    return _classify_kr(rules, facts)


def _obligations(
    rules: list[Rule],
    roles: list[str] | None,
    lookup: NodeLookup,
    as_of: date,
) -> list[dict[str, Any]]:
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for rule in rules:
        for duty in rule.effect.obligations:
            entry = lookup.applicability(duty.node, as_of, scope=duty.scope)
            trigger = lookup.applicability(rule.ref, as_of, scope=duty.scope)
            if (
                entry is not None
                and trigger is not None
                and trigger.applies_from > entry.applies_from
            ):
                entry = trigger  # a duty cannot apply before the rule that brings it
            start = entry.applies_from if entry is not None else None
            for role in duty.roles:
                if roles is not None and role.value not in roles:
                    continue
                key = (duty.node, role.value)
                known = best.get(key)
                if known is not None and (start is None or known["applies_from"] <= start):
                    continue
                best[key] = {
                    "id": duty.node,
                    "ref": lookup.node(duty.node).ref,
                    "role": role.value,
                    "applies_from": start,
                    "in_force": start is not None and start <= as_of,
                    "basis": entry.basis if entry is not None else None,
                }
    listed = sorted(
        best.values(),
        key=lambda o: (o["applies_from"] or date.max, natural_key(o["id"]), o["role"]),
    )
    for item in listed:
        start = item["applies_from"]
        item["applies_from"] = start.isoformat() if start is not None else None
    return listed


def _run(
    rules: RuleSet, facts: Mapping[str, Any]
) -> tuple[_Stage, list[Rule], dict[str, Outcome], bool | None]:
    stage = _stage(rules, facts)
    with_derived = {**facts, **stage.derived}
    duties = [r for r in rules.rules if r.stage == "duties"]
    duty_outcomes = {r.id: evaluate(r.when, with_derived) for r in duties}
    applies = _tri([evaluate(rules.applies_when, facts)])
    fired_duties = [r for r in duties if duty_outcomes[r.id].holds]
    return stage, fired_duties, {**stage.outcomes, **duty_outcomes}, applies


def _walk(condition: Condition) -> Iterator[Compare]:
    if isinstance(condition, Compare):
        yield condition
    elif isinstance(condition, (All, AnyOf)):
        for part in condition.parts:
            yield from _walk(part)
    elif isinstance(condition, Not):
        yield from _walk(condition.part)


def _answers(rules: RuleSet, path: str) -> list[tuple[str, Any]]:
    """Candidate answers for ``path``: values that make the rules reading it true or false."""
    found: dict[str, Any] = {}
    for rule in rules.rules:
        for cmp in _walk(rule.when):
            if cmp.path != path:
                continue
            value = cmp.value
            if isinstance(value, bool):
                found.update({"true": True, "false": False})
            elif cmp.op in ("gt", "gte", "lt", "lte"):
                number = float(value)
                above = number * 10 if cmp.op == "gt" else number
                below = number if cmp.op == "gt" else number / 10
                found[f"{above:.4g}"] = above
                found[f"{below:.4g}"] = below
            elif cmp.op in ("intersects", "in"):
                for item in value:
                    found[str(item)] = [item] if cmp.op == "intersects" else item
                if cmp.op == "intersects":
                    found["none of these"] = []
            elif cmp.op == "contains":
                found[str(value)] = [value]
                found["none of these"] = []
            else:
                found[str(value)] = value
    return list(found.items())


def _headline(framework: str, stage: _Stage) -> dict[str, Any]:
    if framework == "eu-ai-act":
        return {"tier": stage.summary["tier"]}
    return {"high_impact": stage.summary["high_impact"]}


def _missing(
    rules: RuleSet,
    facts: Mapping[str, Any],
    outcomes: dict[str, Outcome],
    fired_now: set[str],
) -> list[dict[str, Any]]:
    derived = derived_paths(rules.framework)
    by_path: dict[str, list[str]] = {}
    for rule_id, outcome in outcomes.items():
        for path in outcome.missing - derived:
            by_path.setdefault(path, []).append(rule_id)
    report = []
    for path in sorted(by_path):
        answers = []
        for label, value in _answers(rules, path):
            stage, duties, _, _ = _run(rules, {**facts, path: value})
            fired = {r.id for r in stage.fired} | {r.id for r in duties}
            answers.append(
                {
                    "answer": label,
                    **_headline(rules.framework, stage),
                    "adds": sorted(fired - fired_now),
                }
            )
        report.append({"fact": path, "rules": sorted(by_path[path]), "answers": answers})
    return report


def _verdict(rules: RuleSet, facts: Mapping[str, Any], lookup: NodeLookup, as_of: date) -> Verdict:
    stage, duties, outcomes, applies = _run(rules, facts)
    roles = facts.get("facts.roles")
    fired = [*stage.fired, *duties]
    reasons = [{"rule": r.id, "ref": r.ref} for r in fired]
    obligations = [] if applies is False else _obligations(fired, roles, lookup, as_of)
    fired_ids = {r.id for r in fired}
    missing = _missing(rules, facts, outcomes, fired_ids)
    scope = evaluate(rules.applies_when, facts)
    for path in sorted(scope.missing):
        missing.append(
            {"fact": path, "rules": ["applies_when"], "answers": [], "note": "decides scope"}
        )
    if roles is None and obligations:
        missing.append(
            {
                "fact": "facts.roles",
                "rules": [],
                "answers": [],
                "note": "obligations are listed for every role until the roles are known",
            }
        )
    return Verdict(rules.framework, applies, reasons, obligations, missing, stage.summary)


def classify(
    facts: Facts,
    *,
    eu_rules: RuleSet,
    kr_rules: RuleSet,
    lookup: NodeLookup,
    as_of: date,
) -> Classification:
    """Classify ``facts`` under the EU AI Act and the Korea AI Basic Act as of ``as_of``."""
    flat = fact_mapping(facts)
    return Classification(
        as_of=as_of,
        eu_ai_act=_verdict(eu_rules, flat, lookup, as_of),
        kr_ai_basic_act=_verdict(kr_rules, flat, lookup, as_of),
    )
