"""Builders of test objects: sensible defaults, any field overridable."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from ethos.domain.projects import Member, Role
from ethos.domain.questionnaire import Questionnaire

ALL_ROLES = ["technical", "business", "ethics"]


def text(en: str) -> dict[str, str]:
    return {"en": en, "ko": f"{en} (한국어)"}


def item_data(
    item_id: str, dimension: str, roles: list[str] | None = None, **overrides: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item_id,
        "dimension": dimension,
        "aspect": item_id.replace("-", "_"),
        "text": text(f"How exposed is the project on {item_id}?"),
        "anchors": {1: text("little"), 3: text("some"), 5: text("much")},
        "roles": roles if roles is not None else list(ALL_ROLES),
        "frameworks": ["eu-ai-act:art-9"],
    }
    data.update(overrides)
    return data


def questionnaire_data(**overrides: Any) -> dict[str, Any]:
    """A small questionnaire: two dimensions, four items, as raw YAML data."""
    data: dict[str, Any] = {
        "schema": "ethos.questionnaire/1",
        "id": "test-q",
        "version": 1,
        "released": "2026-01-01",
        "title": text("Test questionnaire"),
        "description": text("For tests."),
        "dimensions": [
            {"id": "fairness", "title": text("Fairness"), "explanation": text("Groups.")},
            {"id": "safety", "title": text("Safety"), "explanation": text("Harm.")},
        ],
        "items": [
            item_data("fair-a", "fairness"),
            item_data("fair-b", "fairness", ["technical", "ethics"]),
            item_data("safe-a", "safety"),
            item_data("safe-b", "safety", ["business"]),
        ],
    }
    data.update(overrides)
    return data


def make_questionnaire(**overrides: Any) -> Questionnaire:
    return Questionnaire.model_validate(questionnaire_data(**overrides))


def make_member(member_id: int, role: str, project_id: int = 1) -> Member:
    return Member(id=member_id, project_id=project_id, name=f"member {member_id}", role=Role(role))


def write_questionnaire(root: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` where a :class:`QuestionnaireLibrary` rooted at ``root`` finds it."""
    path = root / data["id"] / f"v{data['version']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(copy.deepcopy(data), allow_unicode=True), encoding="utf-8")
    return path


def catalogue_files(root: Path, *, max_bytes: int = 4096) -> Path:
    """Write a small risk catalogue, mitigation catalogue, priority matrix and evidence policy
    for the test questionnaire ``test-q`` under ``root`` and return ``root``."""
    shipped = Path(__file__).resolve().parent.parent / "src" / "ethos" / "knowledge" / "catalogues"
    (root / "risks").mkdir(parents=True, exist_ok=True)
    (root / "mitigations").mkdir(parents=True, exist_ok=True)
    for name in ("priority.yaml", "legal-findings.yaml"):
        (root / name).write_text((shipped / name).read_text(encoding="utf-8"), encoding="utf-8")
    policy = yaml.safe_load((shipped / "evidence-policy.yaml").read_text(encoding="utf-8"))
    policy["max_bytes"] = max_bytes
    (root / "evidence-policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    mitigations = {
        "schema": "ethos.mitigation-catalogue/1",
        "id": "test-mitigations",
        "version": 1,
        "released": "2026-01-01",
        "entries": [
            {"id": m, "title": text(m), "text": text(f"Do {m}."), "evidence": ["document"]}
            for m in ("subgroup-eval", "safety-review", "model-card")
        ],
    }

    def risk(
        rid: str, cat: str, when: dict[str, Any], sev: int, lik: int, mit: str
    ) -> dict[str, Any]:
        return {
            "id": rid,
            "category": cat,
            "title": text(f"Risk {rid}"),
            "description": text(f"What could go wrong: {rid}."),
            "when": when,
            "severity": sev,
            "likelihood": lik,
            "mitigations": [mit],
        }

    risks = {
        "schema": "ethos.risk-catalogue/1",
        "id": "test-risks",
        "version": 1,
        "released": "2026-01-01",
        "questionnaire": "test-q",
        "entries": [
            risk(
                "r-fair", "fairness", {"gte": ["dimension.fairness.mean", 3]}, 5, 4, "subgroup-eval"
            ),
            risk(
                "r-safe",
                "harmful_content",
                {"gte": ["item.safe-a.score", 4]},
                3,
                3,
                "safety-review",
            ),
            risk(
                "r-basic",
                "transparency",
                {
                    "all": [
                        {"eq": ["project.type", "basic_research"]},
                        {"gte": ["item.fair-a.max", 2]},
                    ]
                },
                1,
                2,
                "model-card",
            ),
            risk("r-never", "legal", {"gte": ["item.safe-b.score", 5]}, 5, 5, "model-card"),
            # read intake facts and the classification; unknown until facts are recorded
            risk("r-profiling", "privacy", {"eq": ["facts.profiling", True]}, 3, 3, "model-card"),
            risk("r-eu-high", "legal", {"eq": ["eu.tier", "high_risk"]}, 4, 3, "model-card"),
        ],
    }
    (root / "mitigations" / "v1.yaml").write_text(yaml.safe_dump(mitigations), encoding="utf-8")
    (root / "risks" / "v1.yaml").write_text(yaml.safe_dump(risks), encoding="utf-8")
    return root
