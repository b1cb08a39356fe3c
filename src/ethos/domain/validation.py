"""Pydantic's validation problems told in English or Korean.

Pydantic describes each problem in English (``detail["msg"]``). :func:`describe_problem`
keeps that text for English and, for Korean, writes a sentence chosen by the problem's
*type* (``detail["type"]``) and filled from its context (``detail["ctx"]``: the maximum
length, the allowed values ...). A type without a Korean sentence, or a context missing a
value the sentence needs, falls back to pydantic's English text: a reader still learns
what is wrong.

Ethos's own validators raise :func:`invalid` (a :class:`~pydantic_core.PydanticCustomError`)
carrying both texts; its English message is exactly the English text, and its Korean text
is what :func:`describe_problem` gives for ``lang="ko"``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from pydantic_core import PydanticCustomError

__all__ = ["INVALID", "describe_problem", "invalid"]

INVALID = "ethos_invalid"
"""The error type of :func:`invalid`; its context holds ``en`` and ``ko``."""

_VALUE_ERROR_PREFIX = "Value error, "


def invalid(en: str, ko: str) -> PydanticCustomError:
    """A validation problem in both languages, for a validator to raise.

    ``str(error)`` and pydantic's ``msg`` are ``en`` exactly (no "Value error, " prefix).
    """
    # pydantic fills the template "{en}" once: braces inside either text stay as written
    return PydanticCustomError(INVALID, "{en}", {"ko": ko, "en": en})


def describe_problem(detail: Mapping[str, Any], lang: str = "en") -> str:
    """One problem of a pydantic ``ValidationError.errors()`` list, in ``lang``.

    English is pydantic's ``msg`` unchanged. Korean is a sentence for the problem's type,
    filled from its context; pydantic's English text when there is none (without the
    "Value error, " pydantic puts before a plain ``ValueError``).
    """
    english = str(detail.get("msg", ""))
    if lang != "ko":
        return english
    kind = detail.get("type")
    raw_ctx = detail.get("ctx")
    ctx: Mapping[str, Any] = raw_ctx if isinstance(raw_ctx, Mapping) else {}
    try:
        if kind == INVALID:
            return str(ctx["ko"])
        special = _SPECIAL.get(str(kind))
        if special is not None:
            return special(ctx)
        template = _KO.get(str(kind))
        if template is not None:
            return template.format_map({key: _shown(key, value) for key, value in ctx.items()})
    except (KeyError, IndexError, ValueError):
        pass  # a context without the value the sentence needs: English below
    return english.removeprefix(_VALUE_ERROR_PREFIX)


def _shown(key: str, value: Any) -> str:
    if isinstance(value, float):
        return _number(value)
    return _or(str(value)) if key in _CHOICES else str(value)


def _number(value: float) -> str:
    """A bound as pydantic writes it: 0 not 0.0, 0.0000001 not 1e-07."""
    if not math.isfinite(value):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _or(text: str) -> str:
    """Pydantic lists choices as "'a', 'b' or 'c'"; the last " or " becomes " 또는 "."""
    head, sep, tail = text.rpartition(" or ")
    return f"{head} 또는 {tail}" if sep else text


_CHOICES = frozenset({"expected", "expected_schemes"})

_KO: dict[str, str] = {
    "missing": "값이 없습니다(꼭 있어야 하는 필드입니다)",
    "extra_forbidden": "허용되지 않는 필드입니다",
    "string_type": "문자열이어야 합니다",
    "string_too_short": "{min_length}자 이상이어야 합니다",
    "string_too_long": "{max_length}자 이하여야 합니다",
    "string_pattern_mismatch": "패턴 '{pattern}'에 맞아야 합니다",
    "string_unicode": "올바른 유니코드 문자열이어야 합니다",
    "int_type": "정수여야 합니다",
    "int_parsing": "정수여야 합니다(문자열을 정수로 읽을 수 없습니다)",
    "int_from_float": "정수여야 합니다(소수 부분이 있습니다)",
    "int_parsing_size": "정수로 읽을 수 없습니다(허용 크기를 넘습니다)",
    "float_type": "숫자여야 합니다",
    "float_parsing": "숫자여야 합니다(문자열을 숫자로 읽을 수 없습니다)",
    "bool_type": "참/거짓 값이어야 합니다",
    "bool_parsing": "참/거짓 값이어야 합니다(입력을 해석할 수 없습니다)",
    "greater_than": "{gt}보다 커야 합니다",
    "greater_than_equal": "{ge} 이상이어야 합니다",
    "less_than": "{lt}보다 작아야 합니다",
    "less_than_equal": "{le} 이하여야 합니다",
    "multiple_of": "{multiple_of}의 배수여야 합니다",
    "finite_number": "유한한 숫자여야 합니다",
    "literal_error": "{expected} 중 하나여야 합니다",
    "enum": "{expected} 중 하나여야 합니다",
    "list_type": "목록(list)이어야 합니다",
    "tuple_type": "튜플(tuple)이어야 합니다",
    "set_type": "집합(set)이어야 합니다",
    "frozen_set_type": "집합(frozenset)이어야 합니다",
    "dict_type": "매핑(dictionary)이어야 합니다",
    "model_type": "매핑이나 {class_name} 인스턴스여야 합니다",
    "model_attributes_type": "필드를 읽을 수 있는 매핑이나 객체여야 합니다",
    "dataclass_type": "매핑이나 {class_name} 인스턴스여야 합니다",
    "is_instance_of": "{class} 인스턴스여야 합니다",
    "date_type": "날짜여야 합니다",
    "date_from_datetime_inexact": "날짜 자리에 일시를 줄 때는 시각이 0시 0분 0초여야 합니다",
    "date_past": "과거 날짜여야 합니다",
    "date_future": "미래 날짜여야 합니다",
    "datetime_type": "일시(datetime)여야 합니다",
    "datetime_past": "과거 일시여야 합니다",
    "datetime_future": "미래 일시여야 합니다",
    "timezone_naive": "시간대 정보가 없어야 합니다",
    "timezone_aware": "시간대 정보가 있어야 합니다",
    "time_type": "시각(time)이어야 합니다",
    "json_type": "JSON 문자열이나 바이트여야 합니다",
    "union_tag_invalid": (
        "{discriminator}(으)로 찾은 태그 '{tag}'이(가) 허용된 태그({expected_tags}) 중 "
        "하나가 아닙니다"
    ),
    "union_tag_not_found": "구분 필드 {discriminator}(으)로 태그를 찾을 수 없습니다",
    "none_required": "값이 없어야 합니다(None)",
    "url_type": "URL은 문자열이어야 합니다",
    "url_scheme": "URL 스킴은 {expected_schemes} 중 하나여야 합니다",
    "url_too_long": "URL은 {max_length}자 이하여야 합니다",
    "decimal_type": "십진수여야 합니다",
    "decimal_parsing": "올바른 십진수여야 합니다",
    "decimal_max_digits": "숫자가 모두 {max_digits}자리 이하여야 합니다",
    "decimal_max_places": "소수점 아래가 {decimal_places}자리 이하여야 합니다",
    "decimal_whole_digits": "소수점 위가 {whole_digits}자리 이하여야 합니다",
    "bytes_type": "바이트열이어야 합니다",
    "bytes_too_short": "{min_length}바이트 이상이어야 합니다",
    "bytes_too_long": "{max_length}바이트 이하여야 합니다",
    "uuid_type": "UUID여야 합니다",
    "frozen_field": "바꿀 수 없는 필드입니다",
    "frozen_instance": "바꿀 수 없는 객체입니다",
}

_COLLECTIONS = {
    "List": "목록",
    "Tuple": "튜플",
    "Set": "집합",
    "Frozenset": "집합",
    "Dictionary": "매핑",
}


def _count(ctx: Mapping[str, Any], bound: str, word: str) -> str:
    kind = str(ctx["field_type"])
    what = _COLLECTIONS.get(kind, kind)
    actual = ctx.get("actual_length")
    now = f"(지금 {actual}개)" if actual is not None else ""
    return f"{what}의 항목이 {ctx[bound]}개 {word} 합니다{now}"


_UNITS = {
    "year": "연도",
    "month": "월",
    "day": "일",
    "hour": "시",
    "minute": "분",
    "second": "초",
    "microsecond": "마이크로초",
}
_FIXED_DETAILS = {
    "input is too short": "입력이 너무 짧습니다",
    "unexpected extra characters at the end of the input": "입력 끝에 남는 문자가 있습니다",
    "invalid date separator, expected `-`": "날짜 구분자는 '-'여야 합니다",
    "invalid time separator, expected `:`": "시각 구분자는 ':'여야 합니다",
    "invalid timezone sign": "시간대 부호가 잘못되었습니다",
    "relative URL without a base": "기준 주소 없는 상대 URL입니다",
    "empty host": "호스트가 비어 있습니다",
    "invalid port number": "포트 번호가 잘못되었습니다",
    "invalid IPv4 address": "IPv4 주소가 잘못되었습니다",
    "invalid IPv6 address": "IPv6 주소가 잘못되었습니다",
    "invalid international domain name": "국제화 도메인 이름이 잘못되었습니다",
}
_BAD_CHARACTER = re.compile(r"invalid character in (\w+)")
_OUT_OF_RANGE = re.compile(r"(\w+) value is outside expected range(?: of (\S+))?")
_JSON_POSITION = re.compile(r"at line (\d+) column (\d+)")


def _detail(ctx: Mapping[str, Any]) -> str:
    """The parser's reason (English in ``ctx["error"]``) in Korean, in brackets; or nothing."""
    error = str(ctx.get("error", "")).strip()
    if error in _FIXED_DETAILS:
        return f"({_FIXED_DETAILS[error]})"
    if match := _BAD_CHARACTER.fullmatch(error):
        unit = _UNITS.get(match[1], match[1])
        return f"({unit}에 잘못된 문자가 있습니다)"
    if match := _OUT_OF_RANGE.fullmatch(error):
        unit = _UNITS.get(match[1], match[1])
        return f"({unit} 값이 허용 범위{f'({match[2]})' if match[2] else ''}를 벗어났습니다)"
    return ""


