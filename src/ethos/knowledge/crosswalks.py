"""Loading the crosswalk of Ethos's practices to framework nodes, checked against both sides.

Layout: ``<root>/<crosswalk id>.yaml`` (the shipped one is ``ethos-practices.yaml``).
Loading fails, naming the file and the id, when a practice is not one Ethos has, when a
node is not in the knowledge base, when a practice is left unmapped, or when a
questionnaire item's own clause references are missing from its mappings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ethos.domain.catalogue import MitigationCatalogue, RiskCatalogue
from ethos.domain.crosswalk import Crosswalk
from ethos.domain.errors import ContentError
from ethos.domain.questionnaire import Questionnaire
from ethos.knowledge.frameworks import KnowledgeBase
from ethos.knowledge.loading import load_model

__all__ = ["check_crosswalk", "crosswalk_problems", "default_root", "load_crosswalk"]


def default_root() -> Path:
    """The crosswalks shipped with Ethos."""
    return Path(__file__).parent / "crosswalks"


def crosswalk_problems(
    crosswalk: Crosswalk,
    *,
    where: str,
    knowledge: KnowledgeBase,
    questionnaire: Questionnaire,
    risks: RiskCatalogue,
    mitigations: MitigationCatalogue,
    lang: str = "en",
) -> list[str]:
    """Every dangling or missing id, one line each, naming ``where`` and the id (in Korean
    with ``lang="ko"``)."""
    ko = lang == "ko"
    practices: dict[str, list[str]] = {
        f"item:{i.id}": list(i.frameworks) for i in questionnaire.items
    }
    practices.update({f"risk:{r.id}": [] for r in risks.entries})
    practices.update({f"mitigation:{m.id}": [] for m in mitigations.entries})
    problems = []
    for practice, mappings in crosswalk.practices.items():
        if practice not in practices:
            kind = practice.split(":", 1)[0]
            problems.append(
                f"{where}: 실천 {practice!r}: Ethos 콘텐츠에 그런 {kind}이(가) 없습니다"
                if ko
                else f"{where}: practice {practice!r}: no such {kind} in Ethos's content"
            )
            continue
        for mapping in mappings:
            if not knowledge.has(mapping.node):
                problems.append(
                    f"{where}: 실천 {practice!r}: 프레임워크 노드 {mapping.node!r}이(가) 없습니다"
                    if ko
                    else f"{where}: practice {practice!r}: no framework node {mapping.node!r}"
                )
        mapped = {m.node for m in mappings}
        for ref in practices[practice]:
            if ref not in mapped:
                problems.append(
                    f"{where}: 실천 {practice!r}: 설문 문항은 {ref!r}을(를) 인용하지만 "
                    "매핑에는 빠져 있습니다"
                    if ko
                    else f"{where}: practice {practice!r}: the questionnaire item cites {ref!r}, "
                    "which its mappings leave out"
                )
    for practice in practices:
        if practice not in crosswalk.practices:
            problems.append(
                f"{where}: 실천 {practice!r}이(가) 어떤 프레임워크 노드에도 매핑되어 있지 않습니다"
                if ko
                else f"{where}: practice {practice!r} is not mapped to any framework node"
            )
    return problems


def load_crosswalk(path: Path) -> Crosswalk:
    """Read and validate the file's schema (ids are checked by :func:`check_crosswalk`)."""
    crosswalk = load_model(path, Crosswalk)
    if crosswalk.id != path.stem:
        raise ContentError(
            f"{path}: declares crosswalk {crosswalk.id!r}, but the file name says {path.stem!r}",
            ko=(
                f"{path}: 크로스워크 {crosswalk.id!r}을(를) "
                f"선언하지만 파일 이름은 {path.stem!r}입니다"
            ),
        )
    return crosswalk


def check_crosswalk(
    path: Path,
    *,
    knowledge: KnowledgeBase,
    questionnaire: Questionnaire,
    risks: RiskCatalogue,
    mitigations: MitigationCatalogue,
) -> Crosswalk:
    """Load ``path`` and raise :class:`ContentError` listing every dangling or missing id."""
    crosswalk = load_crosswalk(path)
    arguments: dict[str, Any] = {
        "where": str(path),
        "knowledge": knowledge,
        "questionnaire": questionnaire,
        "risks": risks,
        "mitigations": mitigations,
    }
    problems = crosswalk_problems(crosswalk, **arguments)
    if problems:
        raise ContentError(
            "\n".join(problems), ko="\n".join(crosswalk_problems(crosswalk, **arguments, lang="ko"))
        )
    return crosswalk
