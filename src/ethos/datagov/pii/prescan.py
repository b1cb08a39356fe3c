"""A document-level pre-scan: which patterns can match a text at all, in one pass.

:class:`PreScan` compiles one Hyperscan database from the :mod:`.superset` expressions of
a plan's patterns (``HS_FLAG_SINGLEMATCH | HS_FLAG_UTF8``) and scans a text once, as
UTF-8 (the analyzer scans the text as given, and its normalised copy only when
normalisation changes it). :meth:`PreScan.scan` returns the indexes of the patterns whose
expression occurs, plus those it cannot screen (no expression could be written, or
Hyperscan would not compile it). A pattern outside that set has no match in the text:
its expression matches every string it matches. The analyzer searches only the patterns
in the set, and a text where the set is empty holds no detection.

Hyperscan is an optional dependency (x86-64 wheels): :func:`build_prescan` returns
``None`` when it cannot be imported, and :func:`detect` then runs every pattern as before.
Set ``ETHOS_PII_PRESCAN=0`` to switch the pre-scan off (read when a plan is first built).

:class:`WordScan` answers, with one scan of a case-folded text, which groups of context
words have a word in it: byte for byte what ``any(word in folded for word in group)``
answers for each group.
"""

from __future__ import annotations

import importlib
import os
import re
import threading
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from .hscache import load_entry, store_entry
from .superset import superset_expression

__all__ = ["PreScan", "WordScan", "build_prescan", "build_word_scan", "prescan_available"]

_FLAGS_SINGLEMATCH = 8  # HS_FLAG_SINGLEMATCH
_FLAGS_UTF8 = 32  # HS_FLAG_UTF8


def _hyperscan() -> Any | None:
    """The ``hyperscan`` module, or ``None`` when it is not installed or not wanted."""
    if os.environ.get("ETHOS_PII_PRESCAN", "1") == "0":
        return None
    try:
        return importlib.import_module("hyperscan")
    except ImportError:
        return None


def prescan_available() -> bool:
    """Whether :func:`detect` can use the Hyperscan pre-scan here."""
    return _hyperscan() is not None


def _collect(pattern_id: int, _start: int, _end: int, _flags: int, found: list[int]) -> None:
    found.append(pattern_id)


class PreScan:
    """One Hyperscan database over the superset expressions of some patterns.

    Parameters
    ----------
    hyperscan : module
        The imported ``hyperscan`` module.
    regexes : sequence of re.Pattern
        The patterns, indexed as the analyzer's steps are.
    marked : str
        Characters to report the presence of (with the same scan), so that a caller
        learns, for instance, whether normalisation could change the text.
    """

    __slots__ = ("_database", "_local", "_marker", "always", "expressions", "screened")

    def __init__(self, hyperscan: Any, regexes: Sequence[re.Pattern[str]], marked: str) -> None:
        self._marker = len(regexes)
        cached = _cached(hyperscan, regexes, marked)
        if cached is None:
            expressions, written, database = self._build(hyperscan, regexes, marked)
            _keep(hyperscan, regexes, marked, expressions, written, database)
        else:
            expressions, written, database = cached
        self.expressions = expressions
        self._database: Any | None = database
        # Hyperscan's scratch space serves one scan at a time: one per thread.
        self._local = threading.local()
        # Indexes whose expression Hyperscan scans; the others run on every text.
        self.screened = frozenset(written) - {self._marker} if database is not None else frozenset()
        self.always = frozenset(range(len(regexes))) - self.screened

    def _build(
        self, hyperscan: Any, regexes: Sequence[re.Pattern[str]], marked: str
    ) -> tuple[list[str | None], list[int], Any | None]:
        """The expressions, the ids of those the database holds, and the database."""
        expressions = [superset_expression(regex) for regex in regexes]
        written = {i: e for i, e in enumerate(expressions) if e is not None}
        if marked:
            written[self._marker] = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in marked) + "]"
        database = _compile(hyperscan, written)
        if database is None:
            # Some expression does not compile: keep those that compile alone.
            written = {i: e for i, e in written.items() if _compile(hyperscan, {i: e})}
            # Without the marker, a scan could not say that a text holds marked characters.
            lost = marked and self._marker not in written
            database = None if lost else _compile(hyperscan, written)
        return expressions, list(written), database

    def scan(self, text: str) -> tuple[AbstractSet[int], bool] | None:
        """The indexes of the patterns that may match ``text``, and whether it holds a
        marked character; ``None`` when the text cannot be scanned (every pattern may
        match then). A text that UTF-8 cannot encode (lone surrogates) is not scanned.
        """
        database = self._database
        if database is None:
            return None
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return None
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = database.scratch.clone()
        found: list[int] = []
        database.scan(data, match_event_handler=_collect, context=found, scratch=scratch)
        if not found:
            return self.always, False
        hits = set(found)
        hits.update(self.always)
        marked = self._marker in hits
        if marked:
            hits.discard(self._marker)
        return hits, marked


