"""The toxicity processor in the engine, checked against the scorer called directly."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethos.datagov.engine import ScanInputError, ScanRequest, ToxicitySpec, run_scan, windows
from ethos.datagov.toxicity import Action, ToxicityScorer, apply_action
from tests.datagov.engine.conftest import read_jsonl, write_jsonl, write_text

TEXTS = [
    "이 시1발 새끼야",
    "좋은 하루 보내세요",
    "you are a fucking idiot",
    "The meeting moved to Thursday at 3pm.",
    "꺼져 병신아",
    "thanks, that fixed the build",
]


def corpus(tmp_path: Path) -> Path:
    records = [{"id": f"t{n}", "text": text, "tags": ["src:forum"]} for n, text in enumerate(TEXTS)]
    return write_jsonl(tmp_path / "tox.jsonl", records * 20)


def test_scores_equal_the_scorer_and_workers_agree(tmp_path: Path) -> None:
    path = corpus(tmp_path)
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}.jsonl"
        run_scan(ScanRequest(str(path), out, ToxicitySpec(), workers=workers, shard_bytes=500,
                             progress=False))  # fmt: skip
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    scorer = ToxicityScorer.default()
    lines = read_jsonl(tmp_path / "w1.jsonl")
    assert len(lines) == len(TEXTS) * 20
    for number, line in enumerate(lines):
        expected = scorer.score(TEXTS[number % len(TEXTS)]).to_json()
        assert line == {"id": f"tox.jsonl:{number + 1}", **expected}
    assert any(line["labels"] for line in lines) and not all(line["labels"] for line in lines)


@pytest.mark.parametrize("action", ["drop", "mask", "tag"])
def test_actions_match_apply_action(tmp_path: Path, action: str) -> None:
    path = corpus(tmp_path)
    filtered = tmp_path / "filtered.jsonl"
    summary = run_scan(
        ScanRequest(
            str(path),
            tmp_path / "s.jsonl",
            ToxicitySpec(action=action),
            transformed=filtered,
            progress=False,
        )
    )
    scorer = ToxicityScorer.default()
    expected = []
    for text in TEXTS * 20:
        kept = apply_action(text, scorer.score(text), Action[action.upper()], scorer=scorer)
        if kept is None:
            continue
        record = {"id": "x", "text": kept.text, "tags": ["src:forum", *kept.tags]}
        expected.append(record)
    got = [{**r, "id": "x"} for r in read_jsonl(filtered)]
    assert got == expected
    assert summary.dropped == (len(TEXTS) * 20 - len(expected))


def test_a_threshold_override_raises_more_labels(tmp_path: Path) -> None:
    path = write_text(tmp_path / "t.txt", TEXTS)
    default, strict = tmp_path / "d.jsonl", tmp_path / "s.jsonl"
    run_scan(ScanRequest(str(path), default, ToxicitySpec(), progress=False))
    run_scan(ScanRequest(str(path), strict, ToxicitySpec(threshold=0.001), progress=False))
    scores = [line["score"] for line in read_jsonl(default)]
    assert [bool(line["labels"]) for line in read_jsonl(strict)] == [s >= 0.001 for s in scores]
    assert sum(bool(line["labels"]) for line in read_jsonl(strict)) > sum(
        bool(line["labels"]) for line in read_jsonl(default)
    )
    with pytest.raises(ScanInputError, match="threshold"):
        ToxicitySpec(threshold=0.0)
    with pytest.raises(ScanInputError, match="unknown action"):
        ToxicitySpec(action="delete")


def test_a_long_document_is_scored_window_by_window() -> None:
    spec = ToxicitySpec(action="mask")
    processor = spec.build()
    text = ("좋은 하루 보내세요. " * 500 + "이 시1발 새끼야\n") * 4
    scan = processor.open()
    pieces = [scan.feed(w) for w in windows([text], size=3000, overlap=200)]
    outcome = scan.finish()
    assert len(pieces) > 4
    assert outcome.flagged and "profanity" in outcome.result["labels"]
    masked = "".join(p or "" for p in pieces)
    assert len(masked) == len(text) and "시1발" not in masked and "좋은 하루" in masked
