"""Our dataset exports read by the official tools, offline.

SPDX 3: ``spdx-python-model``, the SPDX project's bindings generated from the SPDX 3.0.1 SHACL
model, reads each document and must know every type, property and enumerated value in it,
resolve every reference, and write back exactly what we wrote (cardinalities are checked on
writing).

Croissant: ``mlcroissant``, MLCommons' reference implementation, loads each document through
``mlcroissant.Dataset``, as ``mlcroissant validate --jsonld`` does, with every network
connection refused. It must report no error, and no warning but the two we accept for a
record that does not state what they ask for (a citation, a publication date). We also keep
checking that the ``@context`` is the standard Croissant 1.0 context term for term.

Under CI both tools must be installed (the ``dev`` extra): a missing package fails, never skips.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import io
import json
import socket
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ethos.domain.datasets import (
    Dataset,
    DatasetVersion,
    ScanKind,
    ScanSummary,
    parse_dataset,
)
from ethos.services.context import ServiceContext
from ethos.services.dataset_exports import croissant_document, export_dataset, spdx_document
from tests.conftest import IN_CI
from tests.domain.test_datasets import dataset_data
from tests.services.test_datasets import FILES, register, write_files

if IN_CI:
    import spdx_python_model  # under CI the official check must run, never skip
else:
    spdx_python_model = pytest.importorskip("spdx_python_model")
try:
    import mlcroissant
except ImportError:  # pragma: no cover - only outside CI
    if IN_CI:
        raise
    mlcroissant = None
needs_mlcroissant = pytest.mark.skipif(
    mlcroissant is None, reason="mlcroissant is not installed (pip install -e '.[dev]')"
)
# mlcroissant 1.1 builds its graph with rdflib's ConjunctiveGraph, which rdflib 7 deprecates
mlcroissant_deprecations = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)

RECORDED = dt.datetime(2024, 7, 2, 9, 30, tzinfo=dt.UTC)
CREATED = dt.datetime(2024, 8, 1, 12, 0, tzinfo=dt.UTC)
TWO_FILES = {
    "manifest": [
        {"path": "part-0.jsonl", "sha256": "ab" * 32, "bytes": 10},
        {"path": "nested/part-1.jsonl", "sha256": "cd" * 32, "bytes": 27},
    ]
}
PUBLISHED = dt.date(2024, 9, 2)
BIBTEX = (
    "@misc{konews2024,\n  author = {Data team},\n  title = {Korean news corpus},\n"
    "  year = {2024}\n}"
)
VARIANTS: dict[str, dict[str, Any]] = {
    "complete": {
        "files": TWO_FILES,
        "publication": {"date": "2024-09-02", "citation": "Data team (2024). Korean news."},
    },
    "personal data": {
        "files": TWO_FILES,
        "publication": {"date": "2024-09-02", "citation": BIBTEX},
        "privacy": {
            "personal_data": "yes",
            "unique_identifiers": "no",
            "sensitive_categories": ["health"],
            "anonymisation": "names masked",
            "confidentiality": "restricted",
        },
        "representativeness": {
            "languages": ["ko", "en"],
            "known_biases": ["Seoul-centric"],
            "notes": "few dialects",
        },
        "retention": {"retain_until": "2027-12-31", "review_date": "2026-01-01"},
    },
    "nothing known": {
        "data_types": [],
        "files": {"manifest": []},
        "legal": {"licence": "NOASSERTION"},
        "provenance": {"origin": "internal logs", "method": "user"},
        "privacy": {"confidentiality": "public"},
        "content_safety": {},
        "representativeness": {},
        "uses": {},
        "retention": {},
    },
    "compound licence": {
        "legal": {"licence": "MIT OR Apache-2.0 WITH LLVM-exception"},
        "publication": {"date": "2024-09-02"},
    },
    "own licence": {
        "legal": {"licence": "LicenseRef-news-agreement", "licence_class": "unknown"},
        "publication": {"citation": BIBTEX},
    },
}


def make_version(**overrides: Any) -> tuple[Dataset, DatasetVersion]:
    record = parse_dataset(dataset_data(**overrides))
    version = DatasetVersion(record=record, digest="d", recorded_by="alice", recorded_at=RECORDED)
    scan = ScanSummary(ScanKind.PII, {"email": 3, "phone_kr": 1}, "bob", RECORDED)
    return Dataset(id=record.id, versions=(version,), scans={ScanKind.PII: scan}), version


def official_read(document: dict[str, Any]) -> tuple[ModuleType, Any]:
    """Read ``document`` with the SPDX bindings and fail on anything they do not accept:
    an unknown type, property or value (raised while reading), a reference to an element the
    document lacks, a cardinality broken (raised while writing back), or anything lost or
    changed between what we wrote and what the bindings write back."""
    model, objects = spdx_python_model.load_data(copy.deepcopy(document))
    missing = objects.link()
    assert not missing, f"references to elements not in the document: {sorted(missing)}"
    buffer = io.BytesIO()
    model.JSONLDSerializer().write(objects, buffer)
    assert _by_id(json.loads(buffer.getvalue())) == _by_id(document)
    return model, objects


def _by_id(document: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The graph keyed by element id, with the one blank CreationInfo node renamed, so that
    two serialisations of the same graph compare equal."""
    (blank,) = [e["@id"] for e in document["@graph"] if e["type"] == "CreationInfo"]
    renamed = json.loads(json.dumps(document).replace(json.dumps(blank), '"_:info"'))
    return renamed["@context"], {e.get("spdxId", e.get("@id")): e for e in renamed["@graph"]}


