"""Windows over long documents, and the PII processor fed window by window."""

from __future__ import annotations

import random

import pytest

from ethos.datagov.engine import PiiProcessor, PiiSpec, ScanInputError, process_text, windows
from ethos.datagov.pii import anonymize, detect
from tests.datagov.engine.conftest import eval_documents

KEY = b"0123456789abcdef-test-key"


def _pieces(text: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    pieces, position = [], 0
    while position < len(text):
        step = rng.randint(1, 5000)
        pieces.append(text[position : position + step])
        position += step
    return pieces


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cores_tile_the_text_and_overlaps_surround_them(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice("ab \n가") for _ in range(60_000))
    size, overlap = 3000, 200
    cores = []
    for window in windows(_pieces(text, seed), size=size, overlap=overlap):
        assert text[window.offset : window.offset + len(window.text)] == window.text
        cores.append(window.text[window.core_start : window.core_end])
        assert window.core_start == min(overlap, window.offset + window.core_start)
        assert window.core_end - window.core_start <= size + overlap
    assert "".join(cores) == text
    assert len(cores) > 10


def test_a_short_text_is_one_whole_window() -> None:
    [window] = list(windows(["short ", "text"]))
    assert window.is_whole and window.text == "short text"
    [empty] = list(windows([]))
    assert empty.is_whole and empty.text == ""


@pytest.mark.parametrize("length", [0, 1, 2999, 3199, 3200, 3201, 9000])
def test_one_piece_in_a_list_gives_the_windows_of_any_other_form(length: int) -> None:
    # A list of one piece takes a short cut; pieces from an iterator take the general path.
    text = "".join(random.Random(length).choice("ab \n가") for _ in range(length))
    quick = list(windows([text], size=3000, overlap=200))
    general = list(windows(iter([text]), size=3000, overlap=200))
    assert quick == general
    if length < 3200:
        assert len(quick) == 1 and quick[0].is_whole


@pytest.mark.parametrize("operator", ["placeholder", "mask", "pseudonym", "drop"])
def test_windowed_detection_and_anonymisation_equal_whole_text(operator: str) -> None:
    text = "\n".join(d["text"] for d in eval_documents(900))
    whole = detect(text)
    processor = PiiProcessor(operator=operator, key=KEY)  # type: ignore[arg-type]
    scan = processor.open()
    pieces = [scan.feed(window) for window in windows(_pieces(text, 7), size=20_000, overlap=1_000)]
    outcome = scan.finish()
    assert len(pieces) > 5
    got = [(s["type"], s["start"], s["end"]) for s in outcome.result["spans"]]
    assert got == [(s.type, s.start, s.end) for s in whole]
    result = anonymize(text, whole, operator=operator, key=KEY)  # type: ignore[arg-type]
    assert outcome.dropped is result.dropped
    # drop: the pieces are the untouched text, and finish() decides to drop it
    expected = text if operator == "drop" else result.text
    assert "".join(p or "" for p in pieces) == expected


def test_process_text_and_the_drop_operator() -> None:
    text = "연락처 010-1234-5678로 주세요"
    outcome, transformed = process_text(PiiProcessor(operator="placeholder"), text)
    assert transformed == "연락처 <KR_PHONE>로 주세요"
    [span] = outcome.result["spans"]
    assert text[span["start"] : span["end"]] == "010-1234-5678"
    dropped, nothing = process_text(PiiProcessor(operator="drop"), text)
    assert dropped.dropped and nothing is None and dropped.result == outcome.result
    kept, same = process_text(PiiProcessor(operator="drop"), "nothing personal")
    assert not kept.dropped and same == "nothing personal"
    detection_only, none = process_text(PiiProcessor(), text)
    assert none is None and detection_only.flagged


def test_pii_spec_checks_and_hides_its_key() -> None:
    with pytest.raises(ScanInputError, match="unknown operator"):
        PiiSpec(operator="erase")
    with pytest.raises(ScanInputError, match="needs a key"):
        PiiSpec(operator="pseudonym")
    spec = PiiSpec(operator="pseudonym", key=KEY)
    assert KEY.decode() not in repr(spec)
    assert KEY.decode() not in str(spec.fingerprint())
    assert (
        spec.fingerprint()["key"]
        != PiiSpec(operator="pseudonym", key=KEY + b"!").fingerprint()["key"]
    )
