"""The shipped risk and mitigation catalogues, and broken copies failing loudly."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from ethos.domain.catalogue import FindingCategory, Priority
from ethos.domain.errors import ContentError
from ethos.domain.findings import triggered
from ethos.domain.projects import ProjectType
from ethos.knowledge.catalogues import default_root, load_catalogues
from ethos.knowledge.questionnaires import QuestionnaireLibrary

DATA = {
    FindingCategory.DATA_COPYRIGHT,
    FindingCategory.DATA_SENSITIVE,
    FindingCategory.DATA_REPRESENTATIVENESS,
}


def shipped():  # type: ignore[no-untyped-def]
    return load_catalogues(questionnaires=QuestionnaireLibrary().latest)


def test_shipped_catalogues_cover_every_category_dimension_and_priority() -> None:
    c = shipped()
    assert len(c.risks.entries) >= 40
    per_category = Counter(r.category for r in c.risks.entries)
    assert all(per_category[k] >= 2 for k in FindingCategory), per_category
    assert sum(per_category[k] for k in DATA) >= 10
    priorities = {c.priority.priority(r.severity, r.likelihood) for r in c.risks.entries}
    assert priorities == set(Priority)
    used = {m for r in c.risks.entries for m in r.mitigations}
    assert used == {m.id for m in c.mitigations.entries}
    questionnaire = QuestionnaireLibrary().latest()
    read = {
        p.split(".")[1]
        for r in c.risks.entries
        for p in r.when.paths()
        if p.startswith("dimension.")
    }
    read |= {
        questionnaire.item(p.split(".")[1]).dimension
        for r in c.risks.entries
        for p in r.when.paths()
        if p.startswith("item.")
    }
    assert read == {d.id for d in questionnaire.dimensions}


def facts(score: float, kind: ProjectType) -> dict[str, object]:
    q = QuestionnaireLibrary().latest()
    found: dict[str, object] = {"project.type": kind.value, "project.lifecycle_stage": "planning"}
    for item in q.items:
        for stat in ("score", "min", "max"):
            found[f"item.{item.id}.{stat}"] = score
    for dim in q.dimensions:
        for stat in ("mean", "min", "max"):
            found[f"dimension.{dim.id}.{stat}"] = score
    return found


@pytest.mark.parametrize("kind", list(ProjectType))
def test_low_exposure_raises_little_and_high_exposure_much(kind: ProjectType) -> None:
    entries = shipped().risks.entries
    assert len(triggered(entries, facts(1, kind))) <= 3
    assert len(triggered(entries, facts(5, kind))) >= 20


def test_project_type_changes_what_is_found() -> None:
    entries = shipped().risks.entries
    found = {k: {e.id for e in triggered(entries, facts(3, k))} for k in ProjectType}
    assert len({frozenset(v) for v in found.values()}) == 3


def test_a_dangling_mitigation_or_fact_fails_naming_the_entry(tmp_path: Path) -> None:
    root = tmp_path / "catalogues"
    shutil.copytree(default_root(), root)
    path = root / "risks" / "v1.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = data["entries"][0]
    first["mitigations"] = ["no-such-mitigation"]
    first["when"] = {"gte": ["item.no-such-item.score", 3]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalogues(root, questionnaires=QuestionnaireLibrary().latest)
    message = caught.value.message
    expected = "field mitigations: unknown mitigation(s) no-such-mitigation"
    assert f"entry {first['id']!r} (entries[0]), {expected}" in message
    assert "names item 'no-such-item', not in the questionnaire" in message


def test_an_eval_like_trigger_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "catalogues"
    shutil.copytree(default_root(), root)
    path = root / "risks" / "v1.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["entries"][2]["when"] = {"python": "__import__('os').system('true')"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(
        ContentError,
        match=r"entries\[2\]\), field when: when: unknown operator 'python'",
    ):
        load_catalogues(root, questionnaires=QuestionnaireLibrary().latest)


def test_a_wrongly_typed_entry_is_described_in_korean_too(tmp_path: Path) -> None:
    root = tmp_path / "catalogues"
    shutil.copytree(default_root(), root)
    path = root / "risks" / "v1.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["entries"][0]["severity"] = 9
    data["entries"][1]["likelihood"] = "often"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalogues(root, questionnaires=QuestionnaireLibrary().latest)
    korean = caught.value.message_ko or ""
    first, second = data["entries"][0]["id"], data["entries"][1]["id"]
    assert f"entry {first!r} (entries[0]), 필드 severity: 5 이하여야 합니다" in korean
    assert f"entry {second!r} (entries[1]), 필드 likelihood: 정수여야 합니다" in korean
    assert "Input should" not in korean
    assert "field severity: Input should be less than or equal to 5" in caught.value.message
