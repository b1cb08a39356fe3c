"""FAKE values for the PII evaluation set: valid-looking identifiers and hard negatives.

Every generator takes a seeded :class:`random.Random` and returns a list of segments
``(text, type)``; ``type`` is the gold PII type of that segment, or ``None`` for text that
is not personal information. Check digits are computed here from the published
algorithms, independently of ``ethos.datagov.pii.validators``. No value belongs to a real
person: numbers are random, names are combinations of common name parts.
"""

from __future__ import annotations

import datetime
import random
import string
from collections.abc import Callable

Segment = tuple[str, str | None]
Generator = Callable[[random.Random, str], list[Segment]]

_FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in string.digits + "-"})


def full_width(value: str) -> str:
    """Digits and hyphens as their full-width forms (as typed on some Korean keyboards)."""
    return value.translate(_FULL_WIDTH)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def _surface(rng: random.Random, value: str, *, full: float = 0.06, zero: float = 0.02) -> str:
    """Sometimes write a value in full-width digits or with a zero-width space inside."""
    roll = rng.random()
    if roll < full:
        return full_width(value)
    if roll < full + zero and len(value) > 4:
        cut = rng.randrange(2, len(value) - 1)
        return value[:cut] + "\u200b" + value[cut:]
    return value


# --- check digits ---------------------------------------------------------------------

_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def rrn_check(first12: str, *, foreigner: bool = False) -> str:
    total = sum(int(d) * w for d, w in zip(first12, _RRN_WEIGHTS, strict=True))
    return str(((13 if foreigner else 11) - total % 11) % 10)


def luhn_check(partial: str) -> str:
    total = 0
    for index, char in enumerate(reversed(partial)):
        digit = int(char)
        if index % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    return luhn_check(number[:-1]) == number[-1]


def brn_check(first9: str) -> str:
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(first9, weights, strict=True))
    total += int(first9[8]) * 5 // 10
    return str((10 - total % 10) % 10)


