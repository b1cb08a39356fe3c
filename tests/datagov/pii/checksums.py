"""Independent check-digit helpers that build valid FAKE identifiers for the tests.

Written from the published algorithms, separately from ``ethos.datagov.pii.validators``.
"""

from __future__ import annotations


def rrn(front: str, back6: str) -> str:
    """Complete a resident/foreigner number ``front-back6?`` with the RRN check digit."""
    digits = front + back6
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    return f"{front}-{back6}{(11 - total % 11) % 10}"


def rrn_bad_check(front: str, back6: str) -> str:
    """Like :func:`rrn` but with a wrong check digit (a post-2020 random ending)."""
    good = rrn(front, back6)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def frn(front: str, back6: str) -> str:
    """Complete a foreigner registration number with the (pre-2020) FRN check digit."""
    digits = front + back6
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    return f"{front}-{back6}{(13 - total % 11) % 10}"


def brn(first9: str) -> str:
    """Complete a business registration number ``ddd-dd-ddddd``."""
    weights = [1, 3, 7, 1, 3, 7, 1, 3, 5]
    total = sum(int(d) * w for d, w in zip(first9, weights, strict=True))
    total += int(first9[8]) * 5 // 10
    whole = first9 + str((10 - total % 10) % 10)
    return f"{whole[:3]}-{whole[3:5]}-{whole[5:]}"


def crn(first12: str) -> str:
    """Complete a corporate registration number ``dddddd-ddddddd``."""
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(first12))
    whole = first12 + str((10 - total % 10) % 10)
    return f"{whole[:6]}-{whole[6:]}"


def luhn(partial: str) -> str:
    """Append the Luhn check digit to ``partial`` (digits only)."""
    total = 0
    for i, d in enumerate(reversed(partial)):
        n = int(d)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return partial + str((10 - total % 10) % 10)


def iban(country: str, bban: str) -> str:
    """Build an IBAN (compact) for ``country`` and ``bban`` with valid check digits."""
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"
