"""Table-driven tests of the English and international recognizers. All data is FAKE."""

from __future__ import annotations

import pytest

from . import checksums as cs
from .conftest import offsets

CARD_MC = cs.luhn("540000000000000")  # 5400000000000005
CARD_AMEX = cs.luhn("37828224631000")  # 15 digits
CARD_JCB = cs.luhn("353011133330000")
CARD_MC_2_SERIES = cs.luhn("222100000000000")
LUHN_13 = cs.luhn("400000000000")  # 13 digits: no card is issued with this length now
LUHN_DATE_PREFIX = cs.luhn("202403150000012")  # 16 digits, outside the 2221-2720 range
IBAN_FR = cs.iban("FR", "30006000011234567890189")
IBAN_NL = cs.iban("NL", "ABNA0417164300")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("이메일은 test.user@example.com으로 보내주세요", [(5, 26)], id="particle"),
        pytest.param("Mail jane.doe+ethos@mail.example.co.kr.", [(5, 38)], id="subdomain-dot"),
        pytest.param("<a_b@example.org>", [(1, 16)], id="brackets"),
        pytest.param("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", [(0, 16)], id="full-width"),
    ],
)
def test_email_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "EMAIL") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("handle @someone on social media", id="mention"),
        pytest.param("user@localhost", id="no-tld"),
        pytest.param(".jane@example.com", id="leading-dot"),
        pytest.param("jane..doe@example.com", id="double-dot"),
    ],
)
def test_email_negative(text: str) -> None:
    assert offsets(text, "EMAIL") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("card 4111 1111 1111 1111 exp 12/30", [(5, 24)], id="visa-spaced"),
        pytest.param("카드번호 4111-1111-1111-1111로 결제", [(5, 24)], id="visa-hyphen-particle"),
        pytest.param(f"MC {CARD_MC}", [(3, 19)], id="mastercard-compact"),
        pytest.param(
            f"amex {CARD_AMEX[:4]} {CARD_AMEX[4:10]} {CARD_AMEX[10:]}", [(5, 22)], id="amex-4-6-5"
        ),
        pytest.param(f"JCB {CARD_JCB}", [(4, 20)], id="jcb"),
        pytest.param(f"결제 {CARD_MC_2_SERIES}로", [(3, 19)], id="mastercard-2-series"),
        pytest.param(f"주문 완료\ncard {CARD_MC}", [(11, 27)], id="negative-word-other-line"),
    ],
)
def test_credit_card_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "CREDIT_CARD") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("card 4111 1111 1111 1112", id="fails-luhn"),
        pytest.param("ISBN 9788995432105", id="isbn-13"),
        pytest.param("order 4111 11111 1111 111", id="odd-grouping"),
        pytest.param("tracking 1234567890123456", id="no-issuer-prefix"),
        pytest.param("card 4111 1111 1111", id="too-short"),
        pytest.param(f"ref {LUHN_13}", id="thirteen-digits"),
        pytest.param(f"ref {LUHN_DATE_PREFIX}", id="unknown-issuer-range"),
    ],
)
def test_credit_card_negative(text: str) -> None:
    assert offsets(text, "CREDIT_CARD") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("IBAN GB82 WEST 1234 5698 7654 32", [(5, 32)], id="gb-published"),
        pytest.param("pay to DE89 3704 0044 0532 0130 00.", [(7, 34)], id="de-published"),
        pytest.param("DE89370400440532013000로 송금", [(0, 22)], id="compact-particle"),
        pytest.param(f"account {IBAN_FR}", [(8, 35)], id="fr-computed"),
        pytest.param(f"({IBAN_NL})", [(1, 19)], id="nl-computed"),
    ],
)
def test_iban_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "IBAN") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("IBAN GB82 WEST 1234 5698 7654 33", id="fails-mod97"),
        pytest.param("IBAN DE89 3704 0044 0532 0130 0", id="wrong-length"),
        pytest.param("IBAN ZZ12 3456 7890 1234 56", id="unknown-country"),
    ],
)
def test_iban_negative(text: str) -> None:
    assert offsets(text, "IBAN") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("SSN 219-09-9998", [(4, 15)], id="hyphen"),
        pytest.param("ssn: 512 34 6789.", [(5, 16)], id="spaces"),
        pytest.param("social security number 512346789", [(23, 32)], id="compact-context"),
        pytest.param("id 512-34-6789", [(3, 14)], id="no-context"),
        pytest.param(
            "Social Security Number (digits only): 512346789",
            [(38, 47)],
            id="compact-label-further-away",
        ),
    ],
)
def test_us_ssn_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "US_SSN") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("SSN 000-12-3456", id="area-000"),
        pytest.param("SSN 666-12-3456", id="area-666"),
        pytest.param("SSN 912-34-5678", id="area-9xx"),
        pytest.param("SSN 512-00-6789", id="group-00"),
        pytest.param("SSN 512-34-0000", id="serial-0000"),
        pytest.param("SSN 078-05-1120", id="advertised-number"),
        pytest.param("512346789", id="compact-no-context"),
        pytest.param("order 512-34-6789", id="order-context"),
    ],
)
def test_us_ssn_negative(text: str) -> None:
    assert offsets(text, "US_SSN") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("call +1 415-555-0132 now", [(5, 20)], id="nanp-plus1"),
        pytest.param("Phone: (415) 555-0132", [(7, 21)], id="nanp-parenthesised"),
        pytest.param("tel 415.555.0132", [(4, 16)], id="nanp-dots"),
        pytest.param("London +44 20 7946 0958", [(7, 23)], id="uk"),
        pytest.param("전화 +81 3-1234-5678로", [(3, 18)], id="japan-particle"),
    ],
)
def test_phone_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "PHONE") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("invoice 415-555-0132", id="invoice-context"),
        pytest.param("call 555-0132", id="too-short"),
        pytest.param("+82 10-1234-5678", id="korean-plus82-is-kr-phone"),
        pytest.param("+1 111 1111", id="repeated-digits"),
    ],
)
def test_phone_negative(text: str) -> None:
    assert offsets(text, "PHONE") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("server at 192.168.0.10 down", [(10, 22)], id="ipv4"),
        pytest.param("접속 IP는 203.0.113.7입니다", [(7, 18)], id="ipv4-particle"),
        pytest.param("host 2001:db8::8a2e:370:7334.", [(5, 28)], id="ipv6"),
        pytest.param("from fe80::1ff:fe23:4567:890a%eth0", [(5, 34)], id="ipv6-zone"),
        pytest.param("mapped ::ffff:192.0.2.1 ok", [(7, 23)], id="ipv6-mapped-ipv4"),
    ],
)
def test_ip_address_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "IP_ADDRESS") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("upgraded to version 1.2.3.4 today", id="version-string"),
        pytest.param("펌웨어 버전 10.2.0.1 배포", id="korean-version"),
        pytest.param("v1.2.3.4", id="v-prefix"),
        pytest.param("999.1.1.1", id="octet-out-of-range"),
        pytest.param("1.2.3.4.5", id="five-parts"),
        pytest.param("meeting at 12:30:45", id="time"),
        pytest.param("MAC 00:1A:2B:3C:4D:5E", id="mac"),
        pytest.param("loopback ::1", id="ipv6-loopback"),
        pytest.param("after updating to 4.3.2.1 it crashes", id="update-context"),
        pytest.param("rollback to 2.1.0.9 done", id="rollback-context"),
        pytest.param("앱 3.2.10.4 설치 후 오류", id="app-version"),
        pytest.param("App 7.1.0.22 crashes", id="app-version-english"),
    ],
)
def test_ip_address_negative(text: str) -> None:
    assert offsets(text, "IP_ADDRESS") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("key AKIAIOSFODNN7EXAMPLE here", [(4, 24)], id="aws-key-id"),
        pytest.param("api_key=AbCdEf123456 next", [(8, 20)], id="api-key-assignment"),
        pytest.param('password: "hunter22x"', [(11, 20)], id="password-quoted"),
        pytest.param("비밀번호는 abc123!@ 입니다", [(6, 14)], id="korean-password"),
        pytest.param("Authorization: Bearer abcdef0123456789abcdef", [(22, 44)], id="bearer"),
        pytest.param("token ghp_" + "a1B2" * 9 + " end", [(6, 46)], id="github-token"),
        pytest.param("pwd=%Tq8rr0pz2 next", [(4, 14)], id="percent-first-character"),
        pytest.param("passphrase: $ecretBox91", [(12, 23)], id="dollar-first-character"),
        pytest.param(
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEfake\n-----END RSA PRIVATE KEY-----",
            [(0, 70)],
            id="private-key-block",
        ),
    ],
)
def test_credential_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "CREDENTIAL") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("password: ********", id="masked"),
        pytest.param("password: ${DB_PASSWORD}", id="template-variable"),
        pytest.param("api_key=<your_api_key>", id="placeholder"),
        pytest.param("password=%DB_PASS%", id="windows-variable"),
        pytest.param("token: $API_TOKEN", id="shell-variable"),
        pytest.param("secret=$(VAULT_SECRET)", id="make-variable"),
        pytest.param("비밀번호를 변경하세요", id="korean-sentence"),
        pytest.param("the password is required", id="prose"),
        pytest.param("AKIAIOSFODNN7EXAMPL", id="aws-too-short"),
    ],
)
def test_credential_negative(text: str) -> None:
    assert offsets(text, "CREDENTIAL") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Mr. John Smith called", [(4, 14)], id="mr"),
        pytest.param("ask Dr. Jane Doe.", [(8, 16)], id="dr"),
        pytest.param("Contact: Sarah Connor", [(9, 21)], id="contact-label"),
        pytest.param("Regards,\nMary O'Brien", [(9, 21)], id="sign-off"),
        pytest.param("Prof. Alan M. Turing", [(6, 20)], id="middle-initial"),
        pytest.param("Hello Maria Gonzalez,", [(6, 20)], id="greeting"),
    ],
)
def test_person_positive(text: str, expected: list[tuple[int, int]]) -> None:
    assert offsets(text, "PERSON") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Dear Hiring Manager,", id="role"),
        pytest.param("Contact: Customer Service", id="department"),
        pytest.param("The Data Protection Act applies", id="capitalised-phrase"),
        pytest.param("contact john smith", id="lowercase"),
    ],
)
def test_person_negative(text: str) -> None:
    assert offsets(text, "PERSON") == []
