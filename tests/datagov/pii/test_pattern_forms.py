"""Patterns written to start with a character class match exactly what their plain forms
match. The plain forms are kept here as the reference; texts are FAKE (see corpus.py)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from ethos.datagov.pii.schema import default_recognizers

from .corpus import eval_texts, prose, variants

# The shipped patterns as first written, before they were regrouped (recognizers.yaml).
PLAIN_FORMS = {
    ("CREDENTIAL", "bearer_token"): (
        r"(?=[Bb])(?<![A-Za-z])(?i:bearer)[ ]+(?P<value>[A-Za-z0-9._~+/-]{16,}=*)"
    ),
    ("CREDENTIAL", "key_value_secret"): (
        r"(?=[AaSsPpCcTt])(?<![A-Za-z0-9])(?i:(?:aws_)?secret_access_key|api[_-]?key|apikey"
        r"|api[_-]?secret|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token"
        r"|private[_-]?key|password|passwd|pwd|passphrase|token|secret)"
        r"""["']?[ ]*[:=][ ]*["']?(?P<value>[!-~]{6,200}?)(?=["']|[ \t\r\n,;]|$)"""
    ),
    ("PERSON", "title_then_name"): (
        r"(?=[MDPS])(?<![A-Za-z])(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir|Dame)\.?[ ]+"
        r"(?P<value>{{EN_NAME}}(?:[ ]+(?:[A-Z]\.[ ]+)?{{EN_NAME}}){0,2})(?![A-Za-z])"
    ),
    ("PERSON", "label_then_name"): (
        r"(?=[CcNnFfAaSsPpEeRrDdOoMmHh])(?<![A-Za-z])(?i:contact|name|full name|attn"
        r"|attention|author|signed|patient|customer|employee|applicant|sincerely|regards"
        r"|dear|assignee|reviewer|owner|manager|hi|hello)[ ]*[:,]?\s+"
        r"(?P<value>{{EN_NAME}}[ ]+(?:[A-Z]\.[ ]+)?{{EN_NAME}})(?![A-Za-z])"
    ),
    ("KR_PERSON", "name_then_title"): (
        r"(?=[가-힣])(?<![가-힣])(?P<value>{{KR_SURNAME}}{{KR_GIVEN}}{1,2})[ ]?{{KR_TITLE}}"
    ),
}
FILE = Path(__file__).resolve().parents[3] / "src/ethos/datagov/pii/recognizers.yaml"


def _plain(key: tuple[str, str]) -> re.Pattern[str]:
    fragments = yaml.safe_load(FILE.read_text(encoding="utf-8"))["fragments"]
    source = PLAIN_FORMS[key]
    for name, fragment in fragments.items():
        source = source.replace("{{" + name + "}}", fragment)
    return re.compile(source)


def _shipped(key: tuple[str, str]) -> re.Pattern[str]:
    for recognizer in default_recognizers().recognizers:
        for pattern in recognizer.patterns:
            if (recognizer.type, pattern.name) == key:
                return pattern.regex
    raise AssertionError(key)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    rng = random.Random(5)
    atoms = [
        "aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "api_key", "api-key", "apikey",
        "API_SECRET", "secret_key", "Secret-Key", "secret", "client_secret", "access_token",
        "auth-token", "private_key", "password", "passwd", "pwd", "PassPhrase", "token",
        "Bearer", "bearer", "BEARER", "xbearer", "ſecret", "\u212aey", "passwordx", ":",
        "=", "'", '"', " ", "\n", "x", "1", "abcDEF123456789xyz0123", "Mr", "Mrs", "Ms",
        "Miss", "Dr", "Dame", "Prof", "Sir", "Mx", ".", "John", "Smith", "O'Neil", "A.",
        "contact", "NAME", "full name", "Attention", "author", "hi", "Hi", "HELLO", "Dear",
        "Regards,", "sincerely", "xhi", "남궁", "황보", "독고", "사공", "서문", "김", "이",
        "남", "독", "사", "서", "민준", "서연", "님", "씨", "과장", "고객님", "가", "한",
    ]  # fmt: skip
    made = ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 9))) for _ in range(6000)]
    documents = eval_texts()
    return documents + variants(documents, 300, seed=13) + prose(100, seed=14) + made


@pytest.mark.parametrize("key", sorted(PLAIN_FORMS), ids="/".join)
def test_shipped_form_matches_like_the_plain_form(key: tuple[str, str], texts: list[str]) -> None:
    shipped, plain = _shipped(key), _plain(key)
    assert shipped.pattern != plain.pattern
    differing = [
        text
        for text in texts
        if [m.span("value") for m in shipped.finditer(text)]
        != [m.span("value") for m in plain.finditer(text)]
    ]
    assert differing == []
    assert sum(1 for text in texts if shipped.search(text)) >= 20  # the texts exercise it
