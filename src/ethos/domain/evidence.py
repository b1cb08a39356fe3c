"""Evidence rules: which files are accepted, and the record a technical check produces."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import PurePath
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ethos.domain.errors import InvalidInputError

__all__ = ["CheckRecord", "EvidencePolicy", "ModelOrDataset", "sniff_media_type"]

_TEXT_SUFFIXES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".json": "application/json",
    ".jsonl": "application/x-ndjson",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
}
_OFFICE_SUFFIXES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def sniff_media_type(filename: str, head: bytes) -> str | None:
    """The media type of a file judged by its first bytes and its name; ``None`` if unknown.

    Content decides: a PDF must start with ``%PDF-``, an image with its signature, an Office
    file is a ZIP with the right suffix, and a text file must decode as UTF-8.
    """
    suffix = PurePath(filename).suffix.lower()
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04") and suffix in _OFFICE_SUFFIXES:
        return _OFFICE_SUFFIXES[suffix]
    if suffix in _TEXT_SUFFIXES and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a character cut at the end of the sample is fine
                return None
        return _TEXT_SUFFIXES[suffix]
    return None


class EvidencePolicy(BaseModel):
    """Limits on uploaded evidence (content: ``knowledge/catalogues/evidence-policy.yaml``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_: Literal["ethos.evidence-policy/1"] = Field(alias="schema")
    max_bytes: Annotated[int, Field(gt=0)]
    media_types: Annotated[list[str], Field(min_length=1)]

    def check(self, filename: str, size: int, head: bytes) -> str:
        """Return the file's media type, or raise naming why it is refused."""
        if size > self.max_bytes:
            raise InvalidInputError(
                f"--file {filename}: {size} bytes is over the evidence limit of {self.max_bytes}",
                ko=(
                    f"--file {filename}: {size}바이트로 증빙 한도 {self.max_bytes}바이트를 넘습니다"
                ),
            )
        if size == 0:
            raise InvalidInputError(
                f"--file {filename}: the file is empty", ko=f"--file {filename}: 빈 파일입니다"
            )
        media = sniff_media_type(filename, head)
        if media is None or media not in self.media_types:
            raise InvalidInputError(
                f"--file {filename}: not an accepted evidence type "
                f"(accepted: PDF, PNG, JPEG, Office documents, UTF-8 text, CSV, JSON, YAML)",
                ko=(
                    f"--file {filename}: 받을 수 있는 증빙 "
                    "형식이 아닙니다(허용: PDF, PNG, JPEG, Office "
                    "문서, UTF-8 텍스트, CSV, JSON, YAML)"
                ),
            )
        return media


class ModelOrDataset(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(min_length=1)]
    version: Annotated[str, Field(min_length=1)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None


class CheckRecord(BaseModel):
    """The JSON record a technical check (bias, watermark, red team...) writes as evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_: Literal["ethos.check-record/1"] = Field(alias="schema")
    check_id: Annotated[str, Field(min_length=1)]
    check_version: Annotated[str, Field(min_length=1)]
    metric: Annotated[str, Field(min_length=1)]
    value: float
    n: Annotated[int, Field(ge=0)]
    parameters: dict[str, Any] = Field(default_factory=dict)
    dataset: ModelOrDataset
    model: ModelOrDataset
    started_at: datetime
    duration_seconds: Annotated[float, Field(ge=0)]
    limitations: list[str] = Field(default_factory=list)

    @classmethod
    def json_schema(cls) -> str:
        """The published JSON schema (``docs/schemas/check-record.schema.json``)."""
        return json.dumps(cls.model_json_schema(by_alias=True), indent=2, sort_keys=True) + "\n"