def crn_check(first12: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def iban_check(country: str, bban: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


def _wrong(digit: str) -> str:
    return str((int(digit) + 1 + int(digit) % 3) % 10)


# --- Korean identifiers ---------------------------------------------------------------


def _birth(rng: random.Random, first: int = 1940, last: int = 2019) -> datetime.date:
    start = datetime.date(first, 1, 1).toordinal()
    return datetime.date.fromordinal(rng.randint(start, datetime.date(last, 12, 31).toordinal()))


def _registration_number(rng: random.Random, *, foreigner: bool, valid_check: float) -> str:
    born = _birth(rng)
    if foreigner:
        gender = rng.choice("56" if born.year < 2000 else "78")
    else:
        gender = rng.choice("12" if born.year < 2000 else "34")
    first12 = f"{born:%y%m%d}{gender}{rng.randint(0, 95):02d}{_digits(rng, 3)}"
    check = rrn_check(first12, foreigner=foreigner)
    if rng.random() >= valid_check:  # issued since October 2020: the last digit is random
        check = _wrong(check)
    return first12 + check


def kr_rrn(rng: random.Random, variant: str) -> list[Segment]:
    number = _registration_number(rng, foreigner=False, valid_check=0.6)
    if variant == "compact":
        return [(number, "KR_RRN")]
    sep = rng.choices(["-", " - ", "- ", " -"], weights=[90, 5, 3, 2])[0]
    return [(_surface(rng, number[:6] + sep + number[6:]), "KR_RRN")]


def kr_frn(rng: random.Random, variant: str) -> list[Segment]:
    number = _registration_number(rng, foreigner=True, valid_check=0.7)
    if variant == "compact":
        return [(number, "KR_FRN")]
    return [(_surface(rng, f"{number[:6]}-{number[6:]}"), "KR_FRN")]


_AREA_CODES = (
    "02", "031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054", "055",
    "061", "062", "063", "064",
)  # fmt: skip


def kr_phone(rng: random.Random, variant: str) -> list[Segment]:
    kind = variant or rng.choices(["mobile", "landline", "intl"], weights=[62, 25, 13])[0]
    if kind == "mobile":
        prefix = rng.choices(["010", "011", "016", "017", "019"], weights=[92, 3, 2, 2, 1])[0]
        middle = _digits(rng, 4 if prefix == "010" or rng.random() < 0.5 else 3)
        if middle[0] == "0":
            middle = "2" + middle[1:]
        last = _digits(rng, 4)
        sep = rng.choices(["-", "", " ", "."], weights=[70, 16, 8, 6])[0]
        value = f"{prefix}{sep}{middle}{sep}{last}"
    elif kind == "landline":
        area = rng.choices([*_AREA_CODES, "070", "0505"], weights=[30] + [4] * 16 + [8, 2])[0]
        middle = str(rng.randint(200, 999)) if rng.random() < 0.4 else str(rng.randint(2000, 9999))
        last = _digits(rng, 4)
        form = rng.choices(["dash", "paren", "paren_space", "dot", "space"], [70, 8, 8, 7, 7])[0]
        if form.startswith("paren") and area not in {"070", "0505"}:
            gap = " " if form == "paren_space" else ""
            value = f"({area}){gap}{middle}-{last}"
        elif form == "dot":
            value = f"{area}.{middle}.{last}"
        elif form == "space":
            value = f"{area} {middle} {last}"
        else:
            value = f"{area}-{middle}-{last}"
    else:
        national = rng.choice(["10", "10", "10", "2", "31", "51", "70"])
        middle = _digits(rng, 4) if national == "10" else str(rng.randint(200, 9999))
        last = _digits(rng, 4)
        form = rng.choice(["+82 {n}-{m}-{l}", "+82-{n}-{m}-{l}", "+82 {n} {m} {l}", "+82{n}{m}{l}"])
        if national == "10" and rng.random() < 0.15:
            form = "+82 (0){n}-{m}-{l}"
        value = form.format(n=national, m=middle, l=last)
    return [(_surface(rng, value, full=0.08, zero=0.02), "KR_PHONE")]


def kr_brn(rng: random.Random, variant: str) -> list[Segment]:
    kind = rng.choice(["01", "05", "10", "23", "81", "86", "87"])
    first9 = f"{rng.randint(101, 899)}{kind}{_digits(rng, 4)}"
    number = first9 + brn_check(first9)
    if variant == "compact":
        return [(number, "KR_BRN")]
    return [(_surface(rng, f"{number[:3]}-{number[3:5]}-{number[5:]}"), "KR_BRN")]


_CRN_OFFICES = ("1101", "1201", "1301", "1311", "1345", "1358", "1401", "1501", "1601", "2001")


def kr_crn(rng: random.Random, variant: str) -> list[Segment]:
    kind = rng.choices(["11", "12", "13", "14", "21", "22", "71"], [70, 3, 3, 8, 6, 6, 4])[0]
    first12 = f"{rng.choice(_CRN_OFFICES)}{kind}{rng.randint(0, 399999):06d}"
    number = first12 + crn_check(first12)
    if variant == "compact":
        return [(number, "KR_CRN")]
    return [(f"{number[:6]}-{number[6:]}", "KR_CRN")]


def kr_passport(rng: random.Random, variant: str) -> list[Segment]:
    letter = rng.choices("MSRODG", weights=[84, 10, 2, 2, 1, 1])[0]
    if rng.random() < 0.45:  # format introduced in December 2021
        value = f"{letter}{_digits(rng, 3)}{rng.choice(string.ascii_uppercase)}{_digits(rng, 4)}"
    else:
        value = f"{letter}{_digits(rng, 8)}"
    return [(value, "KR_PASSPORT")]


_LICENSE_REGIONS = {
    "11": "서울", "12": "부산", "13": "경기", "14": "강원", "15": "충북", "16": "충남",
    "17": "전북", "18": "전남", "19": "경북", "20": "경남", "21": "제주", "22": "대구",
    "23": "인천", "24": "광주", "25": "대전", "26": "울산", "28": "경기북부",
}  # fmt: skip


def kr_driver_license(rng: random.Random, variant: str) -> list[Segment]:
    region = rng.choice(sorted(_LICENSE_REGIONS))
    year, serial, check = f"{rng.randint(0, 99):02d}", _digits(rng, 6), _digits(rng, 2)
    if variant == "compact":
        return [(region + year + serial + check, "KR_DRIVER_LICENSE")]
    if rng.random() < 0.2:
        return [(f"{_LICENSE_REGIONS[region]} {year}-{serial}-{check}", "KR_DRIVER_LICENSE")]
    return [(_surface(rng, f"{region}-{year}-{serial}-{check}"), "KR_DRIVER_LICENSE")]


# Bank names as people write them, with the account number shapes the bank issues.
_BANKS = (
    (("KB국민은행", "국민은행", "국민"), ((6, 2, 6), (3, 2, 4, 3))),
    (("신한은행", "신한"), ((3, 3, 6), (3, 2, 6))),
    (("우리은행",), ((4, 3, 6),)),
    (("하나은행", "KEB하나은행"), ((3, 6, 5),)),
    (("NH농협", "농협은행", "농협"), ((3, 4, 4, 2), (3, 2, 6))),
    (("IBK기업은행", "기업은행"), ((3, 6, 2, 3),)),
    (("카카오뱅크",), ((4, 2, 7),)),
    (("토스뱅크",), ((4, 4, 4),)),
    (("케이뱅크",), ((3, 3, 6),)),
    (("우체국",), ((6, 2, 6),)),
    (("새마을금고",), ((4, 4, 4, 1),)),
    (("SC제일은행",), ((3, 2, 6),)),
    (("수협은행",), ((3, 2, 6),)),
)
_EN_BANKS = ("Shinhan Bank", "KB Kookmin Bank", "Woori Bank", "Hana Bank", "NongHyup Bank")


def _account_number(rng: random.Random, groups: tuple[int, ...], compact: bool) -> str:
    parts = [_digits(rng, n) for n in groups]
    parts[0] = str(rng.randint(1, 9)) + parts[0][1:]
    return "".join(parts) if compact else "-".join(parts)


def kr_bank_account(rng: random.Random, variant: str) -> list[Segment]:
    names, shapes = rng.choice(_BANKS)
    number = _account_number(rng, rng.choice(shapes), compact=rng.random() < 0.15)
    if variant == "bare":
        return [(number, "KR_BANK_ACCOUNT")]
    if variant == "en":
        glue = rng.choice([" account ", " account no. ", ", account number ", " acct. "])
        return [(rng.choice(_EN_BANKS) + glue, None), (number, "KR_BANK_ACCOUNT")]
    glue = rng.choice([" ", " ", " 계좌 ", " 계좌번호 ", " / ", ": "])
    return [(rng.choice(names) + glue, None), (number, "KR_BANK_ACCOUNT")]


# --- Korean addresses and names -------------------------------------------------------

# (province forms, [(city or district units, roads, lots)]). Road and district names are
# public place names; building and lot numbers are random.
_REGIONS = (
    (
        ("서울특별시", "서울시", "서울"),
        (
            (
                ("강남구",),
                ("테헤란로", "도산대로45길", "강남대로94길", "언주로"),
                ("역삼동", "삼성동"),
            ),
            (("마포구",), ("월드컵북로", "양화로", "독막로"), ("서교동", "합정동")),
            (("종로구",), ("세종대로", "율곡로", "대학로"), ("청운동", "혜화동")),
            (("송파구",), ("올림픽로", "송파대로"), ("잠실동", "가락동")),
            (("관악구",), ("관악로", "남부순환로"), ("봉천동", "신림동")),
        ),
    ),
    (
        ("경기도", "경기"),
        (
            (("성남시", "분당구"), ("판교역로", "불정로", "황새울로"), ("정자동", "서현동")),
            (("수원시", "영통구"), ("삼성로", "광교중앙로"), ("매탄동", "원천동")),
            (("고양시", "일산동구"), ("중앙로", "정발산로"), ("장항동", "마두동")),
            (("화성시",), ("동탄대로", "병점중앙로"), ("반송동", "봉담읍 상리")),
        ),
    ),
    (
        ("부산광역시", "부산"),
        (
            (("해운대구",), ("센텀중앙로", "해운대로"), ("우동", "중동")),
            (("부산진구",), ("중앙대로", "서면로"), ("부전동", "전포동")),
        ),
    ),
    (
        ("대구광역시", "대구"),
        ((("수성구",), ("동대구로", "달구벌대로"), ("범어동", "만촌동")),),
    ),
    (
        ("인천광역시", "인천"),
        ((("연수구",), ("컨벤시아대로", "송도과학로"), ("송도동", "연수동")),),
    ),
    (
        ("광주광역시", "광주"),
        ((("서구",), ("상무중앙로", "무진대로"), ("치평동", "쌍촌동")),),
    ),
    (
        ("대전광역시", "대전"),
        ((("유성구",), ("대학로", "엑스포로"), ("궁동", "봉명동")),),
    ),
    (
        ("충청북도", "충북"),
        ((("청주시", "흥덕구"), ("직지대로", "가경로"), ("복대동", "가경동")),),
    ),
    (
        ("전라남도", "전남"),
        ((("해남군",), ("해남읍 중앙1로", "해남읍 고산로"), ("해남읍 구교리",)),),
    ),
    (
        ("세종특별자치시", "세종시"),  # no district: the road follows the city directly
        (((), ("한누리대로", "도움6로", "갈매로"), ("나성동", "어진동")),),
    ),
    (
        ("제주특별자치도", "제주도"),
        ((("제주시",), ("첨단로", "연북로"), ("연동", "노형동")),),
    ),
)


def kr_address(rng: random.Random, variant: str) -> list[Segment]:
    provinces, areas = rng.choice(_REGIONS)
    units, roads, lots = rng.choice(areas)
    province = rng.choice(provinces)
    prefix = " ".join((province, *units)) + " "
    if variant == "lot" or (not variant and rng.random() < 0.3):
        number = str(rng.randint(1, 999))
        if rng.random() < 0.6:
            number += f"-{rng.randint(1, 40)}"
        value = f"{prefix}{rng.choice(lots)} {number}" + ("번지" if rng.random() < 0.4 else "")
    else:
        number = str(rng.randint(1, 400))
        if rng.random() < 0.15:
            number += f"-{rng.randint(1, 20)}"
        value = f"{prefix}{rng.choice(roads)} {number}"
        if rng.random() < 0.35:
            value += f", {rng.randint(101, 120)}동 {rng.randint(1, 25)}{rng.randint(1, 4):02d}호"
        elif rng.random() < 0.2:
            value += f" {rng.randint(1, 15)}{rng.randint(1, 9):02d}호"
    return [(value, "KR_ADDRESS")]


_KR_SURNAMES = (
    "김김김김김이이이이박박박최최정정강강조조윤윤장장임한오서신권황안송류전홍고문양손배백허"
    "남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명"
)
_KR_RARE_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고")
_KR_GIVEN = (  # noqa: SIM905 - one line of names reads better than 72 lines
    "민준 서준 도윤 예준 시우 하준 주원 지호 지후 준우 서연 서윤 지우 서현 민서 하은 하윤 윤서"
    " 지유 채원 지민 수빈 예은 현우 동현 영희 철수 미경 정호 성민 은정 혜진 상훈 경수 영수 정숙"
    " 민지 유진 다은 승민 태윤 건우 재원 나연 소율 아린 가은 시은 준혁 은서 보람 슬기 한결 가람"
    " 우진 수아 예린 하람 지아 연우 정민 현정 상철 명숙 태호 재현 수정 은지 윤아 소희 다인 세영"
).split()


def kr_name(rng: random.Random) -> str:
    surname = rng.choice(_KR_RARE_SURNAMES) if rng.random() < 0.04 else rng.choice(_KR_SURNAMES)
    given = rng.choice(_KR_GIVEN)
    if rng.random() < 0.05:
        given = given[0]
    return surname + given


def kr_person(rng: random.Random, variant: str) -> list[Segment]:
    return [(kr_name(rng), "KR_PERSON")]


# --- English and international --------------------------------------------------------

_EN_FIRST = (  # noqa: SIM905
    "James Olivia Liam Emma Noah Ava Ethan Sophia Lucas Mia Daniel Grace Henry Chloe Samuel"
    " Hannah Owen Leah Julian Nora Adrian Priya Rahul Mei Wei Carlos Sofia Andre Fatima Omar"
    " Ingrid Lars Aisha Kwame Elena Marco Yuki Hiroshi Jennifer Michael Sarah David Laura"
).split()
_EN_LAST = (  # noqa: SIM905
    "Smith Johnson Brown Carter Walker Hughes Bennett Foster Reyes Nguyen Patel Sharma Garcia"
    " Rossi Novak Larsen Okafor Mensah Haddad Tanaka Kowalski Fischer Dubois Murphy O'Neill"
    " McAllister Kim Lee Park Choi Jung Anderson Turner Collins Morgan Price Ward Hayes Barnes"
).split()


def person(rng: random.Random, variant: str) -> list[Segment]:
    first, last = rng.choice(_EN_FIRST), rng.choice(_EN_LAST)
    if variant == "last":
        return [(last, "PERSON")]
    if variant != "full" and rng.random() < 0.1:
        return [(f"{first} {rng.choice(string.ascii_uppercase)}. {last}", "PERSON")]
    return [(f"{first} {last}", "PERSON")]


_HANDLES = (
    "minjun.kim", "seoyeon_lee", "jpark", "hj.choi", "dy.jung", "tiger_kang", "sunny.yoon",
    "jh.jang92", "wooseok.lim", "g.han", "olivia.carter", "liam.walker", "ethan_h", "mei.tanaka",
    "p.sharma", "cs.team+kr", "kim.hyunwoo.dev", "noah-b", "a.haddad", "j.novak77",
)  # fmt: skip
_DOMAINS = (
    "naver.com", "daum.net", "hanmail.net", "gmail.com", "kakao.com", "nate.com", "outlook.com",
    "example.com", "example.co.kr", "mail.example.org", "ethos-demo.kr", "acme-sample.co.kr",
    "hanbit-test.com", "corp.example.net",
)  # fmt: skip


def email(rng: random.Random, variant: str) -> list[Segment]:
    local = rng.choice(_HANDLES)
    if rng.random() < 0.3:
        local += str(rng.randint(1, 99))
    value = f"{local}@{rng.choice(_DOMAINS)}"
    if rng.random() < 0.05:
        value = value.upper() if rng.random() < 0.5 else full_width_ascii(value)
    return [(value, "EMAIL")]


def full_width_ascii(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in value)


_CARD_PREFIXES = (("4", 16, 40), ("51", 16, 8), ("53", 16, 8), ("55", 16, 6), ("2221", 16, 2),
                  ("2720", 16, 1), ("34", 15, 4), ("37", 15, 6), ("3528", 16, 3), ("3589", 16, 2),
                  ("6011", 16, 2), ("62", 16, 3))  # fmt: skip


def card_number(rng: random.Random) -> str:
    prefix, length, _ = rng.choices(_CARD_PREFIXES, [w for _, _, w in _CARD_PREFIXES])[0]
    partial = prefix + _digits(rng, length - len(prefix) - 1)
    return partial + luhn_check(partial)


def _group_card(rng: random.Random, number: str) -> str:
    sep = rng.choices(["-", " ", ""], weights=[45, 40, 15])[0]
    if len(number) == 15:
        return sep.join((number[:4], number[4:10], number[10:]))
    if len(number) == 16:
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))
    return number


