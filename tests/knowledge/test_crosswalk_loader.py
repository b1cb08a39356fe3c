"""The shipped crosswalk, and the checks that keep it honest when content changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ethos.domain.crosswalk import Crosswalk
from ethos.domain.errors import ContentError
from ethos.knowledge import catalogues as catalogue_loader
from ethos.knowledge.content import ContentRoots, load_legal, load_practice_crosswalk
from ethos.knowledge.crosswalks import check_crosswalk, crosswalk_problems, default_root
from ethos.knowledge.questionnaires import QuestionnaireLibrary

SHIPPED = default_root() / "ethos-practices.yaml"


@pytest.fixture(scope="module")
def content() -> dict[str, Any]:
    library = QuestionnaireLibrary()
    cats = catalogue_loader.load_catalogues(questionnaires=library.latest)
    return {
        "knowledge": load_legal().frameworks,
        "questionnaire": library.latest(cats.risks.questionnaire),
        "risks": cats.risks,
        "mitigations": cats.mitigations,
    }


def raw() -> dict[str, Any]:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def problems(data: dict[str, Any], content: dict[str, Any]) -> list[str]:
    return crosswalk_problems(Crosswalk.model_validate(data), where="cw.yaml", **content)


def test_every_practice_is_mapped_and_every_framework_reached(content: dict[str, Any]) -> None:
    cw = load_practice_crosswalk(ContentRoots.at(None))
    items = {f"item:{i.id}" for i in content["questionnaire"].items}
    risks = {f"risk:{r.id}" for r in content["risks"].entries}
    mitigations = {f"mitigation:{m.id}" for m in content["mitigations"].entries}
    assert set(cw.practices) == items | risks | mitigations
    assert len(items) == 31 and len(risks) >= 44 and len(mitigations) >= 30
    reached = {m.node.split(":")[0] for links in cw.practices.values() for m in links}
    assert reached == {f.id for f in content["knowledge"].frameworks()}
    assert all(len(links) >= 2 for links in cw.practices.values())


def test_the_shipped_file_has_no_problems(content: dict[str, Any]) -> None:
    assert problems(raw(), content) == []
    check_crosswalk(SHIPPED, **content)


def test_a_dangling_node_is_named(content: dict[str, Any]) -> None:
    data = raw()
    first = next(iter(data["practices"]))
    data["practices"][first].append({"node": "nist-ai-rmf:GOVERN-9.9", "rel": "subset"})
    assert problems(data, content) == [
        f"cw.yaml: practice {first!r}: no framework node 'nist-ai-rmf:GOVERN-9.9'"
    ]


def test_an_unknown_practice_and_an_unmapped_one_are_named(content: dict[str, Any]) -> None:
    data = raw()
    links = data["practices"].pop("risk:training-data-licence-unclear")
    data["practices"]["risk:no-such-risk"] = links
    assert problems(data, content) == [
        "cw.yaml: practice 'risk:no-such-risk': no such risk in Ethos's content",
        "cw.yaml: practice 'risk:training-data-licence-unclear' is not mapped to any framework "
        "node",
    ]


def test_an_item_must_keep_the_clauses_it_cites(content: dict[str, Any]) -> None:
    item = next(i for i in content["questionnaire"].items if i.frameworks)
    cited = item.frameworks[0]
    data = raw()
    key = f"item:{item.id}"
    data["practices"][key] = [m for m in data["practices"][key] if m["node"] != cited]
    assert problems(data, content) == [
        f"cw.yaml: practice {key!r}: the questionnaire item cites {cited!r}, "
        "which its mappings leave out"
    ]


def test_the_file_name_must_be_the_crosswalk_id(tmp_path: Path, content: dict[str, Any]) -> None:
    path = tmp_path / "other.yaml"
    path.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ContentError, match="declares crosswalk 'ethos-practices'"):
        check_crosswalk(path, **content)