def _json(ctx: Mapping[str, Any]) -> str:
    match = _JSON_POSITION.search(str(ctx.get("error", "")))
    where = f"({match[1]}번째 줄, {match[2]}번째 열)" if match else ""
    return f"올바른 JSON이 아닙니다{where}"


_SPECIAL: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "too_short": lambda ctx: _count(ctx, "min_length", "이상이어야"),
    "too_long": lambda ctx: _count(ctx, "max_length", "이하여야"),
    "date_parsing": lambda ctx: f"YYYY-MM-DD 형식의 올바른 날짜여야 합니다{_detail(ctx)}",
    "date_from_datetime_parsing": lambda ctx: f"올바른 날짜나 일시여야 합니다{_detail(ctx)}",
    "datetime_parsing": lambda ctx: f"올바른 일시여야 합니다{_detail(ctx)}",
    "datetime_from_date_parsing": lambda ctx: f"올바른 일시나 날짜여야 합니다{_detail(ctx)}",
    "time_parsing": lambda ctx: f"올바른 시각 형식이어야 합니다{_detail(ctx)}",
    "url_parsing": lambda ctx: f"올바른 URL이어야 합니다{_detail(ctx)}",
    "uuid_parsing": lambda ctx: f"올바른 UUID여야 합니다{_detail(ctx)}",
    "json_invalid": _json,
}
