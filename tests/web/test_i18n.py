"""Interface strings: every one used is in both gettext catalogues, translated into Korean."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from ethos.web.i18n import LOCALE_DIR, load_catalogues

WEB = Path(__file__).resolve().parents[2] / "src" / "ethos" / "web"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "translate": None, "say": (3,)}


def used_messages() -> set[str]:
    found: set[str] = set()
    for path in WEB.rglob("*.j2"):
        with path.open("rb") as handle:
            for _, _, message, _ in babel_extract(handle, ("_",), [], {}):
                if isinstance(message, str):  # _(term(x)): the terms are extracted from terms.py
                    found.add(message)
    for path in WEB.rglob("*.py"):
        with path.open("rb") as handle:
            for _, message, _, _ in extract("python", handle, keywords=KEYWORDS):
                found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue(lang: str) -> dict[str, str]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def test_every_interface_string_has_a_korean_translation() -> None:
    used = used_messages()
    assert len(used) > 150
    korean = catalogue("ko")
    missing = sorted(m for m in used if not korean.get(m))
    assert missing == []
    assert sorted(used - set(catalogue("en"))) == []


def test_translations_keep_their_placeholders() -> None:
    for message, translated in catalogue("ko").items():
        assert set(re.findall(r"\{\w+\}", message)) == set(re.findall(r"\{\w+\}", translated))


def test_catalogues_compile_in_memory() -> None:
    catalogues = load_catalogues()
    assert catalogues.gettext("ko", "Dashboard") == "대시보드"
    assert catalogues.gettext("en", "Dashboard") == "Dashboard"
    assert not list(LOCALE_DIR.rglob("*.mo"))