def credit_card(rng: random.Random, variant: str) -> list[Segment]:
    return [(_surface(rng, _group_card(rng, card_number(rng)), full=0.04), "CREDIT_CARD")]


_IBAN_BBAN = {  # country: (letters first, digits after)
    "DE": (0, 18), "GB": (4, 14), "FR": (0, 23), "NL": (4, 10), "ES": (0, 20), "IT": (1, 22),
    "CH": (0, 17), "BE": (0, 12), "AT": (0, 16), "SE": (0, 20), "PL": (0, 24), "IE": (4, 14),
    "NO": (0, 11), "DK": (0, 14), "FI": (0, 14),
}  # fmt: skip


def iban_number(rng: random.Random) -> str:
    country = rng.choice(sorted(_IBAN_BBAN))
    letters, digits = _IBAN_BBAN[country]
    bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(letters)) + _digits(
        rng, digits
    )
    return country + iban_check(country, bban) + bban


def iban(rng: random.Random, variant: str) -> list[Segment]:
    number = iban_number(rng)
    if rng.random() < 0.65:
        number = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return [(number, "IBAN")]


def ssn_number(rng: random.Random) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    return f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


def us_ssn(rng: random.Random, variant: str) -> list[Segment]:
    number = ssn_number(rng)
    if variant == "compact":
        return [(number, "US_SSN")]
    sep = rng.choices(["-", " "], weights=[90, 10])[0]
    return [(f"{number[:3]}{sep}{number[3:5]}{sep}{number[5:]}", "US_SSN")]


