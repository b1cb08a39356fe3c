"""Interface strings in Korean and English from gettext catalogues (Babel).

The ``.po`` files under ``locale/`` are the source; they are compiled in memory when the
app starts, so no ``.mo`` binaries are kept in the repository. Message ids are English.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from ethos.domain.errors import ContentError

__all__ = ["LANGUAGES", "LOCALE_DIR", "Catalogues", "load_catalogues"]

LANGUAGES = ("ko", "en")
LOCALE_DIR = Path(__file__).parent / "locale"


class Catalogues:
    """Compiled translations per language."""

    def __init__(self, translations: dict[str, gettext.NullTranslations]) -> None:
        self._translations = translations

    def get(self, lang: str) -> gettext.NullTranslations:
        return self._translations.get(lang, self._translations["en"])

    def gettext(self, lang: str, message: str) -> str:
        return self.get(lang).gettext(message)


def _compile(path: Path) -> gettext.NullTranslations:
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError) as exc:
        raise ContentError(
            f"{path}: not a valid gettext catalogue ({exc})",
            ko=f"{path}: 올바른 gettext 카탈로그가 아닙니다({exc})",
        ) from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def load_catalogues(root: Path = LOCALE_DIR) -> Catalogues:
    """Compile ``<root>/<lang>/LC_MESSAGES/messages.po`` for each language."""
    translations: dict[str, gettext.NullTranslations] = {}
    for lang in LANGUAGES:
        path = root / lang / "LC_MESSAGES" / "messages.po"
        if not path.is_file():
            raise ContentError(
                f"{path}: the {lang} interface catalogue is missing",
                ko=f"{path}: {lang} 화면 문구 카탈로그가 없습니다",
            )
        translations[lang] = _compile(path)
    return Catalogues(translations)