def _the(objects: Any, kind: type) -> Any:
    (found,) = [o for o in objects.objects if isinstance(o, kind)]
    return found


@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=list(VARIANTS))
def test_the_official_spdx_bindings_read_every_export_whole(overrides: dict[str, Any]) -> None:
    dataset, version = make_version(**overrides)
    official_read(spdx_document(dataset, version, created=CREATED, creator="carol"))


def test_the_bindings_read_our_facts_as_the_spdx_model_defines_them() -> None:
    dataset, version = make_version(**VARIANTS["personal data"])
    model, objects = official_read(
        spdx_document(dataset, version, created=CREATED, creator="carol")
    )
    package = _the(objects, model.dataset_DatasetPackage)
    assert package.dataset_confidentialityLevel == model.dataset_ConfidentialityLevelType.red
    assert package.dataset_hasSensitivePersonalInformation == model.PresenceType.yes
    assert list(package.dataset_datasetType) == [model.dataset_DatasetType.text]
    assert package.software_primaryPurpose == model.software_SoftwarePurpose.data
    assert package.dataset_datasetSize == 10 + 27
    assert package.builtTime == dt.datetime(2024, 6, 30, tzinfo=dt.UTC)  # end of collection
    assert package.releaseTime == dt.datetime(2024, 9, 2, tzinfo=dt.UTC)  # the publication day
    files = {
        f.name: [h.hashValue for h in f.verifiedUsing]
        for f in objects.foreach_type(model.software_File)
    }
    assert files == {"part-0.jsonl": ["ab" * 32], "nested/part-1.jsonl": ["cd" * 32]}
    relations = {r.relationshipType: r for r in objects.foreach_type(model.Relationship)}
    contains = relations[model.RelationshipType.contains]
    assert contains.from_ is package
    assert sorted(f.name for f in contains.to) == sorted(files)
    (licence,) = relations[model.RelationshipType.hasDeclaredLicense].to
    assert isinstance(licence, model.simplelicensing_LicenseExpression)
    assert licence.simplelicensing_licenseExpression == "CC-BY-4.0"
    (document,) = objects.foreach_type(model.SpdxDocument)
    assert list(document.rootElement) == [package]
    assert document.creationInfo.created == CREATED
    assert [a.name for a in document.creationInfo.createdBy] == ["carol"]


