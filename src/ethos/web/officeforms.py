"""Server-rendered forms for the ethics office's records, one per kind.

A form is a list of :class:`Field`; each names the record field it fills (dotted for a
nested one, ``source.citation``), its label (an English message id) and its widget. The same
list turns a posted form into the mapping :func:`ethos.services.office.add_records` checks,
turns a stored record back into form values (to correct it), and lays out a record's page.
Nothing is validated here: the domain names every wrong field, and the form is shown again
with what was typed.

Widgets: ``text``, ``bilingual`` (Korean and English inputs), ``bilingual_area``,
``bilingual_list`` (two textareas, one entry a line, paired by line), ``date``, ``dates``
(one a line), ``count``, ``number``, ``choice``, ``choices`` (checkboxes), ``flag``
(checkbox), ``refs`` (project ids or exact names, one a line), ``ids``, ``nodes``
(framework node ids, one a line), ``committee`` (a committee record) and ``members`` (rows
of role and optional name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from ethos.domain.office import (
    Audience,
    BodyType,
    EducationType,
    OfficeKind,
    PartnerType,
    PolicyStatus,
    RedTeamMethod,
)

__all__ = [
    "FORMS",
    "KIND_LABELS",
    "MEMBER_ROWS",
    "Field",
    "form_values",
    "member_rows",
    "posted",
    "record_from_form",
]

MEMBER_ROWS = 6  # blank seat rows a new committee form offers (blank rows are left out)
_MAX_SEATS = 200
_SEAT = re.compile(r"^members\.(\d{1,3})\.")


def N_(message: str) -> str:  # noqa: N802 - the gettext convention: marks for extraction
    return message


@dataclass(frozen=True, slots=True)
class Field:
    """One input of a record form."""

    name: str
    label: str
    widget: str
    required: bool = False
    options: tuple[str, ...] = ()
    hint: str = ""

    @property
    def html_id(self) -> str:
        return "f-" + self.name.replace(".", "-")


def _values(kind: type[Any]) -> tuple[str, ...]:
    return tuple(member.value for member in kind)


KIND_LABELS = {
    OfficeKind.COMMITTEE: N_("Governance body"),
    OfficeKind.MEETING: N_("Meeting"),
    OfficeKind.RED_TEAM: N_("Red-team exercise"),
    OfficeKind.EDUCATION: N_("Education"),
    OfficeKind.PARTNERSHIP: N_("Partnership"),
    OfficeKind.POLICY_WATCH: N_("Policy watch"),
}

_LINES = N_("One a line.")
_PROJECTS = Field(
    "projects", N_("Projects"), "refs", hint=N_("Project ids or exact names, one a line.")
)
_SUMMARY = Field("summary", N_("Summary"), "bilingual_area", required=True)

FORMS: dict[OfficeKind, list[Field]] = {
    OfficeKind.COMMITTEE: [
        Field("name", N_("Name"), "bilingual", required=True),
        Field("type", N_("Type"), "choice", required=True, options=_values(BodyType)),
        Field("mandate", N_("Mandate"), "bilingual_area", required=True),
        Field("established", N_("Established"), "date", required=True),
        Field("dissolved", N_("Dissolved"), "date", hint=N_("Leave empty while it exists.")),
        Field(
            "members",
            N_("Seats"),
            "members",
            hint=N_("A role in both languages; the name is optional and is personal data."),
        ),
        Field(
            "publish_names",
            N_("Publish the members' names"),
            "flag",
            hint=N_("Without this, lists, record pages and the report show roles only."),
        ),
    ],
    OfficeKind.MEETING: [
        Field("committee", N_("Body"), "committee", required=True),
        Field("date", N_("Date"), "date", required=True),
        _SUMMARY,
        Field("agenda", N_("Agenda"), "bilingual_list", hint=_LINES),
        Field("decisions", N_("Decisions"), "bilingual_list", hint=_LINES),
        Field("participants", N_("Participants"), "count", required=True),
        Field("participant_roles", N_("Who took part (roles)"), "bilingual_list", hint=_LINES),
        _PROJECTS,
    ],
    OfficeKind.RED_TEAM: [
        Field("start", N_("Start"), "date", required=True),
        Field("end", N_("End"), "date", required=True),
        _PROJECTS,
        Field("scope", N_("Scope"), "bilingual_area", required=True),
        Field("method", N_("Method"), "choice", required=True, options=_values(RedTeamMethod)),
        Field("participants", N_("Participants"), "count", required=True),
        Field("issues_found", N_("Issues found"), "count", required=True),
        Field(
            "evidence.findings",
            N_("Evidence: finding ids"),
            "ids",
            hint=N_("Findings of the projects above, one id a line."),
        ),
        Field("evidence.sha256", N_("Evidence: SHA-256 of a file"), "text"),
        Field("evidence.url", N_("Evidence: address"), "text"),
        _SUMMARY,
    ],
    OfficeKind.EDUCATION: [
        Field("title", N_("Title"), "bilingual", required=True),
        Field("type", N_("Type"), "choice", required=True, options=_values(EducationType)),
        Field(
            "dates",
            N_("Dates"),
            "dates",
            required=True,
            hint=N_("Each day it was held, earliest first, one a line (YYYY-MM-DD)."),
        ),
        Field("audience", N_("Audience"), "choices", required=True, options=_values(Audience)),
        Field("participants", N_("Participants"), "count", required=True),
        Field("hours_per_participant", N_("Hours per participant"), "number"),
        _SUMMARY,
    ],
    OfficeKind.PARTNERSHIP: [
        Field("partner", N_("Partner"), "bilingual", required=True),
        Field("type", N_("Type"), "choice", required=True, options=_values(PartnerType)),
        Field("start", N_("Start"), "date", required=True),
        Field("end", N_("End"), "date", hint=N_("Leave empty while it lasts.")),
        _SUMMARY,
    ],
    OfficeKind.POLICY_WATCH: [
        Field("date", N_("Date"), "date", required=True),
        Field(
            "jurisdiction",
            N_("Jurisdiction"),
            "text",
            required=True,
            hint=N_("Two capital letters (EU, KR, US) or international."),
        ),
        Field("source.citation", N_("Source: citation"), "text", required=True),
        Field("source.url", N_("Source: address"), "text", required=True),
        _SUMMARY,
        Field(
            "frameworks",
            N_("Framework clauses"),
            "nodes",
            hint=N_("Node ids such as eu-ai-act:art-50, one a line."),
        ),
        _PROJECTS,
        Field("status", N_("Status"), "choice", required=True, options=_values(PolicyStatus)),
    ],
}

FormInput = Mapping[str, Sequence[str]]  # field name -> the values posted under it


def _one(form: FormInput, key: str) -> str:
    values = form.get(key) or [""]
    return values[-1].strip()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


def _number(text: str, kind: type[int] | type[float]) -> Any:
    try:
        return kind(text)
    except ValueError:
        return text  # the domain says what is wrong with it


def _ref(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def member_rows(form_or_values: Mapping[str, Any]) -> int:
    """How many seat rows a committee form shows: those filled in, and a few blank ones."""
    rows = {int(m.group(1)) for key in form_or_values if (m := _SEAT.match(key))}
    return min(_MAX_SEATS, max(MEMBER_ROWS, max(rows, default=-1) + 1 + 3))


def _members(form: FormInput) -> list[dict[str, Any]] | None:
    rows = sorted({int(m.group(1)) for key in form if (m := _SEAT.match(key))})
    seats = []
    for row in rows[:_MAX_SEATS]:
        ko, en = _one(form, f"members.{row}.role.ko"), _one(form, f"members.{row}.role.en")
        name = _one(form, f"members.{row}.name")
        if not (ko or en or name):
            continue
        seat: dict[str, Any] = {"role": {"ko": ko, "en": en}}
        if name:
            seat["name"] = name
        seats.append(seat)
    return seats or None


def _read(field: Field, form: FormInput) -> Any:
    """The field's value from the form, or ``None`` when it was left empty."""
    name, widget = field.name, field.widget
    if widget in ("bilingual", "bilingual_area"):
        ko, en = _one(form, f"{name}.ko"), _one(form, f"{name}.en")
        return {"ko": ko, "en": en} if ko or en else None
    if widget == "bilingual_list":
        pairs = zip_longest(
            [x.strip() for x in _one(form, f"{name}.ko").splitlines() if x.strip()],
            [x.strip() for x in _one(form, f"{name}.en").splitlines() if x.strip()],
            fillvalue="",
        )
        return [{"ko": ko, "en": en} for ko, en in pairs] or None
    if widget == "members":
        return _members(form)
    if widget == "choices":
        chosen = [v for v in form.get(name) or [] if v]
        return chosen or None
    if widget == "flag":
        return _one(form, name) in ("on", "true", "1")
    text = _one(form, name)
    if not text:
        return None
    if widget == "count":
        return _number(text, int)
    if widget == "number":
        return _number(text, float)
    if widget in ("dates", "nodes"):
        return _lines(text)
    if widget in ("refs", "ids"):
        return [_ref(x) for x in _lines(text)]
    if widget == "committee":
        return _ref(text)
    return text


