"""Domain exceptions: the only errors the CLI and the web turn into exits and 4xx answers.

Each carries a message meant for a person: it names what is wrong and where, and never
contains raw personal data.
"""

from __future__ import annotations

__all__ = [
    "AccessDeniedError",
    "ConflictError",
    "ContentError",
    "EthosError",
    "InvalidInputError",
    "NotFoundError",
    "SchemaOutdatedError",
]


class EthosError(Exception):
    """Base of every error Ethos reports to a user.

    ``message`` is the English text; ``ko``, when given, the same facts in Korean (names,
    ids, numbers and option names such as ``--note`` stay as they are). ``text(lang)`` picks
    the one to show a person.
    """

    def __init__(self, message: str, *, ko: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_ko = ko

    def text(self, lang: str) -> str:
        """The message in ``lang`` ("ko" or "en"): English when no Korean was given."""
        if lang == "ko" and self.message_ko:
            return self.message_ko
        return self.message


class InvalidInputError(EthosError):
    """The input is malformed or out of range (a score of 7, an unknown role...)."""


class NotFoundError(EthosError):
    """A referenced record (project, member, item, version) does not exist."""


class ConflictError(EthosError):
    """The request is well formed but the current state forbids it."""


class ContentError(EthosError):
    """A content file (questionnaire, catalogue...) is malformed or was altered."""


class AccessDeniedError(EthosError):
    """The principal may not read or manage this record (e.g. a dataset not granted to them)."""


class SchemaOutdatedError(EthosError):
    """The database schema is not at the revision this version of Ethos expects."""
