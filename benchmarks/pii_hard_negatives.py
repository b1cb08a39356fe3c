"""Hard negatives for the PII evaluation set: numbers and strings that are NOT personal data.

Each generator returns one segment ``(text, None)``. They look like identifiers (order,
invoice and tracking numbers, dates, versions, ISBNs, barcodes, amounts) or are
identifiers that fail their own check (checksum, date, length) or are already masked.
"""

from __future__ import annotations

import datetime
import random
import string
from collections.abc import Callable

from pii_fake_values import (
    Generator,
    Segment,
    brn_check,
    card_number,
    crn_check,
    iban_number,
    luhn_ok,
)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def _date(rng: random.Random) -> datetime.date:
    return datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randint(0, 2900))


def _one(text: str) -> list[Segment]:
    return [(text, None)]


def order_no(rng: random.Random, variant: str) -> list[Segment]:
    """An order number. ``YYMMDD-NNNNNNN`` has exactly the shape of a resident
    registration number issued since 2020, so it is used only after a label
    (variant ``plain`` leaves it out, for table cells far from their header)."""
    day = _date(rng)
    forms = [
        f"{day:%Y%m%d}-{_digits(rng, 7)}",
        f"ORD-{day:%Y%m%d}-{_digits(rng, 5)}",
        f"{day:%Y%m%d}{_digits(rng, 8)}",
        f"A{_digits(rng, 11)}",
    ]
    if variant != "plain":
        forms.append(f"{day:%y%m%d}-{_digits(rng, 7)}")
    return _one(rng.choice(forms))


def invoice_no(rng: random.Random) -> list[Segment]:
    day = _date(rng)
    return _one(
        rng.choice(
            [f"INV-{day:%Y}-{_digits(rng, 5)}", f"{day:%Y%m}-{_digits(rng, 4)}", _digits(rng, 10)]
        )
    )


def tracking_no(rng: random.Random) -> list[Segment]:
    return _one(
        rng.choice(
            [
                _digits(rng, 12),
                f"{_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 4)}",
                f"1Z{_digits(rng, 3)}AA1{_digits(rng, 10)}",
                f"9400 1{_digits(rng, 3)} {_digits(rng, 4)} {_digits(rng, 4)} {_digits(rng, 4)}",
                f"KR{_digits(rng, 9)}",
            ]
        )
    )


def date(rng: random.Random) -> list[Segment]:
    day = _date(rng)
    return _one(
        rng.choice(
            [
                f"{day:%Y-%m-%d}",
                f"{day:%Y.%m.%d}",
                f"{day:%y.%m.%d}",
                f"{day.year}년 {day.month}월 {day.day}일",
                f"{day:%B} {day.day}, {day.year}",
                f"{day:%d/%m/%Y}",
                f"{day:%Y-%m-%d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                f"{day:%Y%m%d}",
            ]
        )
    )


def version(rng: random.Random) -> list[Segment]:
    a, b, c, d = rng.randint(1, 12), rng.randint(0, 20), rng.randint(0, 30), rng.randint(0, 200)
    return _one(rng.choice([f"v{a}.{b}.{c}", f"{a}.{b}.{c}", f"{a}.{b}.{c}.{d}", f"{a}.{b}"]))


def isbn(rng: random.Random) -> list[Segment]:
    body = "97889" + _digits(rng, 7)
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    number = body + str((10 - total % 10) % 10)
    if rng.random() < 0.5:
        return _one(number)
    return _one(f"{number[:3]}-{number[3:5]}-{number[5:9]}-{number[9:12]}-{number[12]}")


def ean13(rng: random.Random) -> list[Segment]:
    body = "880" + _digits(rng, 9)
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return _one(body + str((10 - total % 10) % 10))


def product_code(rng: random.Random) -> list[Segment]:
    return _one(
        rng.choice(
            [
                f"SM-S{rng.randint(900, 999)}N",
                f"SKU-{_digits(rng, 6)}",
                f"P/N {_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 2)}",
                f"LG-F{rng.randint(100, 999)}K",
                f"MODEL {rng.choice('ABXZ')}{_digits(rng, 4)}",
                f"{_digits(rng, 3)}-{_digits(rng, 3)}-{_digits(rng, 3)}",
            ]
        )
    )


def amount(rng: random.Random) -> list[Segment]:
    value = int(round(10 ** rng.uniform(3, 9.5), -2))
    return _one(
        rng.choice(
            [
                f"{value:,}원",
                f"₩{value:,}",
                f"${value / 100:,.2f}",
                f"KRW {value:,}",
                f"{max(1, value // 10000):,}만원",
                f"USD {value:,}",
            ]
        )
    )


def bad_card(rng: random.Random) -> list[Segment]:
    number = card_number(rng)
    number = number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10)
    assert not luhn_ok(number)
    return _one(
        "-".join(number[i : i + 4] for i in range(0, 16, 4)) if len(number) == 16 else number
    )