def record_from_form(kind: OfficeKind, form: FormInput) -> dict[str, Any]:
    """The record a posted form describes, for the office service to check and store."""
    data: dict[str, Any] = {"kind": kind.value}
    for field in FORMS[kind]:
        value = _read(field, form)
        if value is None:
            continue
        target = data
        *parents, last = field.name.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    return data


def _get(data: Mapping[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def form_values(kind: OfficeKind, data: Mapping[str, Any]) -> dict[str, Any]:
    """Form values (by input name) showing a record's fields, to correct it."""
    values: dict[str, Any] = {}
    for field in FORMS[kind]:
        value = _get(data, field.name)
        if value is None:
            continue
        name, widget = field.name, field.widget
        if widget in ("bilingual", "bilingual_area"):
            values[f"{name}.ko"], values[f"{name}.en"] = value.get("ko", ""), value.get("en", "")
        elif widget == "bilingual_list":
            values[f"{name}.ko"] = "\n".join(v.get("ko", "") for v in value)
            values[f"{name}.en"] = "\n".join(v.get("en", "") for v in value)
        elif widget == "members":
            for row, seat in enumerate(value[:_MAX_SEATS]):
                role = seat.get("role", {})
                values[f"members.{row}.role.ko"] = role.get("ko", "")
                values[f"members.{row}.role.en"] = role.get("en", "")
                values[f"members.{row}.name"] = seat.get("name", "")
        elif widget == "choices":
            values[name] = [str(v) for v in value]
        elif widget == "flag":
            values[name] = bool(value)
        elif isinstance(value, list):
            values[name] = "\n".join(str(v) for v in value)
        else:
            values[name] = str(value)
    return values


def posted(items: Sequence[tuple[str, Any]]) -> dict[str, list[str]]:
    """Form data (``request.form().multi_items()``) as name -> list of text values."""
    found: dict[str, list[str]] = {}
    for key, value in items:
        if isinstance(value, str):
            found.setdefault(key, []).append(value)
    return found
