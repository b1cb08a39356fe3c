"""Normalisation that undoes the usual ways people disguise profanity, in Korean and English.

:func:`normalize` turns a text into a :class:`NormalizedText` with two views:

``plain``
    Invisible characters removed (zero-width, bidirectional controls, Hangul fillers);
    compatibility jamo typed one by one composed into syllables (``ㅅㅣㅂㅏㄹ`` -> ``시발``);
    NFKC (full-width and half-width forms, ligatures) applied everywhere except to the
    jamo, which NFKC would glue onto the syllable before them (``너ㅄ`` would become
    ``넚``); lower case; HTML entities decoded; URLs dropped and ``@mentions`` replaced by
    ``@user``; letters spelled out one by one joined (``f.u.c.k`` -> ``fuck``, ``ㅅ ㅂ`` ->
    ``ㅅㅂ``, ``씨.발.놈`` -> ``씨발놈``); digits and symbols used as
    letters inside Latin words read as letters (``sh1t`` -> ``shit``, ``b!tch`` -> ``bitch``);
    any character repeated three times or more cut to two (``ㅋㅋㅋㅋ`` -> ``ㅋㅋ``).
``hangul``
    Only the Korean words of ``plain``, separated by single spaces: anything that is not
    Hangul inside a word is dropped (``시1발``, ``씨~발`` -> ``시발``), runs of one-letter
    words are joined (``시 발 놈`` -> ``시발놈``, ``ㅅ ㅂ`` -> ``ㅅㅂ``), then jamo are
    composed and repeats cut again. Word boundaries are kept so that ``다시 발견`` never
    reads as containing ``시발``.

Both views are pure functions of the text; nothing here depends on the model.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["NormalizedText", "compose_jamo", "normalize", "tokens"]

# Characters that render as nothing: soft hyphen, zero-width and joiner characters,
# bidirectional controls, word joiners, the BOM and the Hangul fillers people use to make
# "invisible" spaces inside Korean words.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufe00\ufe01\ufe0e\ufe0f\ufeff\uffa0"
)
_DELETE_INVISIBLE = str.maketrans(dict.fromkeys(_INVISIBLE))
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE}]")

# Compatibility jamo (what keyboards type): 19 initial consonants in syllable order,
# 21 vowels, and the 27 final consonants in syllable order.
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_INITIAL_INDEX = {ch: i for i, ch in enumerate(_INITIALS)}
_VOWEL_INDEX = {ch: i for i, ch in enumerate(_VOWELS)}
_FINAL_INDEX = {ch: i + 1 for i, ch in enumerate(_FINALS)}
_JAMO_RUN = re.compile("[\u3131-\u318e]+")
_HAS_JAMO = re.compile("[\u3131-\u318e\u1100-\u11ff\uffa0-\uffdc]")

# Conjoining jamo (U+1100 block, what NFKC produces from compatibility and half-width jamo)
# back to compatibility jamo, so one form reaches the features.
_CONJOINING_INITIALS = "".join(chr(0x1100 + i) for i in range(19))
_CONJOINING_VOWELS = "".join(chr(0x1161 + i) for i in range(21))
_CONJOINING_FINALS = "".join(chr(0x11A8 + i) for i in range(27))
_TO_COMPATIBILITY = str.maketrans(
    _CONJOINING_INITIALS + _CONJOINING_VOWELS + _CONJOINING_FINALS,
    _INITIALS + _VOWELS + _FINALS,
)

_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@\w+")
# Three or more single Latin letters separated by one separator each: "f u c k", "f.u.c.k".
_SPELLED = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-_*,/|][a-z](?![a-z0-9])){2,}")
_SPELLED_SEPARATORS = re.compile(r"[ .\-_*,/|~^]")
# Single jamo separated by one separator each ("ㅅ ㅂ", "ㅈ.ㄹ"), and single syllables
# separated by a symbol other than a space ("씨.발.놈"): spaces between syllables are
# ordinary Korean ("이 책 좀"), so only the Hangul view joins those.
_SPELLED_JAMO = re.compile(
    r"(?<![\u3131-\u318e])[\u3131-\u318e](?:[ .\-_*,/|~^][\u3131-\u318e](?![\u3131-\u318e]))+"
)
_SPELLED_SYLLABLES = re.compile(
    r"(?<![\uac00-\ud7a3])[\uac00-\ud7a3](?:[.\-_*,/|~^][\uac00-\ud7a3](?![\uac00-\ud7a3]))+"
)
# A digit or symbol standing for a letter, between two Latin letters.
_LEET_CHAR = re.compile(r"(?<=[a-z])[0134578@$!|](?=[a-z])")
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"}
_LEET.update({"@": "a", "$": "s", "!": "i", "|": "l"})
_REPEATS = re.compile(r"(.)\1\1+")
_SPACES = re.compile(r"\s+")
_H = "\uac00-\ud7a3\u3131-\u318e"
_HAS_HANGUL = re.compile(f"[{_H}]")
_JUNK_IN_WORD = re.compile(f"(?<=[{_H}])[^{_H}\\s]+(?=[{_H}])")
_ONE_LETTER_WORDS = re.compile(f"(?<!\\S)[{_H}](?: [{_H}](?!\\S))+")
_NOT_HANGUL = re.compile(f"[^{_H} ]+")
_TOKEN = re.compile(r"[\w*]+")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """The two normalised views of a text (see the module docstring).

    Attributes
    ----------
    plain : str
        Lower-case text with disguises undone, spaces kept.
    hangul : str
        The Korean words of ``plain`` only, disguises inside words removed.
    """

    plain: str
    hangul: str


def _syllable(initial: str, vowel: str, final: str = "") -> str:
    code = 0xAC00 + (_INITIAL_INDEX[initial] * 21 + _VOWEL_INDEX[vowel]) * 28
    return chr(code + (_FINAL_INDEX[final] if final else 0))


def _compose_run(run: str) -> str:
    out: list[str] = []
    i = 0
    n = len(run)
    while i < n:
        ch = run[i]
        if ch in _INITIAL_INDEX and i + 1 < n and run[i + 1] in _VOWEL_INDEX:
            vowel = run[i + 1]
            after = run[i + 2] if i + 2 < n else ""
            # A consonant after the vowel is a final one unless a vowel follows it.
            if after in _FINAL_INDEX and not (i + 3 < n and run[i + 3] in _VOWEL_INDEX):
                out.append(_syllable(ch, vowel, after))
                i += 3
            else:
                out.append(_syllable(ch, vowel))
                i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def compose_jamo(text: str) -> str:
    """Compose runs of compatibility jamo written one by one into syllables.

    Consonant-vowel(-consonant) sequences become syllables; jamo that cannot start a
    syllable, such as the abbreviations ``ㅅㅂ`` or ``ㅋㅋ``, stay as they are.

    >>> compose_jamo("ㅅㅣㅂㅏㄹ ㅋㅋ ㅅㅂ")
    '시발 ㅋㅋ ㅅㅂ'
    """
    if _JAMO_RUN.search(text) is None:
        return text
    return _JAMO_RUN.sub(lambda match: _compose_run(match.group()), text)


def _nfkc_outside_jamo(text: str) -> str:
    """NFKC everywhere except compatibility jamo, then conjoining jamo to compatibility."""
    if _HAS_JAMO.search(text) is None:
        if unicodedata.is_normalized("NFKC", text):
            return text
        return unicodedata.normalize("NFKC", text)
    parts: list[str] = []
    pos = 0
    for match in _JAMO_RUN.finditer(text):
        parts.append(unicodedata.normalize("NFKC", text[pos : match.start()]))
        parts.append(match.group())
        pos = match.end()
    parts.append(unicodedata.normalize("NFKC", text[pos:]))
    return "".join(parts).translate(_TO_COMPATIBILITY)


def _join_spelled(match: re.Match[str]) -> str:
    return _SPELLED_SEPARATORS.sub("", match.group())


def _plain(text: str) -> str:
    if _HAS_INVISIBLE.search(text) is not None:
        text = text.translate(_DELETE_INVISIBLE)
    text = compose_jamo(text)
    text = _nfkc_outside_jamo(text).lower()
    if "&" in text:
        text = html.unescape(text)
    if "/" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub("@user", text)
    text = _SPELLED.sub(_join_spelled, text)
    if _HAS_HANGUL.search(text) is not None:
        text = compose_jamo(_SPELLED_JAMO.sub(_join_spelled, text))
        text = _SPELLED_SYLLABLES.sub(_join_spelled, text)
    text = _LEET_CHAR.sub(lambda match: _LEET[match.group()], text)
    text = _REPEATS.sub(r"\1\1", text)
    return _SPACES.sub(" ", text).strip()


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` into its plain and Hangul views.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    NormalizedText
        The two views; see the module docstring for every step.

    Examples
    --------
    >>> normalize("시1발 ｆｕｃｋ").plain
    '시1발 fuck'
    >>> normalize("시1발 ｆｕｃｋ").hangul
    '시발'
    """
    plain = _plain(text)
    if _HAS_HANGUL.search(plain) is None:
        return NormalizedText(plain, "")
    hangul = _SPACES.sub(" ", _NOT_HANGUL.sub(" ", _JUNK_IN_WORD.sub("", plain))).strip()
    hangul = _ONE_LETTER_WORDS.sub(_join_spelled, hangul)
    return NormalizedText(plain, _REPEATS.sub(r"\1\1", compose_jamo(hangul)))


def tokens(plain: str) -> list[str]:
    """Split a ``plain`` view into word tokens (letters, digits, ``_`` and ``*``)."""
    return _TOKEN.findall(plain)
