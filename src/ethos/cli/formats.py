"""The ``--format`` option shared by commands."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["OutputFormat", "ProfileFormat"]


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class ProfileFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    SVG = "svg"
