"""The knowledge base of frameworks: one YAML file per framework, checked together.

Layout: ``<root>/<framework id>.yaml``; the file name must equal the framework id. Every
error names the file and, where it concerns a node, the node id, so the ethics office can
fix content without a developer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ethos.domain.classification import RuleSet, derived_paths
from ethos.domain.errors import ContentError, NotFoundError
from ethos.domain.facts import fact_paths
from ethos.domain.frameworks import Applicability, Framework, Node, effective_entry, split_node_id
from ethos.domain.validation import describe_problem
from ethos.knowledge.loading import read_yaml

__all__ = [
    "KnowledgeBase",
    "dangling_clauses",
    "default_root",
    "default_rules_root",
    "load_framework",
    "load_rule_set",
    "validate_root",
]


def default_root() -> Path:
    """The frameworks shipped with Ethos."""
    return Path(__file__).parent / "frameworks"


def default_rules_root() -> Path:
    """The classification rules shipped with Ethos."""
    return Path(__file__).parent / "classification"


def _step(current: Any, part: int | str) -> Any:
    if isinstance(current, dict) and isinstance(part, str):
        return current.get(part)
    if isinstance(current, list) and isinstance(part, int) and part < len(current):
        return current[part]
    return None


def _describe(path: Path, data: Any, error: ValidationError, lang: str = "en") -> list[str]:
    """Name the deepest node id on each error's path, then the field inside it."""
    ko = lang == "ko"
    lines = []
    for detail in error.errors():
        current: Any = data
        node_id: str | None = None
        rest: list[str] = []
        for part in detail["loc"]:
            current = _step(current, part)
            if isinstance(current, dict) and isinstance(current.get("id"), str):
                node_id, rest = current["id"], []
            else:
                rest.append(str(part))
        where = f"{'노드' if ko else 'node'} {node_id!r}, " if node_id else ""
        fieldname = ".".join(rest) or ("(항목 전체)" if ko else "(whole entry)")
        label = "필드" if ko else "field"
        lines.append(f"{path}: {where}{label} {fieldname}: {describe_problem(detail, lang)}")
    return lines


def load_framework(path: Path) -> Framework:
    """Read and validate one framework file; the file name must be the framework id."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(
            f"{path}: expected a mapping at the top level", ko=f"{path}: 최상위가 매핑이어야 합니다"
        )
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        raise ContentError(
            "\n".join(_describe(path, data, exc)), ko="\n".join(_describe(path, data, exc, "ko"))
        ) from None
    if framework.id != path.stem:
        raise ContentError(
            f"{path}: declares framework {framework.id!r}, but the file name says {path.stem!r}",
            ko=f"{path}: 프레임워크 {framework.id!r}을(를) 선언하지만 "
            f"파일 이름은 {path.stem!r}입니다",
        )
    return framework


def validate_root(root: Path | None = None, *, lang: str = "en") -> list[str]:
    """Every problem in the framework files under ``root``; an empty list when all is well.

    ``lang="ko"`` gives the problems in Korean.
    """
    ko = lang == "ko"
    base = root if root is not None else default_root()
    if not base.is_dir():
        return [f"{base}: 그런 폴더가 없습니다" if ko else f"{base}: no such folder"]
    problems: list[str] = []
    frameworks: dict[str, Framework] = {}
    paths: dict[str, Path] = {}
    for path in sorted(base.glob("*.yaml")):
        try:
            framework = load_framework(path)
        except ContentError as exc:
            problems.extend(exc.text(lang).splitlines())
            continue
        frameworks[framework.id] = framework
        paths[framework.id] = path
    if not frameworks and not problems:
        problems.append(
            f"{base}: 프레임워크 파일(*.yaml)이 없습니다"
            if ko
            else f"{base}: no framework files (*.yaml)"
        )
    if not problems:
        problems.extend(KnowledgeBase(frameworks, paths).validate(lang=lang))
    return problems


@dataclass(frozen=True)
class KnowledgeBase:
    """All frameworks, with lookup of any node by its id."""

    _frameworks: dict[str, Framework]
    _paths: dict[str, Path] = field(default_factory=dict)
    _nodes: dict[str, Node] = field(init=False, repr=False)
    _parents: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        nodes: dict[str, Node] = {}
        parents: dict[str, str] = {}
        for framework in self._frameworks.values():
            for node in framework.walk():
                nodes[node.id] = node
                for child in node.children:
                    parents[child.id] = node.id
        object.__setattr__(self, "_nodes", nodes)
        object.__setattr__(self, "_parents", parents)

    @classmethod
    def load(cls, root: Path | None = None) -> KnowledgeBase:
        """Load every framework under ``root``; raise :class:`ContentError` listing problems."""
        base = root if root is not None else default_root()
        problems = validate_root(base)
        if problems:
            raise ContentError("\n".join(problems), ko="\n".join(validate_root(base, lang="ko")))
        frameworks: dict[str, Framework] = {}
        paths: dict[str, Path] = {}
        for path in sorted(base.glob("*.yaml")):
            framework = load_framework(path)
            frameworks[framework.id] = framework
            paths[framework.id] = path
        return cls(frameworks, paths)

    def frameworks(self) -> list[Framework]:
        """Every framework, ordered by id."""
        return [self._frameworks[k] for k in sorted(self._frameworks)]

    def framework(self, framework_id: str) -> Framework:
        """The framework with ``framework_id``; :class:`NotFoundError` when there is none."""
        try:
            return self._frameworks[framework_id]
        except KeyError:
            raise NotFoundError(
                f"no framework {framework_id!r}", ko=f"프레임워크 {framework_id!r}이(가) 없습니다"
            ) from None

    def node(self, node_id: str) -> Node:
        """The node with ``node_id``; :class:`NotFoundError` when there is none."""
        try:
            return self._nodes[node_id]
        except KeyError:
            raise NotFoundError(
                f"no framework node {node_id!r}", ko=f"프레임워크 노드 {node_id!r}이(가) 없습니다"
            ) from None

    def has(self, node_id: str) -> bool:
        return node_id in self._nodes

    def ancestors(self, node_id: str) -> list[Node]:
        """The node's parents, nearest first."""
        found = []
        current = self._parents.get(node_id)
        while current is not None:
            found.append(self._nodes[current])
            current = self._parents.get(current)
        return found

    def nodes(self) -> Iterator[Node]:
        """Every node of every framework."""
        for framework in self.frameworks():
            yield from framework.walk()

    def applicability(
        self, node_id: str, as_of: date, *, scope: str | None = None
    ) -> Applicability | None:
        """The dated entry governing ``node_id`` on ``as_of``, inherited from the nearest
        ancestor that has entries; ``None`` when no node on the way up has any."""
        for node in [self.node(node_id), *self.ancestors(node_id)]:
            if node.applicability:
                return effective_entry(node.applicability, as_of, scope=scope)
        return None

    def validate(self, *, lang: str = "en") -> list[str]:
        """Checks across files: ids unique over the whole base, entries in date order."""
        ko = lang == "ko"
        problems: list[str] = []
        seen: dict[str, str] = {}
        for framework in self.frameworks():
            where = str(self._paths.get(framework.id, framework.id))
            for node in framework.walk():
                if node.id in seen and seen[node.id] != where:
                    problems.append(
                        f"{where}: 노드 {node.id!r}: 이 id는 {seen[node.id]}에서도 쓰입니다"
                        if ko
                        else f"{where}: node {node.id!r}: id also used in {seen[node.id]}"
                    )
                seen[node.id] = where
                for entry in node.applicability:
                    if entry.enacted is not None and entry.enacted > entry.applies_from:
                        problems.append(
                            f"{where}: 노드 {node.id!r}: 적용 시작일 {entry.applies_from}이(가) "
                            f"근거의 제정일({entry.enacted})보다 이릅니다"
                            if ko
                            else f"{where}: node {node.id!r}: applicability from "
                            f"{entry.applies_from} is earlier than its basis ({entry.enacted})"
                        )
        return problems


