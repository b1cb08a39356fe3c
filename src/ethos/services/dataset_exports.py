"""Exports of a registered dataset: Croissant JSON-LD with its Responsible-AI fields, and an
SPDX 3.0.1 JSON-LD document with a dataset element and its files (``docs/datasets.md``).

An export is an access like any other: only the owner, a steward or someone on the allowlist
may export, every attempt is audited, and when Ethos holds the files they are checked against
the manifest first, so the hashes an export states are the files' own.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from enum import StrEnum
from typing import Any

from ethos.domain.datasets import Confidentiality, Dataset, DatasetVersion, Presence, ScanKind
from ethos.domain.licences import SPECIAL
from ethos.domain.projects import parse_enum
from ethos.services.context import ServiceContext
from ethos.services.dataset_access import verified_version

__all__ = [
    "CROISSANT_CONFORMS_TO",
    "SPDX_CONTEXT",
    "ExportFormat",
    "croissant_document",
    "export_dataset",
    "spdx_document",
]

CROISSANT_CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
SPDX_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"

# The Croissant 1.0 @context, term for term (mlcroissant warns "The JSON-LD `@context` is not
# standard" when one is missing): schema.org by default, Croissant and RAI terms by prefix.
_CR = "cr:"
_CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "conformsTo": "dct:conformsTo",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "examples": {"@id": "cr:examples", "@type": "@json"},
    **{
        term: _CR + term
        for term in (
            "citeAs", "column", "equivalentProperty", "extract", "field", "fileObject",
            "fileProperty", "fileSet", "format", "includes", "isLiveDataset", "jsonPath", "key",
            "md5", "parentField", "path", "recordSet", "references", "regex", "repeated",
            "replace", "samplingRate", "separator", "source", "subField", "transform",
        )
    },
}  # fmt: skip
_COLLECTION_TYPE = {
    "crawl": "Web scraping",
    "purchase": "Purchased from a data vendor",
    "partner": "Provided by a partner organisation",
    "user": "Collected from users of a service",
    "synthetic": "Synthetic data generation",
}
_TLP = {
    Confidentiality.PUBLIC: "clear",
    Confidentiality.INTERNAL: "green",
    Confidentiality.CONFIDENTIAL: "amber",
    Confidentiality.RESTRICTED: "red",
}
_PRESENCE = {Presence.YES: "yes", Presence.NO: "no", Presence.NOT_ASSERTED: "noAssertion"}


class ExportFormat(StrEnum):
    CROISSANT = "croissant"
    SPDX = "spdx"


def _licence(expression: str) -> str:
    """A single SPDX id as its page on the SPDX licence list; anything else as written."""
    listed = not expression.startswith(("LicenseRef-", "DocumentRef-"))
    if listed and expression not in SPECIAL and not any(c in expression for c in " +"):
        return f"https://spdx.org/licenses/{expression}.html"
    return expression


# SPDX 3's individuals for "no assertion" and "no licence" (ExpandedLicensing vocabulary),
# by their terms in the SPDX 3.0.1 JSON-LD context.
_SPDX_INDIVIDUALS = {
    "NOASSERTION": "expandedlicensing_NoAssertionLicense",
    "NONE": "expandedlicensing_NoneLicense",
}


def _url(text: str) -> str | None:
    return text if text.startswith(("https://", "http://")) and " " not in text else None


def _privacy_lines(dataset: Dataset, version: DatasetVersion) -> list[str]:
    privacy = version.record.privacy
    lines = [
        f"personal information: {privacy.personal_data.value.replace('_', ' ')}",
        f"unique identifiers: {privacy.unique_identifiers.value.replace('_', ' ')}",
    ]
    if privacy.sensitive_categories:
        lines.append("sensitive categories: " + ", ".join(privacy.sensitive_categories))
    if privacy.anonymisation:
        lines.append(f"anonymisation: {privacy.anonymisation}")
    scan = dataset.scans.get(ScanKind.PII)
    if scan is not None:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(scan.counts.items())) or "none"
        lines.append(f"last PII scan {scan.recorded_at.date().isoformat()}: {counts}")
    return lines


def croissant_document(dataset: Dataset, version: DatasetVersion) -> dict[str, Any]:
    """The dataset version as Croissant 1.0 JSON-LD with the RAI fields the record fills."""
    record = version.record
    prov, rep, uses = record.provenance, record.representativeness, record.uses
    doc: dict[str, Any] = {
        "@context": _CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT_CONFORMS_TO,
        "name": record.title,
        "identifier": f"{record.id}@{record.version}",
        "description": record.description or record.title,
        "version": record.version,
        "license": _licence(record.legal.licence),
        "dateCreated": version.recorded_at.date().isoformat(),
        "distribution": [
            {
                "@type": "cr:FileObject",
                "@id": entry.path,
                "name": entry.path,
                "contentUrl": entry.path,
                "contentSize": f"{entry.bytes} B",
                "encodingFormat": mimetypes.guess_type(entry.path)[0] or "application/octet-stream",
                "sha256": entry.sha256,
            }
            for entry in record.files.manifest
        ],
        "rai:dataCollection": "; ".join(
            [prov.origin, f"method: {prov.method.value}"]
            + ([f"collector: {prov.collector}"] if prov.collector else [])
        ),
        "rai:dataCollectionType": [_COLLECTION_TYPE[prov.method.value]],
        "rai:dataPreprocessingProtocol": list(prov.processing)
        + (
            [f"content safety: {record.content_safety.action_taken}"]
            if record.content_safety.action_taken
            else []
        ),
        "rai:personalSensitiveInformation": _privacy_lines(dataset, version),
        "rai:dataBiases": list(rep.known_biases),
        "rai:dataUseCases": list(uses.intended),
        "rai:dataLimitations": [f"not to be used for: {u}" for u in uses.prohibited]
        + ([rep.notes] if rep.notes else []),
    }
    if url := _url(prov.origin):
        doc["url"] = url
    if prov.collector:
        doc["creator"] = {"@type": "sc:Organization", "name": prov.collector}
    if rep.languages:
        doc["inLanguage"] = list(rep.languages)
    if rep.domains:
        doc["keywords"] = list(rep.domains)
    if prov.upstream:
        doc["isBasedOn"] = list(prov.upstream)
    publication = record.publication
    if publication is not None and publication.citation:
        doc["citeAs"] = publication.citation
    if publication is not None and publication.date is not None:
        doc["datePublished"] = publication.date.isoformat()
    period = prov.collection_period
    if period is not None and (period.start or period.end):
        doc["rai:dataCollectionTimeframe"] = [
            d.isoformat() for d in (period.start, period.end) if d is not None
        ]
    retention = record.retention
    if retention.retain_until or retention.review_date:
        plan = [f"disposal by {retention.disposal_method.value}"]
        if retention.retain_until:
            plan.insert(0, f"retained until {retention.retain_until.isoformat()}")
        if retention.review_date:
            plan.append(f"next review {retention.review_date.isoformat()}")
        doc["rai:dataReleaseMaintenancePlan"] = "; ".join(plan)
    return doc


def _instant(moment: dt.datetime | dt.date) -> str:
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(), tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def spdx_document(
    dataset: Dataset, version: DatasetVersion, *, created: dt.datetime, creator: str
) -> dict[str, Any]:
    """The dataset version as an SPDX 3.0.1 JSON-LD document: a ``dataset_DatasetPackage``
    (the Dataset profile's element), its files with SHA-256 hashes, its declared licence."""
    record = version.record
    prov, privacy = record.provenance, record.privacy
    ns = f"urn:ethos:dataset:{record.id}:{record.version}:"
    info = "_:creationinfo"

    def element(kind: str, local: str, /, **fields: Any) -> dict[str, Any]:
        return {"type": kind, "spdxId": ns + local, "creationInfo": info, **fields}

    period = prov.collection_period
    built = (period.end if period and period.end else None) or version.recorded_at
    # the Dataset profile requires a release time: the publication date when the record has
    # one, else the day Ethos registered this version (SPDX has no property for a citation)
    published = record.publication.date if record.publication else None
    package = element(
        "dataset_DatasetPackage",
        "dataset",
        name=record.title,
        description=record.description or record.title,
        software_packageVersion=record.version,
        software_primaryPurpose="data",
        software_downloadLocation=_url(prov.origin) or "NOASSERTION",
        builtTime=_instant(built),
        releaseTime=_instant(published or version.recorded_at),
        originatedBy=[ns + "originator"],
        dataset_datasetType=list(record.data_types) or ["noAssertion"],
        dataset_datasetSize=record.files.total_bytes,
        dataset_dataCollectionProcess=f"{prov.origin} (method: {prov.method.value})",
        dataset_hasSensitivePersonalInformation=_PRESENCE[privacy.personal_data],
        dataset_confidentialityLevel=_TLP[privacy.confidentiality],
    )
    optional = {
        "dataset_dataPreprocessing": list(prov.processing),
        "dataset_intendedUse": "; ".join(record.uses.intended),
        "dataset_knownBias": list(record.representativeness.known_biases),
        "dataset_anonymizationMethodUsed": [privacy.anonymisation] if privacy.anonymisation else [],
    }
    package |= {k: v for k, v in optional.items() if v}
    files = [
        element(
            "software_File",
            f"file-{index}",
            name=entry.path,
            verifiedUsing=[{"type": "Hash", "algorithm": "sha256", "hashValue": entry.sha256}],
        )
        for index, entry in enumerate(record.files.manifest, start=1)
    ]
    elements = [
        element("Agent", "creator", name=creator),
        element("Tool", "tool", name="Ethos"),
        element("Organization", "originator", name=prov.collector or prov.origin),
        package,
        *files,
    ]
    if files:
        elements.append(
            element(
                "Relationship",
                "contains",
                relationshipType="contains",
                **{"from": ns + "dataset", "to": [f["spdxId"] for f in files]},
            )
        )
    # The Dataset profile asks for exactly one declared and one concluded licence per
    # dataset package. Declared: the register's licence, NOASSERTION and NONE as SPDX's own
    # individuals. Concluded: the same once an acquisition review (a named reviewer, a
    # date) has looked at it; before that, no assertion.
    licence = record.legal.licence
    declared = _SPDX_INDIVIDUALS.get(licence, ns + "licence")
    if licence not in SPECIAL:
        elements.append(
            element(
                "simplelicensing_LicenseExpression",
                "licence",
                simplelicensing_licenseExpression=licence,
            )
        )
    reviewed = record.legal.acquisition_review is not None
    concluded = declared if reviewed else _SPDX_INDIVIDUALS["NOASSERTION"]
    for kind, target in (("declared", declared), ("concluded", concluded)):
        elements.append(
            element(
                "Relationship",
                f"{kind}-licence",
                relationshipType=f"has{kind.capitalize()}License",
                **{"from": ns + "dataset", "to": [target]},
            )
        )
    document = element(
        "SpdxDocument",
        "document",
        name=f"{record.id} {record.version}",
        profileConformance=["core", "software", "dataset", "simpleLicensing"],
        rootElement=[ns + "dataset"],
        element=[e["spdxId"] for e in elements],
    )
    creation = {
        "type": "CreationInfo",
        "@id": info,
        "specVersion": "3.0.1",
        "created": _instant(created),
        "createdBy": [ns + "creator"],
        "createdUsing": [ns + "tool"],
    }
    return {"@context": SPDX_CONTEXT, "@graph": [creation, document, *elements]}


def export_dataset(
    ctx: ServiceContext, ref: str, *, fmt: str, principal: str | None = None
) -> dict[str, Any]:
    """Export a dataset version (``ID`` or ``ID@VERSION``) for ``principal`` (the actor by
    default): an audited access, refused as :func:`open_dataset` refuses."""
    chosen = parse_enum(ExportFormat, fmt, field="--format")
    dataset, version, _ = verified_version(
        ctx,
        ref,
        principal=principal or ctx.actor,
        purpose=f"export {chosen.value}",
        require_files=False,
    )
    if chosen is ExportFormat.CROISSANT:
        return croissant_document(dataset, version)
    return spdx_document(dataset, version, created=ctx.clock(), creator=ctx.actor)
