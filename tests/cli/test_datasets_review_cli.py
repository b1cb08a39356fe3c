"""``ethos datasets review``: the weekly review of data issues, end to end on a real store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.cli.test_datasets_cli import Run, as_json, ok, record_file, run  # noqa: F401
from tests.domain.test_datasets import dataset_data


def _add(run: Run, tmp_path: Path, name: str, **overrides: Any) -> None:  # noqa: F811
    path = record_file(tmp_path, f"{name}.yaml", id=name, **overrides)
    ok(run("datasets", "add", "--file", str(path)))


def _register(run: Run, tmp_path: Path) -> int:  # noqa: F811
    """Three datasets: one well kept (scanned, linked), one with unknown licence and
    unanonymised personal data used by a product, one past its retention date."""
    pid = as_json(
        run("project", "create", "--name", "Chat", "--type", "product_development",
            "--format", "json")
    )["id"]  # fmt: skip
    _add(run, tmp_path, "kept")
    _add(
        run,
        tmp_path,
        "risky",
        legal={**dataset_data()["legal"], "licence": "NOASSERTION"},
        privacy={"personal_data": "yes", "confidentiality": "confidential"},
    )
    _add(run, tmp_path, "old", retention={"retain_until": "2026-01-31"})
    for name in ("kept", "risky", "old"):
        ok(run("datasets", "link", name, str(pid)))
    return int(pid)


def test_review_lists_each_datasets_problems_most_severe_first(
    run: Run,  # noqa: F811
    tmp_path: Path,
) -> None:
    _register(run, tmp_path)
    report = as_json(run("datasets", "review", "--as-of", "2026-11-22", "--format", "json"))
    assert report["as_of"] == "2026-11-22" and report["checks_version"] == 1
    by_id = {d["id"]: [p["check"] for p in d["problems"]] for d in report["datasets"]}
    # None of the three was ever scanned, and all are text (dataset_data's types).
    never = ["toxicity-never-scanned", "pii-never-scanned"]
    assert by_id["kept"] == never
    assert by_id["old"] == ["retention-passed", *never]
    assert set(by_id["risky"]) == {"licence-unknown", "personal-data-unanonymised", *never}
    # The lawful basis is recorded in dataset_data, so that check does not fire.
    assert "personal-data-without-lawful-basis" not in by_id["risky"]
    assert [d["id"] for d in report["datasets"]] == ["risky", "old", "kept"]
    counts = report["counts"]
    assert counts["problems"] == sum(len(p) for p in by_id.values()) == 9
    assert (counts["high"], counts["medium"], counts["low"]) == (3, 3, 3)


def test_review_in_korean_and_fail_on(run: Run, tmp_path: Path) -> None:  # noqa: F811
    _register(run, tmp_path)
    korean = ok(run("datasets", "review", "--as-of", "2026-11-22", lang="ko")).stdout
    assert "risky (버전 1.0): 문제 4건" in korean
    assert "[높음] licence-unknown: 라이선스 미확인" in korean
    assert "2026-11-22 기준 데이터셋 3개 검토" in korean
    english = ok(run("datasets", "review", "--as-of", "2026-11-22")).stdout
    assert "[high] retention-passed: Retention date passed" in english
    assert run("datasets", "review", "--fail-on", "high").exit_code == 1
    assert run("datasets", "review", "--fail-on", "urgent").exit_code == 2
    assert run("datasets", "review", "--as-of", "22/11/2026").exit_code == 2


def test_a_disposed_dataset_is_not_reviewed_and_fixes_clear_problems(
    run: Run,  # noqa: F811
    tmp_path: Path,
) -> None:
    _register(run, tmp_path)
    ok(run("datasets", "dispose", "old", "--method", "delete", "--reason", "retention over"))
    fixed = record_file(
        tmp_path,
        "risky-2.yaml",
        id="risky",
        version="2.0",
        legal={"licence": "CC-BY-4.0", "lawful_basis": "consent", "copyright": "licensed",
               "acquisition_review": {"reviewer": "lee", "date": "2026-11-20"}},
        privacy={"personal_data": "yes", "anonymisation": "pseudonymised with a keyed HMAC",
                 "confidentiality": "confidential"},
    )  # fmt: skip
    ok(run("datasets", "add", "--file", str(fixed)))
    report = as_json(run("datasets", "review", "--as-of", "2026-11-22", "--format", "json"))
    assert report["disposed_not_reviewed"] == 1
    assert {d["id"]: [p["check"] for p in d["problems"]] for d in report["datasets"]} == {
        "kept": ["toxicity-never-scanned", "pii-never-scanned"],
        "risky": ["toxicity-never-scanned", "pii-never-scanned"],
    }


def test_an_office_replaces_the_checks_with_its_own(
    run: Run,  # noqa: F811
    tmp_path: Path,
) -> None:
    _register(run, tmp_path)
    content = tmp_path / "content"
    content.mkdir()
    own = {
        "schema": "ethos.dataset-checks/1",
        "version": 7,
        "released": "2026-11-22",
        "checks": [
            {
                "id": "needs-consent-evidence",
                "severity": "medium",
                "title": {"en": "No consent evidence", "ko": "동의 증빙 없음"},
                "advice": {"en": "Record where it is kept.", "ko": "보관 위치를 기록하세요."},
                "when": {"eq": ["dataset.consent_evidence_recorded", False]},
            }
        ],
    }
    (content / "dataset-checks.yaml").write_text(yaml.safe_dump(own), encoding="utf-8")
    report = as_json(run("--content", str(content), "datasets", "review", "--format", "json"))
    assert report["checks_version"] == 7
    assert {p["check"] for d in report["datasets"] for p in d["problems"]} == {
        "needs-consent-evidence"
    }
    (content / "dataset-checks.yaml").write_text("checks: [", encoding="utf-8")
    broken = run("--content", str(content), "datasets", "review")
    assert broken.exit_code == 2 and "dataset-checks.yaml" in broken.stderr
