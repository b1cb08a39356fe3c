"""The ethics office's own activities, as records for the annual accountability report.

Six kinds of record (``ethos.office-record/1``), told apart by their ``kind``: a governance
body (``committee``), a ``meeting`` of one, a ``red_team`` exercise, an ``education``
programme, a ``partnership`` and a law or policy change watched (``policy_watch``). Text a
person reads is given in Korean and English. Committee members are kept as roles with
optional names: names are personal data, stored but shown only when the committee record
says ``publish_names: true``. References to other records (projects, framework nodes,
findings, committees) are checked by the service that records them; this module checks the
shape. The file format is documented in ``docs/office.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from ethos.domain.errors import InvalidInputError
from ethos.domain.validation import describe_problem, invalid

__all__ = [
    "OFFICE_SCHEMA",
    "Audience",
    "Bilingual",
    "BodyType",
    "Committee",
    "CommitteeMember",
    "Education",
    "EducationType",
    "Meeting",
    "OfficeKind",
    "OfficeRecord",
    "OfficeRecordData",
    "PartnerType",
    "Partnership",
    "PolicySource",
    "PolicyStatus",
    "PolicyWatch",
    "RedTeam",
    "RedTeamEvidence",
    "RedTeamMethod",
    "canonical_data",
    "parse_office_record",
    "parse_office_records",
    "record_data",
]

OFFICE_SCHEMA = "ethos.office-record/1"
EARLIEST = dt.date(1950, 1, 1)
LATEST = dt.date(2100, 12, 31)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Id = Annotated[int, Field(ge=1)]


def _matching(pattern: str, expected: str, ko: str) -> AfterValidator:
    """Check ``pattern``; ``expected`` says what is wanted, ``ko`` says so in Korean."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise invalid(f"expected {expected}", ko)
        return value

    return AfterValidator(check)


Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    _matching(r"https?://\S+", "an http(s) address", "http(s) 주소여야 합니다"),
]
Sha256 = Annotated[
    str,
    _matching(
        r"[0-9a-f]{64}", "64 lowercase hexadecimal characters", "소문자 16진수 64자여야 합니다"
    ),
]
NodeId = Annotated[
    str,
    _matching(
        r"[a-z][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9.-]*",
        "a framework node id such as eu-ai-act:art-50",
        "eu-ai-act:art-50 같은 프레임워크 노드 id여야 합니다",
    ),
]
Jurisdiction = Annotated[
    str,
    _matching(
        r"[A-Z]{2}|international",
        "a two-letter code in capitals (EU, KR, US) or international",
        "대문자 두 글자 코드(EU, KR, US)나 international이어야 합니다",
    ),
]


class OfficeKind(StrEnum):
    COMMITTEE = "committee"
    MEETING = "meeting"
    RED_TEAM = "red_team"
    EDUCATION = "education"
    PARTNERSHIP = "partnership"
    POLICY_WATCH = "policy_watch"


class BodyType(StrEnum):
    COMMITTEE = "committee"
    OFFICE = "office"
    COUNCIL = "council"
    WORKING_GROUP = "working_group"


class RedTeamMethod(StrEnum):
    MANUAL = "manual"
    AUTOMATED = "automated"
    CROWD = "crowd"
    EXTERNAL = "external"
    MIXED = "mixed"


class EducationType(StrEnum):
    SEMINAR = "seminar"
    COURSE = "course"
    WORKSHOP = "workshop"
    CAMPAIGN = "campaign"


class Audience(StrEnum):
    ALL_STAFF = "all_staff"
    RESEARCHERS = "researchers"
    ENGINEERS = "engineers"
    EXECUTIVES = "executives"
    ETHICS_REVIEWERS = "ethics_reviewers"
    EXTERNAL = "external"


class PartnerType(StrEnum):
    ACADEMIA = "academia"
    INDUSTRY = "industry"
    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    INTERNATIONAL_BODY = "international_body"


class PolicyStatus(StrEnum):
    WATCHING = "watching"
    ASSESSED = "assessed"
    ACTED_ON = "acted_on"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Bilingual(_Model):
    """A text a person reads, in Korean and English (both required)."""

    ko: Text
    en: Text

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


