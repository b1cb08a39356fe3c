"""Crosswalk relationships, checked against real sets rather than against the code's table."""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest

from ethos.domain.crosswalk import Crosswalk, Relationship, compose, inverse, via_practices

R = Relationship
BASE = [R.EQUAL, R.SUBSET, R.SUPERSET, R.INTERSECTS]


def holds(rel: Relationship, a: frozenset[int], b: frozenset[int]) -> bool:
    """What each relationship claims about two sets of requirements."""
    if rel is R.EQUAL:
        return a == b
    if rel is R.SUBSET:
        return a < b
    if rel is R.SUPERSET:
        return a > b
    if rel is R.INTERSECTS:
        return bool(a & b)
    return True  # related: claims nothing beyond sharing a practice


def samples(rel: Relationship, p: frozenset[int], rng: random.Random) -> list[frozenset[int]]:
    """Sets x with ``x rel p`` (and, for intersects, neither containing the other)."""
    if rel is R.EQUAL:
        return [p]
    universe = list(range(12))
    found = []
    for _ in range(400):
        x = frozenset(v for v in universe if rng.random() < 0.5)
        if rel is R.INTERSECTS and (x <= p or p <= x):
            continue
        if holds(rel, x, p):
            found.append(x)
    return found


@pytest.mark.parametrize(("first", "second"), list(itertools.product(BASE, BASE)))
def test_composition_never_claims_more_than_sets_allow(
    first: Relationship, second: Relationship
) -> None:
    rng = random.Random(f"{first}-{second}")
    p = frozenset({2, 3, 4, 5, 6})
    claimed = compose(first, second)
    a_side = samples(first, p, rng)  # a first p
    b_side = samples(inverse(second), p, rng)  # b inverse(second) p, so p second b
    assert a_side and b_side
    for a in a_side[:40]:
        for b in b_side[:40]:
            assert holds(claimed, a, b), (first, second, claimed, sorted(a), sorted(b))


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (R.SUBSET, R.SUBSET, R.SUBSET),
        (R.SUPERSET, R.SUPERSET, R.SUPERSET),
        (R.EQUAL, R.INTERSECTS, R.INTERSECTS),
        (R.SUPERSET, R.SUBSET, R.INTERSECTS),
        (R.SUBSET, R.SUPERSET, R.RELATED),
        (R.INTERSECTS, R.INTERSECTS, R.RELATED),
    ],
)
def test_composition_says_as_much_as_it_can(
    first: Relationship, second: Relationship, expected: Relationship
) -> None:
    assert compose(first, second) is expected


def crosswalk(practices: dict[str, list[dict[str, str]]]) -> Crosswalk:
    return Crosswalk.model_validate(
        {
            "schema": "ethos.crosswalk/1",
            "id": "t",
            "version": 1,
            "released": date(2026, 1, 1),
            "practices": practices,
        }
    )


def test_frameworks_are_linked_through_shared_practices() -> None:
    cw = crosswalk(
        {
            "item:a": [
                {"node": "eu-ai-act:art-10", "rel": "subset"},
                {"node": "nist-ai-rmf:MAP-2.3", "rel": "equal"},
                {"node": "iso-42001:A.7.2", "rel": "intersects"},
            ],
            "risk:b": [{"node": "eu-ai-act:art-9", "rel": "superset"}],
            "mitigation:c": [
                {"node": "eu-ai-act:art-9", "rel": "subset"},
                {"node": "nist-ai-rmf:MANAGE-1.1", "rel": "subset"},
            ],
        }
    )
    links = via_practices(cw, None, "eu-ai-act", "nist-ai-rmf")
    got = [(x.source, x.target, x.relationship, x.practice) for x in links]
    assert got == [
        # art-10 ⊃ a = MAP-2.3: the article contains the subcategory
        ("eu-ai-act:art-10", "nist-ai-rmf:MAP-2.3", R.SUPERSET, "item:a"),
        # art-9 ⊃ c ⊂ MANAGE-1.1: both contain c, so they overlap
        ("eu-ai-act:art-9", "nist-ai-rmf:MANAGE-1.1", R.INTERSECTS, "mitigation:c"),
    ]
    assert via_practices(cw, None, "eu-ai-act", "lg-ai-ethics") == []
    assert set(cw.practices_for(["eu-ai-act:art-9"])) == {"risk:b", "mitigation:c"}


def test_a_node_mapped_twice_for_one_practice_is_refused() -> None:
    with pytest.raises(ValueError, match=r"item:a: node\(s\) mapped twice: eu-ai-act:art-9"):
        crosswalk(
            {
                "item:a": [
                    {"node": "eu-ai-act:art-9", "rel": "subset"},
                    {"node": "eu-ai-act:art-9", "rel": "equal"},
                ]
            }
        )


@pytest.mark.parametrize("bad", ["policy:x", "item:", "item:A B"])
def test_practice_ids_must_name_a_kind_and_an_id(bad: str) -> None:
    with pytest.raises(ValueError, match="practices"):
        crosswalk({bad: [{"node": "eu-ai-act:art-9", "rel": "subset"}]})


def test_relationship_must_be_one_of_four() -> None:
    with pytest.raises(ValueError, match="rel"):
        crosswalk({"item:a": [{"node": "eu-ai-act:art-9", "rel": "related"}]})