def bad_brn(rng: random.Random) -> list[Segment]:
    first9 = f"{rng.randint(101, 899)}{rng.choice(['01', '81', '86'])}{_digits(rng, 4)}"
    wrong = str((int(brn_check(first9)) + rng.randint(1, 9)) % 10)
    return _one(f"{first9[:3]}-{first9[3:5]}-{first9[5:]}{wrong}")


def bad_crn(rng: random.Random) -> list[Segment]:
    first12 = f"1101{rng.choice(['11', '14'])}{rng.randint(0, 399999):06d}"
    wrong = str((int(crn_check(first12)) + rng.randint(1, 9)) % 10)
    return _one(f"{first12[:6]}-{first12[6:]}{wrong}")


def bad_iban(rng: random.Random) -> list[Segment]:
    number = iban_number(rng)
    number = number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10)
    return _one(" ".join(number[i : i + 4] for i in range(0, len(number), 4)))


def bad_rrn(rng: random.Random) -> list[Segment]:
    """A registration-shaped number whose date or gender digit cannot exist."""
    year = rng.randint(40, 99)
    kind = rng.choice(["month", "day", "gender", "future"])
    if kind == "month":
        front = f"{year:02d}{rng.randint(13, 19)}{rng.randint(1, 28):02d}"
    elif kind == "day":
        front = f"{year:02d}{rng.choice(['02', '04', '06', '09', '11'])}{rng.randint(31, 39)}"
    else:
        front = f"{year:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    gender = {"gender": rng.choice("09"), "future": rng.choice("34")}.get(kind, rng.choice("12"))
    if kind == "future":
        front = f"{rng.randint(40, 99)}{front[2:]}"
    return _one(f"{front}-{gender}{_digits(rng, 6)}")


def masked(rng: random.Random) -> list[Segment]:
    return _one(
        rng.choice(
            [
                f"{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}-1******",
                f"010-****-{_digits(rng, 4)}",
                f"010-{_digits(rng, 4)}-****",
                f"4{_digits(rng, 3)}-****-****-{_digits(rng, 4)}",
                f"***-**-{_digits(rng, 4)}",
                f"{_digits(rng, 3)}-******-{_digits(rng, 2)}",
            ]
        )
    )


def short_phone(rng: random.Random) -> list[Segment]:
    return _one(
        rng.choice(
            [
                f"010-{_digits(rng, 3)}-{_digits(rng, 3)}",
                f"1588-{_digits(rng, 4)}",
                f"1644-{_digits(rng, 4)}",
                f"02-{_digits(rng, 3)}-{_digits(rng, 2)}",
                f"내선 {_digits(rng, 4)}",
                f"555-{_digits(rng, 4)}",
                "112",
                "119",
            ]
        )
    )


def number13(rng: random.Random) -> list[Segment]:
    """Thirteen digits that are not a registration number (contract, approval numbers)."""
    day = _date(rng)
    return _one(
        rng.choice([f"{day:%Y%m%d}{_digits(rng, 5)}", f"{rng.randint(2, 9)}{_digits(rng, 12)}"])
    )


def bad_ssn(rng: random.Random) -> list[Segment]:
    area = rng.choice(["000", "666", f"9{_digits(rng, 2)}"])
    return _one(f"{area}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}")


def tech_id(rng: random.Random) -> list[Segment]:
    hexdigits = "0123456789abcdef"
    return _one(
        rng.choice(
            [
                "".join(rng.choice(hexdigits) for _ in range(40)),
                f"1.3.6.1.4.1.{rng.randint(1000, 60000)}.{rng.randint(1, 9)}",
                ":".join(f"{rng.randint(0, 255):02X}" for _ in range(6)),
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
                "-".join(
                    "".join(rng.choice(hexdigits) for _ in range(n)) for n in (8, 4, 4, 4, 12)
                ),
                f"10.0.{rng.randint(19041, 22631)}.{rng.randint(1000, 4000)}",
                f"{rng.uniform(33, 38):.4f}, {rng.uniform(126, 129):.4f}",
            ]
        )
    )


def postal(rng: random.Random) -> list[Segment]:
    return _one(
        rng.choice([f"{rng.randint(1000, 63644):05d}", f"{_digits(rng, 5)}-{_digits(rng, 4)}"])
    )


def _any_variant(function: Callable[[random.Random], list[Segment]]) -> Generator:
    def generate(rng: random.Random, variant: str) -> list[Segment]:
        return function(rng)

    return generate


NEGATIVES: dict[str, Generator] = {
    "order_no": order_no,
    **{
        name: _any_variant(function)
        for name, function in (
            ("invoice_no", invoice_no),
            ("tracking_no", tracking_no),
            ("date", date),
            ("version", version),
            ("isbn", isbn),
            ("ean13", ean13),
            ("product_code", product_code),
            ("amount", amount),
            ("bad_card", bad_card),
            ("bad_brn", bad_brn),
            ("bad_crn", bad_crn),
            ("bad_iban", bad_iban),
            ("bad_rrn", bad_rrn),
            ("masked", masked),
            ("short_phone", short_phone),
            ("number13", number13),
            ("bad_ssn", bad_ssn),
            ("tech_id", tech_id),
            ("postal", postal),
        )
    },
}