def _licence_relations(overrides: dict[str, Any]) -> tuple[ModuleType, Any, dict[str, Any]]:
    dataset, version = make_version(**overrides)
    model, objects = official_read(
        spdx_document(dataset, version, created=CREATED, creator="carol")
    )
    package = _the(objects, model.dataset_DatasetPackage)
    found: dict[str, list[Any]] = {}
    for relation in objects.foreach_type(model.Relationship):
        kind = relation.relationshipType
        if kind in (
            model.RelationshipType.hasDeclaredLicense,
            model.RelationshipType.hasConcludedLicense,
        ):
            assert relation.from_ is package
            found.setdefault(kind.rsplit("/", 1)[-1], []).append(list(relation.to))
    return model, objects, found


@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=list(VARIANTS))
def test_every_export_meets_the_dataset_profiles_licence_rule(overrides: dict[str, Any]) -> None:
    """SPDX 3.0.1, Dataset profile conformance: exactly one hasDeclaredLicense and one
    hasConcludedLicense from each DatasetPackage to one AnyLicenseInfo."""
    model, _objects, found = _licence_relations(overrides)
    assert sorted(found) == ["hasConcludedLicense", "hasDeclaredLicense"]
    for targets in found.values():
        assert len(targets) == 1 and len(targets[0]) == 1
        (target,) = targets[0]
        individuals = set(model.expandedlicensing_IndividualLicensingInfo.NAMED_INDIVIDUALS)
        assert isinstance(target, model.simplelicensing_AnyLicenseInfo) or target in {
            *individuals,
            *model.expandedlicensing_IndividualLicensingInfo.NAMED_INDIVIDUALS.values(),
        }


NO_ASSERTION = "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense"


@pytest.mark.parametrize(
    ("legal", "declared", "concluded"),
    [
        ({"licence": "CC-BY-4.0"}, "CC-BY-4.0", NO_ASSERTION),  # not reviewed yet
        (
            {
                "licence": "CC-BY-4.0",
                "acquisition_review": {"reviewer": "lee", "date": "2024-07-01"},
            },
            "CC-BY-4.0",
            "CC-BY-4.0",
        ),
        ({"licence": "NOASSERTION"}, NO_ASSERTION, NO_ASSERTION),
        (
            {"licence": "NONE", "acquisition_review": {"reviewer": "lee", "date": "2024-07-01"}},
            "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoneLicense",
            "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoneLicense",
        ),
    ],
)
def test_the_concluded_licence_is_the_reviewed_one(
    legal: dict[str, Any], declared: str, concluded: str
) -> None:
    model, _objects, found = _licence_relations({"legal": legal})

    def read(kind: str) -> str:
        ((target,),) = found[kind]
        if isinstance(target, model.simplelicensing_LicenseExpression):
            return str(target.simplelicensing_licenseExpression)
        return str(target)

    assert read("hasDeclaredLicense") == declared
    assert read("hasConcludedLicense") == concluded


@pytest.mark.parametrize(
    ("publication", "release"),
    [
        ({"date": "2023-12-31", "citation": BIBTEX}, dt.datetime(2023, 12, 31, tzinfo=dt.UTC)),
        ({"citation": BIBTEX}, RECORDED),  # the profile requires one: the day registered
        (None, RECORDED),
    ],
)
def test_the_spdx_release_time_is_the_publication_day_and_no_citation_is_invented(
    publication: dict[str, Any] | None, release: dt.datetime
) -> None:
    dataset, version = make_version(publication=publication)
    document = spdx_document(dataset, version, created=CREATED, creator="carol")
    model, objects = official_read(document)
    assert _the(objects, model.dataset_DatasetPackage).releaseTime == release
    # SPDX 3 has no property for a citation: it is left out, not put somewhere else
    assert "konews2024" not in json.dumps(document)


def _package(doc: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in doc["@graph"] if e["type"] == "dataset_DatasetPackage")


BREAKAGES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "a value outside the enumeration": lambda d: _package(d).update(
        dataset_confidentialityLevel="secret"
    ),
    "an unknown property": lambda d: _package(d).update(dataset_sizeInRows=3),
    "a date where a date-time is due": lambda d: _package(d).update(releaseTime="2024-07-02"),
    "a reference to nothing": lambda d: _package(d).update(originatedBy=["urn:nowhere"]),
    "a required property missing": lambda d: _package(d).pop("creationInfo"),
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=list(BREAKAGES))
def test_the_official_check_fails_on_a_broken_document(
    breakage: Callable[[dict[str, Any]], Any],
) -> None:
    dataset, version = make_version()
    document = spdx_document(dataset, version, created=CREATED, creator="carol")
    official_read(document)
    breakage(document)
    with pytest.raises((AssertionError, KeyError, TypeError, ValueError)):
        official_read(document)