def _in_range(value: dt.date | None, field: str) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise invalid(
            f"{field}: {value.isoformat()} is outside {EARLIEST.year}-{LATEST.year}",
            f"{field}: {value.isoformat()}이(가) {EARLIEST.year}-{LATEST.year} 범위 밖입니다",
        )


class _Record(_Model):
    """What every kind has: the schema id, and a ``year`` that must match the main date.

    ``MAIN`` names the field holding the record's main date, ``END`` the one holding its
    last day (``None`` there means ongoing); for a list of dates, the first and the last.
    ``HEADLINE`` names the text that stands for the record in a list.
    """

    schema_: Literal["ethos.office-record/1"] = Field(
        default="ethos.office-record/1", alias="schema"
    )
    year: int | None = Field(default=None, exclude=True)

    MAIN: ClassVar[str] = "date"
    END: ClassVar[str] = "date"
    HEADLINE: ClassVar[str] = "summary"

    @property
    def main_date(self) -> dt.date:
        value = getattr(self, self.MAIN)
        return value[0] if isinstance(value, list) else value  # type: ignore[no-any-return]

    @property
    def end_date(self) -> dt.date | None:
        """The last day of the activity; ``None`` while it is ongoing (bodies, partnerships)."""
        value = getattr(self, self.END)
        return value[-1] if isinstance(value, list) else value  # type: ignore[no-any-return]

    def headline(self, lang: str) -> str:
        text: Bilingual = getattr(self, self.HEADLINE)
        return text.get(lang)

    @model_validator(mode="after")
    def _dates(self) -> Self:
        main, end = self.main_date, self.end_date
        _in_range(main, self.MAIN)
        _in_range(end, self.END)
        if self.END != self.MAIN and end is not None and end < main:
            raise invalid(
                f"{self.END}: {end.isoformat()} is before {self.MAIN} ({main})",
                f"{self.END}: {end.isoformat()}이(가) {self.MAIN}({main})보다 앞섭니다",
            )
        if self.year is not None and self.year != main.year:
            raise invalid(
                f"year: {self.year} is not the year of {self.MAIN} ({main.year}); "
                "leave it out, it is derived",
                f"year: {self.year}은(는) {self.MAIN}의 연도({main.year})가 아닙니다. "
                "연도는 계산되므로 빼세요",
            )
        return self


class CommitteeMember(_Model):
    """A seat on a body: its role, and (optionally) who holds it."""

    role: Bilingual
    name: Name | None = None


class Committee(_Record):
    """A governance body: committee, office, council or working group."""

    kind: Literal["committee"] = "committee"
    name: Bilingual
    type: BodyType
    mandate: Bilingual
    established: dt.date
    dissolved: dt.date | None = None
    members: list[CommitteeMember] = Field(default_factory=list)
    publish_names: bool = False

    MAIN: ClassVar[str] = "established"
    END: ClassVar[str] = "dissolved"
    HEADLINE: ClassVar[str] = "name"


class Meeting(_Record):
    """A meeting of a body (``committee`` is the body's record id)."""

    kind: Literal["meeting"] = "meeting"
    committee: Id
    date: dt.date
    summary: Bilingual
    agenda: list[Bilingual] = Field(default_factory=list)
    decisions: list[Bilingual] = Field(default_factory=list)
    participants: Count
    participant_roles: list[Bilingual] = Field(default_factory=list)
    projects: list[Id] = Field(default_factory=list)


class RedTeamEvidence(_Model):
    """Where the exercise's results are: finding ids, a file digest, an address."""

    findings: list[Id] = Field(default_factory=list)
    sha256: Sha256 | None = None
    url: Url | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.findings and self.sha256 is None and self.url is None:
            raise invalid(
                "give findings, sha256 or url (or leave evidence out)",
                "findings, sha256, url 중 하나를 주세요(아니면 evidence를 빼세요)",
            )
        return self


class RedTeam(_Record):
    """A red-team exercise over one or more projects' systems."""

    kind: Literal["red_team"] = "red_team"
    start: dt.date
    end: dt.date
    projects: list[Id] = Field(default_factory=list)
    scope: Bilingual
    method: RedTeamMethod
    participants: Count
    issues_found: Count
    evidence: RedTeamEvidence | None = None
    summary: Bilingual

    MAIN: ClassVar[str] = "start"
    END: ClassVar[str] = "end"
    HEADLINE: ClassVar[str] = "scope"


