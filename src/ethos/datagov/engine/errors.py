"""Exceptions of the scanning engine. Messages name files, lines and fields, never values."""

from __future__ import annotations

from ethos.domain.errors import ConflictError, InvalidInputError

__all__ = ["ScanBusyError", "ScanInputError"]


class ScanInputError(InvalidInputError):
    """The input corpus or an option is unusable: no files, an unknown format, a missing column."""


class ScanBusyError(ConflictError):
    """Another scan holds the work directory, or it belongs to a run with other inputs."""