def _nanp(rng: random.Random) -> str:
    area, exchange = rng.randint(201, 989), rng.randint(200, 999)
    line = _digits(rng, 4)
    form = rng.choice(
        ["({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "+1 {a}-{e}-{l}", "+1 ({a}) {e}-{l}",
         "+1 {a} {e} {l}", "1-{a}-{e}-{l}"]
    )  # fmt: skip
    return form.format(a=area, e=exchange, l=line)


_INTL_PHONES = (
    "+44 20 {4} {4}", "+44 7700 {6}", "+81 90-{4}-{4}", "+81 3-{4}-{4}", "+86 138 {4} {4}",
    "+49 30 {8}", "+49 151 {8}", "+33 6 {2} {2} {2} {2}", "+61 4{2} {3} {3}", "+65 {4} {4}",
    "+852 {4} {4}", "+91 98{3} {5}", "+34 6{2} {3} {3}", "+1 {nanp}",
)  # fmt: skip


def phone(rng: random.Random, variant: str) -> list[Segment]:
    if variant == "nanp" or (not variant and rng.random() < 0.5):
        return [(_nanp(rng), "PHONE")]
    form = rng.choice(_INTL_PHONES)
    if "{nanp}" in form:
        value = f"+1 {rng.randint(201, 989)}-{rng.randint(200, 999)}-{_digits(rng, 4)}"
    else:
        value = "".join(
            _digits(rng, int(part[0])) + part[2:] if part[:1].isdigit() else part
            for part in _split_slots(form)
        )
        # the first digit of a subscriber number is never 0
        value = value.replace(" 0", " 5")
    return [(value, "PHONE")]