def _cache_key(regexes: Sequence[re.Pattern[str]], marked: str) -> dict[str, Any]:
    return {"patterns": [[regex.pattern, regex.flags] for regex in regexes], "marked": marked}


def _cached(
    hyperscan: Any, regexes: Sequence[re.Pattern[str]], marked: str
) -> tuple[list[str | None], list[int], Any | None] | None:
    """What :meth:`PreScan._build` gave for these patterns before, from the cache on disk
    (:mod:`.hscache`); ``None`` when there is no entry or it does not load."""
    version = str(getattr(hyperscan, "__version__", ""))
    entry = load_entry("prescan", _cache_key(regexes, marked), version)
    if entry is None:
        return None
    expressions, written = entry.header.get("expressions"), entry.header.get("written")
    if not isinstance(expressions, list) or len(expressions) != len(regexes):
        return None
    if not isinstance(written, list):
        return None
    if not entry.blob:
        return expressions, written, None
    try:
        database = hyperscan.loadb(entry.blob, hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)
    except hyperscan.error:
        return None
    return expressions, written, database


def _keep(
    hyperscan: Any,
    regexes: Sequence[re.Pattern[str]],
    marked: str,
    expressions: list[str | None],
    written: list[int],
    database: Any | None,
) -> None:
    version = str(getattr(hyperscan, "__version__", ""))
    blob = b"" if database is None else bytes(hyperscan.dumpb(database))
    header = {"expressions": expressions, "written": written}
    store_entry("prescan", _cache_key(regexes, marked), version, header, blob)


def _compile(hyperscan: Any, expressions: dict[int, str]) -> Any | None:
    """A database of ``expressions`` by id, or ``None`` when Hyperscan refuses one (for
    instance an expression that matches the empty string) or there are none."""
    if not expressions:
        return None
    database = hyperscan.Database()
    try:
        database.compile(
            expressions=[expression.encode("ascii") for expression in expressions.values()],
            ids=list(expressions),
            flags=_FLAGS_SINGLEMATCH | _FLAGS_UTF8,
        )
    except hyperscan.error:
        return None
    return database


def build_prescan(regexes: Sequence[re.Pattern[str]], marked: str = "") -> PreScan | None:
    """A :class:`PreScan` for ``regexes``, or ``None`` without Hyperscan."""
    hyperscan = _hyperscan()
    if hyperscan is None or not regexes:
        return None
    return PreScan(hyperscan, regexes, marked)


class WordScan:
    """Which groups of words occur in a text, as plain substrings, in one scan.

    Each word becomes an expression of its UTF-8 bytes, each written as ``\\xHH`` (so
    nothing in a word is read as syntax), with its group's index as id; the scan runs on
    bytes (no UTF-8 mode). A UTF-8 string holds another as a substring exactly when its
    encoding holds the other's encoding, so the answer equals Python's ``in``. A group with
    an empty word occurs in every text.
    """

    __slots__ = ("_database", "_everywhere", "_local")

    def __init__(self, groups: Sequence[Sequence[str]], database: Any) -> None:
        self._database = database
        self._everywhere = frozenset(i for i, words in enumerate(groups) if "" in words)
        self._local = threading.local()

    def scan(self, text: str) -> frozenset[int] | None:
        """The indexes of the groups with a word in ``text``; ``None`` when the text
        cannot be scanned (a lone surrogate, which UTF-8 cannot encode)."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return None
        database = self._database
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = database.scratch.clone()
        found: list[int] = []
        database.scan(data, match_event_handler=_collect, context=found, scratch=scratch)
        return self._everywhere.union(found) if found else self._everywhere


def build_word_scan(groups: Sequence[Sequence[str]]) -> WordScan | None:
    """A :class:`WordScan` for ``groups``; ``None`` without Hyperscan, without words, or
    when Hyperscan refuses the database."""
    hyperscan = _hyperscan()
    if hyperscan is None:
        return None
    expressions: list[bytes] = []
    ids: list[int] = []
    for index, words in enumerate(groups):
        for word in words:
            if word:
                expressions.append("".join(f"\\x{byte:02x}" for byte in word.encode()).encode())
                ids.append(index)
    if not expressions:
        return None
    database = hyperscan.Database()
    try:
        database.compile(expressions=expressions, ids=ids, flags=_FLAGS_SINGLEMATCH)
    except hyperscan.error:
        return None
    return WordScan(groups, database)
