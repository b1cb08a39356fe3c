"""The dataset register: records (``ethos.dataset/1``), scans, disposal, stored datasets.

A record describes one version of a dataset: its files (a manifest of paths, SHA-256 digests
and sizes, under a folder Ethos manages), provenance, legal standing, privacy, content safety,
representativeness, intended and prohibited uses, who may read it, how long it is kept, and
when it was published and how to cite it. Its licence is an SPDX expression classified by
:mod:`ethos.domain.licences`. The file format is documented in ``docs/datasets.md``. Nothing
here reads files or the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from ethos.domain.errors import InvalidInputError
from ethos.domain.licences import (
    LicenceClass,
    LicenceExpression,
    LicenceExpressionError,
    LicencePolicy,
    LicenceTerms,
    parse_licence_expression,
)
from ethos.domain.validation import describe_problem, invalid

__all__ = [
    "DATASET_SCHEMA",
    "Access",
    "CollectionMethod",
    "Confidentiality",
    "CopyrightStatus",
    "Dataset",
    "DatasetRecord",
    "DatasetVersion",
    "Disposal",
    "DisposalMethod",
    "FileEntry",
    "Presence",
    "Publication",
    "ScanKind",
    "ScanSummary",
    "parse_dataset",
    "parse_scan_summary",
    "record_digest",
    "split_ref",
]

DATASET_SCHEMA = "ethos.dataset/1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# ---------------------------------------------------------------- the record


def _matching(pattern: str, expected: str, ko: str) -> AfterValidator:
    """Check ``pattern``; ``expected`` says what is wanted, ``ko`` says so in Korean."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise invalid(f"expected {expected}", ko)
        return value

    return AfterValidator(check)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
DatasetId = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    _matching(
        r"[a-z0-9][a-z0-9._-]{0,99}",
        "lowercase letters, digits, '.', '_', '-' (1-100)",
        "영문 소문자, 숫자, '.', '_', '-'로 된 1-100자여야 합니다",
    ),
]
Version = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    _matching(
        r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}",
        "letters, digits, '.', '_', '+', '-' (1-64)",
        "영문자, 숫자, '.', '_', '+', '-'로 된 1-64자여야 합니다",
    ),
]
Principal = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    _matching(
        r"[^\s,]{1,200}",
        "a user name without spaces or commas",
        "공백이나 쉼표 없는 사용자 이름이어야 합니다",
    ),
]
Sha256 = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True),
    _matching(r"[0-9a-f]{64}", "64 hexadecimal characters", "16진수 64자여야 합니다"),
]
Language = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    _matching(
        r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*",
        "a language tag such as ko, en or en-GB",
        "ko, en, en-GB 같은 언어 태그여야 합니다",
    ),
]


def _relative_path(value: str) -> str:
    if "\\" in value or "\x00" in value or any(ord(c) < 32 for c in value):
        raise invalid(
            "use '/' between folders; no control characters",
            "폴더 사이에는 '/'를 쓰고 제어 문자는 쓰지 마세요",
        )
    path = PurePosixPath(value)
    if path.is_absolute() or not value or any(p in ("..", ".") for p in value.split("/")):
        raise invalid(
            "expected a path relative to files.root, without '..' or '.'",
            "'..'나 '.' 없이 files.root에 대한 상대 경로여야 합니다",
        )
    if "" in value.split("/"):
        raise invalid(
            "empty folder name (two '/' in a row, or a trailing '/')",
            "폴더 이름이 비어 있습니다('/'가 두 번 이어지거나 '/'로 끝납니다)",
        )
    return value


RelativePath = Annotated[
    str, StringConstraints(min_length=1, max_length=1000), AfterValidator(_relative_path)
]


class FileEntry(_Model):
    path: RelativePath
    sha256: Sha256
    bytes: Annotated[int, Field(ge=0)]


