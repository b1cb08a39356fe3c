"""Exceptions of the PII package. Messages never contain matched text.

Both are Ethos errors with an English and a Korean message (``text(lang)``), and
``ValueError`` s as they were before they carried Korean.
"""

from __future__ import annotations

from ethos.domain.errors import ContentError, InvalidInputError

__all__ = ["PiiError", "RecognizerConfigError"]


class PiiError(InvalidInputError, ValueError):
    """Invalid input to :func:`detect` or :func:`anonymize`."""


class RecognizerConfigError(ContentError, PiiError):
    """A recognizers YAML file is malformed; the message names file, recognizer and field."""