def test_an_export_through_the_service_passes_the_official_check(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    register(ctx, write_files(tmp_path / "managed" / "ko-news"))
    document = export_dataset(
        dataclasses.replace(ctx, actor="carol"), "ko-news", fmt="spdx", principal="carol"
    )
    model, objects = official_read(document)
    hashes = {
        f.name: f.verifiedUsing[0].hashValue for f in objects.foreach_type(model.software_File)
    }
    assert hashes == {n: hashlib.sha256(t.encode()).hexdigest() for n, t in FILES.items()}


# The Croissant 1.0 @context as the specification publishes it (and as mlcroissant compares
# a document's context with): every term must be there with the same meaning.
CROISSANT_1_0_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def test_the_croissant_context_is_the_standard_one() -> None:
    dataset, version = make_version()
    assert croissant_document(dataset, version)["@context"] == CROISSANT_1_0_CONTEXT


# ---------------------------------------------------------------- Croissant: mlcroissant

TITLE = dataset_data()["title"]
# The only warnings we accept, and only when the record does not state the property: what
# mlcroissant says when a recommended property is missing, keyed by the record's field.
RECOMMENDED = {
    "citation": "http://mlcommons.org/croissant/citeAs",
    "date": "https://schema.org/datePublished",
}


def accepted_warnings(overrides: dict[str, Any]) -> set[str]:
    publication = overrides.get("publication") or {}
    return {
        f'[Metadata({TITLE})] Property "{iri}" is recommended, but does not exist.'
        for key, iri in RECOMMENDED.items()
        if not publication.get(key)
    }


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse every name lookup and connection (as OSError, as an offline machine does) and
    list the attempts: the test then asserts there were none."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise OSError("network refused by the test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def croissant_load(document: dict[str, Any], attempts: list[str]) -> Any:
    """Load ``document`` as ``mlcroissant validate --jsonld`` does: ``mlcroissant.Dataset``
    raises ``ValidationError`` listing the errors, and keeps the warnings in its context."""
    assert mlcroissant is not None
    loaded = mlcroissant.Dataset(jsonld=copy.deepcopy(document))
    assert attempts == [], f"mlcroissant tried to reach the network: {attempts}"
    assert loaded.metadata.ctx.issues.errors == set()
    return loaded


@needs_mlcroissant
@mlcroissant_deprecations
@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=list(VARIANTS))
def test_mlcroissant_loads_every_export_offline_without_error(
    overrides: dict[str, Any], no_network: list[str]
) -> None:
    dataset, version = make_version(**overrides)
    loaded = croissant_load(croissant_document(dataset, version), no_network)
    assert loaded.metadata.ctx.issues.warnings == accepted_warnings(overrides)


def test_the_accepted_warnings_are_none_for_a_published_record() -> None:
    assert accepted_warnings(VARIANTS["complete"]) == set()
    assert len(accepted_warnings(VARIANTS["nothing known"])) == 2
    assert [w for w in accepted_warnings(VARIANTS["own licence"]) if "datePublished" in w]


