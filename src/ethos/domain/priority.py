"""Checking severity and likelihood levels given by people."""

from __future__ import annotations

from ethos.domain.errors import InvalidInputError

__all__ = ["parse_level"]


def parse_level(value: object, *, field: str) -> int:
    """A level from 1 to 5, or a clear error naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInputError(
            f"{field}: {value!r} is not a whole number from 1 to 5",
            ko=f"{field}: {value!r}은(는) 1부터 5까지의 정수가 아닙니다",
        )
    return value
