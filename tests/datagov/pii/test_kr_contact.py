"""Table-driven tests of Korean phone, address and name recognizers. All data is FAKE."""

from __future__ import annotations

import pytest

from .conftest import offsets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("제 번호는 010-1234-5678로 연락주세요", [(6, 19)], id="mobile-particle"),
        pytest.param("연락처:01098765432입니다", [(4, 15)], id="mobile-compact"),
        pytest.param("010.2345.6789 으로", [(0, 13)], id="dots"),
        pytest.param("010 2345 6789", [(0, 13)], id="spaces"),
        pytest.param("대표전화 02-123-4567", [(5, 16)], id="seoul-landline"),
        pytest.param("지점 031-765-4321에서", [(3, 15)], id="gyeonggi-landline"),
        pytest.param("Tel. (02) 123-4567", [(5, 18)], id="parenthesised"),
        pytest.param("+82 10-1234-5678", [(0, 16)], id="plus82-mobile"),
        pytest.param("call +82-2-123-4567 now", [(5, 19)], id="plus82-seoul"),
        pytest.param("+82 (0)10 1234 5678", [(0, 19)], id="plus82-trunk"),
        pytest.param("인터넷전화 070-1234-5678", [(6, 19)], id="voip"),
        pytest.param(
            "계좌 안내 끝\n집 전화 042-555-0199", [(13, 25)], id="negative-word-other-line"
        ),
    ],
)
def test_kr_phone_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "KR_PHONE") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("010-123-456", id="too-short"),
        pytest.param("010-1234-56789", id="too-long"),
        pytest.param("주문번호 010-1234-5678", id="order-context"),
        pytest.param("2002.12.25 회의", id="date"),
        pytest.param("010-1234.5678", id="mixed-separators"),
        pytest.param("ISBN 978-89-954321-0-5", id="isbn"),
        pytest.param("코드 1010-1234-5678", id="glued-digit"),
        pytest.param("IBAN IT02 1234 5678 9012", id="glued-letter"),
    ],
)
def test_kr_phone_negative(text: str) -> None:
    assert offsets(text, "KR_PHONE") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("서울특별시 강남구 테헤란로 123에 삽니다", [(0, 18)], id="road-full"),
        pytest.param("주소: 경기도 성남시 분당구 판교역로 235", [(4, 24)], id="road-two-units"),
        pytest.param("부산 해운대구 센텀중앙로 97, 101동 1203호", [(0, 28)], id="building-unit"),
        pytest.param("배송지 강남구 강남대로94길 10", [(4, 18)], id="numbered-road-context"),
        pytest.param("서울시 종로구 청운동 123-4번지", [(0, 19)], id="lot-number"),
        pytest.param("대구광역시 수성구 범어동 45-6로 배송", [(0, 18)], id="lot-particle"),
    ],
)
def test_kr_address_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "KR_ADDRESS") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("이번 연구 결과로 3개의 문제가 나왔다", id="word-ending-in-gu"),
        pytest.param("테헤란로 123", id="road-without-unit"),
        pytest.param("강남구 테헤란로", id="no-building-number"),
    ],
)
def test_kr_address_negative(text: str) -> None:
    assert offsets(text, "KR_ADDRESS") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("김민수 님, 안녕하세요", [(0, 3)], id="honorific-spaced"),
        pytest.param("박지훈대리에게 전달", [(0, 3)], id="title-glued"),
        pytest.param("담당자 이서연입니다", [(4, 7)], id="label-particle"),
        pytest.param("성명: 남궁민수", [(4, 8)], id="two-syllable-surname"),
        pytest.param("최윤 교수님 연구실", [(0, 2)], id="one-syllable-given"),
        pytest.param("예금주 홍길동", [(4, 7)], id="account-holder"),
        pytest.param("예금주는 박서준이고", [(5, 8)], id="label-with-particle"),
        pytest.param("감사합니다.\n최민호 드림", [(7, 10)], id="sign-off"),
    ],
)
def test_kr_person_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "KR_PERSON") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("고객님 문의 감사합니다", id="customer-honorific"),
        pytest.param("이번 대리 발령", id="common-word"),
        pytest.param("전주 시장님 방문", id="place-name"),
        pytest.param("김 대리에게 물어보세요", id="surname-only"),
        pytest.param("정말 감사합니다", id="no-title"),
        pytest.param("기자 회견", id="title-alone"),
        pytest.param("유네스코 AI 윤리 과장과 면담", id="department-before-title"),
    ],
)
def test_kr_person_negative(text: str) -> None:
    assert offsets(text, "KR_PERSON") == []
