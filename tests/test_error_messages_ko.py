"""Every error Ethos shows a person carries a Korean message beside the English one.

An AST scan of every layer (domain, knowledge, store, services, datagov, cli, reports, web)
finds each construction of an :class:`~ethos.domain.errors.EthosError` subclass and fails
when it has no ``ko=`` keyword, or when the ``ko=`` given cannot be Korean (a copy of the
English message). Files other engineers own for now are listed in ``ALLOWED`` with the exact
number of English-only errors they still hold, so the count shows what remains and a new
English-only raise fails there too.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import ethos
from ethos.domain.errors import ContentError, EthosError, NotFoundError

SRC = Path(ethos.__file__).parent
COVERED = ("domain", "knowledge", "store", "services", "datagov", "cli", "reports", "web")

# Files being edited by other engineers when Korean messages were added: the number of
# EthosError constructions in each that still lack ``ko=``. Lower the number as you
# translate; remove the entry at 0 once the file is no longer someone else's.
ALLOWED: dict[str, int] = {}

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class Site:
    path: str
    line: int
    error: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.error}(...) {self.problem}"


@cache
def error_classes(root: Path = SRC) -> frozenset[str]:
    """Names of EthosError and every class deriving from it anywhere in the package (by AST)."""
    bases: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                named = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
                bases.setdefault(node.name, set()).update(named)
    found = {"EthosError"}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return frozenset(found)
        found |= more


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _can_be_korean(value: ast.expr) -> bool:
    """A Korean text, or one built from Korean parts: Hangul in a literal, the language code
    "ko" passed on, or a name that says it holds the Korean text (``lines_ko``...)."""
    for node in ast.walk(value):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and (_HANGUL.search(node.value) or node.value == "ko")
        ):
            return True
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if isinstance(name, str) and (name.lower() == "ko" or name.lower().endswith("_ko")):
            return True
    return False


def english_only(source: str, path: str, classes: frozenset[str]) -> list[Site]:
    """Constructions of an error class in ``source`` without a usable ``ko=`` keyword."""
    sites = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _called(node) not in classes:
            continue
        error = str(_called(node))
        ko = next((k.value for k in node.keywords if k.arg == "ko"), None)
        if ko is None:
            sites.append(Site(path, node.lineno, error, "has no ko= message"))
        elif not _can_be_korean(ko):
            sites.append(Site(path, node.lineno, error, "has a ko= that is not Korean"))
    return sites


def scan(root: Path = SRC) -> dict[str, list[Site]]:
    classes = error_classes(root)
    found: dict[str, list[Site]] = {}
    for layer in COVERED:
        for path in sorted((root / layer).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            found[relative] = english_only(path.read_text(encoding="utf-8"), relative, classes)
    return found


# Layers whose validation problems reach a person through pydantic: a validator there raises
# ``invalid(en, ko)`` (or an EthosError with ``ko=``), never a plain ``ValueError``, whose
# text pydantic can only pass on in English.
VALIDATED = ("domain", "knowledge")


def untranslated_problems(source: str, path: str) -> list[Site]:
    """``invalid(...)`` calls in ``source`` without a Korean text, and plain ``ValueError``s."""
    sites = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        called = _called(node)
        if called == "ValueError":
            sites.append(Site(path, node.lineno, called, "is English only (use invalid(en, ko))"))
        elif called == "invalid":
            keyword = next((k.value for k in node.keywords if k.arg == "ko"), None)
            ko = node.args[1] if len(node.args) > 1 else keyword
            english = node.args[0] if node.args else None
            same = english is not None and ko is not None and ast.dump(ko) == ast.dump(english)
            if ko is None or same or not _can_be_korean(ko):
                sites.append(Site(path, node.lineno, called, "has no Korean text"))
    return sites


def test_validation_problems_are_raised_with_a_korean_text() -> None:
    missing = [
        str(site)
        for layer in VALIDATED
        for path in sorted((SRC / layer).rglob("*.py"))
        for site in untranslated_problems(
            path.read_text(encoding="utf-8"), path.relative_to(SRC).as_posix()
        )
    ]
    assert not missing, "validation problems without Korean:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    ("source", "problems"),
    [
        ('raise ValueError(f"{where}: bad")', ["is English only (use invalid(en, ko))"]),
        ('raise invalid("bad", "잘못된 값")', []),
        ('raise invalid(f"{w}: bad", f"{w}: 잘못된 값")', []),
        ('raise invalid("bad", "bad")', ["has no Korean text"]),
        ("raise invalid(text, text)", ["has no Korean text"]),
        ('raise invalid("bad")', ["has no Korean text"]),
        ('raise invalid(f"x: {exc}", f"x: {exc.text(\'ko\')}")', []),
        ('raise TypeError("a programming error, not a person\'s")', []),
    ],
)
def test_the_validation_scan_tells_english_only_problems_apart(
    source: str, problems: list[str]
) -> None:
    assert [s.problem for s in untranslated_problems(source, "x.py")] == problems


def test_every_error_outside_the_allowlist_has_a_korean_message() -> None:
    missing = [str(site) for path, sites in scan().items() if path not in ALLOWED for site in sites]
    assert not missing, "errors without a Korean message:\n" + "\n".join(missing)


def test_the_allowlist_counts_exactly_what_remains() -> None:
    found = scan()
    counts = {path: len(found.get(path, [])) for path in ALLOWED}
    assert all(path in found for path in ALLOWED), "an allowlisted file no longer exists"
    assert counts == ALLOWED


def test_the_scan_finds_every_error_class_the_package_defines() -> None:
    for layer in COVERED:
        package = importlib.import_module(f"ethos.{layer}")
        for module in pkgutil.walk_packages(package.__path__, f"ethos.{layer}."):
            importlib.import_module(module.name)
    defined = set()
    pending = [EthosError]
    while pending:
        kind = pending.pop()
        defined.add(kind.__name__)
        pending += kind.__subclasses__()
    assert defined <= error_classes()


@pytest.mark.parametrize(
    ("source", "problems"),
    [
        ('raise NotFoundError(f"no project {x}")', ["has no ko= message"]),
        ('raise errors.ConflictError("busy")', ["has no ko= message"]),
        ('raise ScanBusyError("busy")', ["has no ko= message"]),
        ('raise InvalidInputError("bad", ko="bad")', ["has a ko= that is not Korean"]),
        ("raise InvalidInputError(message, ko=message)", ["has a ko= that is not Korean"]),
        ('raise InvalidInputError("bad", ko="잘못된 값")', []),
        ('raise ContentError(text, ko="\\n".join(lines_ko))', []),
        ('raise ContentError(describe(p), ko=describe(p, lang="ko"))', []),
        ('raise ValueError("not an Ethos error")', []),
        ('error = NotFoundError("returned, not raised")', ["has no ko= message"]),
    ],
)
def test_the_scan_tells_english_only_errors_apart(source: str, problems: list[str]) -> None:
    sites = english_only(source, "x.py", error_classes())
    assert [s.problem for s in sites] == problems


def test_a_new_english_only_raise_in_a_covered_file_fails_the_scan(tmp_path: Path) -> None:
    root = tmp_path / "ethos"
    for layer in COVERED:
        (root / layer).mkdir(parents=True)
    (root / "domain" / "errors.py").write_text(
        "class EthosError(Exception): ...\nclass NotFoundError(EthosError): ...\n"
    )
    (root / "services" / "new.py").write_text(
        "def f():\n    raise NotFoundError('no such thing')\n"
    )
    assert [str(s) for s in scan(root)["services/new.py"]] == [
        "services/new.py:2: NotFoundError(...) has no ko= message"
    ]


# ---------------------------------------------------------------- the mechanism


def test_text_picks_korean_when_there_is_one_and_english_otherwise() -> None:
    both = NotFoundError("project 'x' not found", ko="과제 'x'을(를) 찾을 수 없습니다")
    assert (both.text("ko"), both.text("en")) == ("과제 'x'을(를) 찾을 수 없습니다", both.message)
    assert both.message == "project 'x' not found" and str(both) == both.message
    english = ContentError("a.yaml: broken")
    assert english.message_ko is None and english.text("ko") == "a.yaml: broken"


def test_a_service_error_carries_korean_with_the_same_facts(tmp_path: Path) -> None:
    from ethos.knowledge.loading import read_yaml

    path = tmp_path / "broken.yaml"
    path.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_yaml(path)
    error = caught.value
    assert error.message.startswith(f"{path}: not valid YAML at line ")
    assert error.text("ko").startswith(f"{path}: 올바른 YAML이 아닙니다(")
    # the same line and column in both languages
    line, column = re.findall(r"line (\d+), column (\d+)", error.message)[0]
    assert f"{line}번째 줄, {column}번째 열" in error.text("ko")
