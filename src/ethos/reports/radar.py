"""Radar (spider) chart of a stage-1 profile as a standalone SVG document."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from ethos.domain.profile import Profile
from ethos.domain.projects import Role
from ethos.domain.questionnaire import SCORE_MAX, Questionnaire
from ethos.reports.labels import label

__all__ = ["SERIES_COLOURS", "axis_point", "radar_svg"]

SIZE = 520
CENTRE = SIZE / 2
RADIUS = 170.0
SERIES_COLOURS = {
    "overall": "#1f4e79",
    Role.TECHNICAL.value: "#2e8b57",
    Role.BUSINESS.value: "#c77c02",
    Role.ETHICS.value: "#8e3b8e",
}


def axis_point(index: int, count: int, score: float) -> tuple[float, float]:
    """Where ``score`` lies on axis ``index`` of ``count``: the first axis points up."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * score / SCORE_MAX
    return CENTRE + r * math.cos(angle), CENTRE + r * math.sin(angle)


def _points(values: list[float | None], count: int) -> str:
    return " ".join(
        "{:.2f},{:.2f}".format(*axis_point(i, count, v or 0.0)) for i, v in enumerate(values)
    )


def radar_svg(questionnaire: Questionnaire, profile: Profile, *, lang: str = "en") -> str:
    """Draw the task force's mean per dimension, and each role's mean, on one radar chart.

    Dimensions with no answer are drawn at 0. Each series is a ``polygon`` whose
    ``data-series`` names it, so the chart can be read back by tools and tests.
    """
    dims = questionnaire.dimensions
    count = len(dims)
    title = label("radar_title", lang)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE + 60}" '
        f'width="{SIZE}" height="{SIZE + 60}" role="img" lang="{escape(lang)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(label('scale_note', lang))}</desc>",
        '<g fill="none" stroke="#c8c8c8" stroke-width="1">',
    ]
    for ring in range(1, SCORE_MAX + 1):
        parts.append(f'<polygon points="{_points([float(ring)] * count, count)}"/>')
    for i in range(count):
        x, y = axis_point(i, count, SCORE_MAX)
        parts.append(f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{x:.2f}" y2="{y:.2f}"/>')
    parts.append("</g>")

    series: list[tuple[str, list[float | None]]] = [
        ("overall", [profile.dimensions[d.id].mean for d in dims])
    ]
    for role in Role:
        values = [profile.dimensions[d.id].by_role.get(role) for d in dims]
        if any(v is not None for v in values):
            series.append((role.value, values))
    for name, values in series:
        colour = SERIES_COLOURS[name]
        width = 3 if name == "overall" else 1.5
        opacity = 0.18 if name == "overall" else 0
        parts.append(
            f'<polygon data-series="{name}" points="{_points(values, count)}" fill="{colour}" '
            f'fill-opacity="{opacity}" stroke="{colour}" stroke-width="{width}"/>'
        )

    parts.append('<g font-family="sans-serif" font-size="13" fill="#222">')
    for i, dim in enumerate(dims):
        x, y = axis_point(i, count, SCORE_MAX + 0.75)
        anchor = "middle" if abs(x - CENTRE) < 1 else ("start" if x > CENTRE else "end")
        parts.append(
            f'<text x="{x:.2f}" y="{y:.2f}" text-anchor="{anchor}" data-dimension="{dim.id}">'
            f"{escape(dim.title.get(lang))}</text>"
        )
    for ring in range(1, SCORE_MAX + 1):
        x, y = axis_point(0, count, ring)
        parts.append(
            f'<text x="{x + 4:.2f}" y="{y - 2:.2f}" font-size="10" fill="#777">{ring}</text>'
        )
    for n, (name, _values) in enumerate(series):
        y = SIZE + 10 + 14 * (n // 2)
        x = 20 + 250 * (n % 2)
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{SERIES_COLOURS[name]}"/>'
            f'<text x="{x + 18}" y="{y}">{escape(label(name, lang))}</text>'
        )
    parts.append("</g></svg>")
    return "\n".join(parts) + "\n"
