"""Drop, mask and tag: what apply_action does with a scored text."""

from __future__ import annotations

import pytest

from ethos.datagov.toxicity import (
    Action,
    FilteredText,
    ToxicityInputError,
    ToxicityResult,
    ToxicityScorer,
    apply_action,
)

TOXIC = "이 시1발 새끼야"
CLEAN = "좋은 하루 보내세요"


def test_drop_removes_a_flagged_text_only(scorer: ToxicityScorer) -> None:
    assert apply_action(TOXIC, scorer.score(TOXIC), Action.DROP) is None
    assert apply_action(CLEAN, scorer.score(CLEAN), Action.DROP) == FilteredText(CLEAN, (), 0)


def test_mask_hides_the_offending_words_and_keeps_the_rest(scorer: ToxicityScorer) -> None:
    kept = apply_action(TOXIC, scorer.score(TOXIC), Action.MASK)
    assert kept == FilteredText("이 *** ***", (), 2)
    assert scorer.offending_spans(TOXIC) == ((2, 5), (6, 9))


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("you are a fucking idiot", "you are a ******* *****"),
        ("시 발 놈아 진짜", "* * 놈아 진짜"),  # spaced letters are tested joined
        ("ㅅ ㅂ 진짜 왜 저래", "* * 진짜 왜 저래"),
        ("f u c k you man", "* * * * you man"),
        ("전라도 홍어새끼들", "전라도 *****"),  # the group's name is not the insult
        ("sh1t, that hurt!", "****, that hurt!"),  # punctuation stays
    ],
)
def test_mask_cases(scorer: ToxicityScorer, text: str, masked: str) -> None:
    kept = apply_action(text, scorer.score(text), Action.MASK, scorer=scorer)
    assert kept is not None and kept.text == masked
    assert len(kept.text) == len(text)


def test_mask_char_is_configurable(scorer: ToxicityScorer) -> None:
    kept = apply_action(TOXIC, scorer.score(TOXIC), Action.MASK, mask_char="#")
    assert kept is not None and kept.text == "이 ### ###"


def test_tag_keeps_the_text_and_lists_labels_then_targets(scorer: ToxicityScorer) -> None:
    text = "전라도 홍어새끼들"
    result = scorer.score(text)
    kept = apply_action(text, result, Action.TAG)
    expected = tuple(f"toxicity:{label}" for label in result.labels)
    expected += tuple(f"toxicity:target:{target}" for target in result.targets)
    assert kept == FilteredText(text, expected, 0)
    assert "toxicity:hate" in kept.tags and "toxicity:target:region" in kept.tags


def test_actions_combine(scorer: ToxicityScorer) -> None:
    result = scorer.score(TOXIC)
    both = apply_action(TOXIC, result, Action.MASK | Action.TAG)
    assert both == FilteredText("이 *** ***", ("toxicity:profanity",), 2)
    assert apply_action(TOXIC, result, Action.DROP | Action.MASK | Action.TAG) is None
    assert apply_action(TOXIC, result, Action(0)) == FilteredText(TOXIC, (), 0)
    assert both.to_json() == {"text": "이 *** ***", "tags": ["toxicity:profanity"], "masked": 2}


@pytest.mark.parametrize("action", [Action.DROP, Action.MASK, Action.TAG])
def test_a_clean_text_comes_back_unchanged(scorer: ToxicityScorer, action: Action) -> None:
    assert apply_action(CLEAN, scorer.score(CLEAN), action) == FilteredText(CLEAN, (), 0)


def test_the_action_follows_the_result_it_is_given() -> None:
    # A result that raised nothing leaves even a swear word alone: the caller decides.
    quiet = ToxicityResult(0.1, (), (), dict.fromkeys(("profanity", "hate"), 0.1))
    assert apply_action(TOXIC, quiet, Action.MASK) == FilteredText(TOXIC, (), 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": 3}, "str text"),
        ({"result": "flagged"}, "ToxicityResult"),
        ({"action": "drop"}, "unknown action"),
        ({"mask_char": "**"}, "mask_char"),
        ({"mask_char": " "}, "mask_char"),
    ],
)
def test_bad_arguments_are_refused(
    scorer: ToxicityScorer, kwargs: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {
        "text": TOXIC,
        "result": scorer.score(TOXIC),
        "action": Action.MASK,
    }
    arguments.update(kwargs)
    mask_char = arguments.pop("mask_char", "*")
    with pytest.raises(ToxicityInputError, match=message):
        apply_action(*arguments.values(), mask_char=mask_char)  # type: ignore[arg-type]
