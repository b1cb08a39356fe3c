"""The shipped knowledge base validates, counts match the sources, broken copies fail loudly."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from ethos.domain.errors import ContentError, NotFoundError
from ethos.domain.frameworks import NodeType
from ethos.knowledge.frameworks import (
    KnowledgeBase,
    dangling_clauses,
    default_root,
    validate_root,
)
from ethos.knowledge.questionnaires import QuestionnaireLibrary

FRAMEWORKS = [
    "eu-ai-act",
    "iso-42001",
    "kr-ai-basic-act",
    "kr-digital-bill-of-rights",
    "kr-ethics-guidelines-2020",
    "lg-ai-ethics",
    "nist-ai-rmf",
    "unesco-rec-2021",
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def _count(kb: KnowledgeBase, framework: str, node_type: NodeType) -> int:
    return sum(1 for n in kb.framework(framework).walk() if n.type is node_type)


def test_shipped_knowledge_base_validates(kb: KnowledgeBase) -> None:
    assert validate_root() == []
    assert kb.validate() == []
    assert [f.id for f in kb.frameworks()] == FRAMEWORKS


def test_every_questionnaire_clause_resolves(kb: KnowledgeBase) -> None:
    questionnaire = QuestionnaireLibrary().latest()
    clauses = [c for item in questionnaire.items for c in item.frameworks]
    assert clauses
    assert dangling_clauses(kb, clauses) == []


def test_dangling_clauses_are_reported_once_in_order(kb: KnowledgeBase) -> None:
    given = ["eu-ai-act:art-5", "eu-ai-act:art-999", "nope", "eu-ai-act:art-999", "x:"]
    assert dangling_clauses(kb, given) == ["eu-ai-act:art-999", "nope", "x:"]


@pytest.mark.parametrize(
    ("framework", "node_type", "expected"),
    [
        ("nist-ai-rmf", NodeType.FUNCTION, 4),
        ("nist-ai-rmf", NodeType.CATEGORY, 19),
        ("nist-ai-rmf", NodeType.SUBCATEGORY, 72),
        ("iso-42001", NodeType.CONTROL, 38),
        ("kr-ethics-guidelines-2020", NodeType.PRINCIPLE, 3),
        ("kr-ethics-guidelines-2020", NodeType.REQUIREMENT, 10),
        ("kr-digital-bill-of-rights", NodeType.CHAPTER, 6),
        ("unesco-rec-2021", NodeType.VALUE, 4),
        ("unesco-rec-2021", NodeType.PRINCIPLE, 10),
        ("unesco-rec-2021", NodeType.POLICY_AREA, 11),
        ("lg-ai-ethics", NodeType.VALUE, 5),
        ("eu-ai-act", NodeType.CHAPTER, 13),
    ],
)
def test_counts_match_the_sources(
    kb: KnowledgeBase, framework: str, node_type: NodeType, expected: int
) -> None:
    assert _count(kb, framework, node_type) == expected


def test_nist_subcategories_per_function(kb: KnowledgeBase) -> None:
    per_function = Counter(
        n.local_id.split("-")[0]
        for n in kb.framework("nist-ai-rmf").walk()
        if n.type is NodeType.SUBCATEGORY
    )
    assert per_function == {"GOVERN": 19, "MAP": 18, "MEASURE": 22, "MANAGE": 13}


def test_digital_bill_has_28_articles_and_marks_unknown_titles(kb: KnowledgeBase) -> None:
    articles = [
        n for n in kb.framework("kr-digital-bill-of-rights").walk() if n.local_id.startswith("art-")
    ]
    assert sorted(int(n.local_id[4:]) for n in articles) == list(range(1, 29))
    for article in articles:
        assert article.title is not None or article.note, article.id


def test_unesco_principles_hold_paragraphs_25_to_47(kb: KnowledgeBase) -> None:
    paragraphs = [
        int(child.local_id.removeprefix("para-"))
        for principle in kb.framework("unesco-rec-2021").walk()
        if principle.type is NodeType.PRINCIPLE
        for child in principle.children
    ]
    assert sorted(paragraphs) == list(range(25, 48))
    assert kb.ancestors("unesco-rec-2021:para-32")[0].id == "unesco-rec-2021:principle-privacy"


def test_korean_guidelines_requirement_ids(kb: KnowledgeBase) -> None:
    expected = [
        "human-rights",
        "privacy",
        "diversity",
        "non-infringement",
        "public-good",
        "solidarity",
        "data-management",
        "accountability",
        "safety",
        "transparency",
    ]
    for name in expected:
        assert kb.node(f"kr-ethics-guidelines-2020:req-{name}").type is NodeType.REQUIREMENT


def test_eu_ai_act_has_every_article_and_the_classification_anchors(kb: KnowledgeBase) -> None:
    for number in range(1, 114):
        assert kb.node(f"eu-ai-act:art-{number}").title is not None
    for letter in "abcdefgh":
        assert kb.node(f"eu-ai-act:art-5.1.{letter}").type is NodeType.PROHIBITION
    for point in range(1, 9):
        assert kb.has(f"eu-ai-act:annex-iii.{point}")
    for point in range(1, 21):
        assert kb.has(f"eu-ai-act:annex-i.{point}")
    for number in (9, 10, 11, 12, 13, 14, 15, 16, 26, 27, 50, 51, 53, 55, 99):
        assert kb.node(f"eu-ai-act:art-{number}").summary is not None, number


def test_kr_ai_basic_act_nodes(kb: KnowledgeBase) -> None:
    domains = kb.node("kr-ai-basic-act:art-2.4").children
    assert len(domains) == 11
    for number in (31, 32, 33, 34, 35, 36, 43):
        assert kb.node(f"kr-ai-basic-act:art-{number}").summary is not None
    assert kb.node("kr-ai-basic-act:art-35").strength == "endeavour"


def test_kr_art_34_holds_its_five_duties_as_children(kb: KnowledgeBase) -> None:
    parent = kb.node("kr-ai-basic-act:art-34")
    duties = parent.children
    assert [d.id for d in duties] == [f"kr-ai-basic-act:art-34.{n}" for n in range(1, 6)]
    assert [d.ref for d in duties] == [f"Art. 34(1){n}" for n in range(1, 6)]
    for duty in duties:
        assert duty.type is NodeType.OBLIGATION
        assert duty.roles == parent.roles
        assert duty.strength == parent.strength
        assert duty.title is not None and duty.title.en and duty.title.ko
    oversight, documents = duties[3].title, duties[4].summary
    assert oversight is not None and "oversight" in (oversight.en or "")
    assert documents is not None and "5 years" in (documents.en or "")


def test_every_english_title_and_summary_has_a_korean_one(kb: KnowledgeBase) -> None:
    missing = [
        f"{node.id} {field}"
        for framework in kb.frameworks()
        for node in framework.walk()
        for field, text in (("title", node.title), ("summary", node.summary))
        if text is not None and text.en and not text.ko
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("node_id", "scope", "as_of", "expected"),
    [
        ("eu-ai-act:art-5.1.a", None, date(2025, 6, 1), date(2025, 2, 2)),
        ("eu-ai-act:art-53.1", None, date(2025, 6, 1), date(2025, 8, 2)),
        ("eu-ai-act:art-50.2", None, date(2026, 1, 1), date(2026, 8, 2)),
        ("eu-ai-act:art-9", "annex-iii", date(2026, 1, 1), date(2027, 12, 2)),
        ("eu-ai-act:art-9", "annex-i", date(2026, 1, 1), date(2028, 8, 2)),
        ("eu-ai-act:art-101", None, date(2026, 1, 1), date(2026, 8, 2)),
        ("kr-ai-basic-act:art-34", None, date(2026, 1, 1), date(2026, 1, 22)),
        ("kr-ai-basic-act:art-34.4", None, date(2026, 1, 1), date(2026, 1, 22)),
        ("eu-ai-act:art-26.2", "annex-iii", date(2026, 1, 1), date(2027, 12, 2)),
        ("eu-ai-act:art-53.1.c", None, date(2025, 6, 1), date(2025, 8, 2)),
    ],
)
def test_dated_applicability_is_inherited_and_amended(
    kb: KnowledgeBase, node_id: str, scope: str | None, as_of: date, expected: date
) -> None:
    entry = kb.applicability(node_id, as_of, scope=scope)
    assert entry is not None
    assert entry.applies_from == expected


def test_omnibus_deferral_is_a_separate_entry_not_an_overwrite(kb: KnowledgeBase) -> None:
    entries = kb.node("eu-ai-act:chapter-iii").applicability
    annex_iii = [e.applies_from for e in entries if e.scope == "annex-iii"]
    assert annex_iii == [date(2026, 8, 2), date(2027, 12, 2)]
    assert "Omnibus" in entries[-1].basis


def test_unknown_node_is_not_found(kb: KnowledgeBase) -> None:
    with pytest.raises(NotFoundError, match="eu-ai-act:art-999"):
        kb.node("eu-ai-act:art-999")


# ---------------------------------------------------------------- broken copies


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "frameworks"
    shutil.copytree(default_root(), root)
    return root


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _duplicate(data: dict[str, Any]) -> None:
    data["nodes"][1]["id"] = data["nodes"][0]["id"]


def _wrong_prefix(data: dict[str, Any]) -> None:
    data["nodes"][0]["children"][0]["id"] = "other:GOVERN-1"


def _misplaced(data: dict[str, Any]) -> None:
    govern, mapping = data["nodes"][0], data["nodes"][1]
    mapping["children"][0]["children"].append(govern["children"][0]["children"].pop())


def _bad_type(data: dict[str, Any]) -> None:
    data["nodes"][1]["children"][0]["type"] = "vibe"


def _no_title(data: dict[str, Any]) -> None:
    del data["nodes"][2]["children"][1]["children"][0]["title"]


@pytest.mark.parametrize(
    ("change", "offender"),
    [
        (_duplicate, "nist-ai-rmf:GOVERN"),
        (_wrong_prefix, "other:GOVERN-1"),
        (_misplaced, "nist-ai-rmf:GOVERN-1.7"),
        (_bad_type, "nist-ai-rmf:MAP-1"),
        (_no_title, "nist-ai-rmf:MEASURE-2.1"),
    ],
)
def test_broken_copy_fails_naming_file_and_node(tmp_path: Path, change: Any, offender: str) -> None:
    root = _copy(tmp_path)
    path = root / "nist-ai-rmf.yaml"
    _edit(path, change)
    problems = validate_root(root)
    assert problems
    assert all(str(path) in p for p in problems), problems
    assert any(offender in p for p in problems), problems
    with pytest.raises(ContentError, match=offender.replace(".", r"\.")):
        KnowledgeBase.load(root)


def test_file_name_must_match_framework_id(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "lg-ai-ethics.yaml").rename(root / "lg.yaml")
    problems = validate_root(root)
    assert any("lg.yaml" in p and "lg-ai-ethics" in p for p in problems)


def test_applicability_before_its_basis_is_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path)

    def backdate(data: dict[str, Any]) -> None:
        data["nodes"][0]["applicability"][0]["applies_from"] = "2020-01-01"

    _edit(root / "kr-ai-basic-act.yaml", backdate)
    problems = validate_root(root)
    assert any("kr-ai-basic-act:art-2" in p and "earlier than its basis" in p for p in problems)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "iso-42001.yaml").write_text("nodes: [unclosed\n", encoding="utf-8")
    problems = validate_root(root)
    assert any("iso-42001.yaml" in p and "not valid YAML" in p for p in problems)


def test_a_broken_copy_is_described_in_korean_too(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "nist-ai-rmf.yaml"
    _edit(path, _bad_type)
    with pytest.raises(ContentError) as caught:
        KnowledgeBase.load(root)
    korean = caught.value.message_ko or ""
    assert "노드 'nist-ai-rmf:MAP-1', 필드 type: 'prohibition', 'obligation'" in korean
    assert "'subcategory' 또는 'group' 중 하나여야 합니다" in korean
    assert "Input should" not in korean
    assert "field type: Input should be 'prohibition'" in caught.value.message


def test_our_own_checks_are_described_in_both_languages(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "nist-ai-rmf.yaml"
    _edit(path, _no_title)
    with pytest.raises(ContentError) as caught:
        KnowledgeBase.load(root)
    english, korean = caught.value.message, caught.value.message_ko or ""
    assert (
        "node 'nist-ai-rmf:MEASURE-2.1', field (whole entry): "
        "a node without a title needs a note saying why (mark the gap)"
    ) in english
    assert "Value error" not in english
    assert (
        "노드 'nist-ai-rmf:MEASURE-2.1', 필드 (항목 전체): "
        "제목 없는 노드에는 그 까닭을 적은 note가 있어야 합니다(빈 곳 표시)"
    ) in korean
