"""The dataset register on both engines: versions, links, access (default deny, audited),
integrity, retention and disposal, scans, risk facts and the card."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ethos.datagov.pii import detect
from ethos.domain.datasets import Dataset, ScanKind, record_digest
from ethos.domain.errors import AccessDeniedError, ConflictError, InvalidInputError, NotFoundError
from ethos.domain.findings import triggered
from ethos.knowledge.catalogues import load_catalogues
from ethos.knowledge.questionnaires import QuestionnaireLibrary
from ethos.reports.card import render_card_markdown
from ethos.services import cards, findings, projects
from ethos.services import datasets as ds
from ethos.services.audit import audit_log, verify_audit_chain
from ethos.services.context import ServiceContext
from tests.domain.test_datasets import dataset_data
from tests.services.conftest import project_with_profile

CARD_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "card.schema.json"
FILES = {"part-0.jsonl": "첫 줄\n둘째 줄\n", "nested/part-1.jsonl": "mail me: kim@example.org\n"}


def as_actor(ctx: ServiceContext, actor: str) -> ServiceContext:
    return dataclasses.replace(ctx, actor=actor)


def write_files(folder: Path) -> Path:
    for name, text in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def register(ctx: ServiceContext, folder: Path | None = None, **overrides: Any) -> Dataset:
    data = dataset_data(**overrides)
    if folder is not None:
        data.pop("files")
    return ds.add_dataset(as_actor(ctx, "alice"), data, manifest_from=folder)


def events(ctx: ServiceContext, action: str) -> list[dict[str, Any]]:
    return [e.payload_data() for e in audit_log(ctx, limit=1000, action=action)]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return write_files(tmp_path / "managed" / "ko-news")


# ---------------------------------------------------------------- register and versions


def test_add_hashes_the_folder_and_grants_the_allowlist(
    ctx: ServiceContext, data_dir: Path
) -> None:
    dataset = register(ctx, data_dir)
    record = dataset.current.record
    expected = sorted(
        (name, hashlib.sha256(text.encode()).hexdigest(), len(text.encode()))
        for name, text in FILES.items()
    )
    assert sorted((f.path, f.sha256, f.bytes) for f in record.files.manifest) == expected
    assert record.files.root == str(data_dir.resolve())
    assert dataset.allowlist == ("carol",)
    (added,) = events(ctx, "dataset.add")
    assert added["files"] == 2 and added["granted"] == ["carol"]
    assert added["licence"] == "CC-BY-4.0"
    assert all(text.strip() not in json.dumps(added, ensure_ascii=False) for text in FILES.values())


def test_a_new_version_keeps_the_old_one(ctx: ServiceContext, data_dir: Path) -> None:
    register(ctx, data_dir)
    second = register(ctx, data_dir, version="2.0", title="Korean news corpus, cleaned")
    assert [v.record.version for v in second.versions] == ["1.0", "2.0"]
    assert second.current.record.title == "Korean news corpus, cleaned"
    first = second.version("1.0")
    assert first is not None
    assert first.record.title == "Korean news corpus"
    assert ds.get_dataset(ctx, "ko-news@1.0").id == "ko-news"
    with pytest.raises(NotFoundError, match="no version '9'"):
        ds.get_dataset(ctx, "ko-news@9")
    with pytest.raises(ConflictError, match="already registered"):
        register(ctx, data_dir, version="2.0")


def test_a_publication_is_stored_with_its_version_and_only_there(
    ctx: ServiceContext, data_dir: Path
) -> None:
    register(ctx, data_dir)
    publication = {"date": "2024-09-02", "citation": "Data team (2024). Korean news corpus."}
    dataset = register(ctx, data_dir, version="2.0", publication=publication)
    stored = ds.get_dataset(ctx, "ko-news")  # read back from the database, not the return value
    first, second = (v.record.publication for v in stored.versions)
    assert first is None
    assert second is not None and second.date == dt.date(2024, 9, 2)
    assert second.citation == publication["citation"]
    digests = [e["digest"] for e in events(ctx, "dataset.add")]
    assert digests == [v.digest for v in dataset.versions]
    assert [v.digest for v in stored.versions] == [record_digest(v.record) for v in stored.versions]


def test_only_a_steward_adds_a_version_and_a_refusal_is_audited(
    ctx: ServiceContext, data_dir: Path
) -> None:
    register(ctx, data_dir)
    data = dataset_data(version="3.0", access={"owner": "mallory"})
    with pytest.raises(AccessDeniedError, match="mallory may not add a version"):
        ds.add_dataset(as_actor(ctx, "mallory"), data)
    assert [v.record.version for v in ds.get_dataset(ctx, "ko-news").versions] == ["1.0"]
    (denied,) = events(ctx, "dataset.denied")
    assert denied == {"dataset": "ko-news", "principal": "mallory", "action": "add a version to"}
    ds.add_dataset(as_actor(ctx, "bob"), dataset_data(version="3.0"))  # a steward may


def test_bad_input_names_the_field_and_writes_nothing(ctx: ServiceContext) -> None:
    with pytest.raises(InvalidInputError, match=r"f\.yaml: field legal\.licence_class"):
        ds.add_dataset(
            ctx,
            dataset_data(legal={"licence": "MIT", "licence_class": "permissive"}),
            source="f.yaml",
        )
    with pytest.raises(InvalidInputError, match=r"f\.yaml: field files\.manifest: listed in the"):
        ds.add_dataset(ctx, dataset_data(), source="f.yaml", manifest_from=Path("/nonexistent"))
    without = dataset_data()
    del without["files"]
    with pytest.raises(InvalidInputError, match=r"f\.yaml: --manifest-from .*: not a folder"):
        ds.add_dataset(ctx, without, source="f.yaml", manifest_from=Path("/nonexistent"))
    assert ds.list_datasets(ctx) == []
    assert events(ctx, "dataset.add") == []


def test_manifest_refuses_symbolic_links(
    ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (data_dir / "link.txt").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(InvalidInputError, match=r"link\.txt is a symbolic link"):
        register(ctx, data_dir)


def test_a_relative_root_is_read_from_the_file_folder(ctx: ServiceContext, data_dir: Path) -> None:
    data = dataset_data()
    data["files"] = {"root": "ko-news", "manifest": ds.compute_manifest(data_dir)}
    dataset = ds.add_dataset(as_actor(ctx, "alice"), data, base_dir=data_dir.parent)
    assert dataset.current.record.files.root == str(data_dir.resolve())
    assert len(ds.open_dataset(ctx, "ko-news", principal="carol", purpose="check")) == 2


# ---------------------------------------------------------------- links and the allowlist


def test_link_pin_and_unlink(ctx: ServiceContext, data_dir: Path) -> None:
    register(ctx, data_dir)
    project = projects.create_project(ctx, name="Chat", type="product_development")
    assert ds.link_dataset(ctx, "ko-news", project.id) is True
    assert ds.link_dataset(ctx, "ko-news", "Chat") is False  # already so
    assert ds.link_dataset(ctx, "ko-news@1.0", project.id) is True  # pinned now
    assert ds.get_dataset(ctx, "ko-news").projects == (project.id,)
    with pytest.raises(NotFoundError, match="no version"):
        ds.link_dataset(ctx, "ko-news@7", project.id)
    ds.unlink_dataset(ctx, "ko-news", project.id)
    with pytest.raises(NotFoundError, match="not linked"):
        ds.unlink_dataset(ctx, "ko-news", project.id)
    linked = events(ctx, "dataset.linked")
    assert [e["version"] for e in linked] == [None, "1.0"]


def test_grant_and_revoke_are_for_stewards(ctx: ServiceContext, data_dir: Path) -> None:
    register(ctx, data_dir)
    alice = as_actor(ctx, "alice")
    assert ds.grant_access(alice, "ko-news", "dan") is True
    assert ds.grant_access(alice, "ko-news", "dan") is False
    assert ds.get_dataset(ctx, "ko-news").allowlist == ("carol", "dan")
    with pytest.raises(AccessDeniedError):
        ds.grant_access(as_actor(ctx, "carol"), "ko-news", "eve")  # on the list, not a steward
    with pytest.raises(ConflictError, match="owner or a steward"):
        ds.revoke_access(alice, "ko-news", "bob")
    with pytest.raises(InvalidInputError, match="principal"):
        ds.grant_access(alice, "ko-news", "two words")
    assert ds.revoke_access(alice, "ko-news", "dan") is True
    assert ds.revoke_access(alice, "ko-news", "dan") is False
    assert [e["principal"] for e in events(ctx, "dataset.grant")] == ["dan"]
    assert [e["principal"] for e in events(ctx, "dataset.revoke")] == ["dan"]


# ---------------------------------------------------------------- access


def test_access_is_denied_by_default_and_every_attempt_audited(
    ctx: ServiceContext, data_dir: Path
) -> None:
    register(ctx, data_dir)
    attempts = [
        ("alice", True),
        ("bob", True),
        ("carol", True),
        ("eve", False),
        ("dan", False),
    ]
    for principal, allowed in attempts:
        if allowed:
            paths = ds.open_dataset(ctx, "ko-news", principal=principal, purpose="PII scan")
            assert sorted(p.relative_to(data_dir.resolve()).as_posix() for p in paths) == sorted(
                FILES
            )
        else:
            with pytest.raises(AccessDeniedError, match=f"{principal} may not read"):
                ds.open_dataset(ctx, "ko-news", principal=principal, purpose="PII scan")
    ds.grant_access(as_actor(ctx, "alice"), "ko-news", "dan")
    ds.open_dataset(ctx, "ko-news", principal="dan", purpose="training")
    ds.revoke_access(as_actor(ctx, "alice"), "ko-news", "dan")
    with pytest.raises(AccessDeniedError):
        ds.open_dataset(ctx, "ko-news", principal="dan", purpose="training")
    with pytest.raises(NotFoundError):
        ds.open_dataset(ctx, "no-such", principal="alice", purpose="training")
    logged = events(ctx, "dataset.access")
    outcomes = [(e["principal"], e["outcome"]) for e in logged]
    assert outcomes == [
        ("alice", "granted"),
        ("bob", "granted"),
        ("carol", "granted"),
        ("eve", "denied"),
        ("dan", "denied"),
        ("dan", "granted"),
        ("dan", "denied"),
        ("alice", "denied"),
    ]
    assert {e["purpose"] for e in logged} == {"PII scan", "training"}
    assert logged[-1]["reason"] == "not_found" and logged[3]["reason"] == "not_allowed"
    text = json.dumps(logged, ensure_ascii=False)
    assert all(t.strip() not in text for t in FILES.values())
    assert verify_audit_chain(ctx).ok


def test_a_tampered_or_missing_file_is_refused_naming_it(
    ctx: ServiceContext, data_dir: Path
) -> None:
    register(ctx, data_dir)
    (data_dir / "nested" / "part-1.jsonl").write_text("changed\n", encoding="utf-8")
    with pytest.raises(ConflictError, match=r"nested/part-1\.jsonl: content differs"):
        ds.open_dataset(ctx, "ko-news", principal="carol", purpose="scan")
    (data_dir / "nested" / "part-1.jsonl").write_text(
        FILES["nested/part-1.jsonl"], encoding="utf-8"
    )
    (data_dir / "part-0.jsonl").unlink()
    with pytest.raises(ConflictError, match=r"part-0\.jsonl: missing"):
        ds.open_dataset(ctx, "ko-news", principal="carol", purpose="scan")
    refused = [e for e in events(ctx, "dataset.access") if e["outcome"] == "refused"]
    assert [e["problem"].split(":")[0] for e in refused] == ["nested/part-1.jsonl", "part-0.jsonl"]


def test_a_dataset_without_a_folder_cannot_be_opened(ctx: ServiceContext) -> None:
    ds.add_dataset(as_actor(ctx, "alice"), dataset_data())
    with pytest.raises(ConflictError, match=r"no folder is recorded"):
        ds.open_dataset(ctx, "ko-news", principal="alice", purpose="scan")


def test_scan_summaries_are_kept_and_audited(ctx: ServiceContext, data_dir: Path) -> None:
    register(ctx, data_dir)
    counts: dict[str, int] = {}
    for path in ds.open_dataset(ctx, "ko-news", principal="carol", purpose="PII scan"):
        for span in detect(path.read_text(encoding="utf-8")):
            counts[span.type] = counts.get(span.type, 0) + 1
    assert counts.get("EMAIL") == 1
    dataset = ds.record_scan(as_actor(ctx, "carol"), "ko-news", "pii", counts)
    assert dataset.scans[ScanKind.PII].counts == counts
    ds.record_scan(ctx, "ko-news", kind="toxicity", summary={"hate": 0})
    assert set(ds.get_dataset(ctx, "ko-news").scans) == {ScanKind.PII, ScanKind.TOXICITY}
    with pytest.raises(InvalidInputError, match="summary"):
        ds.record_scan(ctx, "ko-news", kind="pii", summary={"EMAIL": "kim@example.org"})
    with pytest.raises(InvalidInputError, match="kind"):
        ds.record_scan(ctx, "ko-news", kind="faces", summary={})
    assert [e["kind"] for e in events(ctx, "dataset.scan")] == ["pii", "toxicity"]
    assert "kim@example.org" not in json.dumps(events(ctx, "dataset.scan"))


# ---------------------------------------------------------------- retention and disposal


def test_due_lists_datasets_past_their_retention_date(ctx: ServiceContext) -> None:
    alice = as_actor(ctx, "alice")
    ds.add_dataset(alice, dataset_data(id="old", retention={"retain_until": "2025-01-01"}))
    ds.add_dataset(alice, dataset_data(id="later", retention={"retain_until": "2025-09-01"}))
    ds.add_dataset(alice, dataset_data(id="forever", retention={}))
    due = ds.due_datasets(ctx, as_of=dt.date(2025, 6, 1))
    assert [(d.dataset.id, d.days_over) for d in due] == [("old", 151)]
    assert ds.due_datasets(ctx, as_of=dt.date(2025, 1, 1)) == []  # due the day after
    assert [d.dataset.id for d in ds.due_datasets(ctx, as_of=dt.date(2026, 1, 1))] == [
        "old",
        "later",
    ]


@pytest.mark.parametrize("method", ["delete", "overwrite"])
def test_disposal_deletes_managed_files_only_and_keeps_the_record(
    ctx: ServiceContext, data_dir: Path, method: str
) -> None:
    register(ctx, data_dir)
    neighbour = data_dir.parent / "other-dataset.txt"
    neighbour.write_text("not ours", encoding="utf-8")
    (data_dir / "unlisted.txt").write_text("not in the manifest", encoding="utf-8")
    with pytest.raises(AccessDeniedError):
        ds.dispose_dataset(as_actor(ctx, "carol"), "ko-news", method=method, reason="done")
    assert (data_dir / "part-0.jsonl").exists()
    disposed = ds.dispose_dataset(as_actor(ctx, "bob"), "ko-news", method=method, reason="expired")
    assert not (data_dir / "part-0.jsonl").exists()
    assert not (data_dir / "nested").exists()  # emptied folders go too
    assert neighbour.read_text(encoding="utf-8") == "not ours"
    assert (data_dir / "unlisted.txt").exists()
    disposal = disposed.disposal
    assert disposal is not None
    expected_bytes = sum(len(t.encode()) for t in FILES.values())
    assert (disposal.files, disposal.bytes, disposal.missing) == (2, expected_bytes, 0)
    assert (disposal.by, disposal.method.value, disposal.reason) == ("bob", method, "expired")
    kept = ds.get_dataset(ctx, "ko-news")
    assert kept.disposed and kept.current.record.title == "Korean news corpus"
    (event,) = events(ctx, "dataset.disposed")
    assert event["files"] == 2 and event["bytes"] == expected_bytes
    with pytest.raises(ConflictError, match="was disposed"):
        ds.open_dataset(ctx, "ko-news", principal="alice", purpose="training")
    assert events(ctx, "dataset.access")[-1]["reason"] == "disposed"
    with pytest.raises(ConflictError, match="was disposed"):
        ds.dispose_dataset(as_actor(ctx, "bob"), "ko-news", method=method, reason="again")
    with pytest.raises(ConflictError, match="was disposed"):
        register(ctx, data_dir, version="2.0")
    assert ds.due_datasets(ctx, as_of=dt.date(2100, 1, 1)) == []


def test_disposal_counts_files_already_gone(ctx: ServiceContext, data_dir: Path) -> None:
    register(ctx, data_dir)
    (data_dir / "part-0.jsonl").unlink()
    disposed = ds.dispose_dataset(as_actor(ctx, "alice"), "ko-news", method="delete", reason="x")
    assert disposed.disposal is not None
    assert (disposed.disposal.files, disposed.disposal.missing) == (1, 1)


def test_disposal_never_follows_a_link_out_of_the_folder(
    ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    register(ctx, data_dir)
    outside = write_files(tmp_path / "elsewhere")
    for name in ("nested/part-1.jsonl", "nested"):
        target = data_dir / name
        target.unlink() if target.is_file() else target.rmdir()
    (data_dir / "nested").symlink_to(outside / "nested")
    with pytest.raises(ConflictError, match=r"leads outside .* nothing was deleted"):
        ds.dispose_dataset(as_actor(ctx, "alice"), "ko-news", method="overwrite", reason="x")
    assert (outside / "nested" / "part-1.jsonl").read_text(encoding="utf-8") == FILES[
        "nested/part-1.jsonl"
    ]
    assert (data_dir / "part-0.jsonl").exists()
    assert not ds.get_dataset(ctx, "ko-news").disposed


def test_disposal_needs_a_reason_and_a_known_method(ctx: ServiceContext, data_dir: Path) -> None:
    register(ctx, data_dir)
    alice = as_actor(ctx, "alice")
    with pytest.raises(InvalidInputError, match="--method"):
        ds.dispose_dataset(alice, "ko-news", method="shred", reason="x")
    with pytest.raises(InvalidInputError, match="--reason"):
        ds.dispose_dataset(alice, "ko-news", method="delete", reason="  ")
    assert (data_dir / "part-0.jsonl").exists()


# ---------------------------------------------------------------- projects: risk facts and the card


def _facts(ctx: ServiceContext, project_id: int) -> dict[str, Any]:
    with ctx.store.unit_of_work() as uow:
        project = uow.projects.get(project_id)
        assert project is not None
        return ds.dataset_facts(uow, project)


def test_dataset_facts_are_three_valued(ctx: ServiceContext) -> None:
    alice = as_actor(ctx, "alice")
    project = projects.create_project(ctx, name="P", type="product_development")
    assert _facts(ctx, project.id) == {"datasets.count": 0}
    ds.add_dataset(alice, dataset_data(id="clean"))
    ds.link_dataset(ctx, "clean", project.id)
    assert _facts(ctx, project.id) == {
        "datasets.count": 1,
        "datasets.licence_unknown": False,
        "datasets.share_alike": False,
        "datasets.non_commercial": False,
        "datasets.no_derivatives": False,
        "datasets.personal_data_unanonymised": False,
        "datasets.representativeness_missing": False,
    }
    ds.add_dataset(
        alice,
        dataset_data(
            id="murky",
            legal={"licence": "LicenseRef-vendor"},
            privacy={"personal_data": "not_asserted"},
            representativeness={},
        ),
    )
    ds.link_dataset(ctx, "murky", project.id)
    facts = _facts(ctx, project.id)
    assert facts["datasets.count"] == 2
    assert facts["datasets.licence_unknown"] is True
    assert facts["datasets.representativeness_missing"] is True
    for unknown in ("share_alike", "non_commercial", "personal_data_unanonymised"):
        assert f"datasets.{unknown}" not in facts  # not known, so left out
    ds.record_scan(ctx, "murky", "pii", {"EMAIL": 2})  # the scan settles it
    assert _facts(ctx, project.id)["datasets.personal_data_unanonymised"] is True


def test_shipped_triggers_fire_for_a_product_with_share_alike_data(ctx: ServiceContext) -> None:
    alice = as_actor(ctx, "alice")
    ds.add_dataset(
        alice,
        dataset_data(
            legal={"licence": "CC-BY-SA-4.0"},
            privacy={"personal_data": "yes"},
            representativeness={},
        ),
    )
    catalogue = load_catalogues(questionnaires=QuestionnaireLibrary().latest).risks.entries
    fired = {}
    for kind in ("product_development", "applied_research"):
        project = projects.create_project(ctx, name=kind, type=kind)
        ds.link_dataset(ctx, "ko-news", project.id)
        facts = {"project.type": kind, **_facts(ctx, project.id)}
        fired[kind] = {e.id for e in triggered(catalogue, facts)}
    expected = {
        "restrictive-licence-data-in-product",
        "registered-personal-data-not-anonymised",
        "dataset-representativeness-undocumented",
    }
    assert fired["product_development"] == expected
    assert fired["applied_research"] == expected - {"restrictive-licence-data-in-product"}


def _with_dataset_risk(fctx: ServiceContext) -> None:
    assert fctx.catalogue_root is not None
    path = fctx.catalogue_root / "risks" / "v1.yaml"
    risks = yaml.safe_load(path.read_text(encoding="utf-8"))
    risks["entries"].append(
        {
            "id": "r-data",
            "category": "data_copyright",
            "title": {"en": "Share-alike data", "ko": "동일조건 데이터"},
            "description": {"en": "Share-alike.", "ko": "동일조건."},
            "when": {"eq": ["datasets.share_alike", True]},
            "severity": 3,
            "likelihood": 3,
            "mitigations": ["model-card"],
        }
    )
    path.write_text(yaml.safe_dump(risks, allow_unicode=True), encoding="utf-8")


def test_derive_findings_reads_the_dataset_facts(fctx: ServiceContext) -> None:
    _with_dataset_risk(fctx)
    pid = project_with_profile(fctx, fair=1, safe=1)
    findings.derive_findings(fctx, pid)
    assert "r-data" not in {f.catalogue_id for f in findings.list_findings(fctx, pid)[1]}
    ds.add_dataset(as_actor(fctx, "alice"), dataset_data(legal={"licence": "ODbL-1.0"}))
    ds.link_dataset(fctx, "ko-news", pid)
    result = findings.derive_findings(fctx, pid)
    found = {f.catalogue_id: f for f in findings.list_findings(fctx, pid)[1]}
    assert found["r-data"].id in result.added
    ds.unlink_dataset(fctx, "ko-news", pid)
    assert found["r-data"].id in findings.derive_findings(fctx, pid).withdrawn


def test_the_card_lists_linked_datasets(fctx: ServiceContext) -> None:
    pid = project_with_profile(fctx, fair=1, safe=1)
    ds.add_dataset(as_actor(fctx, "alice"), dataset_data(legal={"licence": "MIT OR CC0-1.0"}))
    ds.link_dataset(fctx, "ko-news", pid)
    card = cards.build_card(fctx, pid, lang="en")
    jsonschema.validate(card, json.loads(CARD_SCHEMA.read_text(encoding="utf-8")))
    assert card["description"]["training_data"] == [
        {
            "name": "Korean news corpus",
            "version": "1.0",
            "licence": "MIT OR CC0-1.0",
            "description": "registered dataset ko-news",
        }
    ]
    assert "| Korean news corpus | 1.0 | MIT OR CC0-1.0 |" in render_card_markdown(card)
    ko = cards.build_card(fctx, pid, lang="ko")
    assert ko["description"]["training_data"][0]["description"] == "등록 데이터셋 ko-news"
    cards.record_issue(fctx, card, rendered=b"card", fmt="md")
    assert cards.reassessment_due(fctx) == []  # the card covered the dataset's version
    ds.add_dataset(as_actor(fctx, "alice"), dataset_data(version="2.0"))
    (due,) = cards.reassessment_due(fctx)
    assert due["reasons"] == ["dataset:Korean news corpus changed from 1.0 to 2.0"]
