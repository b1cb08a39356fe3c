"""The opt-in ``sharealike`` model: chosen by name, licensed and sourced in its header, used
by the scan engine when asked for, and never mixed with a run of another model."""

from __future__ import annotations

import gzip
import json
import math
import pickle
import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from ethos.datagov.engine import ScanBusyError, ScanInputError, ScanRequest, ToxicitySpec, run_scan
from ethos.datagov.toxicity import (
    DEFAULT_MODEL,
    SHIPPED_MODELS,
    ToxicityConfigError,
    ToxicityInputError,
    ToxicityScorer,
    UnknownModelError,
    load_model,
)
from ethos.datagov.toxicity.model import write_model
from ethos.domain.errors import EthosError
from tests.datagov.engine.conftest import read_jsonl, write_jsonl

from .conftest import PACKAGE

HANGUL = re.compile("[\uac00-\ud7a3]")
TEXTS = [
    "이 시1발 새끼야",
    "좋은 하루 보내세요",
    "you are a fucking idiot",
    "북한이 미사일을 발사했다고 합참이 밝혔다",
    "전라도 놈들은 다 똑같다",
    "The meeting moved to Thursday at 3pm.",
    "여자들은 다 김치녀야 꺼져",
    "연예인 걱정은 하는 게 아니다",
]


def test_the_named_model_loads_and_differs_from_the_default(
    scorer: ToxicityScorer, sharealike: ToxicityScorer
) -> None:
    assert ToxicityScorer.default(model="sharealike") is sharealike  # cached
    assert ToxicityScorer.default(model=DEFAULT_MODEL) is scorer
    assert sharealike.model is not scorer.model
    assert len(sharealike.model.toxic) > 10_000 and len(sharealike.model.hate) > 10_000
    assert sharealike.model.hate_languages == {"en", "ko"}
    assert scorer.model.hate_languages == {"en"}
    # the same lexicon and thresholds: only the weights differ
    assert sharealike.thresholds == scorer.thresholds
    assert [g.id for g in sharealike.lexicon.groups] == [g.id for g in scorer.lexicon.groups]
    text = "연예인 걱정은 하는 게 아니다"
    assert sharealike.score(text) != scorer.score(text)


