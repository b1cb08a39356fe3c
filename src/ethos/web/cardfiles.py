"""The card in each download format, rendered as the CLI renders it.

:func:`render_card` only renders (a copy, for reading); :func:`issue_card` also records the
issue (digest, chain head, versions covered), which re-assessment due dates count from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ethos.domain.errors import InvalidInputError
from ethos.reports.card import (
    render_card_html,
    render_card_json,
    render_card_markdown,
    render_card_pdf,
)
from ethos.reports.radar import radar_svg
from ethos.services import cards
from ethos.services.context import ServiceContext
from ethos.services.stage1 import stage1_profile

__all__ = ["FORMATS", "RenderedCard", "card_html", "issue_card", "render_card"]

FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
}


@dataclass(frozen=True, slots=True)
class RenderedCard:
    content: bytes
    media_type: str
    filename: str
    sha256: str


def _html(ctx: ServiceContext, project_id: int, card: dict[str, Any], lang: str) -> str:
    view = stage1_profile(ctx, project_id)
    return render_card_html(card, radar_svg=radar_svg(view.questionnaire, view.profile, lang=lang))


def card_html(reader: ServiceContext, project_id: int, lang: str) -> str:
    """The HTML card for viewing; nothing is recorded."""
    return _html(reader, project_id, cards.build_card(reader, project_id, lang=lang), lang)


def _render(
    ctx: ServiceContext, project_id: int, fmt: str, lang: str
) -> tuple[dict[str, Any], bytes]:
    if fmt not in FORMATS:
        raise InvalidInputError(
            f"format: {fmt!r} is not one of: {', '.join(FORMATS)}",
            ko=f"format: {fmt!r}은(는) {', '.join(FORMATS)} 중 하나가 아닙니다",
        )
    card = cards.build_card(ctx, project_id, lang=lang)
    if fmt == "json":
        return card, render_card_json(card).encode()
    if fmt == "md":
        return card, render_card_markdown(card).encode()
    html = _html(ctx, project_id, card, lang)
    return card, html.encode() if fmt == "html" else render_card_pdf(html)


def render_card(reader: ServiceContext, project_id: int, fmt: str, lang: str) -> RenderedCard:
    """Render the card in ``fmt``; nothing is recorded (give a reading context)."""
    _, content = _render(reader, project_id, fmt, lang)
    return RenderedCard(
        content,
        FORMATS[fmt],
        f"card-{project_id}-{lang}.{fmt}",
        hashlib.sha256(content).hexdigest(),
    )


def issue_card(ctx: ServiceContext, project_id: int, fmt: str, lang: str) -> RenderedCard:
    """Render the card in ``fmt`` and record the issue (digest and chain head) in the trail."""
    card, content = _render(ctx, project_id, fmt, lang)
    issued = cards.record_issue(ctx, card, rendered=content, fmt=fmt)
    return RenderedCard(
        content, FORMATS[fmt], f"card-{project_id}-{lang}.{fmt}", issued.content_sha256
    )
