"""Labels, targets, thresholds, long texts, pickling and provenance of the scorer."""

from __future__ import annotations

import json
import math
import pickle
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from ethos.datagov.toxicity import (
    LABELS,
    ToxicityInputError,
    ToxicityResult,
    ToxicityScorer,
)
from ethos.datagov.toxicity.features import content_value, features
from ethos.datagov.toxicity.model import write_model
from ethos.datagov.toxicity.normalize import normalize
from ethos.datagov.toxicity.scorer import chunks
from ethos.domain.errors import EthosError

from .conftest import PACKAGE

CLEAN = [
    "좋은 하루 보내세요",
    "오늘 회의는 세 시에 시작합니다",
    "The meeting moved to Thursday at 3pm.",
    "thanks, that fixed the build",
    "",
    "   \n ",
    # Words that are sexual or violent only in a hostile text (contextual groups):
    "경찰이 살인 사건을 수사하고 있다",
    "The police are investigating the murder.",
    "Sex education classes start in May.",
    "성교육 수업은 5월에 시작합니다",
    "그는 자위대 출신이다",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_raises_no_label(scorer: ToxicityScorer, text: str) -> None:
    result = scorer.score(text)
    assert result.labels == () and result.targets == ()
    assert result.score < 0.5 and not result.flagged


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("이 시1발 새끼야", "profanity"),
        ("you are a fucking idiot", "profanity"),
        ("섹스 야동 보자", "sexual"),
        ("watch free porn and nudes", "sexual"),
        ("죽여버린다 진짜", "violence"),
        ("kill yourself", "violence"),
        ("전라도 홍어새끼들", "hate"),
        ("shut up faggot", "hate"),
    ],
)
def test_offensive_text_raises_its_label(scorer: ToxicityScorer, text: str, label: str) -> None:
    assert label in scorer.score(text).labels


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("전라도 홍어새끼들", "region"),
        ("여자들은 다 멍청해서 운전을 못함 시발", "gender"),
        ("짱깨들 다 꺼져라", "nationality"),
        ("개독 새끼들 진짜 극혐", "religion"),
        ("틀딱들 시끄러워 죽겠네", "age"),
        ("shut up faggot", "sexual_orientation"),
    ],
)
def test_hate_reports_its_target(scorer: ToxicityScorer, text: str, target: str) -> None:
    result = scorer.score(text)
    assert "hate" in result.labels
    assert target in result.targets


def test_a_neutral_mention_of_a_group_is_not_hate(scorer: ToxicityScorer) -> None:
    for text in ("여성 과학자 지원 사업이 확대된다", "Muslims celebrate Eid this week"):
        result = scorer.score(text)
        assert "hate" not in result.labels and result.targets == (), text


def test_targets_only_come_with_the_hate_label(scorer: ToxicityScorer) -> None:
    result = scorer.score("여자친구랑 영화 봤는데 존나 재밌더라")
    assert "hate" not in result.labels and result.targets == ()


def test_result_fields_are_consistent(scorer: ToxicityScorer) -> None:
    result = scorer.score("전라도 홍어새끼들 죽여버려")
    assert set(result.label_scores) == set(LABELS)
    assert all(0.0 <= v <= 1.0 for v in result.label_scores.values())
    assert result.score == max(result.label_scores.values())
    assert list(result.labels) == [
        label for label in LABELS if result.label_scores[label] >= 0.5
    ]  # every shipped threshold is 0.5
    assert result.to_json() == {
        "score": round(result.score, 4),
        "labels": list(result.labels),
        "targets": list(result.targets),
    }
    assert json.loads(json.dumps(result.to_json())) == result.to_json()


def test_the_model_probability_matches_a_hand_computation(scorer: ToxicityScorer) -> None:
    text = "너 진짜 병신이냐"
    feats = features(scorer.lexicon.without_harmless(normalize(text)))
    weights = scorer.model.toxic
    fixed = [weights.get(name, 0.0) for name in ("_b", "_l:ko") if name in feats]
    content = [weights.get(name, 0.0) for name in feats if name not in ("_b", "_l:ko")]
    logit = sum(fixed) + 2 / math.sqrt(len(content)) * sum(content)
    assert content_value(len(content)) == pytest.approx(2 / math.sqrt(len(content)))
    assert scorer.score(text).label_scores["profanity"] >= 1 / (1 + math.exp(-logit)) - 1e-12


def test_scoring_is_pure(scorer: ToxicityScorer) -> None:
    texts = ["이 시1발 새끼야", "have a nice day", "전라도 홍어새끼들"]
    first = [scorer.score(t) for t in texts]
    again = [ToxicityScorer.default().score(t) for t in reversed(texts)][::-1]
    assert first == again
    assert ToxicityScorer.default() is scorer  # cached


