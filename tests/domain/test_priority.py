"""The shipped priority matrix, read cell by cell against the office's published table."""

from __future__ import annotations

import pytest

from ethos.domain.catalogue import PriorityMatrix
from ethos.knowledge.catalogues import default_root
from ethos.knowledge.loading import load_model

# The table in docs/stages.md terms: rows severity 5..1, columns likelihood 1..5.
EXPECTED = """
5: P2 P1 P1 P1 P1
4: P2 P2 P1 P1 P1
3: P3 P2 P2 P2 P1
2: P3 P3 P2 P2 P2
1: P3 P3 P3 P3 P2
"""
CELLS = [
    (int(row.split(":")[0]), likelihood, priority)
    for row in EXPECTED.strip().splitlines()
    for likelihood, priority in enumerate(row.split(":")[1].split(), start=1)
]


@pytest.mark.parametrize(("severity", "likelihood", "priority"), CELLS)
def test_priority_matrix_cell(severity: int, likelihood: int, priority: str) -> None:
    matrix = load_model(default_root() / "priority.yaml", PriorityMatrix)
    assert matrix.priority(severity, likelihood).value == priority


def test_priority_never_drops_as_severity_or_likelihood_rises() -> None:
    matrix = load_model(default_root() / "priority.yaml", PriorityMatrix)
    rank = {"P3": 0, "P2": 1, "P1": 2}
    for s in range(1, 6):
        for lk in range(1, 6):
            here = rank[matrix.priority(s, lk).value]
            if s < 5:
                assert rank[matrix.priority(s + 1, lk).value] >= here
            if lk < 5:
                assert rank[matrix.priority(s, lk + 1).value] >= here


def test_out_of_range_levels_are_refused() -> None:
    matrix = load_model(default_root() / "priority.yaml", PriorityMatrix)
    with pytest.raises(ValueError, match="1 to 5"):
        matrix.priority(0, 3)
