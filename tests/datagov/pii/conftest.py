"""Shared helpers for the PII tests. All personal data in these tests is FAKE."""

from __future__ import annotations

from ethos.datagov.pii import detect


def offsets(text: str, type_name: str) -> list[tuple[int, int]]:
    """Offsets of every span of ``type_name`` that :func:`detect` reports in ``text``."""
    return [(s.start, s.end) for s in detect(text) if s.type == type_name]
