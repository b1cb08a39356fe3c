"""Card renderers: Markdown, a standalone HTML file, PDF (WeasyPrint, optional) and JSON."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from ethos.domain.errors import InvalidInputError
from ethos.reports import templating
from ethos.reports.labels import labels

__all__ = ["render_card_html", "render_card_json", "render_card_markdown", "render_card_pdf"]


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    return templating.environment(autoescape)


def render_card_json(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_card_markdown(card: dict[str, Any]) -> str:
    template = _environment(False).get_template("card.md.j2")
    return template.render(card=card, L=labels(card["lang"]))


def render_card_html(card: dict[str, Any], *, radar_svg: str) -> str:
    """A single standalone HTML file: inline style, inline SVG, no external resources."""
    template = _environment(True).get_template("card.html.j2")
    chart = Markup(radar_svg)  # noqa: S704 - our own SVG, every text in it escaped
    return template.render(card=card, L=labels(card["lang"]), radar=chart)


def render_card_pdf(html: str) -> bytes:
    """PDF from the HTML card with WeasyPrint (the ``pdf`` extra and Debian's Pango)."""
    try:
        import weasyprint  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InvalidInputError(
            "--format pdf needs WeasyPrint: install Ethos with the 'pdf' extra "
            f"({exc.name} is missing)",
            ko="--format pdf에는 WeasyPrint가 필요합니다: Ethos를 'pdf' 추가 기능과 함께 "
            f"설치하세요({exc.name}이(가) 없습니다)",
        ) from None
    document: bytes = weasyprint.HTML(string=html).write_pdf()
    return document
