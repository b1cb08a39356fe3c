"""SPDX licence expressions, parsed without a library, and their classes (``licences.yaml``).

An expression names licences by SPDX id (``MIT``, ``GPL-2.0+``), by reference
(``LicenseRef-internal``), with an exception (``... WITH Classpath-exception-2.0``), joined by
``AND`` and ``OR`` with parentheses; ``WITH`` binds tightest, then ``AND``, then ``OR``.
:class:`LicencePolicy` is the schema of ``knowledge/licences.yaml``, the ethics office's own
classification of common licences into classes and the licence triple (permitted use,
attribution, share-alike).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ethos.domain.errors import InvalidInputError
from ethos.domain.validation import invalid

__all__ = [
    "LICENCES_SCHEMA",
    "SPECIAL",
    "ClassTerms",
    "LicenceClass",
    "LicenceEntry",
    "LicenceExpression",
    "LicenceExpressionError",
    "LicencePolicy",
    "LicenceTerms",
    "PermittedUse",
    "any_true",
    "parse_licence_expression",
]

LICENCES_SCHEMA = "ethos.licences/1"

_TOKEN = re.compile(r"\s*(?:(?P<paren>[()])|(?P<word>[^\s()]+))")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*")
_REF = re.compile(r"(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+")
_EXCEPTION = re.compile(
    r"(?:DocumentRef-[A-Za-z0-9.-]+:)?(?:AdditionRef-)?[A-Za-z0-9][A-Za-z0-9.-]*"
)
_OPERATORS = ("AND", "OR", "WITH")
SPECIAL = ("NONE", "NOASSERTION")


class LicenceExpressionError(InvalidInputError, ValueError):
    """An SPDX licence expression that does not follow the grammar; says where, in English
    and Korean (``text("ko")``). Also a ``ValueError``, as it was before it carried Korean."""


@dataclass(frozen=True, slots=True)
class LicenceExpression:
    """A parsed expression: a licence (``licence``, optionally ``or_later`` and ``exception``)
    or a conjunction (``op`` ``AND``/``OR`` over ``parts``)."""

    licence: str = ""
    or_later: bool = False
    exception: str = ""
    op: str = ""
    parts: tuple[LicenceExpression, ...] = ()

    @property
    def is_ref(self) -> bool:
        return bool(_REF.fullmatch(self.licence))

    def licences(self) -> list[str]:
        """Every licence id or reference named, in order."""
        if self.op:
            return [name for part in self.parts for name in part.licences()]
        return [self.licence]

    def render(self, *, nested: bool = False) -> str:
        if not self.op:
            text = self.licence + ("+" if self.or_later else "")
            return f"{text} WITH {self.exception}" if self.exception else text
        inner = f" {self.op} ".join(p.render(nested=p.op != self.op) for p in self.parts)
        return f"({inner})" if nested else inner

    def __str__(self) -> str:
        return self.render()


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, int]] = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                break  # only trailing whitespace is left
            start = match.start("paren") if match.group("paren") else match.start("word")
            self.tokens.append((match.group("paren") or match.group("word"), start + 1))
            position = match.end()
        self.index = 0

    def peek(self) -> str | None:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else None

    def where(self) -> str:
        if self.index < len(self.tokens):
            return f"at character {self.tokens[self.index][1]}"
        return "at the end"

    def where_ko(self) -> str:
        if self.index < len(self.tokens):
            return f"{self.tokens[self.index][1]}번째 문자 위치"
        return "표현식 끝"

    def take(self) -> str:
        token = self.tokens[self.index][0]
        self.index += 1
        return token

    def fail(self, expected: str, expected_ko: str, *, why_ko: str = "") -> LicenceExpressionError:
        """``expected`` (English) and ``expected_ko`` (Korean) name what should come here;
        ``why_ko`` is the Korean for a reason the English gives inside ``expected``."""
        found = self.peek()
        got = f"found {found!r}" if found is not None else "the expression ended"
        got_ko = f"{found!r}이(가) 있습니다" if found is not None else "표현식이 끝났습니다"
        if found is not None and found.lower() in ("and", "or", "with"):
            got += f" (operators are written in capitals: {found.upper()})"
            got_ko += f"(연산자는 대문자로 씁니다: {found.upper()})"
        return LicenceExpressionError(
            f"{self.where()}: expected {expected}, {got}",
            ko=f"{self.where_ko()}: {expected_ko}이(가) 와야 하는데 {got_ko}"
            + (f". {why_ko}" if why_ko else ""),
        )

    def expression(self) -> LicenceExpression:
        return self.joined("OR", self.conjunction)

    def conjunction(self) -> LicenceExpression:
        return self.joined("AND", self.term)

    def joined(self, op: str, operand: Callable[[], LicenceExpression]) -> LicenceExpression:
        parts = [operand()]
        while self.peek() == op:
            self.take()
            parts.append(operand())
        if len(parts) == 1:
            return parts[0]
        flat: list[LicenceExpression] = []
        for part in parts:
            flat.extend(part.parts if part.op == op else (part,))
        return LicenceExpression(op=op, parts=tuple(flat))

    def term(self) -> LicenceExpression:
        word = self.peek()
        if word == "(":
            self.take()
            inner = self.expression()
            if self.peek() != ")":
                raise self.fail("')' to close the parenthesis", "괄호를 닫는 ')'")
            self.take()
            if self.peek() == "WITH":
                raise self.fail(
                    "AND, OR or ')': WITH follows a single licence, not a group",
                    "AND, OR 또는 ')'",
                    why_ko="WITH는 괄호로 묶은 것이 아니라 라이선스 하나 뒤에 씁니다",
                )
            return inner
        if word is None or word in _OPERATORS or word == ")":
            raise self.fail("a licence id or LicenseRef-...", "라이선스 id나 LicenseRef-...")
        if word.lower() in ("and", "or", "with"):
            raise LicenceExpressionError(
                f"{self.where()}: operators are written in capitals ({word.upper()})",
                ko=f"{self.where_ko()}: 연산자는 대문자로 씁니다({word.upper()})",
            )
        stem = word[:-1]
        or_later = word.endswith("+") and bool(_ID.fullmatch(stem)) and not _REF.fullmatch(stem)
        name = word[:-1] if or_later else word
        if not (_REF.fullmatch(name) or _ID.fullmatch(name)):
            raise self.fail(
                "a licence id (letters, digits, '.', '-') or LicenseRef-...",
                "라이선스 id(글자, 숫자, '.', '-')나 LicenseRef-...",
            )
        self.take()
        exception = ""
        if self.peek() == "WITH":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt in _OPERATORS or nxt in "()" or not _EXCEPTION.fullmatch(nxt):
                raise self.fail("an exception id after WITH", "WITH 뒤의 예외 id")
            exception = self.take()
        return LicenceExpression(licence=name, or_later=or_later, exception=exception)


def parse_licence_expression(text: str) -> LicenceExpression:
    """Parse an SPDX licence expression (ids, ``+``, ``WITH``, ``AND``, ``OR``, parentheses,
    ``LicenseRef-...``); :class:`LicenceExpressionError` says where it goes wrong."""
    if not isinstance(text, str) or not text.strip():
        raise LicenceExpressionError("the expression is empty", ko="표현식이 비어 있습니다")
    if len(text) > 1000:
        raise LicenceExpressionError("longer than 1000 characters", ko="1000자를 넘습니다")
    parser = _Parser(text)
    result = parser.expression()
    if parser.peek() is not None:
        raise parser.fail("AND, OR or the end of the expression", "AND, OR 또는 표현식 끝")
    names = result.licences()
    if any(n in SPECIAL for n in names) and (len(names) > 1 or result.exception or result.or_later):
        raise LicenceExpressionError(
            "NONE and NOASSERTION stand alone, never combined",
            ko="NONE과 NOASSERTION은 다른 것과 섞지 않고 홀로 씁니다",
        )
    return result


# ---------------------------------------------------------------- licence classes


class LicenceClass(StrEnum):
    PERMISSIVE = "permissive"
    ATTRIBUTION = "attribution"
    SHARE_ALIKE = "share-alike"
    NON_COMMERCIAL = "non-commercial"
    NO_DERIVATIVES = "no-derivatives"
    PROPRIETARY_INTERNAL = "proprietary-internal"
    UNKNOWN = "unknown"


class PermittedUse(StrEnum):
    """The first element of the licence triple: what use the licence permits."""

    COMMERCIAL = "commercial"
    NON_COMMERCIAL = "non-commercial"
    INTERNAL = "internal"
    UNSPECIFIED = "unspecified"


_USE_ORDER = list(PermittedUse)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class ClassTerms(_Model):
    """The licence triple a class implies unless a licence entry says otherwise."""

    use: PermittedUse
    attribution: bool | None
    share_alike: bool | None


class LicenceEntry(_Model):
    cls: LicenceClass = Field(alias="class")
    use: PermittedUse | None = None
    attribution: bool | None = None
    share_alike: bool | None = None


@dataclass(frozen=True, slots=True)
class LicenceTerms:
    """What an expression allows: its class and the triple (permitted use, attribution,
    share-alike); ``None`` where it is not known. ``unclassified`` names the licences that
    ``licences.yaml`` does not classify."""

    cls: LicenceClass
    use: PermittedUse
    attribution: bool | None
    share_alike: bool | None
    unclassified: tuple[str, ...] = ()

    @property
    def non_commercial(self) -> bool | None:
        return (
            None
            if self.use is PermittedUse.UNSPECIFIED
            else self.use is PermittedUse.NON_COMMERCIAL
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "class": self.cls.value,
            "permitted_use": self.use.value,
            "attribution": self.attribution,
            "share_alike": self.share_alike,
            "unclassified": list(self.unclassified),
        }


def any_true(values: Iterable[bool | None]) -> bool | None:
    """Three-valued "or": true if any is true, unknown if any is unknown, else false."""
    seen = list(values)
    if any(v is True for v in seen):
        return True
    return None if any(v is None for v in seen) else False


class LicencePolicy(_Model):
    """``knowledge/licences.yaml``: how common SPDX licences are classified, and how strict each
    class is (``restrictiveness``, least strict first) when licences are combined."""

    schema_: Literal["ethos.licences/1"] = Field(alias="schema")
    version: Annotated[int, Field(ge=1)]
    released: dt.date
    restrictiveness: list[LicenceClass]
    classes: dict[LicenceClass, ClassTerms]
    licences: dict[str, LicenceEntry]

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if sorted(self.restrictiveness) != sorted(LicenceClass) or len(self.restrictiveness) != len(
            LicenceClass
        ):
            raise invalid(
                "restrictiveness: list every class exactly once",
                "restrictiveness: 모든 분류를 한 번씩만 쓰세요",
            )
        missing = [c.value for c in LicenceClass if c not in self.classes]
        if missing:
            raise invalid(
                f"classes: terms missing for {', '.join(missing)}",
                f"classes: 조건이 없는 분류: {', '.join(missing)}",
            )
        folded = [k.lower() for k in self.licences]
        if len(set(folded)) != len(folded):
            raise invalid(
                "licences: an id is listed twice (ids compare without case)",
                "licences: 같은 id가 두 번 나옵니다(id는 대소문자를 가리지 않고 비교합니다)",
            )
        bad = [k for k in self.licences if not _ID.fullmatch(k) and not _REF.fullmatch(k)]
        if bad:
            raise invalid(
                f"licences: not an SPDX id: {', '.join(bad)}",
                f"licences: SPDX id가 아닌 것: {', '.join(bad)}",
            )
        return self

    def class_terms(self, cls: LicenceClass, unclassified: tuple[str, ...] = ()) -> LicenceTerms:
        t = self.classes[cls]
        return LicenceTerms(cls, t.use, t.attribution, t.share_alike, unclassified)

    def _single(self, name: str) -> LicenceTerms:
        if name in SPECIAL:
            return self.class_terms(LicenceClass.UNKNOWN)
        entry = next((v for k, v in self.licences.items() if k.lower() == name.lower()), None)
        if entry is None:
            return self.class_terms(LicenceClass.UNKNOWN, (name,))
        base = self.classes[entry.cls]
        return LicenceTerms(
            entry.cls,
            entry.use or base.use,
            base.attribution if entry.attribution is None else entry.attribution,
            base.share_alike if entry.share_alike is None else entry.share_alike,
        )

    def classify(self, expression: LicenceExpression) -> LicenceTerms:
        """Terms of an expression. ``AND``: every licence applies, so the strictest class and
        use, and attribution or share-alike if any asks for it. ``OR``: the user may choose,
        so the least strict alternative. ``WITH``: the licence's own class."""
        if not expression.op:
            return self._single(expression.licence)
        parts = [self.classify(p) for p in expression.parts]
        rank = {c: i for i, c in enumerate(self.restrictiveness)}
        unclassified = tuple(dict.fromkeys(u for p in parts for u in p.unclassified))
        if expression.op == "OR":
            best = min(
                parts,
                key=lambda p: (rank[p.cls], _USE_ORDER.index(p.use), p.share_alike is not False),
            )
            return LicenceTerms(
                best.cls, best.use, best.attribution, best.share_alike, unclassified
            )
        return LicenceTerms(
            max((p.cls for p in parts), key=rank.__getitem__),
            max((p.use for p in parts), key=_USE_ORDER.index),
            any_true(p.attribution for p in parts),
            any_true(p.share_alike for p in parts),
            unclassified,
        )