def test_its_header_states_the_licence_the_attribution_and_the_inputs() -> None:
    path = PACKAGE / SHIPPED_MODELS["sharealike"].file
    header = load_model(path).header
    assert header["licence"] == SHIPPED_MODELS["sharealike"].licence == "CC-BY-SA-4.0"
    assert header["licence_url"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert "share" in header["licence_of_weights"] and "scanned" in header["licence_of_weights"]
    files = {entry["file"] for entry in header["data"].values()}
    assert files == {"ko_curse_detection.txt", "en_davidson_labeled.csv", "ko_beep_train.tsv"}
    for entry in header["data"].values():
        assert re.fullmatch("[0-9a-f]{64}", entry["sha256"])
        assert all(isinstance(n, int) and n > 0 for n in entry["split_sizes"])
    beep = header["data"]["ko_beep_train"]
    assert beep["split"] == [0.9, 0.1] and sum(beep["split_sizes"]) == 7_896
    attribution = header["attribution"]
    assert set(attribution) == set(header["data"])
    assert "kocohub/korean-hate-speech" in attribution["ko_beep_train"]
    assert (
        "BEEP!" in attribution["ko_beep_train"] and "CC BY-SA 4.0" in attribution["ko_beep_train"]
    )
    assert "2runo" in attribution["ko_curse"] and "MIT" in attribution["ko_curse"]
    assert "Tom Davidson" in attribution["en_davidson"] and "MIT" in attribution["en_davidson"]
    assert header["not_trained_on"] == ["ko_beep_dev.tsv (evaluation only)"]
    assert header["trained_by"] == "benchmarks/train_toxicity.py"
    assert path.stat().st_size < 3_000_000


def test_the_default_model_stays_the_mit_one(scorer: ToxicityScorer) -> None:
    assert DEFAULT_MODEL == "default" == ToxicitySpec().model
    assert SHIPPED_MODELS[DEFAULT_MODEL].file == "model.tsv.gz"
    assert SHIPPED_MODELS[DEFAULT_MODEL].licence == "Apache-2.0"
    header = scorer.model.header
    assert "licence" not in header and "hate_languages" not in header
    assert "ko_beep_train" not in header["data"]


def test_both_files_ship_as_package_data() -> None:
    pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
    patterns = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["ethos"]
    for model in SHIPPED_MODELS.values():
        assert (PACKAGE / model.file).is_file(), model.name
        relative = f"datagov/toxicity/{model.file}"
        assert any(fnmatch(relative, pattern) for pattern in patterns), model.name


def test_an_unknown_model_name_is_a_clear_error() -> None:
    with pytest.raises(UnknownModelError) as caught:
        ToxicityScorer.default(model="sharealike-v2")
    error = caught.value
    assert isinstance(error, ToxicityInputError) and isinstance(error, EthosError)
    assert str(error) == (
        "unknown toxicity model 'sharealike-v2'; shipped models: default, sharealike"
    )
    assert error.message_ko is not None and HANGUL.search(error.message_ko)
    assert "default, sharealike" in error.message_ko
    with pytest.raises(ScanInputError, match="unknown toxicity model 'x'; use one of") as spec:
        ToxicitySpec(model="x")
    assert "default, sharealike" in str(spec.value)
    assert spec.value.message_ko is not None and HANGUL.search(spec.value.message_ko)


def test_the_named_scorer_pickles_as_a_reference(sharealike: ToxicityScorer) -> None:
    data = pickle.dumps(sharealike)
    assert len(data) < 1000
    assert pickle.loads(data) is sharealike
    assert pickle.loads(pickle.dumps(ToxicityScorer.default())) is not sharealike


def _tiny_model(tmp_path: Path, **header: object) -> ToxicityScorer:
    path = tmp_path / f"tiny-{len(header)}.tsv.gz"
    write_model(path, {"_b": 2.0}, {"_b": -1.0, "_l:ko": 0.5}, dict(header))
    return ToxicityScorer.load(model=path)


def test_the_hate_head_scores_korean_only_when_the_header_says_so(tmp_path: Path) -> None:
    text = "오늘 회의는 세 시에 시작합니다"  # no word-list term: hate comes from the model only
    english_only = _tiny_model(tmp_path)
    bilingual = _tiny_model(tmp_path, hate_languages=["en", "ko"])
    toxic, hate = 1 / (1 + math.exp(-2.0)), 1 / (1 + math.exp(0.5))
    assert english_only.score(text).label_scores["hate"] == 0.0
    # the hate probability (bias -1 plus the Korean intercept 0.5), capped by the toxic one
    assert bilingual.score(text).label_scores["hate"] == pytest.approx(min(hate, toxic), abs=1e-4)
    assert bilingual.score(text).label_scores["profanity"] == pytest.approx(toxic, abs=1e-4)
    # English text: the hate head counts in both (bias -1 only)
    for scorer in (english_only, bilingual):
        english = scorer.score("the meeting starts at three").label_scores["hate"]
        assert english == pytest.approx(1 / (1 + math.exp(1.0)), abs=1e-4)


@pytest.mark.parametrize("bad", [["ko"], ["en", "ja"], "en,ko", []])
def test_a_malformed_hate_languages_field_is_named(tmp_path: Path, bad: object) -> None:
    good = tmp_path / "good.tsv.gz"
    write_model(good, {"_b": 1.0}, {"_b": 1.0}, {"hate_languages": ["en", "ko"]})
    header, body = gzip.decompress(good.read_bytes()).decode("utf-8").split("\n", 1)
    magic, fields = header.split("\t")
    odd = json.loads(fields) | {"hate_languages": bad}
    path = tmp_path / "odd.tsv.gz"
    path.write_bytes(gzip.compress(f"{magic}\t{json.dumps(odd)}\n{body}".encode()))
    with pytest.raises(ToxicityConfigError, match=r"^odd\.tsv\.gz: header: field 'hate_languages'"):
        load_model(path)


def _corpus(tmp_path: Path) -> Path:
    records = [{"id": f"t{n}", "text": text} for n, text in enumerate(TEXTS)]
    return write_jsonl(tmp_path / "tox.jsonl", records * 15)


def test_the_engine_scores_with_the_chosen_model_in_every_worker(
    tmp_path: Path, scorer: ToxicityScorer, sharealike: ToxicityScorer
) -> None:
    path = _corpus(tmp_path)
    outputs = {}
    for model, workers in (("sharealike", 1), ("sharealike", 2), ("default", 2)):
        out = tmp_path / f"{model}-{workers}.jsonl"
        spec = ToxicitySpec(model=model)
        run_scan(ScanRequest(str(path), out, spec, workers=workers, shard_bytes=400,
                             progress=False))  # fmt: skip
        outputs[model, workers] = out
    assert outputs["sharealike", 1].read_bytes() == outputs["sharealike", 2].read_bytes()
    for model, direct in (("sharealike", sharealike), ("default", scorer)):
        lines = read_jsonl(outputs[model, 2])
        assert len(lines) == len(TEXTS) * 15
        for number, line in enumerate(lines):
            expected = direct.score(TEXTS[number % len(TEXTS)]).to_json()
            assert line == {"id": f"tox.jsonl:{number + 1}", **expected}
    assert read_jsonl(outputs["sharealike", 2]) != read_jsonl(outputs["default", 2])


def test_a_threshold_override_keeps_the_chosen_model(sharealike: ToxicityScorer) -> None:
    processor = ToxicitySpec(model="sharealike", threshold=0.9).build()
    assert processor.scorer.model is sharealike.model
    assert processor.scorer.thresholds.labels.profanity == 0.9


def test_the_model_is_part_of_the_fingerprint() -> None:
    default, other = ToxicitySpec().fingerprint(), ToxicitySpec(model="sharealike").fingerprint()
    assert default["model"] == "default" and other["model"] == "sharealike"
    assert {k: v for k, v in default.items() if k != "model"} == {
        k: v for k, v in other.items() if k != "model"
    }


def test_a_resume_with_another_model_does_not_mix_outputs(
    tmp_path: Path, scorer: ToxicityScorer
) -> None:
    path = _corpus(tmp_path)
    out = tmp_path / "out" / "scores.jsonl"
    base = {"location": str(path), "output": out, "shard_bytes": 400, "progress": False}
    run_scan(ScanRequest(spec=ToxicitySpec(), keep_work=True, **base))
    work = tmp_path / "out" / "scores.jsonl.work"
    markers = sorted(work.glob("*.done"))
    assert len(markers) > 3
    # make the run unfinished: lose a shard and the merged output
    markers[1].unlink()
    out.unlink()
    with pytest.raises(ScanBusyError, match="other inputs or options"):
        run_scan(ScanRequest(spec=ToxicitySpec(model="sharealike"), **base))
    assert not out.exists()
    # starting over with the other model scores every document with it
    summary = run_scan(ScanRequest(spec=ToxicitySpec(model="sharealike"), restart=True, **base))
    assert summary.resumed == 0
    sharealike = ToxicityScorer.default(model="sharealike")
    lines = read_jsonl(out)
    assert [line["score"] for line in lines] == [
        sharealike.score(TEXTS[n % len(TEXTS)]).to_json()["score"] for n in range(len(lines))
    ]
    assert lines != [
        {"id": line["id"], **scorer.score(TEXTS[n % len(TEXTS)]).to_json()}
        for n, line in enumerate(lines)
    ]
