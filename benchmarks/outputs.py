"""The end of every benchmark script: print the tables, write the files asked for."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """``--json`` and ``--markdown``: where to write the figures and the tables as well."""
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--markdown", type=Path, help="also write the tables as Markdown")


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file renamed over it)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def publish(args: argparse.Namespace, results: Any, table: str) -> None:
    """Print ``table``; write ``results`` as JSON and ``table`` as Markdown where asked."""
    print(table)
    if args.json:
        _write(args.json, json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if args.markdown:
        _write(args.markdown, table)
