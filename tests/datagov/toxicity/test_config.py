"""Lexicon, thresholds and model files: the shipped ones load; bad ones are refused.

Every error names the file and the entry and field at fault, never a value from the file.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from ethos.datagov.toxicity import (
    ToxicityConfigError,
    ToxicityScorer,
    load_lexicon,
    load_model,
    load_thresholds,
)
from ethos.datagov.toxicity.model import write_model
from ethos.datagov.toxicity.normalize import normalize
from ethos.domain.errors import ContentError

from .conftest import PACKAGE

GOOD_GROUP = """\
  - id: test-words
    description: Words for the test.
    label: profanity
    weight: 0.7
    ko: [바보멍청이]
    en: [dumbo, nitwit*, utter fool]
"""


def write_lexicon(tmp_path: Path, body: str, header: str = "version: 1\ngroups:\n") -> Path:
    path = tmp_path / "my-lexicon.yaml"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_the_shipped_files_load() -> None:
    lexicon = load_lexicon(PACKAGE / "lexicon.yaml")
    thresholds = load_thresholds(PACKAGE / "thresholds.yaml")
    model = load_model(PACKAGE / "model.tsv.gz")
    assert lexicon.version == 1 and len(lexicon.groups) > 40
    assert {g.label for g in lexicon.groups} == {
        "profanity",
        "hate",
        "sexual",
        "violence",
        "mention",
    }
    assert thresholds.labels.hate == 0.5
    assert len(model.toxic) > 10_000 and len(model.hate) > 1_000


def test_a_custom_lexicon_is_used(tmp_path: Path) -> None:
    lexicon = load_lexicon(write_lexicon(tmp_path, GOOD_GROUP))
    found = {
        text: sorted(hit.term for hit in lexicon.match(normalize(text)))
        for text in ("바보멍청이야", "you dumbo", "nitwits all", "an utter fool", "a fool")
    }
    assert found == {
        "바보멍청이야": ["바보멍청이"],
        "you dumbo": ["dumbo"],
        "nitwits all": ["nitwit*"],
        "an utter fool": ["utter fool"],
        "a fool": [],
    }
    scorer = ToxicityScorer.load(lexicon=write_lexicon(tmp_path, GOOD_GROUP))
    assert scorer.score("you dumbo").label_scores["profanity"] >= 0.7


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        pytest.param("weight: 0.7", "weight: 1.7", "weight", id="weight-above-one"),
        pytest.param("weight: 0.7", "weight: 0", "weight", id="weight-zero"),
        pytest.param("label: profanity", "label: rude", "label", id="unknown-label"),
        pytest.param("    weight: 0.7\n", "", "weight", id="missing-weight"),
        pytest.param(
            "    weight: 0.7\n", "    weight: 0.7\n    colour: red\n", "colour", id="unknown-field"
        ),
        pytest.param("[dumbo,", "[Dumbo,", "en.0", id="english-not-lower-case"),
        pytest.param("[바보멍청이]", "[ㅂㅏㅂㅗ]", "ko.0", id="korean-not-composed"),
        pytest.param("[바보멍청이]", '["바보 "]', "ko.0", id="korean-trailing-space"),
        pytest.param("id: test-words", "id: Test Words", "id", id="bad-id"),
        pytest.param("label: profanity", "label: mention", "(entry)", id="mention-without-target"),
        pytest.param(
            "    weight: 0.7\n",
            "    weight: 0.7\n    target: gender\n",
            "(entry)",
            id="target-on-profanity",
        ),
        pytest.param(
            "    weight: 0.7\n",
            "    weight: 0.7\n    target: planets\n",
            "target",
            id="unknown-target",
        ),
    ],
)
def test_a_malformed_group_is_named(tmp_path: Path, old: str, new: str, field: str) -> None:
    assert old in GOOD_GROUP
    path = write_lexicon(tmp_path, GOOD_GROUP.replace(old, new))
    with pytest.raises(ToxicityConfigError) as caught:
        load_lexicon(path)
    message = str(caught.value)
    assert message.startswith("my-lexicon.yaml: group ")
    assert "#0" in message and f"field '{field}'" in message
    assert isinstance(caught.value, ContentError)


def test_duplicate_group_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ToxicityConfigError, match=r"group 'test-words' \(#1\): field 'id'"):
        load_lexicon(write_lexicon(tmp_path, GOOD_GROUP + GOOD_GROUP))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("version: 2\ngroups: []\n", "field 'version'", id="version"),
        pytest.param("version: 1\ngroups: []\n", "field 'groups'", id="no-groups"),
        pytest.param("groups: [\n", "invalid YAML at line", id="yaml"),
        pytest.param("- just\n- a list\n", "(root)", id="not-a-mapping"),
    ],
)
def test_a_malformed_lexicon_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "my-lexicon.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ToxicityConfigError, match=re.escape(message)) as caught:
        load_lexicon(path)
    assert str(caught.value).startswith("my-lexicon.yaml: ")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ToxicityConfigError, match=r"^absent\.yaml: cannot read"):
        load_thresholds(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        pytest.param("  hate: 0.5", "  hate: 1.5", "labels.hate", id="threshold-above-one"),
        pytest.param("  hate: 0.5", "  hate: 0", "labels.hate", id="threshold-zero"),
        pytest.param("  hate: 0.5\n", "", "labels.hate", id="missing-label"),
        pytest.param("  hate: 0.5", "  hate: 0.5\n  spam: 0.5", "labels.spam", id="extra-label"),
        pytest.param("  min_weight: 5.0", "  min_weight: -1", "mask.min_weight", id="mask"),
        pytest.param("chunk_chars: 400", "chunk_chars: ten", "chunk_chars", id="chunk-type"),
        pytest.param("version: 1", "version: 9", "version", id="version"),
    ],
)
def test_a_malformed_thresholds_file_is_named(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    shipped = (PACKAGE / "thresholds.yaml").read_text(encoding="utf-8")
    assert old in shipped
    path = tmp_path / "my-thresholds.yaml"
    path.write_text(shipped.replace(old, new), encoding="utf-8")
    with pytest.raises(ToxicityConfigError) as caught:
        load_thresholds(path)
    assert str(caught.value).startswith(f"my-thresholds.yaml: field '{field}': ")


def test_the_scorer_refuses_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nlabels: {}\n", encoding="utf-8")
    with pytest.raises(ToxicityConfigError, match=r"^broken\.yaml: field 'labels\.profanity'"):
        ToxicityScorer.load(thresholds=path)


def test_a_model_round_trips_with_bounded_quantisation_error(tmp_path: Path) -> None:
    toxic = {"_b": -1.25, "wfoo": 3.5, "c시발": 0.001, "wbar": -0.75}
    hate = {"_b": -2.0, "wfoo": 0.5}
    path = tmp_path / "m.tsv.gz"
    model = write_model(path, toxic, hate, {"note": "test"})
    # 16-bit steps of max|w| / 32767: an error of at most half a step per weight.
    for written, loaded in ((toxic, model.toxic), (hate, model.hate)):
        step = max(abs(w) for w in written.values()) / 32767
        for name, weight in written.items():
            assert abs(loaded.get(name, 0.0) - weight) <= step / 2 + 1e-12, name
    assert model.header["note"] == "test" and model.header["heads"] == ["toxic", "hate"]
    first = path.read_bytes()
    write_model(path, toxic, hate, {"note": "test"})
    assert path.read_bytes() == first  # same weights, same bytes


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("nonsense\n", "line 1: not a toxicity model file", id="magic"),
        pytest.param(
            "#ethos-toxicity-model\t{not json\n", "line 1: header is not valid JSON", id="json"
        ),
        pytest.param("#ethos-toxicity-model\t{}\n", "header: field 'format'", id="format"),
        pytest.param("@GOOD\nwfoo\t1\n", "line 2: expected a new feature", id="short-line"),
        pytest.param("@GOOD\nwfoo\t1\tx\n", "line 2: weights are not integers", id="not-int"),
        pytest.param(
            "@GOOD\nwfoo\t1\t1\nwfoo\t2\t2\n", "line 3: expected a new feature", id="duplicate"
        ),
        pytest.param("@GOOD\nwfoo\t99999\t1\n", "line 2: weight outside", id="range"),
    ],
)
def test_a_malformed_model_file_is_named(tmp_path: Path, body: str, message: str) -> None:
    good = tmp_path / "good.tsv.gz"
    write_model(good, {"wfoo": 1.0}, {"wfoo": 1.0}, {})
    header = gzip.decompress(good.read_bytes()).decode("utf-8").split("\n")[0]
    path = tmp_path / "bad.tsv.gz"
    path.write_bytes(gzip.compress(body.replace("@GOOD", header).encode("utf-8")))
    with pytest.raises(ToxicityConfigError, match=re.escape(message)) as caught:
        load_model(path)
    assert str(caught.value).startswith("bad.tsv.gz: ")


def test_a_model_file_that_is_not_gzip_is_named(tmp_path: Path) -> None:
    path = tmp_path / "plain.tsv.gz"
    path.write_text("not compressed", encoding="utf-8")
    with pytest.raises(ToxicityConfigError, match=r"^plain\.tsv\.gz: file: cannot read"):
        load_model(path)
