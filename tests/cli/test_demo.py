"""`ethos demo`, the main job of `make demo`."""

from __future__ import annotations

from datetime import UTC, datetime
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
    pid = closed[0]["id"]
    assert closed[0]["lifecycle_stage"] == "release"
    written = sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_file())
    year = datetime.now(UTC).year
    assert written == sorted(
        [f"profile-{pid}-{lang}.svg" for lang in ("en", "ko")]
        + [f"card-{pid}-{lang}.{fmt}" for lang in ("en", "ko") for fmt in ("md", "html")]
        + [f"report-{year}-{lang}.{fmt}" for lang in ("en", "ko") for fmt in ("md", "html")]
    )
    annual = (tmp_path / "out" / f"report-{year}-en.md").read_text(encoding="utf-8")
    stats = as_json(cli("stats", "--year", str(year), "--format", "json", db=url))
    assert f"| Problems found | {stats['findings']['count']} |" in annual
    assert "AI Ethics Committee" in annual  # from the office's demo records
    assert "AI 윤리 책임 보고서" in (tmp_path / "out" / f"report-{year}-ko.md").read_text(
        encoding="utf-8"
    )
    found = as_json(cli("findings", "list", str(pid), "--format", "json", db=url))
    assert found and {f["status"] for f in found} <= {"verified", "accepted"}
    assert {f["status"] for f in found if f["priority"] != "P3"} == {"verified"}
    card = (tmp_path / "out" / f"card-{pid}-ko.md").read_text(encoding="utf-8")
    assert "AI 윤리영향평가 카드" in card and "hanbit-faq-corpus" in card
    again = cli("demo", "--out", str(tmp_path / "out"), db=url)
    assert again.exit_code == 2 and "already has projects" in again.stderr
