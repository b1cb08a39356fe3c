"""Where each kind of content lives, and one check of all of it together.

The shipped content is under ``ethos/knowledge``. An ethics office may keep its own in a
folder of the same layout (``--content DIR`` or ``$ETHOS_CONTENT_DIR``); a subfolder it
does not have falls back to the shipped one, so overriding the questionnaire does not
mean copying the EU AI Act.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from ethos.domain.classification import RuleSet
from ethos.domain.crosswalk import Crosswalk
from ethos.domain.errors import ContentError
from ethos.domain.legal import LegalFindingPolicy
from ethos.knowledge import catalogues as catalogue_loader
from ethos.knowledge.crosswalks import check_crosswalk
from ethos.knowledge.frameworks import (
    KnowledgeBase,
    dangling_clauses,
    load_rule_set,
    validate_root,
)
from ethos.knowledge.loading import describe_validation_error, read_yaml
from ethos.knowledge.questionnaires import QuestionnaireLibrary

__all__ = [
    "RULE_SETS",
    "ContentRoots",
    "LegalKnowledge",
    "load_legal",
    "load_practice_crosswalk",
    "validate_content",
]

SHIPPED = Path(__file__).parent
KINDS = ("questionnaires", "catalogues", "frameworks", "classification", "crosswalks")
RULE_SETS = ("eu-ai-act", "kr-ai-basic-act")


@dataclass(frozen=True)
class ContentRoots:
    """The folder of each kind of content."""

    questionnaires: Path
    catalogues: Path
    frameworks: Path
    classification: Path
    crosswalks: Path

    @classmethod
    def at(cls, base: Path | None = None) -> ContentRoots:
        """Folders under ``base``, each falling back to the shipped one when absent."""
        chosen = {}
        for kind in KINDS:
            own = base / kind if base is not None else None
            chosen[kind] = own if own is not None and own.is_dir() else SHIPPED / kind
        return cls(**chosen)


@dataclass(frozen=True)
class LegalKnowledge:
    """The frameworks and the classification rules, checked together."""

    frameworks: KnowledgeBase
    rules: dict[str, RuleSet]

    def rule_set(self, framework: str) -> RuleSet:
        return self.rules[framework]


def _crosswalk_file(roots: ContentRoots) -> Path:
    files = sorted(roots.crosswalks.glob("*.yaml"))
    if len(files) != 1:
        found = ", ".join(p.name for p in files) or "none"
        found_ko = ", ".join(p.name for p in files) or "없음"
        raise ContentError(
            f"{roots.crosswalks}: expected one crosswalk file (found {found})",
            ko=f"{roots.crosswalks}: 크로스워크 파일이 하나여야 합니다(찾은 파일: {found_ko})",
        )
    return files[0]


def _stamp(*folders: Path) -> tuple[int, ...]:
    return tuple(p.stat().st_mtime_ns for f in folders for p in sorted(f.rglob("*.yaml")))


@cache
def _load_legal(frameworks_root: Path, rules_root: Path, stamp: tuple[int, ...]) -> LegalKnowledge:
    del stamp  # part of the cache key only: edited content is read again
    frameworks = KnowledgeBase.load(frameworks_root)
    problems: list[str] = []
    problems_ko: list[str] = []
    rules = {}
    for framework in RULE_SETS:
        try:
            rules[framework] = load_rule_set(framework, frameworks, root=rules_root)
        except ContentError as exc:
            problems += exc.message.splitlines()
            problems_ko += exc.text("ko").splitlines()
    if problems:
        raise ContentError("\n".join(problems), ko="\n".join(problems_ko))
    return LegalKnowledge(frameworks, rules)


def load_legal(roots: ContentRoots | None = None) -> LegalKnowledge:
    """Load the frameworks and classification rules; :class:`ContentError` lists problems."""
    chosen = roots if roots is not None else ContentRoots.at(None)
    stamp = _stamp(chosen.frameworks, chosen.classification)
    return _load_legal(chosen.frameworks, chosen.classification, stamp)


@cache
def _load_crosswalk(roots: ContentRoots, stamp: tuple[int, ...]) -> Crosswalk:
    del stamp
    frameworks = load_legal(roots).frameworks
    library = QuestionnaireLibrary(roots.questionnaires)
    cats = catalogue_loader.load_catalogues(roots.catalogues, questionnaires=library.latest)
    return check_crosswalk(
        _crosswalk_file(roots),
        knowledge=frameworks,
        questionnaire=library.latest(cats.risks.questionnaire),
        risks=cats.risks,
        mitigations=cats.mitigations,
    )


def load_practice_crosswalk(roots: ContentRoots | None = None) -> Crosswalk:
    """The crosswalk of the practices in use, checked against them and the frameworks."""
    chosen = roots if roots is not None else ContentRoots.at(None)
    folders = (chosen.frameworks, chosen.crosswalks, chosen.catalogues, chosen.questionnaires)
    return _load_crosswalk(chosen, _stamp(*folders))


def validate_content(roots: ContentRoots, *, lang: str = "en") -> list[str]:
    """Every problem in the content under ``roots``, one line each naming file and id.

    ``lang="ko"`` gives the problems in Korean (file names, ids and fields as they are).
    """
    ko = lang == "ko"
    problems = validate_root(roots.frameworks, lang=lang)
    if problems:
        return problems
    frameworks = KnowledgeBase.load(roots.frameworks)
    for framework in RULE_SETS:
        try:
            load_rule_set(framework, frameworks, root=roots.classification)
        except ContentError as exc:
            problems += exc.text(lang).splitlines()
    library = QuestionnaireLibrary(roots.questionnaires)
    try:
        cats = catalogue_loader.load_catalogues(roots.catalogues, questionnaires=library.latest)
    except ContentError as exc:
        return problems + exc.text(lang).splitlines()
    questionnaire = library.latest(cats.risks.questionnaire)
    where_q = roots.questionnaires / questionnaire.id / f"v{questionnaire.version}.yaml"
    for item in questionnaire.items:
        for node in dangling_clauses(frameworks, item.frameworks):
            problems.append(
                f"{where_q}: 문항 {item.id!r}: 프레임워크 노드 {node!r}이(가) 없습니다"
                if ko
                else f"{where_q}: item {item.id!r}: no framework node {node!r}"
            )
    for kind, entries in (("risk", cats.risks.entries), ("mitigation", cats.mitigations.entries)):
        for entry in entries:
            for node in dangling_clauses(frameworks, entry.frameworks):
                problems.append(
                    f"{roots.catalogues}: {_KIND_KO[kind]} {entry.id!r}: "
                    f"프레임워크 노드 {node!r}이(가) 없습니다"
                    if ko
                    else f"{roots.catalogues}: {kind} {entry.id!r}: no framework node {node!r}"
                )
    problems += _check_legal_policy(roots.catalogues / "legal-findings.yaml", frameworks, lang=lang)
    try:
        path = _crosswalk_file(roots)
        check_crosswalk(
            path,
            knowledge=frameworks,
            questionnaire=questionnaire,
            risks=cats.risks,
            mitigations=cats.mitigations,
        )
    except ContentError as exc:
        problems += exc.text(lang).splitlines()
    return problems


_KIND_KO = {"risk": "위험", "mitigation": "개선 조치"}


def _check_legal_policy(path: Path, frameworks: KnowledgeBase, *, lang: str = "en") -> list[str]:
    """The legal-finding policy parses, and the clauses it points at exist (problems in
    Korean with ``lang="ko"``)."""
    if not path.exists():
        return []
    ko = lang == "ko"
    data = None
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
        policy = LegalFindingPolicy.model_validate(data)
    except yaml.YAMLError as exc:
        if ko:
            try:
                read_yaml(path)  # words the problem in Korean, as every content file's
            except ContentError as error:
                return [error.text("ko")]
        return [f"{path}: {line}" for line in str(exc).splitlines() if line.strip()]
    except ValidationError as exc:
        if ko:
            return describe_validation_error(path, data, exc, lang="ko").splitlines()
        return [f"{path}: {line}" for line in str(exc).splitlines() if line.strip()]
    problems = []
    for framework, clause in sorted(policy.incomplete.clause.items()):
        if framework not in RULE_SETS:
            problems.append(
                f"{path}: incomplete.clause: {framework!r}은(는) "
                f"{', '.join(RULE_SETS)} 중 하나가 아닙니다"
                if ko
                else f"{path}: incomplete.clause: {framework!r} is not one of "
                f"{', '.join(RULE_SETS)}"
            )
        elif dangling_clauses(frameworks, [clause]) or not clause.startswith(f"{framework}:"):
            problems.append(
                f"{path}: incomplete.clause.{framework}: {framework}에 노드 {clause!r}이(가) "
                "없습니다"
                if ko
                else f"{path}: incomplete.clause.{framework}: no node {clause!r} in {framework}"
            )
    return problems
