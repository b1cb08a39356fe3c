"""The pre-scan's database cache on disk changes nothing but the time a plan takes to
build: a pre-scan loaded from the cache screens the same patterns and answers the same
as one built afresh, and an entry that does not read back is rebuilt. All texts are FAKE
(see corpus.py)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Set as AbstractSet
from pathlib import Path

import pytest

from ethos.datagov.pii import hscache
from ethos.datagov.pii.normalize import KEPT_BY_NFKC_CHANGED_HERE
from ethos.datagov.pii.prescan import PreScan, build_prescan, prescan_available
from ethos.datagov.pii.schema import default_recognizers

from .corpus import eval_texts, prose

if os.environ.get("CI") == "true":
    import hyperscan  # noqa: F401 - under CI the cache must be tested, never skipped
elif not prescan_available():
    pytest.skip("no pre-scan: hyperscan missing or ETHOS_PII_PRESCAN=0", allow_module_level=True)

REGEXES = [p.regex for r in default_recognizers().recognizers for p in r.patterns]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ETHOS_CACHE_DIR", str(folder))
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "hyperscan").glob("prescan-*.hsdb"))


def _fresh(monkeypatch: pytest.MonkeyPatch) -> PreScan:
    with monkeypatch.context() as patch:
        patch.setenv("ETHOS_CACHE_DIR", "")
        scan = build_prescan(REGEXES, KEPT_BY_NFKC_CHANGED_HERE)
    assert scan is not None
    return scan


def _answers(scan: PreScan) -> list[tuple[AbstractSet[int], bool] | None]:
    texts = eval_texts()[:600] + prose(200, seed=41) + ["", "\u200b010", "\ud800 1"]
    return [scan.scan(text) for text in texts]


def test_a_cached_prescan_answers_as_a_fresh_one(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = _fresh(monkeypatch)
    assert _entries(cache) == []
    first = build_prescan(REGEXES, KEPT_BY_NFKC_CHANGED_HERE)  # builds and stores
    entries = _entries(cache)
    assert len(entries) == 1
    stamp = entries[0].stat().st_mtime_ns
    loaded = build_prescan(REGEXES, KEPT_BY_NFKC_CHANGED_HERE)  # from the entry
    assert first is not None and loaded is not None
    assert entries[0].stat().st_mtime_ns == stamp  # read, not written again
    for scan in (first, loaded):
        assert scan.expressions == fresh.expressions
        assert scan.screened == fresh.screened and len(scan.screened) == len(REGEXES)
        assert scan.always == fresh.always
    expected = _answers(fresh)
    assert _answers(loaded) == expected
    assert any(answer is not None and answer[0] for answer in expected)  # some hits


def test_the_entry_holds_patterns_only(cache: Path) -> None:
    build_prescan(REGEXES, KEPT_BY_NFKC_CHANGED_HERE)
    (entry,) = _entries(cache)
    header = json.loads(entry.read_bytes().partition(b"\n")[0])
    assert set(header) == {"expressions", "written", "sha256"}
    assert len(header["expressions"]) == len(REGEXES)
    assert entry.stat().st_mode & 0o077 == 0  # readable by its owner only


@pytest.mark.parametrize("damage", ["flip", "truncate", "no_header", "garbage_with_hash"])
def test_a_damaged_entry_is_rebuilt(
    cache: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    build_prescan(REGEXES, KEPT_BY_NFKC_CHANGED_HERE)
    (entry,) = _entries(cache)
    good = entry.read_bytes()
    head, _, blob = good.partition(b"\n")
    if damage == "flip":
        broken = good[:-100] + bytes([good[-100] ^ 0xFF]) + good[-99:]
    elif damage == "truncate":
        broken = good[: len(good) // 2]
    elif damage == "no_header":
        broken = blob
    else:  # bytes Hyperscan cannot load, under a header whose hash matches them
        junk = bytes(range(256)) * 8
        header = json.loads(head)
        header["sha256"] = hashlib.sha256(junk).hexdigest()
        broken = json.dumps(header).encode() + b"\n" + junk
    entry.write_bytes(broken)
    scan = build_prescan(REGEXES, KEPT_BY_NFKC_CHANGED_HERE)
    assert scan is not None
    assert _answers(scan) == _answers(_fresh(monkeypatch))
    assert entry.read_bytes() == good  # written again, whole


def test_other_patterns_get_their_own_entry(cache: Path) -> None:
    build_prescan(REGEXES, KEPT_BY_NFKC_CHANGED_HERE)
    build_prescan(REGEXES[:5], KEPT_BY_NFKC_CHANGED_HERE)
    build_prescan(REGEXES[:5], "")
    assert len(_entries(cache)) == 3


def test_an_empty_setting_switches_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ETHOS_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert hscache.cache_dir() is None
    assert build_prescan(REGEXES[:3], "") is not None
    assert list(tmp_path.rglob("*.hsdb")) == []


def test_the_default_place_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ETHOS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hscache.cache_dir() == tmp_path / "xdg" / "ethos"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert hscache.cache_dir() == tmp_path / "home" / ".cache" / "ethos"


def test_a_cache_that_cannot_be_written_only_costs_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("ETHOS_CACHE_DIR", str(blocker))
    scan = build_prescan(REGEXES, KEPT_BY_NFKC_CHANGED_HERE)
    assert scan is not None
    assert _answers(scan) == _answers(_fresh(monkeypatch))
    assert blocker.read_text() == "a file where the cache folder would be"
