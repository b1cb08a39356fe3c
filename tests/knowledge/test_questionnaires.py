"""The shipped questionnaire, and malformed files failing with file, item and field named."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ethos.domain.errors import ContentError, NotFoundError
from ethos.domain.projects import Role
from ethos.knowledge.questionnaires import DEFAULT_QUESTIONNAIRE, QuestionnaireLibrary
from tests.factories import item_data, questionnaire_data, write_questionnaire

DIMENSIONS = [
    "human_dignity",
    "fairness",
    "safety",
    "accountability",
    "transparency",
    "data_privacy",
]


def test_shipped_questionnaire_covers_every_dimension_and_role() -> None:
    q = QuestionnaireLibrary().latest(DEFAULT_QUESTIONNAIRE)
    assert [d.id for d in q.dimensions] == DIMENSIONS
    assert 28 <= len(q.items) <= 32
    per_dimension = Counter(i.dimension for i in q.items)
    assert all(per_dimension[d] >= 4 for d in DIMENSIONS), per_dimension
    per_role = Counter(r for i in q.items for r in i.roles)
    assert all(per_role[r] >= 10 for r in Role), per_role
    assert len({i.aspect for i in q.items}) == len(q.items)
    for item in q.items:
        assert item.frameworks, item.id
        assert item.text.ko != item.text.en
        assert all(item.anchors[p].ko and item.anchors[p].en for p in (1, 3, 5))


def test_shipped_questionnaire_uses_no_promising_words() -> None:
    path = QuestionnaireLibrary().root / DEFAULT_QUESTIONNAIRE / "v1.yaml"
    text = path.read_text(encoding="utf-8").lower()
    for word in ("unbiased", "compliant", "certified"):
        assert word not in text


def _break(data: dict[str, Any], mutate: str) -> None:
    items = data["items"]
    if mutate == "missing anchor":
        del items[1]["anchors"][5]
    elif mutate == "missing korean":
        del items[1]["anchors"][3]["ko"]
    elif mutate == "unknown role":
        items[1]["roles"] = ["technical", "lawyer"]
    elif mutate == "unknown dimension":
        items[1]["dimension"] = "vibes"
    elif mutate == "bad id":
        items[1]["id"] = "Fair B"
    elif mutate == "extra field":
        items[1]["weight"] = 2
    elif mutate == "duplicate id":
        items[1]["id"] = "fair-a"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        ("missing anchor", r"item 'fair-b' \(items\[1\]\), field anchors: .*\[5\]"),
        ("missing korean", r"item 'fair-b' \(items\[1\]\), field anchors\.3\.ko: Field required"),
        ("unknown role", r"item 'fair-b' \(items\[1\]\), field roles\.1"),
        ("unknown dimension", r"unknown dimension 'vibes'"),
        ("bad id", r"item 'Fair B' \(items\[1\]\), field id"),
        ("extra field", r"item 'fair-b' \(items\[1\]\), field weight: Extra inputs"),
        ("duplicate id", r"id 'fair-a' is used twice"),
    ],
)
def test_malformed_questionnaire_names_file_item_and_field(
    tmp_path: Path, mutate: str, expected: str
) -> None:
    data = questionnaire_data()
    _break(data, mutate)
    path = write_questionnaire(tmp_path, data)
    with pytest.raises(ContentError, match=expected) as caught:
        QuestionnaireLibrary(tmp_path).get("test-q", 1)
    assert str(path) in caught.value.message


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "test-q" / "v1.yaml"
    path.parent.mkdir()
    path.write_text("schema: ethos.questionnaire/1\nitems: [\n  - {id: x\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"v1\.yaml: not valid YAML at line \d+"):
        QuestionnaireLibrary(tmp_path).get("test-q", 1)


def test_file_name_must_match_the_declared_version(tmp_path: Path) -> None:
    data = questionnaire_data(version=2)
    path = tmp_path / "test-q" / "v1.yaml"
    write_questionnaire(tmp_path, data).rename(path)
    with pytest.raises(ContentError, match="declares 'test-q' version 2"):
        QuestionnaireLibrary(tmp_path).get("test-q", 1)


def test_migration_map_must_list_every_earlier_item(tmp_path: Path) -> None:
    write_questionnaire(tmp_path, questionnaire_data())
    v2 = questionnaire_data(version=2, migrates_from={"version": 1, "map": {"fair-a": "fair-a"}})
    write_questionnaire(tmp_path, v2)
    with pytest.raises(ContentError, match=r"not listed .*fair-b, safe-a, safe-b"):
        QuestionnaireLibrary(tmp_path).get("test-q", 2)


def test_migration_map_targets_must_exist(tmp_path: Path) -> None:
    write_questionnaire(tmp_path, questionnaire_data())
    mapping = {"fair-a": "nowhere", "fair-b": None, "safe-a": "safe-a", "safe-b": "safe-b"}
    v2 = questionnaire_data(version=2, migrates_from={"version": 1, "map": mapping})
    write_questionnaire(tmp_path, v2)
    with pytest.raises(
        ContentError, match="'fair-a' maps to 'nowhere', not an item of this version"
    ):
        QuestionnaireLibrary(tmp_path).get("test-q", 2)


def test_latest_picks_the_highest_version(tmp_path: Path) -> None:
    write_questionnaire(tmp_path, questionnaire_data())
    items = [*questionnaire_data()["items"], item_data("safe-c", "safety")]
    mapping = {i: i for i in ("fair-a", "fair-b", "safe-a", "safe-b")}
    write_questionnaire(
        tmp_path,
        questionnaire_data(version=10, items=items, migrates_from={"version": 1, "map": mapping}),
    )
    assert QuestionnaireLibrary(tmp_path).latest("test-q").version == 10
    with pytest.raises(NotFoundError):
        QuestionnaireLibrary(tmp_path).get("test-q", 3)
    with pytest.raises(NotFoundError):
        QuestionnaireLibrary(tmp_path).latest("nope")


def test_digest_ignores_formatting_but_not_content(tmp_path: Path) -> None:
    data = questionnaire_data()
    path = write_questionnaire(tmp_path, data)
    before = QuestionnaireLibrary(tmp_path).get("test-q", 1).digest()
    path.write_text("# a comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert QuestionnaireLibrary(tmp_path).get("test-q", 1).digest() == before
    data["items"][0]["text"]["en"] = "Changed wording?"
    write_questionnaire(tmp_path, data)
    assert QuestionnaireLibrary(tmp_path).get("test-q", 1).digest() != before
