"""The radar chart read back from its SVG and compared with trigonometry done here."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from ethos.domain.profile import Answer, compute_profile
from ethos.reports.radar import RADIUS, SIZE, radar_svg
from tests.factories import make_member, make_questionnaire

NS = {"svg": "http://www.w3.org/2000/svg"}


def series(svg: str) -> dict[str, list[tuple[float, float]]]:
    root = ET.fromstring(svg)
    found = {}
    for polygon in root.iterfind(".//svg:polygon[@data-series]", NS):
        pairs = [tuple(map(float, p.split(","))) for p in polygon.get("points", "").split()]
        found[polygon.get("data-series", "")] = pairs
    return found


def test_vertices_sit_at_the_dimension_means() -> None:
    q = make_questionnaire()  # two dimensions: fairness (axis 0, up), safety (axis 1, down)
    team = [make_member(1, "technical"), make_member(2, "business")]
    answers = [Answer(1, "fair-a", 4), Answer(2, "fair-a", 2), Answer(2, "safe-b", 5)]
    profile = compute_profile(q, team, answers)
    drawn = series(radar_svg(q, profile, lang="ko"))
    centre = SIZE / 2
    # fairness mean 3 -> straight up by RADIUS*3/5; safety mean 5 -> straight down by RADIUS
    assert drawn["overall"][0] == pytest.approx((centre, centre - RADIUS * 3 / 5), abs=0.01)
    assert drawn["overall"][1] == pytest.approx((centre, centre + RADIUS), abs=0.01)
    # technical answered only fairness (4); its safety vertex sits at the centre
    assert drawn["technical"][0] == pytest.approx((centre, centre - RADIUS * 4 / 5), abs=0.01)
    assert drawn["technical"][1] == pytest.approx((centre, centre), abs=0.01)
    assert "ethics" not in drawn


def test_six_axes_are_evenly_spread() -> None:
    from ethos.knowledge.questionnaires import QuestionnaireLibrary

    q = QuestionnaireLibrary().latest()
    team = [make_member(1, "ethics")]
    answers = [Answer(1, i.id, 5) for i in q.items]
    drawn = series(radar_svg(q, compute_profile(q, team, answers), lang="en"))["overall"]
    centre = SIZE / 2
    for k, (x, y) in enumerate(drawn):
        angle = math.radians(-90 + 60 * k)
        assert (x, y) == pytest.approx(
            (centre + RADIUS * math.cos(angle), centre + RADIUS * math.sin(angle)), abs=0.01
        )
    svg = radar_svg(q, compute_profile(q, team, answers), lang="ko")
    assert "인간존중" in svg and 'lang="ko"' in svg