def dangling_clauses(knowledge: KnowledgeBase, clauses: Iterable[str]) -> list[str]:
    """The clause ids in ``clauses`` that name no node, in the order given, once each."""
    missing: list[str] = []
    for clause in clauses:
        framework, local = split_node_id(clause)
        if (not framework or not local or not knowledge.has(clause)) and clause not in missing:
            missing.append(clause)
    return missing


def load_rule_set(framework: str, knowledge: KnowledgeBase, *, root: Path | None = None) -> RuleSet:
    """Load ``<root>/<framework>.yaml`` and check it against the facts and the knowledge base.

    Every node a rule cites must exist and be dated (directly or through an ancestor);
    every path a condition reads must be an intake fact or a path the engine derives.
    """
    path = (root if root is not None else default_rules_root()) / f"{framework}.yaml"
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(
            f"{path}: expected a mapping at the top level", ko=f"{path}: 최상위가 매핑이어야 합니다"
        )
    try:
        rules = RuleSet.model_validate(data)
    except ValidationError as exc:
        raise ContentError(
            "\n".join(_describe(path, data, exc)), ko="\n".join(_describe(path, data, exc, "ko"))
        ) from None
    problems: list[tuple[str, str]] = []  # (English, Korean)
    if rules.framework != framework:
        problems.append(
            (
                f"{path}: declares framework {rules.framework!r}, not {framework!r}",
                f"{path}: 프레임워크 {framework!r}이(가) 아니라 "
                f"{rules.framework!r}을(를) 선언합니다",
            )
        )
    known = fact_paths() | derived_paths(rules.framework)
    for rule in rules.rules:
        for fact in sorted(rule.when.paths() - known):
            problems.append(
                (
                    f"{path}: rule {rule.id!r}: unknown fact {fact!r}",
                    f"{path}: 규칙 {rule.id!r}: 알 수 없는 사실 {fact!r}",
                )
            )
        cited = [(rule.ref, o.scope) for o in rule.effect.obligations] or [(rule.ref, None)]
        cited += [(o.node, o.scope) for o in rule.effect.obligations]
        for node_id, scope in cited:
            if not knowledge.has(node_id):
                problems.append(
                    (
                        f"{path}: rule {rule.id!r}: no framework node {node_id!r}",
                        f"{path}: 규칙 {rule.id!r}: 프레임워크 노드 {node_id!r}이(가) 없습니다",
                    )
                )
            elif rule.effect.obligations and not knowledge.applicability(
                node_id, date.max, scope=scope
            ):
                problems.append(
                    (
                        f"{path}: rule {rule.id!r}: node {node_id!r} has no dates",
                        f"{path}: 규칙 {rule.id!r}: 노드 {node_id!r}에 날짜가 없습니다",
                    )
                )
    for fact in sorted(rules.applies_when.paths() - known):
        problems.append(
            (
                f"{path}: applies_when: unknown fact {fact!r}",
                f"{path}: applies_when: 알 수 없는 사실 {fact!r}",
            )
        )
    if problems:
        raise ContentError(
            "\n".join(en for en, _ in problems), ko="\n".join(ko for _, ko in problems)
        )
    return rules
