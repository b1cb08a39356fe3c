"""The work directory of a scan: its plan, a lock, the shards' parts and markers, the merge.

Layout (default ``<out>.work/``)::

    plan.json               inputs, shards, and a fingerprint of inputs and options
    lock                    held (flock) by the running scan
    000042.results.jsonl    shard 42's result lines
    000042.transformed.jsonl
    000042.rejects.jsonl
    000042.done             shard 42's marker, written last

Running the same command again resumes: the plan is reused when the fingerprint matches,
shards with a marker are kept. The merge writes every output under a temporary name,
renames them into place, and only then removes the directory.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from .corpus import InputFile, Shard
from .errors import ScanBusyError
from .shards import marker_path, part_path

__all__ = ["PLAN_VERSION", "PRIVATE_KINDS", "WorkDir", "fingerprint"]

PLAN_VERSION = 1
_COPY_BUFFER = 1 << 20
# Outputs that hold raw input (the rejects file) are created readable by their owner only.
PRIVATE_KINDS = frozenset({"rejects"})
_PRIVATE = 0o600
_SHARED = 0o666


def fingerprint(files: tuple[InputFile, ...], options: Mapping[str, Any]) -> str:
    """A digest of the input files (names, sizes, modification times) and the options."""
    payload = {"files": [f.to_json() for f in files], "options": dict(options)}
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=True).encode("ascii")
    return hashlib.sha256(encoded).hexdigest()


class WorkDir:
    """One scan's work directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock: int | None = None

    @contextlib.contextmanager
    def locked(self) -> Iterator[WorkDir]:
        """Hold the directory's lock; a second scan on it fails at once. A directory it
        creates is its owner's alone: the rejects parts hold raw input lines."""
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path / "lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise ScanBusyError(
                f"another scan is using the work directory {self.path}; wait for it to finish",
                ko=(
                    f"다른 스캔이 작업 디렉터리 {self.path}을(를) 쓰고 있습니다. "
                    "끝날 때까지 기다리세요"
                ),
            ) from None
        self._lock = fd
        try:
            yield self
        finally:
            self._lock = None
            os.close(fd)

    def load_plan(self, expected: str) -> list[Shard] | None:
        """The saved shards when the saved fingerprint is ``expected``; ``None`` when there
        is no plan yet.

        Raises
        ------
        ScanBusyError
            When the directory holds an unfinished run of other inputs or options.
        """
        plan_file = self.path / "plan.json"
        if not plan_file.exists():
            return None
        try:
            plan = json.loads(plan_file.read_text(encoding="utf-8"))
            saved = plan["fingerprint"], plan["version"]
        except (OSError, ValueError, KeyError, TypeError):
            saved = None, None
        if saved != (expected, PLAN_VERSION):
            raise ScanBusyError(
                f"the work directory {self.path} holds an unfinished scan of other inputs "
                "or options; run that command again to finish it, or delete the directory "
                "(or pass --restart) to start over",
                ko=(
                    f"작업 디렉터리 {self.path}에 다른 입력이나 옵션으로 시작한 스캔이 "
                    "끝나지 않은 채 남아 있습니다. 그 명령을 다시 실행해 끝내거나, "
                    "디렉터리를 지우고(또는 --restart를 주고) 처음부터 시작하세요"
                ),
            )
        files = [InputFile.from_json(f) for f in plan["files"]]
        return [
            Shard(index, files[s["file"]], s["start"], s["stop"], s["first_line"])
            for index, s in enumerate(plan["shards"])
        ]

    def save_plan(self, expected: str, shards: list[Shard]) -> None:
        files: list[InputFile] = []
        positions: dict[str, int] = {}
        entries = []
        for shard in shards:
            if shard.file.path not in positions:
                positions[shard.file.path] = len(files)
                files.append(shard.file)
            entries.append({"file": positions[shard.file.path], **shard.to_json()})
        plan = {
            "version": PLAN_VERSION,
            "fingerprint": expected,
            "files": [f.to_json() for f in files],
            "shards": entries,
        }
        temporary = self.path / "plan.json.tmp"
        temporary.write_text(json.dumps(plan), encoding="utf-8")
        temporary.replace(self.path / "plan.json")

    def clear(self) -> None:
        """Forget an earlier unfinished run (``--restart``)."""
        for entry in self.path.iterdir():
            if entry.name != "lock":
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()

    def merge(self, count: int, outputs: Mapping[str, Path]) -> None:
        """Concatenate every shard's parts, in shard order, into each output; all outputs
        appear at once, by rename, once every one is complete. The rejects file, which
        holds raw input lines, is readable by its owner only; the others get the usual
        mode (``0o666`` less the umask)."""
        temporaries: dict[str, Path] = {}
        try:
            for kind, destination in outputs.items():
                destination.parent.mkdir(parents=True, exist_ok=True)
                temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
                temporaries[kind] = temporary
                mode = _PRIVATE if kind in PRIVATE_KINDS else _SHARED
                temporary.unlink(missing_ok=True)  # a stale one would keep its mode
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
                with os.fdopen(os.open(temporary, flags, mode), "wb") as target:
                    for index in range(count):
                        self._append(target, index, kind)
                    target.flush()
                    os.fsync(target.fileno())
            for kind, destination in outputs.items():
                temporaries.pop(kind).replace(destination)
        finally:
            for temporary in temporaries.values():
                temporary.unlink(missing_ok=True)

    def _append(self, target: BinaryIO, index: int, kind: str) -> None:
        part = part_path(self.path, index, kind)
        try:
            with open(part, "rb") as source:
                shutil.copyfileobj(source, target, _COPY_BUFFER)
        except FileNotFoundError:
            raise ScanBusyError(
                f"{part} is missing although its shard is marked done; start over with --restart",
                ko=(
                    f"샤드가 완료로 표시되었는데 {part}이(가) 없습니다. "
                    "--restart로 처음부터 시작하세요"
                ),
            ) from None

    def markers(self, count: int) -> list[bool]:
        return [marker_path(self.path, index).exists() for index in range(count)]

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
