"""Dataset records, SPDX licence expressions and licence classes, as pure data."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from ethos.domain.datasets import (
    Dataset,
    DatasetVersion,
    parse_dataset,
    parse_scan_summary,
    record_digest,
    split_ref,
)
from ethos.domain.errors import ContentError, InvalidInputError
from ethos.domain.licences import (
    LicenceClass,
    LicenceExpressionError,
    LicencePolicy,
    PermittedUse,
    parse_licence_expression,
)
from ethos.knowledge.loading import load_model

LICENCES = Path(__file__).resolve().parents[2] / "src" / "ethos" / "knowledge" / "licences.yaml"
SHA = "ab" * 32


def dataset_data(**overrides: Any) -> dict[str, Any]:
    """A complete dataset record as raw YAML data; any top-level field overridable."""
    data: dict[str, Any] = {
        "schema": "ethos.dataset/1",
        "id": "ko-news",
        "version": "1.0",
        "title": "Korean news corpus",
        "description": "News articles for pretraining.",
        "data_types": ["text"],
        "files": {"manifest": [{"path": "part-0.jsonl", "sha256": SHA, "bytes": 10}]},
        "provenance": {
            "origin": "https://news.example.org",
            "collector": "Data team",
            "method": "crawl",
            "collection_period": {"start": "2024-01-01", "end": "2024-06-30"},
            "upstream": ["ko-web-2023"],
            "processing": ["deduplicated"],
        },
        "legal": {
            "licence": "CC-BY-4.0",
            "copyright": "licensed",
            "lawful_basis": "licence agreement",
            "acquisition_review": {"reviewer": "lee", "date": "2024-07-01"},
        },
        "privacy": {"personal_data": "no", "confidentiality": "internal"},
        "content_safety": {"action_taken": "hate speech filtered"},
        "representativeness": {"languages": ["ko"], "domains": ["news"]},
        "uses": {"intended": ["pretraining"], "prohibited": ["profiling people"]},
        "access": {"owner": "alice", "stewards": ["bob"], "allowlist": ["carol"]},
        "retention": {"retain_until": "2027-12-31", "disposal_method": "delete"},
    }
    data.update(copy.deepcopy(overrides))
    return data


@pytest.fixture(scope="module")
def policy() -> LicencePolicy:
    return load_model(LICENCES, LicencePolicy)


# ---------------------------------------------------------------- expressions


@pytest.mark.parametrize(
    ("text", "canonical", "licences"),
    [
        ("MIT", "MIT", ["MIT"]),
        ("  Apache-2.0  ", "Apache-2.0", ["Apache-2.0"]),
        ("GPL-2.0+", "GPL-2.0+", ["GPL-2.0"]),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0", ["MIT", "Apache-2.0"]),
        ("(MIT OR Apache-2.0) AND CC-BY-4.0", "(MIT OR Apache-2.0) AND CC-BY-4.0", None),
        ("MIT OR Apache-2.0 AND CC0-1.0", "MIT OR (Apache-2.0 AND CC0-1.0)", None),
        ("A AND (B AND C)", "A AND B AND C", ["A", "B", "C"]),
        (
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
            ["GPL-2.0-or-later"],
        ),
        ("LicenseRef-internal-data", "LicenseRef-internal-data", ["LicenseRef-internal-data"]),
        ("DocumentRef-spdx:LicenseRef-x", "DocumentRef-spdx:LicenseRef-x", None),
        ("((MIT))", "MIT", ["MIT"]),
        ("NOASSERTION", "NOASSERTION", ["NOASSERTION"]),
    ],
)
def test_expressions_parse_to_canonical_form(
    text: str, canonical: str, licences: list[str] | None
) -> None:
    parsed = parse_licence_expression(text)
    assert str(parsed) == canonical
    assert str(parse_licence_expression(canonical)) == canonical  # a fixed point
    if licences is not None:
        assert parsed.licences() == licences


def test_with_binds_tighter_than_and_which_binds_tighter_than_or() -> None:
    parsed = parse_licence_expression("A WITH E OR B AND C")
    assert parsed.op == "OR"
    first, second = parsed.parts
    assert (first.licence, first.exception) == ("A", "E")
    assert second.op == "AND"
    assert [p.licence for p in second.parts] == ["B", "C"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("MIT AND", "at the end: expected a licence id"),
        ("(MIT OR Apache-2.0", "')' to close"),
        ("MIT and Apache-2.0", "operators are written in capitals: AND"),
        ("MIT Apache-2.0", "at character 5: expected AND, OR"),
        ("MIT WITH", "exception id after WITH"),
        ("(MIT) WITH Classpath-exception-2.0", "WITH follows a single licence"),
        ("LicenseRef-x+", "at character 1"),
        ("MIT/2", "at character 1"),
        ("NONE OR MIT", "stand alone"),
        ("OR MIT", "at character 1"),
    ],
)
def test_bad_expressions_say_where(text: str, message: str) -> None:
    with pytest.raises(LicenceExpressionError) as caught:
        parse_licence_expression(text)
    assert message in str(caught.value)


# ---------------------------------------------------------------- classes


@pytest.mark.parametrize(
    ("expression", "cls", "use", "attribution", "share_alike"),
    [
        ("CC0-1.0", "permissive", "commercial", False, False),
        ("MIT", "attribution", "commercial", True, False),
        ("mit", "attribution", "commercial", True, False),  # ids compare without case
        ("CC-BY-SA-4.0", "share-alike", "commercial", True, True),
        ("GPL-2.0+", "share-alike", "commercial", True, True),
        ("CC-BY-NC-4.0", "non-commercial", "non-commercial", True, False),
        ("CC-BY-NC-SA-4.0", "non-commercial", "non-commercial", True, True),
        ("CC-BY-NC-ND-4.0", "no-derivatives", "non-commercial", True, False),
        # OR: the least strict alternative may be chosen
        ("CC-BY-SA-4.0 OR MIT", "attribution", "commercial", True, False),
        ("CC-BY-NC-4.0 OR LicenseRef-x", "non-commercial", "non-commercial", True, False),
        # AND: every licence applies
        ("MIT AND CC-BY-SA-4.0", "share-alike", "commercial", True, True),
        ("CC-BY-NC-4.0 AND CC-BY-SA-4.0", "non-commercial", "non-commercial", True, True),
        ("CC0-1.0 AND LicenseRef-x", "unknown", "unspecified", None, None),
        # WITH keeps the licence's class
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", "share-alike", "commercial", True, True),
        ("NOASSERTION", "unknown", "unspecified", None, None),
        ("Some-Unlisted-1.0", "unknown", "unspecified", None, None),
    ],
)
def test_classes_of_expressions(
    policy: LicencePolicy,
    expression: str,
    cls: str,
    use: str,
    attribution: bool | None,
    share_alike: bool | None,
) -> None:
    terms = policy.classify(parse_licence_expression(expression))
    assert (terms.cls.value, terms.use.value) == (cls, use)
    assert (terms.attribution, terms.share_alike) == (attribution, share_alike)


def test_unclassified_licences_are_named(policy: LicencePolicy) -> None:
    terms = policy.classify(parse_licence_expression("(MIT OR LicenseRef-a) AND Foo-1.0"))
    assert terms.cls is LicenceClass.UNKNOWN
    assert terms.unclassified == ("LicenseRef-a", "Foo-1.0")
    assert terms.non_commercial is None
    assert policy.classify(parse_licence_expression("CC-BY-NC-4.0")).non_commercial is True


def test_shipped_classification_covers_each_class_and_is_consistent(
    policy: LicencePolicy,
) -> None:
    used = {entry.cls for entry in policy.licences.values()}
    assert used >= set(LicenceClass) - {LicenceClass.UNKNOWN, LicenceClass.PROPRIETARY_INTERNAL}
    for name in policy.licences:
        if name.startswith("CC-BY-NC"):
            terms = policy.classify(parse_licence_expression(name))
            assert terms.use is PermittedUse.NON_COMMERCIAL, name
        if "-SA-" in name:
            assert policy.classify(parse_licence_expression(name)).share_alike is True, name


def _policy_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(LICENCES.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["restrictiveness"].pop(), "restrictiveness"),
        (lambda d: d["classes"].pop("unknown"), "terms missing for unknown"),
        (lambda d: d["licences"].update({"mit": {"class": "permissive"}}), "listed twice"),
        (lambda d: d["licences"].update({"Not an id": {"class": "permissive"}}), "not an SPDX"),
        (lambda d: d["licences"]["MIT"].update({"class": "lenient"}), "licences.MIT"),
    ],
)
def test_a_bad_licence_file_fails_loudly(tmp_path: Path, change: Any, message: str) -> None:
    data = _policy_data()
    change(data)
    bad = tmp_path / "licences.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        load_model(bad, LicencePolicy)


# ---------------------------------------------------------------- records


def test_a_complete_record_validates_and_keeps_its_values() -> None:
    record = parse_dataset(dataset_data())
    assert record.legal.licence == "CC-BY-4.0"
    assert record.files.total_bytes == 10
    assert record.representativeness.documented
    assert record.access.default == "deny"
    assert record.to_json()["schema"] == "ethos.dataset/1"
    assert parse_dataset(record.to_json()) == record  # round trip


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"id": "Ko News"}, "field id: expected lowercase"),
        ({"version": ""}, "field version"),
        ({"provenance": {"origin": "x"}}, "field provenance.method: Field required"),
        ({"provenance": {"origin": "x", "method": "scrape"}}, "field provenance.method"),
        ({"legal": {"licence": "MIT and BSD"}}, "field legal.licence: not an SPDX"),
        (
            {"files": {"manifest": [{"path": "../etc/passwd", "sha256": SHA, "bytes": 1}]}},
            "field files.manifest.0.path",
        ),
        (
            {"files": {"manifest": [{"path": "/abs", "sha256": SHA, "bytes": 1}]}},
            "field files.manifest.0.path",
        ),
        (
            {"files": {"manifest": [{"path": "a", "sha256": "xyz", "bytes": 1}]}},
            "field files.manifest.0.sha256: expected 64 hexadecimal",
        ),
        (
            {"files": {"manifest": [{"path": "a", "sha256": SHA, "bytes": -1}]}},
            "field files.manifest.0.bytes",
        ),
        (
            {
                "files": {
                    "manifest": [
                        {"path": "a", "sha256": SHA, "bytes": 1},
                        {"path": "a", "sha256": SHA, "bytes": 1},
                    ]
                }
            },
            "field files.manifest[1].path: 'a' is listed twice",
        ),
        (
            {
                "provenance": {
                    "origin": "x",
                    "method": "user",
                    "collection_period": {"start": "2024-05-01", "end": "2024-01-01"},
                }
            },
            "field provenance.collection_period.end: before start",
        ),
        ({"privacy": {"personal_data": "maybe"}}, "field privacy.personal_data"),
        ({"access": {"owner": "two words"}}, "field access.owner"),
        ({"access": {"owner": "a", "default": "allow"}}, "field access.default"),
        ({"representativeness": {"languages": ["Korean"]}}, "representativeness.languages.0"),
        ({"colour": "blue"}, "field colour: Extra inputs"),
        ({"schema": "ethos.dataset/2"}, "field schema"),
        (
            {"publication": {"date": "2024-13-01"}},
            "field publication.date: Input should be a valid date or datetime, month value",
        ),
        (
            {"publication": {"date": "September 2024"}},
            "field publication.date: Input should be a valid date",
        ),
        (
            {"publication": {"date": 20240902}},
            "field publication.date: expected a date (YYYY-MM-DD), not a number",
        ),
        ({"publication": {"date": "2024-09-02T10:00:00"}}, "field publication.date"),
        ({"publication": {"citation": "x" * 4001}}, "field publication.citation: String"),
        ({"publication": {"doi": "10.1/x"}}, "field publication.doi: Extra inputs"),
        ({"publication": "2024-09-02"}, "field publication: Input should be a valid dictionary"),
    ],
)
def test_validation_errors_name_the_source_and_field(
    overrides: dict[str, Any], expected: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_dataset(dataset_data(**overrides), source="--file d.yaml")
    assert expected in caught.value.message
    assert all(line.startswith("--file d.yaml: ") for line in caught.value.message.splitlines())


def test_every_problem_is_reported_at_once() -> None:
    data = dataset_data(id="BAD", legal={"licence": "("})
    del data["access"]
    with pytest.raises(InvalidInputError) as caught:
        parse_dataset(data)
    fields = [line.split(": ")[1] for line in caught.value.message.splitlines()]
    assert fields == ["field id", "field legal.licence", "field access"]


def test_licence_class_is_only_for_expressions_the_file_cannot_classify(
    policy: LicencePolicy,
) -> None:
    internal = parse_dataset(
        dataset_data(
            legal={"licence": "LicenseRef-acme-internal", "licence_class": "proprietary-internal"}
        )
    )
    assert internal.check_licence_class(policy) == []
    terms = internal.terms(policy)
    assert (terms.cls, terms.use) == (LicenceClass.PROPRIETARY_INTERNAL, PermittedUse.INTERNAL)
    claimed = parse_dataset(
        dataset_data(legal={"licence": "CC-BY-SA-4.0", "licence_class": "permissive"})
    )
    (problem,) = claimed.check_licence_class(policy)
    assert "field legal.licence_class" in problem and "share-alike" in problem
    assert claimed.terms(policy).cls is LicenceClass.SHARE_ALIKE  # the expression wins


def test_digest_follows_content_not_key_order() -> None:
    a = parse_dataset(dataset_data())
    b = parse_dataset(dict(reversed(list(dataset_data().items()))))
    assert record_digest(a) == record_digest(b)
    assert record_digest(a) != record_digest(parse_dataset(dataset_data(title="Other")))


# The digest the register gave dataset_data() before the publication section existed
# (computed with that earlier DatasetRecord): a record that leaves it out keeps its digest.
DIGEST_BEFORE_PUBLICATION = "fb83eee716e1047732e1eb1b4d67f6422b45d02653a7451903629d9e24df8a52"
BIBTEX = "@misc{konews2024,\n  title = {Korean news corpus},\n  year = {2024}\n}"


def test_publication_date_and_citation_are_kept() -> None:
    record = parse_dataset(
        dataset_data(publication={"date": "2024-09-02", "citation": f"  {BIBTEX}\n"})
    )
    assert record.publication is not None
    assert record.publication.date == dt.date(2024, 9, 2)
    assert record.publication.citation == BIBTEX  # lines kept, the ends stripped
    assert record.to_json()["publication"] == {"date": "2024-09-02", "citation": BIBTEX}
    assert parse_dataset(record.to_json()) == record
    # YAML reads an unquoted day as a date; a plain reference alone is enough
    loaded = yaml.safe_load("publication: {date: 2024-09-02}\n")
    assert isinstance(loaded["publication"]["date"], dt.date)
    dated = parse_dataset(dataset_data(**loaded)).publication
    assert dated is not None and (dated.date, dated.citation) == (dt.date(2024, 9, 2), "")
    cited = parse_dataset(dataset_data(publication={"citation": "Kim (2024), Korean news."}))
    assert cited.publication is not None and cited.publication.date is None


@pytest.mark.parametrize("publication", [None, {}, {"date": None, "citation": " "}])
def test_a_record_without_publication_keeps_its_json_and_digest(publication: Any) -> None:
    data = dataset_data() if publication is None else dataset_data(publication=publication)
    record = parse_dataset(data)
    assert record.publication is None
    assert "publication" not in record.to_json()
    assert record_digest(record) == DIGEST_BEFORE_PUBLICATION
    published = parse_dataset(dataset_data(publication={"date": "2024-09-02"}))
    assert record_digest(published) != DIGEST_BEFORE_PUBLICATION


def test_refs_split_into_id_and_version() -> None:
    assert split_ref("ko-news") == ("ko-news", None)
    assert split_ref(" ko-news@2.0 ") == ("ko-news", "2.0")
    for bad in ("@1", "ko-news@", ""):
        with pytest.raises(InvalidInputError, match="ID@VERSION"):
            split_ref(bad)


def test_scan_summaries_hold_counts_by_type_only() -> None:
    assert parse_scan_summary({"EMAIL": 3, "KR_RRN": 0}) == {"EMAIL": 3, "KR_RRN": 0}
    for bad in (
        {"EMAIL": "me@example.org"},
        {"EMAIL": -1},
        {"EMAIL": True},
        {"EMAIL": {"n": 1}},
        {"a value with spaces": 1},
        ["EMAIL"],
    ):
        with pytest.raises(InvalidInputError, match="summary"):
            parse_scan_summary(bad)


def test_reading_is_denied_by_default() -> None:
    record = parse_dataset(dataset_data())
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    dataset = Dataset("ko-news", (DatasetVersion(record, "d", "alice", at),), allowlist=("dan",))
    assert [p for p in ("alice", "bob", "dan", "carol", "eve") if dataset.may_read(p)] == [
        "alice",
        "bob",
        "dan",
    ]  # carol is in the file's allowlist, but grants are what the register holds


@pytest.mark.parametrize(
    ("overrides", "expected_ko"),
    [
        ({"id": "Ko News"}, "필드 id: 영문 소문자, 숫자, '.', '_', '-'로 된 1-100자여야 합니다"),
        ({"title": "x" * 201}, "필드 title: 200자 이하여야 합니다"),
        ({"provenance": {"origin": "x"}}, "필드 provenance.method: 값이 없습니다"),
        (
            {"legal": {"licence": "MIT and BSD"}},
            "필드 legal.licence: SPDX 라이선스 표현식이 아닙니다",
        ),
        (
            {"files": {"manifest": [{"path": "../etc/passwd", "sha256": SHA, "bytes": 1}]}},
            "필드 files.manifest.0.path: '..'나 '.' 없이 files.root에 대한 상대 경로여야 합니다",
        ),
        (
            {"files": {"manifest": [{"path": "a", "sha256": "xyz", "bytes": 1}]}},
            "필드 files.manifest.0.sha256: 16진수 64자여야 합니다",
        ),
        (
            {"files": {"manifest": [{"path": "a", "sha256": SHA, "bytes": -1}]}},
            "필드 files.manifest.0.bytes: 0 이상이어야 합니다",
        ),
        (
            {"files": {"manifest": [{"path": "a", "sha256": SHA, "bytes": 1}] * 2}},
            "필드 files.manifest[1].path: 'a'이(가) 두 번 나옵니다",
        ),
        (
            {
                "provenance": {
                    "origin": "x",
                    "method": "user",
                    "collection_period": {"start": "2024-05-01", "end": "2024-01-01"},
                }
            },
            "필드 provenance.collection_period.end: start보다 앞섭니다",
        ),
        ({"access": {"owner": "two words"}}, "필드 access.owner: 공백이나 쉼표 없는 사용자 이름"),
        ({"representativeness": {"languages": ["Korean"]}}, "언어 태그여야 합니다"),
        ({"colour": "blue"}, "필드 colour: 허용되지 않는 필드입니다"),
        (
            {"publication": {"date": "2024-13-01"}},
            "필드 publication.date: 올바른 날짜나 일시여야 합니다(월 값이 허용 범위(1-12)를",
        ),
        (
            {"publication": {"date": 20240902}},
            "필드 publication.date: 숫자가 아니라 날짜(YYYY-MM-DD)여야 합니다",
        ),
        ({"publication": {"citation": "x" * 4001}}, "필드 publication.citation: 4000자 이하"),
    ],
)
def test_validation_errors_read_in_korean(overrides: dict[str, Any], expected_ko: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_dataset(dataset_data(**overrides), source="--file d.yaml")
    korean = caught.value.message_ko or ""
    assert expected_ko in korean
    assert all(line.startswith("--file d.yaml: ") for line in korean.splitlines())
    assert "Input should" not in korean and "Value error" not in korean
    assert "Value error" not in caught.value.message  # English stays as it was


@pytest.mark.parametrize(
    ("written", "answer"),
    [("yes", "yes"), ("no", "no"), ('"yes"', "yes"), ("not_asserted", "not_asserted")],
)
def test_unquoted_yes_and_no_in_yaml_are_answers(written: str, answer: str) -> None:
    # YAML 1.1 reads unquoted yes/no as booleans; the record takes them as the answers.
    privacy = yaml.safe_load(f"personal_data: {written}\nunique_identifiers: {written}")
    record = parse_dataset(dataset_data(privacy=privacy))
    assert record.privacy.personal_data.value == answer
    assert record.privacy.unique_identifiers.value == answer
    with pytest.raises(InvalidInputError, match=r"privacy\.personal_data"):
        parse_dataset(dataset_data(privacy={"personal_data": 1}))
