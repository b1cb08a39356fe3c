"""UTF-8 decoding that replaces undecodable bytes with U+FFFD and counts the replacements."""

from __future__ import annotations

import codecs
import re
from typing import Any

__all__ = ["CountingDecoder", "decode_counted", "scrub_surrogates"]

_HANDLER = "ethos-count-replace"
_replacements = [0]
_registered = [False]
_SURROGATE = re.compile("[\ud800-\udfff]")


def _count_and_replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):  # pragma: no cover - only decoding uses it
        raise error
    _replacements[0] += 1
    return "\ufffd", error.end


def _ensure_registered() -> None:
    if not _registered[0]:
        codecs.register_error(_HANDLER, _count_and_replace)
        _registered[0] = True


def decode_counted(data: bytes) -> tuple[str, int]:
    """Decode UTF-8 ``data``; each undecodable sequence becomes U+FFFD and is counted.

    Returns
    -------
    tuple of (str, int)
        The text and the number of replaced sequences.
    """
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        _ensure_registered()
        before = _replacements[0]
        text = data.decode("utf-8", _HANDLER)
        return text, _replacements[0] - before


class CountingDecoder:
    """An incremental UTF-8 decoder for text arriving in pieces, counting replacements."""

    __slots__ = ("_decoder", "replaced")

    def __init__(self) -> None:
        _ensure_registered()
        self._decoder = codecs.getincrementaldecoder("utf-8")(_HANDLER)
        self.replaced = 0

    def decode(self, data: bytes, *, final: bool = False) -> str:
        before = _replacements[0]
        text: str = self._decoder.decode(data, final)
        self.replaced += _replacements[0] - before
        return text


def scrub_surrogates(value: Any) -> tuple[Any, int]:
    """Replace lone surrogates (from JSON escapes such as ``\\ud800``) by U+FFFD, recursively.

    They cannot be written as UTF-8, so they count as undecodable input.
    """
    if isinstance(value, str):
        return _SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            clean, count = scrub_surrogates(item)
            items.append(clean)
            total += count
        return items, total
    if isinstance(value, dict):
        total = 0
        result = {}
        for key, item in value.items():
            clean_key, key_count = scrub_surrogates(key)
            clean, count = scrub_surrogates(item)
            result[clean_key] = clean
            total += key_count + count
        return result, total
    return value, 0
