"""Our dataset exports read by the official tools, offline.

SPDX 3: ``spdx-python-model``, the SPDX project's bindings generated from the SPDX 3.0.1 SHACL
model, reads each document and must know every type, property and enumerated value in it,
resolve every reference, and write back exactly what we wrote (cardinalities are checked on
writing). Under CI the bindings must be installed; a missing package fails.

Croissant: the official ``mlcroissant`` validator installs pandas and scipy (about 270 MB), so
it is not part of the ``dev`` extra. It was run by hand on these exports (``docs/datasets.md``);
what stays checked here is the one thing it reported, that the ``@context`` is the standard
Croissant 1.0 context term for term.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import io
import json
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

RECORDED = dt.datetime(2024, 7, 2, 9, 30, tzinfo=dt.UTC)
CREATED = dt.datetime(2024, 8, 1, 12, 0, tzinfo=dt.UTC)
TWO_FILES = {
    "manifest": [
        {"path": "part-0.jsonl", "sha256": "ab" * 32, "bytes": 10},
        {"path": "nested/part-1.jsonl", "sha256": "cd" * 32, "bytes": 27},
    ]
}
VARIANTS: dict[str, dict[str, Any]] = {
    "complete": {"files": TWO_FILES},
    "personal data": {
        "files": TWO_FILES,
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
    "compound licence": {"legal": {"licence": "MIT OR Apache-2.0 WITH LLVM-exception"}},
    "own licence": {"legal": {"licence": "LicenseRef-news-agreement", "licence_class": "unknown"}},
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
    assert package.releaseTime == RECORDED
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
