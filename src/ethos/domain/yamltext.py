"""Parsing YAML text as ``yaml.safe_load`` does, with libyaml's parser where PyYAML has it."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["safe_load"]

# PyYAML built against libyaml: the same constructor and resolver as safe_load, with the
# scanner and parser in C (about ten times faster on our content files).
_C_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def safe_load(text: str) -> Any:
    """What ``yaml.safe_load(text)`` returns, parsed by libyaml when it is available.

    When libyaml rejects the text, the pure-Python parser parses it again: it raises the
    error ``safe_load`` raises (positions and wording as before), or returns the value
    should the two parsers ever disagree about valid YAML.
    """
    if _C_LOADER is not None:
        try:
            return yaml.load(text, Loader=_C_LOADER)  # noqa: S506 - CSafeLoader is safe
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)
