"""Naming the entry and field of a pydantic error in a list-of-entries YAML file (the PII
recognizers, the toxicity lexicon), so that a bad file is reported as ``recognizer KR_RRN
(#3)`` and ``field 'regex'`` rather than as a raw location."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["locate"]


def locate(
    raw: Any, loc: tuple[int | str, ...], *, section: str, noun: str, key: str, quote: bool
) -> tuple[str, str]:
    """``(where, field)`` for the pydantic location ``loc`` in the parsed file ``raw``.

    An entry of the list ``section`` is named ``"{noun} {name} (#index)"`` by its ``key``
    (quoted when ``quote``), or ``"{noun} #index"`` when it has none; anything else is
    ``"file"`` with the dotted location as the field."""
    if len(loc) >= 2 and loc[0] == section and isinstance(loc[1], int):
        index = loc[1]
        name = f"#{index}"
        items = raw.get(section) if isinstance(raw, Mapping) else None
        if isinstance(items, list) and index < len(items) and isinstance(items[index], Mapping):
            value = items[index].get(key)
            if isinstance(value, str):
                name = f"'{value}' (#{index})" if quote else f"{value} (#{index})"
        field = ".".join(str(part) for part in loc[2:]) or "(entry)"
        return f"{noun} {name}", field
    return "file", ".".join(str(part) for part in loc) or "(root)"
