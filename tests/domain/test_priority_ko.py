"""Levels outside 1-5 given to the priority matrix are refused in Korean too."""

from __future__ import annotations

import pytest

from ethos.domain.catalogue import LevelOutOfRangeError, PriorityMatrix
from ethos.domain.errors import InvalidInputError
from ethos.knowledge.catalogues import default_root
from ethos.knowledge.loading import load_model


@pytest.mark.parametrize(("severity", "likelihood"), [(0, 3), (3, 6), (6, 0), (-1, 1)])
def test_out_of_range_levels_are_refused_in_both_languages(severity: int, likelihood: int) -> None:
    matrix = load_model(default_root() / "priority.yaml", PriorityMatrix)
    with pytest.raises(LevelOutOfRangeError) as caught:
        matrix.priority(severity, likelihood)
    error = caught.value
    # an input error the CLI (exit 2) and the web (400) answer in the person's language ...
    assert isinstance(error, InvalidInputError)
    # ... and still the ValueError it was, with its English text unchanged
    assert isinstance(error, ValueError)
    assert error.text("en") == str(error) == "severity and likelihood run from 1 to 5"
    korean = error.text("ko")
    assert korean != error.message
    assert "심각도" in korean and "발생 가능성" in korean and "1부터 5까지" in korean