class Files(_Model):
    """``root`` is the folder Ethos manages for the dataset: disposal deletes the manifest's
    files under it and nothing else. A dataset kept elsewhere has no root."""

    root: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = None
    manifest: list[FileEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        seen: set[str] = set()
        for index, entry in enumerate(self.manifest):
            if entry.path in seen:
                raise invalid(
                    f"manifest[{index}].path: {entry.path!r} is listed twice",
                    f"manifest[{index}].path: {entry.path!r}이(가) 두 번 나옵니다",
                )
            seen.add(entry.path)
        return self

    @property
    def total_bytes(self) -> int:
        return sum(f.bytes for f in self.manifest)


class Period(_Model):
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start and self.end and self.end < self.start:
            raise invalid("end: before start", "end: start보다 앞섭니다")
        return self


class CollectionMethod(StrEnum):
    CRAWL = "crawl"
    PURCHASE = "purchase"
    PARTNER = "partner"
    USER = "user"
    SYNTHETIC = "synthetic"


class Provenance(_Model):
    origin: Text
    collector: Name | None = None
    method: CollectionMethod
    collection_period: Period | None = None
    upstream: list[Name] = Field(default_factory=list)
    processing: list[Text] = Field(default_factory=list)


class CopyrightStatus(StrEnum):
    OWNED = "owned"
    LICENSED = "licensed"
    PUBLIC_DOMAIN = "public_domain"
    MIXED = "mixed"
    UNKNOWN = "unknown"


class Review(_Model):
    reviewer: Principal
    date: dt.date
    note: Note = ""


class Legal(_Model):
    """``licence`` is an SPDX expression; ``licence_class`` may be given only when
    ``licences.yaml`` cannot classify it (e.g. ``LicenseRef-...``)."""

    licence: str = "NOASSERTION"
    licence_class: LicenceClass | None = None
    copyright: CopyrightStatus = CopyrightStatus.UNKNOWN
    lawful_basis: Note = ""
    consent_evidence: Note = ""
    acquisition_review: Review | None = None

    @field_validator("licence")
    @classmethod
    def _expression(cls, value: str) -> str:
        try:
            return str(parse_licence_expression(value))
        except LicenceExpressionError as exc:
            raise invalid(
                f"not an SPDX licence expression: {exc}",
                f"SPDX 라이선스 표현식이 아닙니다: {exc.text('ko')}",
            ) from None

    @property
    def expression(self) -> LicenceExpression:
        return parse_licence_expression(self.licence)


class Presence(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_ASSERTED = "not_asserted"


def _yes_no(value: Any) -> Any:
    """YAML reads an unquoted ``yes`` or ``no`` as a boolean: take it as that answer."""
    if isinstance(value, bool):
        return Presence.YES if value else Presence.NO
    return value


Answer = Annotated[Presence, BeforeValidator(_yes_no)]


class Confidentiality(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"


class Privacy(_Model):
    personal_data: Answer = Presence.NOT_ASSERTED
    unique_identifiers: Answer = Presence.NOT_ASSERTED
    sensitive_categories: list[Name] = Field(default_factory=list)
    anonymisation: Note = ""
    confidentiality: Confidentiality = Confidentiality.INTERNAL


class ContentSafety(_Model):
    action_taken: Note = ""


class Representativeness(_Model):
    languages: list[Language] = Field(default_factory=list)
    domains: list[Name] = Field(default_factory=list)
    time_span: Period | None = None
    known_biases: list[Text] = Field(default_factory=list)
    notes: Note = ""

    @property
    def documented(self) -> bool:
        """Whether anything is said about whom and what the data represents."""
        return bool(self.languages or self.domains or self.known_biases or self.notes)


class Uses(_Model):
    intended: list[Text] = Field(default_factory=list)
    prohibited: list[Text] = Field(default_factory=list)


class Access(_Model):
    """Who may read the files through Ethos: the owner, the stewards, and the allowlist; by
    default nobody else."""

    owner: Principal
    stewards: list[Principal] = Field(default_factory=list)
    allowlist: list[Principal] = Field(default_factory=list)
    default: Literal["deny"] = "deny"


class DisposalMethod(StrEnum):
    DELETE = "delete"
    OVERWRITE = "overwrite"


class Retention(_Model):
    retain_until: dt.date | None = None
    review_date: dt.date | None = None
    disposal_method: DisposalMethod = DisposalMethod.DELETE


def _not_a_number(value: Any) -> Any:
    """YAML reads ``20240501`` as a number, which pydantic would take for seconds since 1970."""
    if isinstance(value, (int, float)):
        raise invalid(
            "expected a date (YYYY-MM-DD), not a number",
            "숫자가 아니라 날짜(YYYY-MM-DD)여야 합니다",
        )
    return value


CalendarDate = Annotated[dt.date, BeforeValidator(_not_a_number)]


class Publication(_Model):
    """When the dataset was made public (Croissant ``datePublished``, SPDX ``releaseTime``)
    and how to cite it (Croissant ``citeAs``): a BibTeX entry or a plain reference. Both
    optional; a dataset never published leaves the section out."""

    date: CalendarDate | None = None
    citation: Note = ""

    @property
    def empty(self) -> bool:
        return self.date is None and not self.citation


DataType = Literal[
    "structured", "numeric", "text", "categorical", "graph", "timeseries", "timestamp",
    "sensor", "image", "syntactic", "audio", "video", "other",
]  # fmt: skip


class DatasetRecord(_Model):
    """One version of a dataset, as registered (``ethos.dataset/1``)."""

    schema_: Literal["ethos.dataset/1"] = Field(alias="schema", default="ethos.dataset/1")
    id: DatasetId
    version: Version
    title: Name
    description: Note = ""
    data_types: list[DataType] = Field(default_factory=list)
    files: Files = Field(default_factory=Files)
    provenance: Provenance
    legal: Legal = Field(default_factory=Legal)
    privacy: Privacy = Field(default_factory=Privacy)
    content_safety: ContentSafety = Field(default_factory=ContentSafety)
    representativeness: Representativeness = Field(default_factory=Representativeness)
    uses: Uses = Field(default_factory=Uses)
    access: Access
    retention: Retention = Field(default_factory=Retention)
    publication: Publication | None = None

    @field_validator("publication")
    @classmethod
    def _publication(cls, value: Publication | None) -> Publication | None:
        return None if value is None or value.empty else value

    def to_json(self) -> dict[str, Any]:
        """The record as JSON; without ``publication`` when it is not recorded, so a record
        written before that section existed keeps its JSON and its digest."""
        data = self.model_dump(mode="json", by_alias=True)
        if data["publication"] is None:
            del data["publication"]
        return data

    def terms(self, policy: LicencePolicy) -> LicenceTerms:
        """The licence terms: from the expression, or from ``licence_class`` when the
        expression cannot be classified."""
        terms = policy.classify(self.legal.expression)
        if terms.cls is LicenceClass.UNKNOWN and self.legal.licence_class is not None:
            return policy.class_terms(self.legal.licence_class, terms.unclassified)
        return terms

    def check_licence_class(self, policy: LicencePolicy, *, lang: str = "en") -> list[str]:
        """Problems with an asserted ``licence_class`` the expression already settles."""
        asserted = self.legal.licence_class
        found = policy.classify(self.legal.expression).cls
        if asserted is None or found is LicenceClass.UNKNOWN or asserted is found:
            return []
        if lang == "ko":
            return [
                f"필드 legal.licence_class: licences.yaml v{policy.version}에 따르면 "
                f"{self.legal.licence!r}의 분류는 {found.value}입니다. licence_class는 "
                "분류할 수 없는 표현식(LicenseRef-...)에만 씁니다"
            ]
        return [
            f"field legal.licence_class: {self.legal.licence!r} is classified {found.value} by "
            f"licences.yaml v{policy.version}; licence_class is for expressions it cannot "
            "classify (LicenseRef-...)"
        ]


def _describe(error: ValidationError, lang: str = "en") -> list[str]:
    """Each problem as "field X: ...", in ``lang``."""
    label = "필드" if lang == "ko" else "field"
    lines = []
    for detail in error.errors():
        where = ".".join(str(p) for p in detail["loc"])
        english = describe_problem(detail).removeprefix("Value error, ")
        message = describe_problem(detail, lang).removeprefix("Value error, ")
        field_, sep, _ = english.partition(": ")
        if sep and " " not in field_ and not where.endswith(field_):
            # a check across fields names its field first, in both languages
            where, message = (
                f"{where}.{field_}" if where else field_,
                message.removeprefix(f"{field_}: "),
            )
        lines.append(f"{label} {where}: {message}" if where else message)
    return lines


def parse_dataset(data: Any, *, source: str = "dataset") -> DatasetRecord:
    """Validate a record; :class:`InvalidInputError` names ``source`` and every field."""
    if not isinstance(data, Mapping):
        raise InvalidInputError(
            f"{source}: expected a mapping (schema: {DATASET_SCHEMA})",
            ko=f"{source}: 매핑이어야 합니다(schema: {DATASET_SCHEMA})",
        )
    schema = data.get("schema", DATASET_SCHEMA)
    if schema != DATASET_SCHEMA:
        raise InvalidInputError(
            f"{source}: field schema: expected {DATASET_SCHEMA!r}",
            ko=f"{source}: 필드 schema: {DATASET_SCHEMA!r}이어야 합니다",
        )
    try:
        return DatasetRecord.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInputError(
            "\n".join(f"{source}: {p}" for p in _describe(exc)),
            ko="\n".join(f"{source}: {p}" for p in _describe(exc, "ko")),
        ) from None


def record_digest(record: DatasetRecord) -> str:
    """SHA-256 of the canonical JSON of a record."""
    text = json.dumps(record.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_ref(ref: str) -> tuple[str, str | None]:
    """``ID`` or ``ID@VERSION`` as (id, version or ``None``)."""
    text = ref.strip()
    ident, sep, version = text.partition("@")
    if not ident or (sep and not version):
        raise InvalidInputError(
            f"dataset {text!r}: give ID or ID@VERSION",
            ko=f"데이터셋 {text!r}: ID나 ID@VERSION 형식으로 지정하세요",
        )
    return ident, (version if sep else None)


# ---------------------------------------------------------------- scans and stored datasets


class ScanKind(StrEnum):
    PII = "pii"
    TOXICITY = "toxicity"


_COUNT_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def parse_scan_summary(summary: Any) -> dict[str, int]:
    """A scan summary is counts by type only (``{"EMAIL": 3, "KR_RRN": 0}``): anything else,
    which could carry a value found, is refused."""
    if not isinstance(summary, Mapping) or len(summary) > 500:
        raise InvalidInputError(
            "summary: expected a mapping of type name to count (at most 500)",
            ko="summary: 유형 이름과 개수의 매핑이어야 합니다(최대 500개)",
        )
    counts: dict[str, int] = {}
    for key, value in summary.items():
        if not isinstance(key, str) or not _COUNT_KEY.fullmatch(key):
            raise InvalidInputError(
                "summary: type names are 1-64 letters, digits, '_', '.', ':', '-'",
                ko="summary: 유형 이름은 영문자, 숫자, '_', '.', ':', '-'로 된 1-64자입니다",
            )
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInputError(
                f"summary: field {key}: expected a count (0 or more)",
                ko=f"summary: 필드 {key}: 개수(0 이상)여야 합니다",
            )
        counts[key] = value
    return counts


@dataclass(frozen=True, slots=True)
class ScanSummary:
    kind: ScanKind
    counts: dict[str, int]
    recorded_by: str
    recorded_at: dt.datetime

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class Disposal:
    at: dt.datetime
    by: str
    method: DisposalMethod
    reason: str
    files: int
    bytes: int
    missing: int

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "by": self.by,
            "method": self.method.value,
            "reason": self.reason,
            "files": self.files,
            "bytes": self.bytes,
            "missing": self.missing,
        }


@dataclass(frozen=True, slots=True)
class DatasetVersion:
    record: DatasetRecord
    digest: str
    recorded_by: str
    recorded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Dataset:
    """A registered dataset: every version (oldest first), the allowlist, its links to
    projects, the last scan of each kind, and its disposal once disposed."""

    id: str
    versions: tuple[DatasetVersion, ...]
    allowlist: tuple[str, ...] = ()
    projects: tuple[int, ...] = ()
    scans: dict[ScanKind, ScanSummary] = field(default_factory=dict)
    disposal: Disposal | None = None

    @property
    def current(self) -> DatasetVersion:
        return self.versions[-1]

    @property
    def disposed(self) -> bool:
        return self.disposal is not None

    def version(self, version: str | None) -> DatasetVersion | None:
        if version is None:
            return self.current
        return next((v for v in self.versions if v.record.version == version), None)

    def stewards(self) -> set[str]:
        """Who manages the dataset: the current owner and stewards."""
        access = self.current.record.access
        return {access.owner, *access.stewards}

    def may_read(self, principal: str) -> bool:
        """Default deny: only the owner, a steward or someone on the allowlist."""
        return principal in self.stewards() or principal in self.allowlist