class Education(_Record):
    """A seminar, course, workshop or campaign; ``dates`` lists the days it was held
    (a single ``date`` is accepted for one day)."""

    kind: Literal["education"] = "education"
    title: Bilingual
    type: EducationType
    dates: Annotated[list[dt.date], Field(min_length=1, max_length=366)]
    audience: Annotated[list[Audience], Field(min_length=1)]
    participants: Count
    hours_per_participant: Annotated[float, Field(gt=0, le=2000)] | None = None
    summary: Bilingual

    MAIN: ClassVar[str] = "dates"
    END: ClassVar[str] = "dates"
    HEADLINE: ClassVar[str] = "title"

    @model_validator(mode="before")
    @classmethod
    def _one_date(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "date" in data and "dates" not in data:
            copy = dict(data)
            copy["dates"] = [copy.pop("date")]
            return copy
        return data

    @model_validator(mode="after")
    def _order(self) -> Self:
        if any(b <= a for a, b in zip(self.dates, self.dates[1:], strict=False)):
            raise invalid(
                "dates: list each day once, earliest first",
                "dates: 날짜마다 한 번씩, 이른 날부터 쓰세요",
            )
        if len(set(self.audience)) != len(self.audience):
            raise invalid("audience: lists a value twice", "audience: 같은 값이 두 번 나옵니다")
        return self


class Partnership(_Record):
    """A partnership with another organisation."""

    kind: Literal["partnership"] = "partnership"
    partner: Bilingual
    type: PartnerType
    start: dt.date
    end: dt.date | None = None
    summary: Bilingual

    MAIN: ClassVar[str] = "start"
    END: ClassVar[str] = "end"
    HEADLINE: ClassVar[str] = "partner"


class PolicySource(_Model):
    citation: Text
    url: Url


class PolicyWatch(_Record):
    """A law or policy change the office watched, and where its assessment stands."""

    kind: Literal["policy_watch"] = "policy_watch"
    date: dt.date
    jurisdiction: Jurisdiction
    source: PolicySource
    summary: Bilingual
    frameworks: list[NodeId] = Field(default_factory=list)
    projects: list[Id] = Field(default_factory=list)
    status: PolicyStatus

    def headline(self, lang: str) -> str:
        return self.source.citation


OfficeRecordData = Annotated[
    Committee | Meeting | RedTeam | Education | Partnership | PolicyWatch,
    Field(discriminator="kind"),
]
_ADAPTER: TypeAdapter[OfficeRecordData] = TypeAdapter(OfficeRecordData)
_KINDS = ", ".join(k.value for k in OfficeKind)


def _describe(error: ValidationError, kind: str, lang: str) -> list[str]:
    """Each problem as "field X: ...", in ``lang``."""
    lines = []
    for detail in error.errors():
        loc = list(detail["loc"])
        if loc and loc[0] == kind:
            loc = loc[1:]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        english = describe_problem(detail).removeprefix("Value error, ")
        message = describe_problem(detail, lang).removeprefix("Value error, ")
        field, sep, _ = english.partition(": ")
        if not where and sep and " " not in field:
            # a check across fields names its field first, in both languages
            where, message = field, message.removeprefix(f"{field}: ")
        label = "필드" if lang == "ko" else "field"
        lines.append(f"{label} {where}: {message}" if where else message)
    return lines


def _problems(data: Any, lang: str = "en") -> tuple[OfficeRecordData | None, str, list[str]]:
    ko = lang == "ko"
    if not isinstance(data, Mapping):
        return (
            None,
            "",
            [
                f"kind가 있는 매핑이어야 합니다({_KINDS} 중 하나)"
                if ko
                else f"expected a mapping with a kind (one of {_KINDS})"
            ],
        )
    kind = data.get("kind")
    if kind is None:
        return (
            None,
            "",
            [
                f"필드 kind: 없습니다({_KINDS} 중 하나)"
                if ko
                else f"field kind: missing (one of {_KINDS})"
            ],
        )
    if not isinstance(kind, str) or kind not in {k.value for k in OfficeKind}:
        return (
            None,
            "",
            [
                f"필드 kind: {str(kind)[:40]!r}은(는) {_KINDS} 중 하나가 아닙니다"
                if ko
                else f"field kind: {str(kind)[:40]!r} is not one of {_KINDS}"
            ],
        )
    try:
        return _ADAPTER.validate_python(dict(data)), str(kind), []
    except ValidationError as exc:
        return None, str(kind), _describe(exc, str(kind), lang)


def parse_office_record(data: Any, *, source: str = "record") -> OfficeRecordData:
    """Validate one record; :class:`InvalidInputError` names ``source`` and each field."""
    parsed, _, problems = _problems(data)
    if parsed is None:
        problems_ko = _problems(data, "ko")[2]
        raise InvalidInputError(
            "\n".join(f"{source}: {p}" for p in problems),
            ko="\n".join(f"{source}: {p}" for p in problems_ko),
        )
    return parsed


def parse_office_records(data: Any, *, source: str = "records") -> list[OfficeRecordData]:
    """Validate a mapping (one record) or a list of them; every problem is reported at once."""
    if not isinstance(data, Sequence) or isinstance(data, str):
        return [parse_office_record(data, source=source)]
    if not data:
        raise InvalidInputError(
            f"{source}: the list holds no records", ko=f"{source}: 목록에 기록이 없습니다"
        )
    parsed: list[OfficeRecordData] = []
    lines: list[str] = []
    lines_ko: list[str] = []
    for number, item in enumerate(data, start=1):
        record, kind, problems = _problems(item)
        label = f" ({kind})" if kind else ""
        lines.extend(f"{source}: record {number}{label}: {p}" for p in problems)
        if problems:
            lines_ko.extend(
                f"{source}: 기록 {number}{label}: {p}" for p in _problems(item, "ko")[2]
            )
        if record is not None:
            parsed.append(record)
    if lines:
        raise InvalidInputError("\n".join(lines), ko="\n".join(lines_ko))
    return parsed


def canonical_data(body: OfficeRecordData) -> dict[str, Any]:
    """The record's fields as stored (names included)."""
    return body.model_dump(mode="json", by_alias=True, exclude_none=True)


def record_data(body: OfficeRecordData, *, include_names: bool | None = None) -> dict[str, Any]:
    """The fields for display; member names only when ``include_names`` is true, or when it
    is ``None`` and the committee record says ``publish_names: true``."""
    data = canonical_data(body)
    show = body.publish_names if include_names is None and isinstance(body, Committee) else False
    if include_names or show or not isinstance(body, Committee):
        return data
    data["members"] = [{k: v for k, v in m.items() if k != "name"} for m in data["members"]]
    return data


@dataclass(frozen=True, slots=True)
class OfficeRecord:
    """A stored record: its fields, who recorded it, and whether it was withdrawn."""

    id: int
    body: OfficeRecordData
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    withdrawn_at: dt.datetime | None = None
    withdrawn_reason: str | None = None
    replaced_by: int | None = None

    @property
    def kind(self) -> OfficeKind:
        return OfficeKind(self.body.kind)

    @property
    def year(self) -> int:
        return self.body.main_date.year

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def active_in(self, year: int) -> bool:
        """Whether the activity falls in, or (bodies, partnerships) spans part of, ``year``."""
        end = self.body.end_date
        return self.body.main_date.year <= year and (end is None or end.year >= year)

    def names_withheld(self, *, include_names: bool | None = None) -> int:
        """How many member names :func:`record_data` leaves out."""
        body = self.body
        if (
            not isinstance(body, Committee)
            or include_names
            or (include_names is None and body.publish_names)
        ):
            return 0
        return sum(1 for m in body.members if m.name is not None)

    def to_json(self, *, include_names: bool | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "year": self.year,
            "main_date": self.body.main_date.isoformat(),
            "end_date": self.body.end_date.isoformat() if self.body.end_date else None,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "updated_at": self.updated_at.isoformat(),
            "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
            "withdrawn_reason": self.withdrawn_reason,
            "replaced_by": self.replaced_by,
            "names_withheld": self.names_withheld(include_names=include_names),
            "data": record_data(self.body, include_names=include_names),
        }
