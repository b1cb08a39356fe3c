"""`ethos demo`, the main job of `make demo`."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Invoke, as_json


def test_demo_seeds_three_projects_and_prints_a_profile(tmp_path: Path, cli: Invoke) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    result = cli("demo", "--out", str(tmp_path / "out"), db=url)
    assert result.exit_code == 0, result.output
    assert "Stage 1: complete, closed" in result.stdout
    assert "1단계: 완료, 종료됨" in result.stdout
    assert "audit trail: ok" in result.stdout
    projects = as_json(cli("project", "list", "--format", "json", db=url))
    assert sorted(p["type"] for p in projects) == [
        "applied_research",
        "basic_research",
        "product_development",
    ]
    closed = [p for p in projects if p["stage1_closed_at"]]
    assert len(closed) == 1
    profile = as_json(cli("profile", str(closed[0]["id"]), "--format", "json", db=url))
    assert profile["stage1_complete"] and profile["discuss"]
    assert set(profile["consensus"]) == set(profile["discuss"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"profile-{closed[0]['id']}-en.svg",
        f"profile-{closed[0]['id']}-ko.svg",
    ]
    again = cli("demo", "--out", str(tmp_path / "out"), db=url)
    assert again.exit_code == 2 and "already has projects" in again.stderr
