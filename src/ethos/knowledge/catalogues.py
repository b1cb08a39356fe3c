"""Loading the risk and mitigation catalogues and the priority matrix, checked together.

Layout under the content root: ``catalogues/risks/v<N>.yaml``,
``catalogues/mitigations/v<N>.yaml`` and ``catalogues/priority.yaml``. Beyond each file's
schema, loading checks that every mitigation a risk suggests exists and that every fact a
trigger reads is one the profile provides (see :data:`FACT_PATTERNS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ethos.domain.catalogue import MitigationCatalogue, PriorityMatrix, RiskCatalogue
from ethos.domain.errors import ContentError, NotFoundError
from ethos.domain.questionnaire import Questionnaire
from ethos.knowledge.loading import load_model

__all__ = ["FACT_PATTERNS", "Catalogues", "default_root", "load_catalogues"]

_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.yaml$")

FACT_PATTERNS = (
    re.compile(r"^project\.(type|lifecycle_stage)$"),
    re.compile(r"^dimension\.(?P<dimension>[a-z_0-9]+)\.(mean|min|max)$"),
    re.compile(r"^item\.(?P<item>[a-z0-9-]+)\.(score|min|max)$"),
    re.compile(r"^facts\.[a-z0-9_.]+$"),
    re.compile(r"^(eu\.(tier|gpai|systemic_risk)|kr\.(high_impact|generative))$"),
    re.compile(
        r"^datasets\.(count|licence_unknown|share_alike|non_commercial|no_derivatives"
        r"|personal_data_unanonymised|representativeness_missing)$"
    ),
)


def default_root() -> Path:
    """The catalogues shipped with Ethos."""
    return Path(__file__).parent / "catalogues"


@dataclass(frozen=True)
class Catalogues:
    """The three pieces of stage-2 content, loaded and cross-checked."""

    risks: RiskCatalogue
    mitigations: MitigationCatalogue
    priority: PriorityMatrix


def _latest(folder: Path) -> Path:
    if not folder.is_dir():
        raise NotFoundError(
            f"no catalogue folder {folder}", ko=f"카탈로그 폴더 {folder}이(가) 없습니다"
        )
    versions = sorted(
        (int(m.group(1)), p) for p in folder.iterdir() if (m := _VERSION_FILE.match(p.name))
    )
    if not versions:
        raise NotFoundError(
            f"{folder}: no version files (v1.yaml, v2.yaml, ...)",
            ko=f"{folder}: 버전 파일(v1.yaml, v2.yaml, ...)이 없습니다",
        )
    return versions[-1][1]


def load_catalogues(
    root: Path | None = None,
    *,
    questionnaires: Callable[[str], Questionnaire],
) -> Catalogues:
    """Load the newest catalogues under ``root``.

    ``questionnaires`` returns the newest version of a questionnaire by id: the triggers
    are checked against the one the risk catalogue names.
    """
    base = root if root is not None else default_root()
    risks_path = _latest(base / "risks")
    risks = load_model(risks_path, RiskCatalogue)
    questionnaire = questionnaires(risks.questionnaire)
    mitigations = load_model(_latest(base / "mitigations"), MitigationCatalogue)
    priority = load_model(base / "priority.yaml", PriorityMatrix)

    known_mitigations = {m.id for m in mitigations.entries}
    items = {i.id for i in questionnaire.items}
    dimensions = {d.id for d in questionnaire.dimensions}
    problems: list[tuple[str, str]] = []  # (English, Korean)
    for index, entry in enumerate(risks.entries):
        where = f"{risks_path}: entry {entry.id!r} (entries[{index}])"
        where_ko = f"{risks_path}: 항목 {entry.id!r} (entries[{index}])"
        unknown = [m for m in entry.mitigations if m not in known_mitigations]
        if unknown:
            problems.append(
                (
                    f"{where}, field mitigations: unknown mitigation(s) {', '.join(unknown)}",
                    f"{where_ko}, 필드 mitigations: 알 수 없는 개선 조치 {', '.join(unknown)}",
                )
            )
        for path in sorted(entry.when.paths()):
            problem = _check_path(path, items, dimensions)
            if problem:
                problem_ko = _check_path(path, items, dimensions, lang="ko")
                problems.append(
                    (f"{where}, field when: {problem}", f"{where_ko}, 필드 when: {problem_ko}")
                )
    if problems:
        raise ContentError(
            "\n".join(en for en, _ in problems), ko="\n".join(ko for _, ko in problems)
        )
    return Catalogues(risks=risks, mitigations=mitigations, priority=priority)


def _check_path(path: str, items: set[str], dimensions: set[str], lang: str = "en") -> str:
    ko = lang == "ko"
    for pattern in FACT_PATTERNS:
        match = pattern.match(path)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("item") and groups["item"] not in items:
            if ko:
                return f"사실 {path!r}이(가) 가리키는 문항 {groups['item']!r}이(가) 설문에 없습니다"
            return f"fact {path!r} names item {groups['item']!r}, not in the questionnaire"
        if groups.get("dimension") and groups["dimension"] not in dimensions:
            if ko:
                return (
                    f"사실 {path!r}이(가) 가리키는 차원 {groups['dimension']!r}이(가) "
                    "설문에 없습니다"
                )
            return (
                f"fact {path!r} names dimension {groups['dimension']!r}, not in the questionnaire"
            )
        return ""
    known = (
        "project.type, project.lifecycle_stage, "
        "dimension.<id>.mean|min|max, item.<id>.score|min|max, facts.<name>, eu.tier, "
        "eu.gpai, eu.systemic_risk, kr.high_impact, kr.generative, datasets.<flag>"
    )
    if ko:
        return f"사실 {path!r}은(는) 프로파일이 제공하는 사실이 아닙니다({known})"
    return f"fact {path!r} is not one the profile provides ({known})"
