"""Pydantic's problems in Korean: one sentence per error type, filled from the error's context.

Every case makes pydantic itself raise the error (no hand-written error dicts), then checks
the Korean sentence against values written here by hand.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

import pytest
from pydantic import (
    AnyUrl,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    TypeAdapter,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from ethos.domain.validation import INVALID, describe_problem, invalid

HANGUL = re.compile(r"[\uac00-\ud7a3]")


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Point(BaseModel):
    x: int


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: int = 0


class Cat(BaseModel):
    kind: Literal["cat"]


class Dog(BaseModel):
    kind: Literal["dog"]


Pet = Annotated[Cat | Dog, Field(discriminator="kind")]


def python(schema: Any, value: Any, **options: Any) -> Callable[[], Any]:
    return lambda: TypeAdapter(schema).validate_python(value, **options)


def json(schema: Any, text: str, **options: Any) -> Callable[[], Any]:
    return lambda: TypeAdapter(schema).validate_json(text, **options)


# (pydantic error type, what raises it, Korean fragments the sentence must hold)
CASES: list[tuple[str, Callable[[], Any], list[str]]] = [
    ("missing", lambda: Point.model_validate({}), ["값이 없습니다"]),
    ("extra_forbidden", lambda: Closed.model_validate({"b": 1}), ["허용되지 않는 필드"]),
    ("string_type", python(str, 1), ["문자열이어야"]),
    ("string_too_short", python(Annotated[str, Field(min_length=3)], "a"), ["3자 이상"]),
    ("string_too_long", python(Annotated[str, Field(max_length=7)], "x" * 9), ["7자 이하"]),
    (
        "string_pattern_mismatch",
        python(Annotated[str, Field(pattern=r"^[a-z]+$")], "A1"),
        ["'^[a-z]+$'", "패턴"],
    ),
    ("int_type", python(int, []), ["정수여야"]),
    ("int_parsing", python(int, "x"), ["정수여야", "정수로 읽을 수 없습니다"]),
    ("int_from_float", python(int, 1.5), ["정수여야", "소수 부분"]),
    ("float_type", python(float, []), ["숫자여야"]),
    ("float_parsing", python(float, "x"), ["숫자여야", "숫자로 읽을 수 없습니다"]),
    ("bool_type", python(bool, []), ["참/거짓"]),
    ("bool_parsing", python(bool, "maybe"), ["참/거짓", "해석할 수 없습니다"]),
    ("greater_than", python(Annotated[int, Field(gt=5)], 1), ["5보다 커야"]),
    ("greater_than_equal", python(Annotated[int, Field(ge=6)], 1), ["6 이상"]),
    ("less_than", python(Annotated[float, Field(lt=2.5)], 9), ["2.5보다 작아야"]),
    ("less_than_equal", python(Annotated[int, Field(le=4)], 9), ["4 이하"]),
    ("multiple_of", python(Annotated[int, Field(multiple_of=5)], 9), ["5의 배수"]),
    ("finite_number", python(Annotated[float, Field(allow_inf_nan=False)], float("inf")), ["유한"]),
    ("literal_error", python(Literal["a", "b", "c"], "z"), ["'a', 'b' 또는 'c' 중 하나"]),
    ("enum", python(Colour, "green"), ["'red' 또는 'blue' 중 하나"]),
    ("list_type", python(list[int], 1), ["목록(list)"]),
    ("tuple_type", python(tuple[int, ...], 1), ["튜플(tuple)"]),
    ("set_type", python(set[int], 1), ["집합(set)"]),
    ("frozen_set_type", python(frozenset[int], 1), ["집합(frozenset)"]),
    ("dict_type", python(dict[str, int], 1), ["매핑(dictionary)"]),
    ("model_type", lambda: Point.model_validate(1), ["Point 인스턴스"]),
    (
        "model_attributes_type",
        lambda: TypeAdapter(Point).validate_python(1, from_attributes=True),
        ["매핑이나 객체"],
    ),
    (
        "too_short",
        python(Annotated[list[int], Field(min_length=2)], [1]),
        ["목록의 항목이 2개 이상이어야 합니다", "지금 1개"],
    ),
    (
        "too_long",
        python(Annotated[tuple[int, ...], Field(max_length=1)], (1, 2, 3)),
        ["튜플의 항목이 1개 이하", "지금 3개"],
    ),
    ("date_type", python(dt.date, []), ["날짜여야"]),
    (
        "date_parsing",
        json(dt.date, '"2020-13-01"', strict=True),
        ["YYYY-MM-DD", "월 값이 허용 범위(1-12)를 벗어났습니다"],
    ),
    (
        "date_from_datetime_parsing",
        python(dt.date, "20x"),
        ["올바른 날짜나 일시", "입력이 너무 짧습니다"],
    ),
    ("date_from_datetime_inexact", python(dt.date, dt.datetime(2020, 1, 1, 10)), ["시각이 0시"]),
    ("datetime_type", python(dt.datetime, []), ["일시(datetime)"]),
    (
        "datetime_parsing",
        json(dt.datetime, '"2020-01-01T25:00"', strict=True),
        ["올바른 일시", "시 값이 허용 범위(0-23)를 벗어났습니다"],
    ),
    (
        "datetime_from_date_parsing",
        python(dt.datetime, "2020-01-01 10:00:00 junk"),
        ["올바른 일시나 날짜", "입력 끝에 남는 문자가 있습니다"],
    ),
    ("json_invalid", json(Point, '{"x": 1,\n  oops}'), ["올바른 JSON이 아닙니다", "2번째 줄"]),
    (
        "union_tag_invalid",
        python(Pet, {"kind": "cow"}),
        ["'kind'", "태그 'cow'", "'cat', 'dog'"],
    ),
    ("union_tag_not_found", python(Pet, {}), ["구분 필드 'kind'"]),
    ("none_required", python(None, 1), ["값이 없어야"]),
    ("url_parsing", python(AnyUrl, "not a url"), ["올바른 URL", "상대 URL"]),
    ("url_type", python(AnyUrl, 1), ["URL은 문자열"]),
    ("url_scheme", python(HttpUrl, "ftp://example.org"), ["'http' 또는 'https' 중 하나"]),
]


def first_error(raise_it: Callable[[], Any]) -> ErrorDetails:
    with pytest.raises(ValidationError) as caught:
        raise_it()
    return caught.value.errors()[0]


@pytest.mark.parametrize(("kind", "raise_it", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_each_error_type_reads_in_korean_with_its_values(
    kind: str, raise_it: Callable[[], Any], fragments: list[str]
) -> None:
    detail = first_error(raise_it)
    assert detail["type"] == kind  # the case really makes pydantic raise this type
    korean = describe_problem(detail, "ko")
    for fragment in fragments:
        assert fragment in korean, (kind, korean)
    assert HANGUL.search(korean)
    assert "Input should" not in korean and korean != detail["msg"]
    assert describe_problem(detail) == describe_problem(detail, "en") == detail["msg"]


def test_the_cases_cover_the_types_people_meet() -> None:
    wanted = {
        "missing", "extra_forbidden", "string_type", "string_too_short", "string_too_long",
        "string_pattern_mismatch", "int_type", "int_parsing", "int_from_float", "float_type",
        "float_parsing", "bool_type", "bool_parsing", "greater_than", "greater_than_equal",
        "less_than", "less_than_equal", "multiple_of", "finite_number", "literal_error", "enum",
        "list_type", "tuple_type", "set_type", "frozen_set_type", "dict_type", "model_type",
        "model_attributes_type", "too_short", "too_long", "date_type", "date_parsing",
        "date_from_datetime_parsing", "datetime_type", "datetime_parsing", "json_invalid",
        "union_tag_invalid", "union_tag_not_found", "none_required", "url_parsing", "url_type",
    }  # fmt: skip
    assert wanted <= {kind for kind, _, _ in CASES}


def test_a_collection_whose_size_pydantic_did_not_count_still_reads_in_korean() -> None:
    detail = first_error(python(Annotated[set[int], Field(max_length=1)], {1, 2, 3}))
    assert detail["type"] == "too_long" and detail.get("ctx", {})["actual_length"] is None
    assert describe_problem(detail, "ko") == "집합의 항목이 1개 이하여야 합니다"


def test_an_unknown_type_falls_back_to_pydantics_english() -> None:
    class Odd(BaseModel):
        x: int

        @field_validator("x")
        @classmethod
        def _odd(cls, value: int) -> int:
            raise PydanticCustomError("no_such_kind", "x is {why}", {"why": "odd"})

    detail = first_error(lambda: Odd(x=1))
    assert detail["type"] == "no_such_kind"
    assert describe_problem(detail, "ko") == describe_problem(detail) == "x is odd"


def test_a_plain_value_error_falls_back_to_its_english_without_pydantics_prefix() -> None:
    class Plain(BaseModel):
        x: int

        @field_validator("x")
        @classmethod
        def _never(cls, value: int) -> int:
            raise ValueError("not today")

    detail = first_error(lambda: Plain(x=1))
    assert describe_problem(detail) == "Value error, not today"
    assert describe_problem(detail, "ko") == "not today"


def test_a_context_missing_a_value_falls_back_to_english_and_never_crashes() -> None:
    class Shaped(BaseModel):
        x: int

        @field_validator("x")
        @classmethod
        def _short(cls, value: int) -> int:
            # the type pydantic uses for short strings, without its ``min_length``
            raise PydanticCustomError("string_too_short", "too short, {why}", {"why": "really"})

    detail = first_error(lambda: Shaped(x=1))
    assert describe_problem(detail, "ko") == "too short, really"
    bare = {"type": "string_too_long", "loc": ("x",), "msg": "String is long"}
    assert describe_problem(bare, "ko") == "String is long"  # no ctx at all
    assert describe_problem({}, "ko") == ""


def test_a_bilingual_problem_gives_each_language_its_own_text() -> None:
    class Checked(BaseModel):
        name: str

        @field_validator("name")
        @classmethod
        def _check(cls, value: str) -> str:
            raise invalid(
                f"name: {value!r} is taken {{en}}", f"name: {value!r}은(는) 쓰입니다 {{ko}}"
            )

    with pytest.raises(ValidationError) as caught:
        Checked(name="kim")
    detail = caught.value.errors()[0]
    assert detail["type"] == INVALID
    # English is exactly the text given; braces in either text are kept, not filled in
    assert detail["msg"] == "name: 'kim' is taken {en}"
    assert describe_problem(detail) == "name: 'kim' is taken {en}"
    assert describe_problem(detail, "ko") == "name: 'kim'은(는) 쓰입니다 {ko}"
    assert str(invalid("plain", "평범")) == "plain"


@pytest.mark.parametrize(
    ("schema", "value", "shown"),
    [
        (Annotated[float, Field(ge=0)], -1, "0 이상"),
        (Annotated[float, Field(gt=1e20)], 1, "100000000000000000000보다 커야"),
        (Annotated[float, Field(le=1e-7)], 1, "0.0000001 이하"),
        (Annotated[float, Field(lt=0.25)], 1, "0.25보다 작아야"),
    ],
)
def test_float_bounds_read_as_pydantic_writes_them(schema: Any, value: Any, shown: str) -> None:
    detail = first_error(python(schema, value))
    korean = describe_problem(detail, "ko")
    assert shown in korean
    number = shown.split(" ")[0].removesuffix("보다")
    assert detail["msg"].endswith(number)  # the same number as in pydantic's English
