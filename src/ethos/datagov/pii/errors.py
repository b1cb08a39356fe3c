"""Exceptions of the PII package. Messages never contain matched text."""

from __future__ import annotations

__all__ = ["PiiError", "RecognizerConfigError"]


class PiiError(ValueError):
    """Invalid input to :func:`detect` or :func:`anonymize`."""


class RecognizerConfigError(PiiError):
    """A recognizers YAML file is malformed; the message names file, recognizer and field."""
