"""Table-driven tests of the Korean identifier recognizers. All values are FAKE."""

from __future__ import annotations

import pytest

from . import checksums as cs
from .conftest import offsets

RRN = cs.rrn("900101", "123456")  # 900101-1234568, checksum holds
RRN_2000S = cs.rrn("020305", "312345")  # gender digit 3: born 2002
RRN_RANDOM_END = cs.rrn_bad_check("751231", "234567")  # issued after Oct 2020: no checksum
FRN = cs.frn("850315", "512345")
FRN_2000S = cs.frn("010710", "712345")
BRN = cs.brn("123456789")  # 123-45-67891
BRN_BAD = BRN[:-1] + str((int(BRN[-1]) + 1) % 10)
CRN = cs.crn("134511000123")  # 134511-0001236
CRN_BAD = CRN[:-1] + str((int(CRN[-1]) + 1) % 10)
# A corporate number whose front six digits also read as a date (1911-01-11) and
# whose seventh digit is a gender digit: it has the full RRN shape.
CRN_RRN_SHAPED = cs.crn("110111234567")
JCB_CARD = cs.luhn("353011133330000")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"주민등록번호 {RRN} 입니다", [(7, 21)], id="context"),
        pytest.param(RRN, [(0, 14)], id="bare-with-checksum"),
        pytest.param(f"주민번호는 {RRN_RANDOM_END}이고", [(6, 20)], id="random-end-with-context"),
        pytest.param(f"번호 {RRN_RANDOM_END}", [(3, 17)], id="random-end-date-valid"),
        pytest.param(f"주민등록번호 {RRN.replace('-', '')}", [(7, 20)], id="compact-context"),
        pytest.param(f"생년월일 포함 {RRN_2000S}로 확인", [(8, 22)], id="born-2000s-particle"),
        pytest.param(f"a {RRN}, b {RRN_2000S}", [(2, 16), (20, 34)], id="two"),
        pytest.param(f"RRN: {RRN[:6]} - {RRN[7:]}", [(5, 21)], id="spaced-hyphen"),
        pytest.param(
            f"외국인 직원 아님\n주민등록번호 {RRN_2000S}",
            [(17, 31)],
            id="foreigner-word-not-negative",
        ),
        pytest.param(
            f"주문 내역 없음\n주민번호 {RRN_RANDOM_END}", [(14, 28)], id="negative-word-other-line"
        ),
    ],
)
def test_kr_rrn_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "KR_RRN") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("주민등록번호 901301-1234567", id="month-13"),
        pytest.param("주민등록번호 900230-1234568", id="february-30"),
        pytest.param("주민등록번호 991231-3123456", id="born-in-the-future"),
        pytest.param(f"주문번호 {RRN}", id="order-number-context"),
        pytest.param(f"법인등록번호 {RRN}", id="corporate-context"),
        pytest.param(RRN_RANDOM_END.replace("-", ""), id="compact-no-checksum-no-context"),
        pytest.param(f"1{RRN}", id="glued-digit-before"),
        pytest.param(f"{RRN}9", id="glued-digit-after"),
        pytest.param("900101-5234567", id="foreigner-gender-digit"),
        pytest.param("2024-01-15 회의록", id="date"),
        pytest.param(f"영수증 번호: {RRN_RANDOM_END}", id="receipt-number-context"),
        pytest.param(f"승인번호 {RRN_2000S} 결제 완료", id="approval-number-context"),
        pytest.param(f"Corporation no. {CRN_RRN_SHAPED}", id="corporate-english-context"),
        pytest.param(f"EAN {RRN.replace('-', '')}", id="barcode-context"),
    ],
)
def test_kr_rrn_negative(text: str) -> None:
    assert offsets(text, "KR_RRN") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"외국인등록번호 {FRN}", [(8, 22)], id="context"),
        pytest.param(FRN, [(0, 14)], id="bare-with-checksum"),
        pytest.param(f"등록번호 {FRN_2000S}입니다", [(5, 19)], id="born-2000s"),
    ],
)
def test_kr_frn_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "KR_FRN") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("외국인등록번호 901301-5234567", id="month-13"),
        pytest.param(f"{RRN}", id="korean-gender-digit"),
        pytest.param("외국인등록번호 990101-9123456", id="gender-digit-9"),
    ],
)
def test_kr_frn_negative(text: str) -> None:
    assert offsets(text, "KR_FRN") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"사업자등록번호: {BRN}", [(9, 21)], id="context"),
        pytest.param(f"{BRN}", [(0, 12)], id="bare-checksum"),
        pytest.param(f"사업자번호 {BRN.replace('-', '')}로 발행", [(6, 16)], id="compact-context"),
    ],
)
def test_kr_brn_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "KR_BRN") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"사업자등록번호: {BRN_BAD}", id="bad-checksum"),
        pytest.param(BRN.replace("-", ""), id="compact-without-context"),
        pytest.param("전화 02-1234-56789", id="other-shape"),
    ],
)
def test_kr_brn_negative(text: str) -> None:
    assert offsets(text, "KR_BRN") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"법인등록번호 {CRN}", [(7, 21)], id="context"),
        pytest.param(f"법인번호: {CRN}입니다", [(6, 20)], id="context-particle"),
        pytest.param(f"법인등록번호 {CRN.replace('-', '')} 확인", [(7, 20)], id="compact-context"),
        pytest.param(
            f"corporate registration number {CRN_RRN_SHAPED}", [(30, 44)], id="rrn-shaped"
        ),
    ],
)
def test_kr_crn_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "KR_CRN") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"법인등록번호 {CRN_BAD}", id="bad-checksum"),
        pytest.param(CRN, id="no-context"),
        pytest.param(CRN.replace("-", ""), id="compact-no-context"),
        pytest.param(f"법인 계약번호 {CRN.replace('-', '')}", id="contract-number-context"),
    ],
)
def test_kr_crn_negative(text: str) -> None:
    assert offsets(text, "KR_CRN") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("여권번호 M12345678", [(5, 14)], id="old-format"),
        pytest.param("passport no. M123A4567 issued", [(13, 22)], id="new-format"),
        pytest.param("여권: S98765432입니다", [(4, 13)], id="particle"),
    ],
)
def test_kr_passport_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "KR_PASSPORT") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("model M12345678 in stock", id="no-context"),
        pytest.param("여권번호 XM12345678", id="glued-letter"),
        pytest.param("여권번호 M1234567", id="too-short"),
    ],
)
def test_kr_passport_negative(text: str) -> None:
    assert offsets(text, "KR_PASSPORT") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("운전면허번호 11-12-345678-90", [(7, 22)], id="separated"),
        pytest.param("면허: 서울 12-345678-90", [(4, 19)], id="region-name"),
        pytest.param("driver license 281234567890 ok", [(15, 27)], id="compact-context"),
        pytest.param("번호는 26-98-765432-10으로", [(4, 19)], id="no-context-particle"),
    ],
)
def test_kr_driver_license_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "KR_DRIVER_LICENSE") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("운전면허번호 99-12-345678-90", id="unknown-region"),
        pytest.param("281234567890", id="compact-without-context"),
    ],
)
def test_kr_driver_license_negative(text: str) -> None:
    assert offsets(text, "KR_DRIVER_LICENSE") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("국민은행 123456-01-123456 예금주 홍길동", [(5, 21)], id="kb"),
        pytest.param("신한 110-123-456789로 입금", [(3, 17)], id="particle"),
        pytest.param("입금 계좌: 1002-123-456789", [(7, 22)], id="woori"),
        pytest.param("농협 302-1234-5678-91", [(3, 19)], id="four-groups"),
        pytest.param("카카오뱅크 3333012345678", [(6, 19)], id="compact"),
        pytest.param("국민 612345-02-765432 김철수", [(3, 19)], id="bank-name-right-before"),
        pytest.param("우리: 1002-987-654321", [(4, 19)], id="ambiguous-bank-name-colon"),
        pytest.param("Shinhan 110-765-432109 please", [(8, 22)], id="english-bank-name"),
    ],
)
def test_kr_bank_account_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "KR_BANK_ACCOUNT") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("부품번호 123456-01-123456", id="no-bank-context"),
        pytest.param("계좌 문의는 010-1234-5678로", id="phone-shape"),
        pytest.param("은행 방문일 2024-01-15", id="date"),
        pytest.param("은행 도서 ISBN 978-89-954321-0-5", id="isbn"),
        pytest.param("은행 123-45-678", id="too-few-digits"),
        pytest.param("국민 여러분, 접수 건수 1234567890123", id="everyday-word-not-bank"),
        pytest.param("우리 회사 문서 110-765-432109", id="we-not-woori"),
        pytest.param(f"신한은행 거래처 {BRN}", id="valid-business-number"),
        pytest.param("입금 확인 후 시리얼 4321-8765-2109 발송", id="serial-number"),
    ],
)
def test_kr_bank_account_negative(text: str) -> None:
    assert offsets(text, "KR_BANK_ACCOUNT") == []
