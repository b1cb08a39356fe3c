"""PII detection and anonymisation for Korean and English text, as pure functions.

>>> from ethos.datagov.pii import anonymize, detect
>>> text = "연락처 010-1234-5678로 주세요"
>>> anonymize(text, detect(text)).text
'연락처 <KR_PHONE>로 주세요'
"""

from __future__ import annotations

from .analyzer import detect, prepare
from .anonymizer import AnonymizedText, Operator, anonymize
from .errors import PiiError, RecognizerConfigError
from .schema import RecognizerSet, load_recognizers
from .span import Span

__all__ = [
    "AnonymizedText",
    "Operator",
    "PiiError",
    "RecognizerConfigError",
    "RecognizerSet",
    "Span",
    "anonymize",
    "detect",
    "load_recognizers",
    "prepare",
]
