"""Evidence files kept content-addressed by SHA-256 in a folder: ``ab/cd/abcd...``."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["BlobStore"]

_CHUNK = 1 << 20


class BlobStore:
    """Write-once file storage; the same content is stored once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, source: Path, *, max_bytes: int) -> tuple[str, int]:
        """Copy ``source`` in atomically; return its SHA-256 and size.

        Reading stops past ``max_bytes`` so a huge file is never copied whole.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        break
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size > max_bytes:
                return "", size
            sha = digest.hexdigest()
            target = self.path_of(sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                tmp.unlink()
            else:
                tmp.replace(target)
            return sha, size
        finally:
            if tmp.exists():
                tmp.unlink()

    def read(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()
