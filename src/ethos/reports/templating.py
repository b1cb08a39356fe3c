"""The Jinja settings every rendered document shares (cards and the annual report)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


def num(value: float | int | None, digits: int = 2) -> str:
    """A figure as printed in documents: ``-`` when absent, floats to ``digits`` places."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def environment(
    autoescape: bool, *, finalize: Callable[[Any], Any] | None = None
) -> jinja2.Environment:
    """A fresh environment over the shipped templates.

    Undefined names fail loudly; HTML output is escaped, Markdown output is not (its
    callers keep values on one line or cell through ``finalize``)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,  # noqa: S701 - Markdown is escaped by its readers, HTML here
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.globals["num"] = num
    return env