def _split_slots(form: str) -> list[str]:
    out: list[str] = []
    for chunk in form.split("{"):
        if "}" in chunk:
            count, rest = chunk.split("}", 1)
            out.append(f"{count}}}{rest}")
        else:
            out.append(chunk)
    return out


def ip_address(rng: random.Random, variant: str) -> list[Segment]:
    if variant == "v6" or (not variant and rng.random() < 0.25):
        groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8)]
        groups[0] = rng.choice(["2001", "2404", "2600", "fe80", "fd12", "2a02"])
        if groups[0] == "2001":
            groups[1] = "db8"
        if rng.random() < 0.6:  # compress a run of zeros
            cut = rng.randint(2, 5)
            value = ":".join(groups[:cut]) + "::" + ":".join(groups[cut + 2 :])
        else:
            value = ":".join(groups)
        return [(value, "IP_ADDRESS")]
    first = rng.choice([10, 172, 192, 203, 198, 211, 121, 58, 110, 175, 222, 61, 8, 1])
    second = {10: rng.randint(0, 255), 172: rng.randint(16, 31), 192: 168}.get(
        first, rng.randint(0, 255)
    )
    return [(f"{first}.{second}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", "IP_ADDRESS")]


_B62 = string.ascii_letters + string.digits


def _token(rng: random.Random, count: int, alphabet: str = _B62) -> str:
    return "".join(rng.choice(alphabet) for _ in range(count))


