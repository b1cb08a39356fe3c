"""A cache on disk of the pre-scan's compiled Hyperscan database.

Building the detector's plan takes about a second, most of it writing the patterns'
superset expressions and compiling them with Hyperscan. Every new process pays it: each
``ethos scan`` command, each Ray worker. The compiled database is the same for the same
patterns, the same Ethos code and the same Hyperscan, so it is kept in a file and
deserialised next time (milliseconds).

The cache lives in ``$ETHOS_CACHE_DIR``, else ``$XDG_CACHE_HOME/ethos``, else
``~/.cache/ethos``; ``ETHOS_CACHE_DIR=`` (empty) switches it off. An entry is named by the
SHA-256 of everything its content depends on: the patterns (source and flags), the
characters the scan marks, the source of this package's modules (so a change to how
expressions are written makes old entries unused), Hyperscan's version and the
machine's architecture. An entry holds a JSON header line (the expressions written, and
the SHA-256 of the database's bytes) followed by the bytes; one that does not read back
exactly (truncated, corrupted, written for another CPU) is ignored and replaced. Entries
are written to a temporary file and renamed, so a reader never sees half of one; a cache
that cannot be written (read-only home) only costs the build. Nothing from a text is
ever stored: only patterns and what Hyperscan compiled from them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["CacheEntry", "cache_dir", "load_entry", "store_entry"]

_FORMAT = 1


def cache_dir() -> Path | None:
    """Where entries are kept; ``None`` when the cache is switched off."""
    configured = os.environ.get("ETHOS_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ethos"


@functools.cache
def _code_fingerprint() -> str:
    """SHA-256 of the source of this package's modules, in name order."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\x00" + path.read_bytes() + b"\x00")
    return digest.hexdigest()


def _entry_path(kind: str, key: Any, hyperscan_version: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    identity = json.dumps(
        {
            "format": _FORMAT,
            "kind": kind,
            "key": key,
            "code": _code_fingerprint(),
            "hyperscan": hyperscan_version,
            "machine": platform.machine(),
        },
        sort_keys=True,
        ensure_ascii=True,
    )
    name = hashlib.sha256(identity.encode("ascii")).hexdigest()
    return folder / "hyperscan" / f"{kind}-{name}.hsdb"


class CacheEntry:
    """What an entry holds: its header (JSON values) and the database's bytes."""

    __slots__ = ("blob", "header")

    def __init__(self, header: dict[str, Any], blob: bytes) -> None:
        self.header = header
        self.blob = blob


def load_entry(kind: str, key: Any, hyperscan_version: str) -> CacheEntry | None:
    """The entry for ``key``, or ``None`` when there is none or it does not read back."""
    path = _entry_path(kind, key, hyperscan_version)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, newline, blob = data.partition(b"\n")
    if not newline:
        return None
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("sha256") != hashlib.sha256(blob).hexdigest():
        return None
    return CacheEntry(header, blob)


def store_entry(
    kind: str, key: Any, hyperscan_version: str, header: dict[str, Any], blob: bytes
) -> None:
    """Write the entry for ``key`` atomically; a cache that cannot be written is skipped."""
    path = _entry_path(kind, key, hyperscan_version)
    if path is None:
        return
    content = json.dumps({**header, "sha256": hashlib.sha256(blob).hexdigest()})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content.encode("utf-8") + b"\n" + blob)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
