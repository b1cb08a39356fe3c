"""Time ``ethos stats`` and the HTML annual report on a large portfolio.

Usage::

    python benchmarks/report_scale.py [--projects 1000] [--findings 30000] [--db URL]

Seeds (into a fresh SQLite file unless ``--db`` is given) the projects through the services
(task force of three, every item answered, stage 1 closed), then adds the findings through the
findings repository in one transaction per project, spread over two years with random
categories, priorities and statuses. Then it times, each three times, loading the records and
computing the statistics for the later year, and building and rendering the HTML report, and
prints the figures as JSON. Goals on the 2-core reference machine: stats under 2 s, HTML
report under 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ethos.domain.catalogue import FindingCategory, Priority
from ethos.domain.findings import Finding, FindingSource, FindingStatus
from ethos.reports.annual import render_report_html
from ethos.services import projects, report, stage1, stats
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store

ROLES = ("technical", "business", "ethics")
TYPES = ("basic_research", "applied_research", "product_development")
STATUSES = ("open", "resolved", "verified", "verified", "verified", "accepted")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 1, 5, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def seed(ctx: ServiceContext, clock: Clock, n_projects: int, n_findings: int) -> None:
    rng = random.Random(20261122)
    questionnaire = ctx.questionnaires.latest()
    per_project = n_findings // n_projects
    categories = list(FindingCategory)
    step = timedelta(days=700) / n_projects
    for index in range(n_projects):
        clock.now = datetime(2025, 1, 5, 9, tzinfo=UTC) + step * index
        project = projects.create_project(
            ctx, name=f"bench-{index:05d}", type=TYPES[index % 3], purpose="benchmark"
        )
        for role in ROLES:
            member = projects.add_member(ctx, project.id, name=f"{role}-{index}", role=role)
            entries = [
                stage1.SheetEntry(item.id, rng.randint(1, 5))
                for item in questionnaire.items_for(member.role)
            ]
            stage1.submit_answers(ctx, project.id, member=member.id, entries=entries)
        view = stage1.stage1_profile(ctx, project.id)
        for item_id in view.profile.discuss:
            stage1.record_consensus(ctx, project.id, item=item_id, score=3, note="agreed")
        stage1.close_stage1(ctx, project.id)
        with ctx.store.unit_of_work() as uow:
            for _ in range(per_project):
                status = rng.choice(STATUSES)
                created = clock.now + timedelta(days=rng.randint(0, 20))
                decided = created + timedelta(days=rng.randint(1, 60))
                uow.findings.add(
                    Finding(
                        id=0,
                        project_id=project.id,
                        source=FindingSource.MANUAL,
                        catalogue_id=None,
                        category=rng.choice(categories),
                        title_en="benchmark finding",
                        title_ko="벤치마크 문제",
                        description_en="",
                        description_ko="",
                        severity=3,
                        likelihood=3,
                        priority=rng.choice(list(Priority)),
                        status=FindingStatus(status),
                        created_at=created,
                        decided_at=decided if status in ("verified", "accepted") else None,
                    )
                )


def timed(action: Any, repeat: int = 3) -> tuple[float, float, Any]:
    """Median wall-clock and CPU seconds of ``repeat`` runs (CPU time is what a busy shared
    machine distorts least), and the last result."""
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = action()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--findings", type=int, default=30000)
    parser.add_argument("--db", default=None, help="Database URL; one already seeded is reused.")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ethos-report-bench-"))
    store = Store.open(args.db or f"sqlite:///{folder / 'bench.sqlite3'}")
    store.upgrade()
    clock = Clock()
    ctx = ServiceContext(store=store, actor="bench", clock=clock, evidence_dir=folder / "ev")
    start = time.perf_counter()
    if args.db and projects.list_projects(ctx):
        print("reusing the projects already in --db", file=sys.stderr)
    else:
        seed(ctx, clock, args.projects, args.findings)
    seeding = time.perf_counter() - start
    clock.now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    stats_s, stats_cpu, figures = timed(lambda: stats.year_stats(ctx, 2026))
    html_s, html_cpu, html = timed(
        lambda: render_report_html(report.build_report(ctx, 2026, lang="en"))
    )
    print(
        json.dumps(
            {
                "projects": args.projects,
                "findings": args.findings,
                "seed_seconds": round(seeding, 1),
                "stats_seconds": round(stats_s, 3),
                "stats_cpu_seconds": round(stats_cpu, 3),
                "html_report_seconds": round(html_s, 3),
                "html_report_cpu_seconds": round(html_cpu, 3),
                "load_average_1min": round(os.getloadavg()[0], 2),
                "html_bytes": len(html.encode("utf-8")),
                "findings_2026": figures["findings"]["count"],
            },
            indent=2,
        )
    )
    store.dispose()


if __name__ == "__main__":
    main()