def _password(rng: random.Random) -> str:
    words = ("sunflower", "Tiger", "blue", "Maple", "coffee", "Seoul", "river", "Moon", "hana")
    value = rng.choice(words) + rng.choice(words).lower() + str(rng.randint(1, 9999))
    if rng.random() < 0.6:
        value += rng.choice("!@#$%^&*")
    if rng.random() < 0.3:
        value = _token(rng, rng.randint(10, 16), _B62 + "!@#$%")
    return value


def credential(rng: random.Random, variant: str) -> list[Segment]:
    """A secret; the variant names the key shape or, for ``kv``, only the secret."""
    kind = variant or rng.choice(["aws", "github", "slack", "google", "jwt", "password"])
    if kind == "aws":
        value = rng.choice(["AKIA", "ASIA"]) + _token(rng, 16, string.ascii_uppercase + "234567")
    elif kind == "aws_secret":
        value = _token(rng, 40, _B62 + "/+")
    elif kind == "github":
        value = "ghp_" + _token(rng, 36)
    elif kind == "slack":
        value = f"xoxb-{_digits(rng, 12)}-{_digits(rng, 13)}-{_token(rng, 24)}"
    elif kind == "google":
        value = "AIza" + _token(rng, 35, _B62 + "_-")
    elif kind == "jwt":
        alphabet = _B62 + "_-"
        value = f"eyJhbGciOiJIUzI1NiJ9.eyJ{_token(rng, 30, alphabet)}.{_token(rng, 43, alphabet)}"
    elif kind == "hex":
        value = _token(rng, 32, "0123456789abcdef")
    elif kind == "key_block":
        body = "\n".join(_token(rng, 64, _B62 + "+/") for _ in range(rng.randint(3, 6)))
        value = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"
    else:
        value = _password(rng)
    return [(value, "CREDENTIAL")]
