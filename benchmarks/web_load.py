"""Load benchmark of the web app: latency under concurrent clients on loopback.

Seeds 1,000 projects, 3,000 task-force members and 90,000 answers through the services
(so the audit trail is real), serves the app with ``ethos serve`` on 127.0.0.1, and has 20
concurrent clients request the dashboard (signed in as the ethics office's admin), a project
page and the profile API (as a task-force member), then prints p50 and p95 per endpoint.

    .venv/bin/python benchmarks/web_load.py [--projects 1000] [--clients 20] [--rounds 15]

Goal on the project's 2-core machine: p95 under 100 ms. Every request loop is bounded and
only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
from argon2 import profiles

from ethos.domain.projects import Role
from ethos.services import accounts, projects, stage1
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store

PASSWORD = "benchmark password"
ROOT = Path(__file__).resolve().parents[1]


def seed(url: str, n_projects: int) -> dict[str, Any]:
    """Projects with three members each; every member answers 30 items."""
    accounts.use_password_parameters(profiles.CHEAPEST)
    store = Store.open(url)
    store.upgrade()
    ctx = ServiceContext(store=store, actor="benchmark")
    accounts.create_user(
        ctx, username="office", display_name="Office", role="admin", password=PASSWORD
    )
    accounts.create_user(
        ctx, username="member", display_name="Member", role="user", password=PASSWORD
    )
    questionnaire = ctx.questionnaires.latest()
    items = [i.id for i in questionnaire.items[:30]]
    kinds = ["basic_research", "applied_research", "product_development"]
    started = time.monotonic()
    answers = 0
    first = 0
    for n in range(n_projects):
        project = projects.create_project(ctx, name=f"Project {n:04d}", type=kinds[n % 3])
        first = first or project.id
        for k, role in enumerate(Role):
            member = projects.add_member(ctx, project.id, name=f"Member {n}-{k}", role=role.value)
            if n == 0 and role is Role.ETHICS:
                accounts.link_member(ctx, project.id, member.id, "member")
            entries = [stage1.SheetEntry(i, 1 + (n + k + j) % 5) for j, i in enumerate(items)]
            answers += stage1.submit_answers(ctx, project.id, member=member.id, entries=entries)
        if (n + 1) % 100 == 0:
            print(f"  seeded {n + 1} projects ({time.monotonic() - started:.0f} s)", flush=True)
    token, _ = accounts.issue_token(ctx, "member", name="benchmark", days=1)
    store.dispose()
    print(f"seeded {n_projects} projects, {3 * n_projects} members, {answers} answers")
    return {"project": first, "answers": answers, "token": token}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def signed_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, response.status_code
    return client


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    folder = Path(tempfile.mkdtemp(prefix="ethos-bench-"))
    url = f"sqlite:///{folder / 'ethos.sqlite3'}"
    seeded = seed(url, args.projects)
    port = free_port()
    env = {**os.environ, "ETHOS_DATA_DIR": str(folder)}
    server = subprocess.Popen(
        [sys.executable, "-m", "ethos", "--db", url, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/login", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        office = signed_in(base, "office")
        member = signed_in(base, "member")
        token = seeded["token"]
        pid = seeded["project"]
        endpoints = {
            "dashboard (admin, 1,000 projects)": "/",
            "project page (member)": f"/projects/{pid}",
            "profile API (member token)": f"/api/v1/projects/{pid}/profile",
        }
        for client, path in zip((office, member, member), endpoints.values(), strict=True):
            client.get(path, headers={"Authorization": f"Bearer {token}"})  # warm up
        samples: dict[str, list[float]] = {name: [] for name in endpoints}
        errors: list[str] = []

        def client_loop() -> None:
            clients = [
                signed_in(base, "office"),
                signed_in(base, "member"),
                httpx.Client(
                    base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}
                ),
            ]
            for _ in range(args.rounds):
                for client, (name, path) in zip(clients, endpoints.items(), strict=True):
                    start = time.perf_counter()
                    response = client.get(path)
                    elapsed = (time.perf_counter() - start) * 1000
                    if response.status_code != 200:
                        errors.append(f"{name}: {response.status_code}")
                    samples[name].append(elapsed)
            for client in clients:
                client.close()

        threads = [threading.Thread(target=client_loop) for _ in range(args.clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        wall = time.monotonic() - started
        results = {
            name: {
                "requests": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 95), 1),
                "max_ms": round(max(values), 1),
            }
            for name, values in samples.items()
        }
        total = sum(len(v) for v in samples.values())
        print(f"\n{args.clients} clients, {total} requests in {wall:.1f} s ({total / wall:.0f}/s)")
        for name, figures in results.items():
            print(
                f"  {name:<36} p50 {figures['p50_ms']:>7.1f} ms  p95 {figures['p95_ms']:>7.1f} ms"
            )
        if errors:
            print(f"errors: {len(errors)} (first: {errors[0]})")
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args()
    results = run(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
