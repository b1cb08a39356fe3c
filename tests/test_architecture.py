"""The dependency rule of the house style, checked with the ast module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "ethos"
FRAMEWORKS = {"sqlalchemy", "alembic", "fastapi", "starlette", "typer", "jinja2", "click"}
RULES = {
    "domain": FRAMEWORKS | {"ethos.store", "ethos.services", "ethos.cli", "ethos.web"},
    "knowledge": FRAMEWORKS | {"ethos.store", "ethos.services", "ethos.cli", "ethos.web"},
    "services": {"fastapi", "starlette", "typer", "jinja2", "click", "ethos.cli", "ethos.web"},
    "reports": {"sqlalchemy", "fastapi", "starlette", "typer", "ethos.store", "ethos.cli"},
    "store": {"fastapi", "starlette", "typer", "ethos.services", "ethos.cli", "ethos.web"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def forbidden(module: str, banned: set[str]) -> bool:
    return any(module == b or module.startswith(b + ".") for b in banned)


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layer_imports_nothing_it_must_not(layer: str) -> None:
    files = list((SRC / layer).rglob("*.py"))
    assert files, f"no modules found in {layer}"
    offences = [
        f"{path.relative_to(SRC)} imports {module}"
        for path in files
        for module in sorted(imported_modules(path))
        if forbidden(module, RULES[layer])
    ]
    assert offences == []


def test_the_checker_catches_an_offence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from sqlalchemy.orm import Session\nimport typer\n", encoding="utf-8")
    found = {m for m in imported_modules(bad) if forbidden(m, RULES["domain"])}
    assert found == {"sqlalchemy.orm", "typer"}


def test_no_module_grows_past_600_lines() -> None:
    big = [
        f"{p.relative_to(SRC)}: {n}"
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    ]
    assert big == []
