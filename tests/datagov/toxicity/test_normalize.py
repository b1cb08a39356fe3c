"""Normalisation undoes the disguises people use to slip profanity past a filter."""

from __future__ import annotations

import pytest

from ethos.datagov.toxicity import ToxicityScorer
from ethos.datagov.toxicity.normalize import compose_jamo, normalize, tokens


@pytest.mark.parametrize(
    ("text", "plain", "hangul"),
    [
        pytest.param("ＦＵＣＫ ｙｏｕ", "fuck you", "", id="full-width"),
        pytest.param("fu\u200bck\u200d", "fuck", "", id="zero-width"),
        pytest.param("f.u.c.k", "fuck", "", id="spelled-with-dots"),
        pytest.param("f u c k off", "fuck off", "", id="spelled-with-spaces"),
        pytest.param("sh1t b!tch", "shit bitch", "", id="leet"),
        pytest.param("FUUUUUCK", "fuuck", "", id="repeats-cut-to-two"),
        pytest.param("시1발", "시1발", "시발", id="digit-inside-word"),
        pytest.param("씨~~~발", "씨~~발", "씨발", id="symbols-inside-word"),
        pytest.param("씨.발.놈", "씨발놈", "씨발놈", id="dotted-syllables"),
        pytest.param("시 발 놈아", "시 발 놈아", "시발 놈아", id="spaced-syllables"),
        pytest.param("ㅅㅣㅂㅏㄹ", "시발", "시발", id="typed-jamo"),
        pytest.param("ㅅ ㅣ ㅂ ㅏ ㄹ", "시발", "시발", id="spaced-jamo"),
        pytest.param("ㅅ 1 ㅂ", "ㅅ 1 ㅂ", "ㅅㅂ", id="abbreviation-with-digit"),
        pytest.param("개\u3164새끼", "개새끼", "개새끼", id="hangul-filler"),
        pytest.param("ㅋㅋㅋㅋㅋㅋ", "ㅋㅋ", "ㅋㅋ", id="laughter-cut"),
        pytest.param("너ㅄ", "너ㅄ", "너ㅄ", id="final-cluster-not-glued"),
        pytest.param("@someone see http://x.co/a", "@user see", "", id="mentions-urls"),
    ],
)
def test_views(text: str, plain: str, hangul: str) -> None:
    normalized = normalize(text)
    assert (normalized.plain, normalized.hangul) == (plain, hangul)


def test_word_boundaries_survive_in_the_hangul_view() -> None:
    # "다시 발견" (found again) must not read as holding 시발.
    assert normalize("다시 발견했다").hangul == "다시 발견했다"
    assert normalize("이 책 좀 줘").hangul == "이책좀줘"  # one-letter words are joined


def test_compose_jamo_keeps_abbreviations() -> None:
    assert compose_jamo("ㅂㅏㅂㅗ ㅅㅂ ㅋㅋ") == "바보 ㅅㅂ ㅋㅋ"
    assert compose_jamo("ㄷㅏㄺ") == "닭"
    assert compose_jamo("plain text") == "plain text"


def test_tokens_keep_stars_and_drop_punctuation() -> None:
    assert tokens("f*ck, you!") == ["f*ck", "you"]


NEUTRAL = "오늘 회의는 {} 세 시에 시작합니다"


@pytest.mark.parametrize(
    "disguised",
    [
        "시1발",
        "시.발",
        "ㅅ ㅣ ㅂ ㅏ ㄹ",
        "ㅅ1ㅂ",
        "씨~~~발",
        "시\u200b발",
        "병 신",
        "개\u3164새끼",
        "ｓｈｉｔ",
        "f.u.c.k",
        "sh1t",
        "b!tch",
        "fuuuuuck",
        "fu\u200bck",
    ],
)
def test_disguised_profanity_is_still_found(scorer: ToxicityScorer, disguised: str) -> None:
    assert scorer.score(NEUTRAL.format("")).labels == ()
    assert "profanity" in scorer.score(NEUTRAL.format(disguised)).labels


def test_harmless_words_that_contain_a_swear_word_stay_clean(scorer: ToxicityScorer) -> None:
    for text in ("시발점에서 출발했다", "다시 발견했다", "그 영화는 보지 않았다", "한남동 카페"):
        assert scorer.score(text).labels == (), text
