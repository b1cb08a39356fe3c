"""Horizontal bar charts as standalone SVG, for the annual report."""

from __future__ import annotations

from xml.sax.saxutils import escape

__all__ = ["bar_chart"]

WIDTH = 640
ROW = 22
LABEL = 230


def bar_chart(rows: list[tuple[str, int]], *, title: str, colour: str = "#1f4e79") -> str:
    """One bar per ``(label, value)``, longest first as given; values written at the bar end."""
    top = 30
    height = top + ROW * max(len(rows), 1) + 10
    biggest = max((v for _, v in rows), default=0) or 1
    span = WIDTH - LABEL - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(rows):
        y = top + index * ROW
        length = span * value / biggest
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{LABEL}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" '
            f'fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{LABEL + length + 4:.1f}" y="{y + 15}" font-size="12">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
