"""Counts over a scan's result file: spans by PII type, or documents by toxicity label.

The file is read line by line; nothing but ids, type names, labels and numbers is looked
at, so a report never shows a detected value.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ScanInputError

__all__ = ["ResultReport", "summarize_file", "summarize_lines"]


@dataclass(frozen=True, slots=True)
class ResultReport:
    """Counts of one result file.

    Attributes
    ----------
    kind : str
        ``"pii"`` (lines with ``spans``) or ``"toxicity"`` (lines with ``labels``);
        ``"empty"`` for a file without results.
    documents : int
        Result lines.
    flagged : int
        Documents with at least one span (pii) or one label (toxicity).
    findings : int
        Spans (pii) or labels (toxicity) in all documents.
    by_type : dict of str to int
        Spans per PII type, or documents per toxicity label.
    documents_by_type : dict of str to int
        Documents with at least one span of each type (pii) or with each label.
    """

    kind: str
    documents: int
    flagged: int
    findings: int
    by_type: dict[str, int]
    documents_by_type: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "documents": self.documents,
            "documents_flagged": self.flagged,
            "findings": self.findings,
            "by_type": self.by_type,
            "documents_by_type": self.documents_by_type,
        }


def _names(record: Any, where: str) -> tuple[str, list[str]]:
    if not isinstance(record, dict):
        raise ScanInputError(f"{where}: not a JSON object", ko=f"{where}: JSON 객체가 아닙니다")
    if isinstance(record.get("spans"), list):
        names = []
        for span in record["spans"]:
            if not isinstance(span, dict) or not isinstance(span.get("type"), str):
                raise ScanInputError(
                    f"{where}: a span without a type", ko=f"{where}: type이 없는 span이 있습니다"
                )
            names.append(span["type"])
        return "pii", names
    if isinstance(record.get("labels"), list):
        labels = record["labels"]
        if not all(isinstance(label, str) for label in labels):
            raise ScanInputError(
                f"{where}: labels must be strings", ko=f"{where}: labels는 문자열이어야 합니다"
            )
        return "toxicity", list(labels)
    raise ScanInputError(
        f"{where}: neither 'spans' (pii) nor 'labels' (toxicity) found",
        ko=f"{where}: 'spans'(pii)도 'labels'(toxicity)도 없습니다",
    )


def summarize_lines(lines: Iterable[bytes | str], *, name: str = "<results>") -> ResultReport:
    """Count the results in ``lines`` (JSONL from ``ethos scan pii`` or ``scan toxicity``).

    Raises
    ------
    ScanInputError
        On a line that is not such a result, naming ``name`` and the line number; also
        when pii and toxicity results are mixed.
    """
    kind = "empty"
    documents = flagged = findings = 0
    by_type: Counter[str] = Counter()
    documents_by_type: Counter[str] = Counter()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except ValueError:
            raise ScanInputError(
                f"{where}: not valid JSON", ko=f"{where}: 올바른 JSON이 아닙니다"
            ) from None
        line_kind, names = _names(record, where)
        if kind == "empty":
            kind = line_kind
        elif line_kind != kind:
            raise ScanInputError(
                f"{where}: {line_kind} result in a file of {kind} results",
                ko=f"{where}: {kind} 결과 파일에 {line_kind} 결과가 있습니다",
            )
        documents += 1
        findings += len(names)
        if names:
            flagged += 1
        if kind == "pii":
            by_type.update(names)
        else:
            by_type.update(set(names))
        documents_by_type.update(set(names))
    return ResultReport(
        kind=kind,
        documents=documents,
        flagged=flagged,
        findings=findings,
        by_type=dict(sorted(by_type.items())),
        documents_by_type=dict(sorted(documents_by_type.items())),
    )


def summarize_file(path: Path) -> ResultReport:
    """:func:`summarize_lines` over a file, read as a stream."""
    try:
        with path.open("rb") as handle:
            return summarize_lines(handle, name=path.name)
    except FileNotFoundError:
        raise ScanInputError(
            f"result file not found: {path}", ko=f"결과 파일을 찾을 수 없습니다: {path}"
        ) from None
    except IsADirectoryError:
        raise ScanInputError(
            f"{path} is a directory, not a result file",
            ko=f"{path}은(는) 결과 파일이 아니라 디렉터리입니다",
        ) from None
