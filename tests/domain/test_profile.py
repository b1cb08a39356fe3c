"""Profile numbers checked against values worked out by hand (see each test)."""

from __future__ import annotations

import pytest

from ethos.domain.profile import Answer, Consensus, compute_profile
from ethos.domain.projects import Role
from tests.factories import make_member, make_questionnaire

# Items: fair-a (all roles), fair-b (technical, ethics), safe-a (all), safe-b (business).
TEAM = [make_member(1, "technical"), make_member(2, "business"), make_member(3, "ethics")]
ANSWERS = [
    Answer(1, "fair-a", 2),
    Answer(2, "fair-a", 3),
    Answer(3, "fair-a", 5),
    Answer(1, "fair-b", 1),
    Answer(3, "fair-b", 2),
    Answer(1, "safe-a", 4),
    Answer(2, "safe-a", 4),
    Answer(3, "safe-a", 3),
    Answer(2, "safe-b", 1),
]


def test_dimension_statistics_match_hand_computation() -> None:
    profile = compute_profile(make_questionnaire(), TEAM, ANSWERS)
    fairness = profile.dimensions["fairness"]
    # item scores: fair-a (2+3+5)/3 = 10/3, fair-b (1+2)/2 = 3/2; mean of the two = 29/12
    assert fairness.mean == pytest.approx(29 / 12)
    assert (fairness.min, fairness.max, fairness.answers) == (1, 5, 5)
    # technical answered 2 and 1; business 3; ethics 5 and 2
    assert fairness.by_role == {
        Role.TECHNICAL: pytest.approx(1.5),
        Role.BUSINESS: pytest.approx(3.0),
        Role.ETHICS: pytest.approx(3.5),
    }
    safety = profile.dimensions["safety"]
    # item scores: safe-a 11/3, safe-b 1; mean = 7/3
    assert safety.mean == pytest.approx(7 / 3)
    assert (safety.min, safety.max) == (1, 4)
    assert safety.by_role == {
        Role.TECHNICAL: pytest.approx(4.0),
        Role.BUSINESS: pytest.approx(2.5),
        Role.ETHICS: pytest.approx(3.0),
    }


def test_items_two_points_apart_are_flagged_until_agreed() -> None:
    profile = compute_profile(make_questionnaire(), TEAM, ANSWERS)
    assert profile.discuss == ["fair-a"]  # 2..5; fair-b 1..2 and safe-a 3..4 are not
    assert profile.items["fair-a"].spread == 3
    assert profile.awaiting_consensus == ["fair-a"]
    assert not profile.stage1_complete


def test_consensus_replaces_the_item_score_and_completes_stage1() -> None:
    agreed = [Consensus("fair-a", 4, "discussed")]
    profile = compute_profile(make_questionnaire(), TEAM, ANSWERS, agreed)
    # fairness mean = (4 + 3/2) / 2 = 2.75; the spread of answers is still reported
    assert profile.dimensions["fairness"].mean == pytest.approx(2.75)
    assert (profile.dimensions["fairness"].min, profile.dimensions["fairness"].max) == (1, 5)
    assert profile.consensus == {"fair-a": 4}
    assert profile.discuss == ["fair-a"]
    assert profile.awaiting_consensus == []
    assert profile.stage1_complete


def test_missing_role_and_unanswered_items_keep_stage1_open() -> None:
    team = TEAM[:2]  # no ethics member
    answers = [a for a in ANSWERS if a.member_id != 3 and a.item_id != "safe-b"]
    profile = compute_profile(make_questionnaire(), team, answers)
    assert profile.missing_roles == [Role.ETHICS]
    assert profile.unanswered == {Role.TECHNICAL: [], Role.BUSINESS: ["safe-b"]}
    assert not profile.stage1_complete


def test_answers_from_outside_the_task_force_are_ignored() -> None:
    outsider = [Answer(99, "safe-b", 5)]
    profile = compute_profile(make_questionnaire(), TEAM, ANSWERS + outsider)
    assert profile.dimensions["safety"].max == 4
    assert 99 not in profile.items["safe-b"].scores


def test_a_dimension_without_answers_has_no_statistics() -> None:
    profile = compute_profile(make_questionnaire(), TEAM, [Answer(1, "fair-a", 3)])
    safety = profile.dimensions["safety"]
    assert (safety.mean, safety.min, safety.max, safety.answers) == (None, None, None, 0)
    assert safety.by_role == {}


def test_the_discussion_threshold_is_content() -> None:
    wide = make_questionnaire(discussion_spread=3)
    assert compute_profile(wide, TEAM, ANSWERS).discuss == ["fair-a"]
    narrow = make_questionnaire(discussion_spread=1)
    assert compute_profile(narrow, TEAM, ANSWERS).discuss == ["fair-a", "fair-b", "safe-a"]