def test_a_long_text_is_scored_by_its_worst_part(scorer: ToxicityScorer) -> None:
    neutral = "좋은 하루 보내세요. 오늘 회의는 세 시에 시작합니다. " * 200
    assert scorer.score(neutral).labels == ()
    assert "profanity" in scorer.score(neutral + "이 시1발 새끼야. " + neutral).labels
    english = "The committee met on Monday and approved the annual budget. " * 100
    assert scorer.score(english).labels == ()


def test_a_threshold_file_changes_the_labels(tmp_path: Path, scorer: ToxicityScorer) -> None:
    text = "오늘 회의는 세 시에 시작합니다"
    shipped = (PACKAGE / "thresholds.yaml").read_text(encoding="utf-8")
    strict = tmp_path / "strict.yaml"
    strict.write_text(shipped.replace("profanity: 0.5", "profanity: 0.0001"), encoding="utf-8")
    custom = ToxicityScorer.load(thresholds=strict)
    assert custom.thresholds.labels.profanity == 0.0001
    assert scorer.score(text).labels == ()
    assert custom.score(text).labels == ("profanity",)
    assert custom.score(text).label_scores == scorer.score(text).label_scores


def test_default_scorer_pickles_as_a_reference(scorer: ToxicityScorer) -> None:
    data = pickle.dumps(scorer)
    assert len(data) < 1000  # the weights are not copied into every worker
    copy = pickle.loads(data)
    assert copy is scorer  # same process: the cached scorer
    text = "이 시1발 새끼야"
    assert copy.score(text) == scorer.score(text)


def test_a_scorer_built_from_parts_pickles_by_value(scorer: ToxicityScorer) -> None:
    thresholds = scorer.thresholds.model_copy(update={"chunk_chars": 100})
    custom = ToxicityScorer(scorer.model, scorer.lexicon, thresholds)
    copy = pickle.loads(pickle.dumps(custom))
    assert copy is not custom and copy.thresholds.chunk_chars == 100
    text = "you are a fucking idiot"
    assert copy.score(text) == custom.score(text)


def test_a_result_pickles() -> None:
    result = ToxicityResult(0.7, ("profanity",), (), dict.fromkeys(LABELS, 0.7))
    assert pickle.loads(pickle.dumps(result)) == result


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["list"]])
def test_score_refuses_what_is_not_text(scorer: ToxicityScorer, bad: object) -> None:
    with pytest.raises(ToxicityInputError, match="takes a str") as caught:
        scorer.score(bad)  # type: ignore[arg-type]
    assert isinstance(caught.value, EthosError)


def test_the_shipped_model_was_trained_on_mit_data_only(scorer: ToxicityScorer) -> None:
    header = scorer.model.header
    files = {entry["file"] for entry in header["data"].values()}
    assert files == {"ko_curse_detection.txt", "en_davidson_labeled.csv"}
    assert header["trained_by"] == "benchmarks/train_toxicity.py"
    assert (PACKAGE / "model.tsv.gz").stat().st_size < 3_000_000


def test_package_data_ships_the_model_and_the_yaml_files() -> None:
    pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
    patterns = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["ethos"]
    for name in ("model.tsv.gz", "lexicon.yaml", "thresholds.yaml"):
        relative = f"datagov/toxicity/{name}"
        assert (PACKAGE / name).is_file()
        assert any(fnmatch(relative, pattern) for pattern in patterns), name


def test_chunks_cover_the_text_in_bounded_pieces() -> None:
    text = ("첫 문장입니다. Second sentence here!\n" * 40) + "x" * 950
    pieces = list(chunks(text, 100))
    assert all(len(piece) <= 100 for piece in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )
    assert list(chunks("short", 100)) == ["short"]


def test_a_model_of_ones_own_gives_the_logistic_of_its_weights(tmp_path: Path) -> None:
    path = tmp_path / "tiny.tsv.gz"
    write_model(path, {"_b": -2.0, "wfoo": 3.0}, {"_b": -5.0}, {"note": "tiny"})
    tiny = ToxicityScorer.load(model=path)
    # "foo": features _b, _l:xx and wfoo; one content feature, value 2 / sqrt(1) = 2.
    expected = 1 / (1 + math.exp(-(-2.0 + 2 * 3.0)))
    assert tiny.score("foo").label_scores["profanity"] == pytest.approx(expected, abs=1e-4)
    assert tiny.score("bar").label_scores["profanity"] == pytest.approx(
        1 / (1 + math.exp(2.0)), abs=1e-4
    )
    assert pickle.loads(pickle.dumps(tiny)) is tiny  # loaded from a path: pickled by path
