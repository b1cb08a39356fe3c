"""Validate hooks named by recognizers in ``recognizers.yaml``.

A validator receives the matched value (normalised text) and returns ``None`` to reject
the match or a score adjustment that is added to the pattern's base score.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
import time
from collections.abc import Callable, Mapping
from operator import mul
from types import MappingProxyType

__all__ = ["VALIDATORS", "Validator"]

Validator = Callable[[str], "float | None"]

# Checksums that hold raise confidence; the date and gender checks are required.
CHECKSUM_BONUS = 0.3

_NON_DIGIT = re.compile(r"[^0-9]")


def _digits(value: str) -> str:
    """The ASCII digits of ``value``, in order."""
    compact = value.replace("-", "")  # most values are digits, hyphens and spaces
    if compact.isdigit() and compact.isascii():
        return compact
    compact = compact.replace(" ", "")
    if compact.isdigit() and compact.isascii():
        return compact
    return _NON_DIGIT.sub("", value)


# The ASCII code of "0": weighted sums are taken over the digits' bytes.
_ZERO = ord("0")


def _birth_date_ok(digits: str, centuries: Mapping[str, int]) -> bool:
    century = centuries.get(digits[6])
    if century is None:
        return False
    try:
        born = datetime.date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return born <= _today()


# Today's date and the times (time.time()) between which it holds: its local midnight
# and the next one.
_TODAY: list[tuple[datetime.date, float, float]] = []


def _today() -> datetime.date:
    """``datetime.date.today()``, asked again only when the time leaves the day it was
    asked in, forwards or (a clock set back) backwards: asking costs a system call, and a
    birth date is checked for every candidate number."""
    now = time.time()
    if not _TODAY or not _TODAY[0][1] <= now < _TODAY[0][2]:
        today = datetime.date.today()
        start = datetime.datetime.combine(today, datetime.time()).timestamp()
        end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time())
        _TODAY[:] = [(today, start, end.timestamp())]
    return _TODAY[0][0]


_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_RRN_CENTURIES = {"1": 1900, "2": 1900, "3": 2000, "4": 2000}
_FRN_CENTURIES = {"5": 1900, "6": 1900, "7": 2000, "8": 2000}


def _weighted_sum(digits: str, weights: tuple[int, ...]) -> int:
    """The sum of ``digits`` (ASCII digits only) times ``weights``, as far as both go."""
    total: int = sum(map(mul, digits.encode(), weights))
    return total - _ZERO * sum(weights[: len(digits)])


def kr_rrn(value: str) -> float | None:
    """Resident registration number: birth date and gender digit, checksum as a bonus.

    Numbers issued since October 2020 end in random digits, so a failed checksum does
    not reject the match.
    """
    digits = _digits(value)
    if len(digits) != 13 or not _birth_date_ok(digits, _RRN_CENTURIES):
        return None
    check = (11 - _weighted_sum(digits, _RRN_WEIGHTS) % 11) % 10
    return CHECKSUM_BONUS if check == int(digits[12]) else 0.0


def kr_frn(value: str) -> float | None:
    """Foreigner registration number: birth date, gender digit 5-8, checksum as a bonus."""
    digits = _digits(value)
    if len(digits) != 13 or not _birth_date_ok(digits, _FRN_CENTURIES):
        return None
    check = (13 - _weighted_sum(digits, _RRN_WEIGHTS) % 11) % 10
    return CHECKSUM_BONUS if check == int(digits[12]) else 0.0


_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def kr_brn(value: str) -> float | None:
    """Business registration number (사업자등록번호): checksum required."""
    digits = _digits(value)
    if len(digits) != 10:
        return None
    total = _weighted_sum(digits, _BRN_WEIGHTS) + int(digits[8]) * 5 // 10
    return CHECKSUM_BONUS if (10 - total % 10) % 10 == int(digits[9]) else None


_CRN_WEIGHTS = (1, 2) * 6


def kr_crn(value: str) -> float | None:
    """Corporate registration number (법인등록번호): checksum required."""
    digits = _digits(value)
    if len(digits) != 13:
        return None
    total = _weighted_sum(digits, _CRN_WEIGHTS)
    return CHECKSUM_BONUS if (10 - total % 10) % 10 == int(digits[12]) else None


_LICENSE_REGIONS = frozenset({*(str(n) for n in range(11, 27)), "28"})


def kr_driver_license(value: str) -> float | None:
    """Driver licence number: 12 digits with a known region code (or a region name)."""
    digits = _digits(value)
    if len(digits) == 12:
        return 0.0 if digits[:2] in _LICENSE_REGIONS else None
    return 0.0 if len(digits) == 10 else None


_PHONE_SHAPE = re.compile(r"0[0-9]{1,2}-[0-9]{3,4}-[0-9]{4}")
_DATE_SHAPE = re.compile(r"(?:19|20)[0-9]{2}-[01]?[0-9]-[0-3]?[0-9]")


_BRN_SHAPE = re.compile(r"[0-9]{3}-[0-9]{2}-[0-9]{5}")


def kr_bank_account(value: str) -> float | None:
    """Bank account number: 10 to 14 digits, not shaped like a phone number or date.

    A ``ddd-dd-ddddd`` number whose business-registration checksum holds is left to
    ``KR_BRN``: invoices print both numbers next to a bank name.
    """
    digits = _digits(value)
    if not 10 <= len(digits) <= 14:
        return None
    if _PHONE_SHAPE.fullmatch(value) or _DATE_SHAPE.match(value):
        return None
    if _BRN_SHAPE.fullmatch(value) and kr_brn(value) is not None:
        return None
    return 0.0


def kr_phone(value: str) -> float | None:
    """Korean phone number: a single kind of separator, 9 to 13 digits."""
    count = len(_digits(value))
    if value.startswith("+82"):
        value = value[3:].lstrip("-. ").replace("(0)", "").lstrip()
    elif value.startswith("("):
        value = value[1:].replace(") ", "-").replace(")", "-")
    if ("-" in value) + ("." in value) + (" " in value) > 1:
        return None  # more than one kind of separator
    return 0.0 if 9 <= count <= 13 else None


def phone(value: str) -> float | None:
    """International phone number: 8 to 15 digits (E.164), not all the same digit."""
    digits = _digits(value)
    if not 8 <= len(digits) <= 15 or len(set(digits)) == 1:
        return None
    return 0.0


# Issuer identification ranges (first digits) and the lengths their cards have. Visa's
# legacy 13-digit numbers are left out: none are issued, and 13 digits is the shape of a
# compact resident registration number.
_CARD_RANGES: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (34, 34, frozenset({15})),  # American Express
    (37, 37, frozenset({15})),
    (3528, 3589, frozenset({16, 17, 18, 19})),  # JCB
    (300, 305, frozenset({14, 16})),  # Diners Club
    (36, 36, frozenset({14, 16})),
    (38, 39, frozenset({14, 16})),
    (6011, 6011, frozenset({16, 19})),  # Discover
    (644, 649, frozenset({16, 19})),
    (65, 65, frozenset({16, 19})),
    (62, 62, frozenset({16, 17, 18, 19})),  # UnionPay
    (5018, 5018, frozenset(range(13, 20))),  # Maestro
    (5020, 5020, frozenset(range(13, 20))),
    (5038, 5038, frozenset(range(13, 20))),
    (5893, 5893, frozenset(range(13, 20))),
    (6304, 6304, frozenset(range(13, 20))),
    (6759, 6759, frozenset(range(13, 20))),
    (6761, 6763, frozenset(range(13, 20))),
)


def _issuer_prefixes() -> dict[str, frozenset[int]]:
    """Every issuer prefix (its leading digits as written), with the card lengths that
    any range holding it allows."""
    table: dict[str, frozenset[int]] = {}
    for low, high, lengths in _CARD_RANGES:
        if len(str(low)) != len(str(high)):
            raise ValueError(f"card range {low}-{high} mixes prefix lengths")
        for prefix in map(str, range(low, high + 1)):
            table[prefix] = table.get(prefix, frozenset()) | lengths
    return table


_ISSUER_PREFIXES = _issuer_prefixes()
_PREFIX_SIZES = tuple(sorted({len(prefix) for prefix in _ISSUER_PREFIXES}))


def _known_issuer(digits: str) -> bool:
    size = len(digits)
    table = _ISSUER_PREFIXES
    return any(size in table.get(digits[:n], ()) for n in _PREFIX_SIZES)


# Byte tables from an ASCII digit to its value, and to its value doubled as Luhn counts a
# digit at an even position from the right.
_DIGIT_VALUE = bytes.maketrans(b"0123456789", bytes(range(10)))
_DOUBLED = bytes.maketrans(b"0123456789", bytes(d * 2 - 9 if d > 4 else d * 2 for d in range(10)))


def luhn(value: str) -> float | None:
    """Payment card number: known issuer range and length, sane grouping, Luhn."""
    digits = _digits(value)
    if not 13 <= len(digits) <= 19 or not _known_issuer(digits):
        return None
    if len(value) != len(digits):  # grouped
        groups = [len(g) for g in value.replace("-", " ").split(" ")]
        if len(groups) > 1 and groups not in _CARD_GROUPS:
            return None
    backwards = digits[::-1].encode()
    total = sum(backwards[0::2].translate(_DIGIT_VALUE)) + sum(backwards[1::2].translate(_DOUBLED))
    return CHECKSUM_BONUS if total % 10 == 0 else None


_CARD_GROUPS = ([4, 4, 4, 4], [4, 6, 5], [4, 6, 4], [4, 4, 4, 4, 3])


IBAN_LENGTHS: Mapping[str, int] = MappingProxyType(
    {
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
        "BH": 22, "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
        "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22,
        "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
        "IL": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21,
        "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27,
        "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25,
        "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
        "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
    }
)  # fmt: skip


def iban(value: str) -> float | None:
    """IBAN: known country, its length, and the ISO 13616 mod-97 check."""
    compact = value.replace(" ", "")
    if IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return None
    rearranged = compact[4:] + compact[:4]
    number = rearranged.translate(_BASE36)
    if not (number.isascii() and number.isdigit()):  # a character outside 0-9, A-Z, a-z
        number = "".join(str(int(ch, 36)) for ch in rearranged)
    return CHECKSUM_BONUS if int(number) % 97 == 1 else None


# ISO 13616 letters as numbers: A (and a) is 10, ..., Z is 35.
_BASE36 = str.maketrans(
    {letter: str(value) for value in range(10, 36) for letter in {chr(55 + value), chr(87 + value)}}
)


_SSN_RESERVED = frozenset({"078051120", "219099999", "123456789"})


def us_ssn(value: str) -> float | None:
    """US social security number: area, group and serial rules."""
    digits = _digits(value)
    if len(digits) != 9 or digits in _SSN_RESERVED or len(set(digits)) == 1:
        return None
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in {"000", "666"} or area[0] == "9" or group == "00" or serial == "0000":
        return None
    return 0.0


# A dotted quad that ipaddress accepts (each part 0-255, no leading zero): checked first,
# being much quicker than parsing.
_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_PLAIN_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


def ip_address(value: str) -> float | None:
    """IPv4 or IPv6 address, parsed by :mod:`ipaddress` (no leading zeros in IPv4)."""
    if _PLAIN_IPV4.fullmatch(value):
        return 0.0
    try:
        address = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return None
    if address.version == 6 and (address.is_unspecified or address.is_loopback):
        return None
    return 0.0


_PLACEHOLDERS = frozenset(
    {
        "none", "null", "nil", "true", "false", "required", "optional", "hidden",
        "redacted", "removed", "secret", "password", "changeme", "example", "string",
        "undefined", "your_api_key", "your-api-key", "yourpassword", "placeholder",
    }
)  # fmt: skip


# ${NAME}, $NAME, $(NAME), %NAME% and {{ name }}: a reference to a secret, not the secret.
_TEMPLATE_VARIABLE = re.compile(
    r"\$\{[^}]*\}|\$\(?[A-Z_][A-Z0-9_]*\)?(?![!-~])|%[A-Za-z_][A-Za-z0-9_]*%|\{\{"
)


def credential(value: str) -> float | None:
    """Secret value after a key word: reject placeholders, masks and template variables."""
    if len(value) < 6 or len(set(value)) <= 2:
        return None
    if value.casefold().strip("<>[]{}()$%") in _PLACEHOLDERS:
        return None
    if value[0] in "<{" or value.startswith(("xxx", "XXX", "***")):
        return None
    if _TEMPLATE_VARIABLE.match(value):
        return None
    return 0.0


def email(value: str) -> float | None:
    """Email address: no leading, trailing or doubled dot in the local part."""
    local = value.rsplit("@", 1)[0]
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return None
    return 0.0


_ADDRESS_PROVINCE = re.compile(
    "(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|충청|전북|전남|전라"
    "|경북|경남|경상|제주)"
)
_ADDRESS_UNIT = re.compile(r"[가-힣]+(?:시|군|구)(?=\s)")


def kr_address(value: str) -> float | None:
    """Korean address: more administrative units before the road or lot raise confidence."""
    bonus = 0.0
    if _ADDRESS_PROVINCE.match(value):
        bonus += 0.2
    if len(_ADDRESS_UNIT.findall(value)) >= 2:
        bonus += 0.15
    return bonus


VALIDATORS: Mapping[str, Validator] = MappingProxyType(
    {
        "kr_rrn": kr_rrn,
        "kr_frn": kr_frn,
        "kr_brn": kr_brn,
        "kr_crn": kr_crn,
        "kr_driver_license": kr_driver_license,
        "kr_bank_account": kr_bank_account,
        "kr_phone": kr_phone,
        "kr_address": kr_address,
        "phone": phone,
        "luhn": luhn,
        "iban": iban,
        "us_ssn": us_ssn,
        "ip_address": ip_address,
        "credential": credential,
        "email": email,
    }
)
