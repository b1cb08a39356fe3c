"""Small SVG charts for pages (no script, readable without colour: every bar is labelled)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from markupsafe import Markup

__all__ = ["bar_chart"]

_COLOURS = {"P1": "#b3261e", "P2": "#c77c02", "P3": "#3b7d3b"}


def bar_chart(rows: Sequence[tuple[str, int, str]], *, title: str, width: int = 420) -> Markup:
    """Horizontal bars, one per ``(label, value, key)``; ``key`` picks a colour."""
    bar_height, gap, label_width = 22, 8, 150
    height = max(1, len(rows)) * (bar_height + gap) + gap
    top = max((value for _, value, _ in rows), default=0) or 1
    scale = (width - label_width - 50) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>'
    ]
    for n, (label, value, key) in enumerate(rows):
        y = gap + n * (bar_height + gap)
        colour = _COLOURS.get(key, "#1f4e79")
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'font-family="sans-serif">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{value * scale:.1f}" height="{bar_height}" '
            f'fill="{colour}" data-key="{escape(key)}" data-value="{value}"/>'
            f'<text x="{label_width + value * scale + 6:.1f}" y="{y + 15}" font-size="12" '
            f'font-family="sans-serif">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text escaped above