@needs_mlcroissant
@mlcroissant_deprecations
def test_mlcroissant_reads_our_facts_as_croissant_defines_them(no_network: list[str]) -> None:
    dataset, version = make_version(**VARIANTS["personal data"])
    metadata = croissant_load(croissant_document(dataset, version), no_network).metadata
    assert (metadata.name, metadata.version) == (TITLE, "1.0")
    assert metadata.cite_as == BIBTEX
    assert metadata.date_published == dt.datetime(2024, 9, 2)
    assert metadata.license == ["https://spdx.org/licenses/CC-BY-4.0.html"]
    assert metadata.in_language == ["ko", "en"]
    assert metadata.data_biases == ["Seoul-centric"]
    assert "anonymisation: names masked" in metadata.personal_sensitive_information
    files = {f.content_url: (f.sha256, f.content_size) for f in metadata.file_objects}
    assert files == {
        "part-0.jsonl": ("ab" * 32, "10 B"),
        "nested/part-1.jsonl": ("cd" * 32, "27 B"),
    }
    # The RAI 1.0 vocabulary spells the term rai:dataCollectionTimeframe, as we write it;
    # mlcroissant 1.1 reads rai:dataCollectionTimeFrame, so it does not see ours (no issue).
    assert croissant_document(dataset, version)["rai:dataCollectionTimeframe"]
    assert metadata.data_collection_timeframe is None


@needs_mlcroissant
@mlcroissant_deprecations
def test_without_publication_nothing_is_invented(no_network: list[str]) -> None:
    dataset, version = make_version(**VARIANTS["nothing known"])
    document = croissant_document(dataset, version)
    assert "citeAs" not in document and "datePublished" not in document
    metadata = croissant_load(document, no_network).metadata
    assert metadata.cite_as is None and metadata.date_published is None


CROISSANT_BREAKAGES: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "not a schema.org Dataset": (
        lambda d: d.update({"@type": "sc:CreativeWork"}),
        "doesn't extend https://schema.org/Dataset",
    ),
    "a publication date that is no date": (
        lambda d: d.update(datePublished="last spring"),
        "ISO 8601",
    ),
    "a file without contentUrl": (
        lambda d: d["distribution"][0].pop("contentUrl"),
        'Property "https://schema.org/contentUrl" is mandatory',
    ),
    "a file without a checksum": (
        lambda d: d["distribution"][0].pop("sha256"),
        "['md5', 'sha256']",
    ),
    "a file of an unknown type": (
        lambda d: d["distribution"][1].update({"@type": "cr:Blob"}),
        'should have an attribute "@type"',
    ),
}


@needs_mlcroissant
@mlcroissant_deprecations
@pytest.mark.parametrize("breakage", CROISSANT_BREAKAGES.values(), ids=list(CROISSANT_BREAKAGES))
def test_mlcroissant_reports_an_error_in_a_broken_export(
    breakage: tuple[Callable[[dict[str, Any]], Any], str], no_network: list[str]
) -> None:
    assert mlcroissant is not None
    change, expected = breakage
    dataset, version = make_version(**VARIANTS["complete"])
    document = croissant_document(dataset, version)
    croissant_load(document, no_network)
    change(document)
    with pytest.raises(mlcroissant.ValidationError) as caught:
        mlcroissant.Dataset(jsonld=document)
    assert expected in str(caught.value)


@needs_mlcroissant
@mlcroissant_deprecations
def test_the_network_guard_sees_a_fetch(no_network: list[str]) -> None:
    """mlcroissant fetches a JSON-LD given by URL: the guard must notice, or its silence
    above proves nothing."""
    assert mlcroissant is not None
    with pytest.raises(OSError, match="network refused by the test"):
        mlcroissant.Dataset(jsonld="https://mlcommons.example.org/croissant.json")
    assert no_network


@needs_mlcroissant
@mlcroissant_deprecations
def test_a_published_export_through_the_service_passes_mlcroissant(
    ctx: ServiceContext, tmp_path: Path, no_network: list[str]
) -> None:
    publication = {"date": "2024-09-02", "citation": BIBTEX}
    register(ctx, write_files(tmp_path / "managed" / "ko-news"), publication=publication)
    document = export_dataset(
        dataclasses.replace(ctx, actor="carol"), "ko-news", fmt="croissant", principal="carol"
    )
    loaded = croissant_load(document, no_network)
    assert loaded.metadata.ctx.issues.warnings == set()
    assert (document["citeAs"], document["datePublished"]) == (BIBTEX, "2024-09-02")
    hashes = {f.content_url: f.sha256 for f in loaded.metadata.file_objects}
    assert hashes == {n: hashlib.sha256(t.encode()).hexdigest() for n, t in FILES.items()}
