"""Load benchmark of the web app: latency under concurrent clients on loopback.

Seeds 1,000 projects, 3,000 task-force members and 90,000 answers through the services
(so the audit trail is real), serves the app with ``ethos serve`` on 127.0.0.1, and has 20
concurrent clients request the dashboard (signed in as the ethics office's admin), a project
page and the profile API (as a task-force member), then prints p50 and p95 per endpoint.
The admin and the member sign in once; every client uses those two sessions and requests
each endpoint once before the clock starts, so the figures are of the three endpoints alone,
not of 40 password checks (argon2, slow by design, and throttled per address) or of each
worker's first read of the content files. Every project is described and has an issued card
(a tenth of them with a changed model version, so due for re-assessment), so the dashboard's
re-assessment check has 1,000 descriptions to look at.

The pages are served from read models kept per state of the database (see docs/web.md),
so the timed requests, with no change in between, are served from them. After the timed
run, the script therefore also measures, one request at a time, the first request to each
endpoint after a change (the member records an answer through the API, which moves every
key): what a request costs when it has to compute afresh.

    .venv/bin/python benchmarks/web_load.py [--projects 1000] [--clients 20] [--rounds 15]
        [--workers 2] [--data DIR] [--json FILE] [--sequential N] [--client raw|httpx]

``--data DIR`` keeps the seeded database in DIR and reuses it on the next run (seeding takes
minutes); ``--workers`` is passed to ``ethos serve``. The 20 clients run on one asyncio loop
over plain keep-alive HTTP/1.1 connections (``--client raw``, the default), which costs
about 0.2 ms of CPU a request, so that the clients take little of the 2 cores they share
with the server; ``--client httpx`` runs them as before, one thread and three httpx clients
each (about 1.5 ms a request). Besides latencies, the run reports the
load average and the CPU seconds used by the server (all its processes) and by the clients,
because the machine may be shared with other work. ``--sequential N`` replaces the
concurrent run by N requests to each endpoint one at a time (one worker), reporting the
server's CPU per request, which other work on the machine moves less.

Goal on the project's 2-core machine: p95 under 100 ms. Every request loop is bounded and
only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
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
from ethos.services import accounts, cards, projects, stage1
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
    token, _ = accounts.issue_token(ctx, "member", name="benchmark", days=30)
    store.dispose()
    print(f"seeded {n_projects} projects, {3 * n_projects} members, {answers} answers")
    return {"project": first, "answers": answers, "token": token}


def issue_cards(url: str, first: int, n_projects: int) -> int:
    """Describe every project (a model and two datasets) and record an issued card for
    each, then change the model version of every tenth: the dashboard's re-assessment
    check then reads and checks 1,000 descriptions, 100 of them due."""
    store = Store.open(url)
    ctx = ServiceContext(store=store, actor="benchmark")
    folder = Path(tempfile.mkdtemp(prefix="ethos-bench-cards-"))
    with store.unit_of_work() as uow:
        head = uow.audit.last()
    for n in range(n_projects):
        description: dict[str, Any] = {
            "intended_use": f"Benchmark project {n}",
            "end_users": ["analysts"],
            "model": {"name": f"model-{n}", "version": "1.0"},
            "training_data": [
                {"name": f"corpus-{n}", "version": "2026-01"},
                {"name": "shared-reference", "version": "3"},
            ],
            "limitations": ["synthetic benchmark data"],
        }
        file = folder / "description.json"
        file.write_text(json.dumps(description), encoding="utf-8")
        project = first + n
        cards.describe_project(ctx, project, file=file)
        card = {  # what record_issue reads of a card (building one verifies the whole chain)
            "project": {"id": project},
            "lang": "en",
            "description": description,
            "audit": {"head": head.hash if head else "", "events": head.seq if head else 0},
        }
        cards.record_issue(ctx, card, rendered=json.dumps(card).encode(), fmt="json")
        if n % 10 == 0:
            description["model"]["version"] = "1.1"
            file.write_text(json.dumps(description), encoding="utf-8")
            cards.describe_project(ctx, project, file=file)
    store.dispose()
    print(f"described {n_projects} projects and issued a card for each")
    return n_projects


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, IndexError, ValueError):
            continue
        pending += [int(c) for c in children]
    return total


def prepare(folder: Path, n_projects: int) -> dict[str, Any]:
    """The seeded database in ``folder``: reused when an earlier run left it there."""
    marker = folder / "seed.json"
    if marker.is_file():
        seeded: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        if seeded.get("projects") == n_projects:
            print(f"reusing the database seeded earlier in {folder}")
            if "cards" not in seeded:  # seeded by an earlier version of this script
                url = f"sqlite:///{folder / 'ethos.sqlite3'}"
                seeded["cards"] = issue_cards(url, seeded["project"], n_projects)
                marker.write_text(json.dumps(seeded), encoding="utf-8")
            return seeded
        raise SystemExit(f"{folder} holds a database of {seeded.get('projects')} projects")
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'ethos.sqlite3'}"
    seeded = seed(url, n_projects)
    seeded["projects"] = n_projects
    seeded["cards"] = issue_cards(url, seeded["project"], n_projects)
    marker.write_text(json.dumps(seeded), encoding="utf-8")
    return seeded


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
    assert response.status_code == 303, f"sign-in of {username}: {response.status_code}"
    return client


def first_after_change(
    base: str,
    endpoints: dict[str, str],
    sessions: tuple[httpx.Client, httpx.Client, str],
    project: int,
    times: int = 6,
) -> dict[str, list[float]]:
    """Latency of each endpoint's first request after a change, one request at a time.

    The member records an answer (alternating its score) through the API before each round;
    that appends audit events, so every kept read model is out of date. With several workers
    a round's requests may land on a worker that has not seen the change either way: each
    computes afresh on its first request after a change.
    """
    office, member, token = sessions
    api = httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"})
    questionnaire = api.get("/api/v1/questionnaires/ethos-stage1").json()
    item = next(i["id"] for i in questionnaire["items"] if "ethics" in i["roles"])
    found: dict[str, list[float]] = {name: [] for name in endpoints}
    for n in range(times):
        answer = {"answers": {item: 2 + n % 2}}
        changed = api.post(f"/api/v1/projects/{project}/answers", json=answer)
        assert changed.status_code == 200, f"recording an answer: {changed.status_code}"
        for client, (name, path) in zip((office, member, api), endpoints.items(), strict=True):
            start = time.perf_counter()
            response = client.get(path)
            found[name].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, f"{name}: {response.status_code}"
    api.close()
    return found


def one_at_a_time(
    server_pid: int, endpoints: dict[str, str], who: tuple[Any, Any, str], n: int
) -> dict[str, Any]:
    """Server CPU per request, ``n`` requests to each endpoint one after the other."""
    office, member, token = who
    clients = [
        office,
        member,
        httpx.Client(
            base_url=member.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
        ),
    ]
    results: dict[str, Any] = {"run": {"load_average_before": round(os.getloadavg()[0], 2)}}
    for client, (name, path) in zip(clients, endpoints.items(), strict=True):
        for _ in range(10):  # warm-up
            client.get(path)
        before = server_cpu_seconds(server_pid)
        for _ in range(n):
            response = client.get(path)
            assert response.status_code == 200, f"{name}: {response.status_code}"
        cpu_ms = (server_cpu_seconds(server_pid) - before) / n * 1000
        results[name] = {"requests": n, "server_cpu_ms_per_request": round(cpu_ms, 2)}
        print(f"  {name:<36} server CPU {cpu_ms:6.2f} ms a request ({n} one at a time)")
    results["run"]["load_average_after"] = round(os.getloadavg()[0], 2)
    print(f"  load average {results['run']['load_average_before']} to {os.getloadavg()[0]:.2f}")
    return results


class RawConnection:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol for GETs.

    The clients share the machine's 2 cores with the server, so they should cost little:
    httpx spends about 1.5 ms of CPU a request, this about a tenth of that. Each response
    is read whole (``Content-Length`` or chunked) and its status returned.
    """

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        lines = [f"Host: {host}:{port}", *(f"{k}: {v}" for k, v in headers.items())]
        self.head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(b"GET " + path.encode("ascii") + b" HTTP/1.1\r\n" + self.head)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = -1
        chunked = close = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length >= 0:
            await self.reader.readexactly(length)
        else:
            raise AssertionError(f"{path}: a response with neither length nor chunks")
        if close:
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = self.reader = None


def cookie_header(client: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


Timing = tuple[float, float, float, float, float]


class Stopwatch:
    """Wall seconds, server and client CPU seconds and load average over a timed run."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.load_before = os.getloadavg()[0]
        self.cpu_server = server_cpu_seconds(server_pid)
        self.cpu_clients = time.process_time()
        self.started = time.monotonic()

    def stop(self) -> Timing:
        """(wall, server CPU, clients CPU, load before, load after) since the start."""
        wall = time.monotonic() - self.started
        cpu_server = server_cpu_seconds(self.server_pid) - self.cpu_server
        cpu_clients = time.process_time() - self.cpu_clients
        return wall, cpu_server, cpu_clients, self.load_before, os.getloadavg()[0]


def concurrent_httpx(
    args: argparse.Namespace,
    server_pid: int,
    base: str,
    endpoints: dict[str, str],
    who: tuple[httpx.Client, httpx.Client, str],
) -> tuple[dict[str, list[float]], list[str], Timing]:
    """The concurrent run with one thread and three httpx clients per simulated client."""
    office, member, token = who
    samples: dict[str, list[float]] = {name: [] for name in endpoints}
    errors: list[str] = []

    ready = threading.Barrier(args.clients + 1)

    def client_loop() -> None:
        try:
            clients = [  # the two sessions signed in above, shared by every client
                httpx.Client(base_url=base, timeout=30, cookies=office.cookies),
                httpx.Client(base_url=base, timeout=30, cookies=member.cookies),
                httpx.Client(
                    base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}
                ),
            ]
            for client, path in zip(clients, endpoints.values(), strict=True):
                client.get(path)  # warm-up, not timed: each worker loads its content
        except (AssertionError, httpx.HTTPError) as exc:
            errors.append(f"sign-in or warm-up failed: {exc!r}")
            ready.abort()
            return
        try:
            ready.wait(timeout=600)  # the clock starts once every client is signed in
        except threading.BrokenBarrierError:
            return
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
    for t in threads:
        t.start()
    try:
        ready.wait(timeout=600)
    except threading.BrokenBarrierError:
        raise SystemExit(f"the clients could not get ready: {errors[:3]}") from None
    watch = Stopwatch(server_pid)
    for t in threads:
        t.join(timeout=600)
    return samples, errors, watch.stop()


def concurrent_raw(
    args: argparse.Namespace,
    server_pid: int,
    base: str,
    endpoints: dict[str, str],
    who: tuple[httpx.Client, httpx.Client, str],
) -> tuple[dict[str, list[float]], list[str], Timing]:
    """The concurrent run on one asyncio loop: each simulated client holds three
    keep-alive connections (admin cookie, member cookie, member token) and sends its next
    request as soon as the last one is answered."""
    office, member, token = who
    host, port = base.removeprefix("http://").split(":")
    identities = [
        {"Cookie": cookie_header(office)},
        {"Cookie": cookie_header(member)},
        {"Authorization": f"Bearer {token}"},
    ]
    samples: dict[str, list[float]] = {name: [] for name in endpoints}
    errors: list[str] = []

    async def main() -> Timing:
        clients = [
            [RawConnection(host, int(port), headers) for headers in identities]
            for _ in range(args.clients)
        ]
        for connections in clients:  # warm-up, not timed: each worker loads its content
            for connection, path in zip(connections, endpoints.values(), strict=True):
                status = await connection.get(path)
                if status != 200:
                    raise SystemExit(f"warm-up of {path} answered {status}")

        async def client_loop(connections: list[RawConnection]) -> None:
            for _ in range(args.rounds):
                for connection, (name, path) in zip(connections, endpoints.items(), strict=True):
                    start = time.perf_counter()
                    status = await connection.get(path)
                    samples[name].append((time.perf_counter() - start) * 1000)
                    if status != 200:
                        errors.append(f"{name}: {status}")

        watch = Stopwatch(server_pid)
        await asyncio.wait_for(asyncio.gather(*(client_loop(c) for c in clients)), timeout=600)
        timing = watch.stop()
        for connections in clients:
            for connection in connections:
                connection.close()
        return timing

    timing = asyncio.run(main())
    return samples, errors, timing


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = args.data or Path(tempfile.mkdtemp(prefix="ethos-bench-"))
    url = f"sqlite:///{folder / 'ethos.sqlite3'}"
    seeded = prepare(folder, args.projects)
    port = free_port()
    env = {**os.environ, "ETHOS_DATA_DIR": str(folder)}
    command = [sys.executable, "-m", "ethos", "--db", url, "serve", "--port", str(port)]
    if args.workers != 1:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(
        command,
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
            f"dashboard (admin, {args.projects:,} projects)": "/",
            "project page (member)": f"/projects/{pid}",
            "profile API (member token)": f"/api/v1/projects/{pid}/profile",
        }
        for client, path in zip((office, member, member), endpoints.values(), strict=True):
            client.get(path, headers={"Authorization": f"Bearer {token}"})  # warm up
        if args.sequential:
            return one_at_a_time(server.pid, endpoints, (office, member, token), args.sequential)
        measure = concurrent_raw if args.client == "raw" else concurrent_httpx
        samples, errors, timing = measure(
            args, server.pid, base, endpoints, (office, member, token)
        )
        wall, cpu_server, cpu_clients, load_before, load_after = timing
        after_change = first_after_change(base, endpoints, (office, member, token), pid)
        results: dict[str, Any] = {
            name: {
                "requests": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 95), 1),
                "max_ms": round(max(values), 1),
                "first_after_change_ms": round(statistics.median(after_change[name]), 1),
            }
            for name, values in samples.items()
        }
        total = sum(len(v) for v in samples.values())
        results["run"] = {
            "workers": args.workers,
            "client": args.client,
            "clients": args.clients,
            "requests": total,
            "errors": len(errors),
            "wall_s": round(wall, 2),
            "requests_per_s": round(total / wall, 1),
            "server_cpu_s": round(cpu_server, 2),
            "server_cpu_ms_per_request": round(cpu_server / total * 1000, 2),
            "client_cpu_s": round(cpu_clients, 2),
            "load_average_before": round(load_before, 2),
            "load_average_after": round(load_after, 2),
        }
        print(f"\n{args.clients} clients, {total} requests in {wall:.1f} s ({total / wall:.0f}/s)")
        print(
            f"  server CPU {cpu_server:.1f} s ({cpu_server / total * 1000:.1f} ms a request, "
            f"{args.workers} worker(s)), clients CPU {cpu_clients:.1f} s, "
            f"load average {load_before:.1f} before, {load_after:.1f} after"
        )
        for name, figures in list(results.items())[:-1]:
            print(
                f"  {name:<36} p50 {figures['p50_ms']:>7.1f} ms  p95 {figures['p95_ms']:>7.1f} ms"
                f"  first after a change {figures['first_after_change_ms']:>7.1f} ms"
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
    parser.add_argument("--workers", type=int, default=1, help="ethos serve --workers")
    parser.add_argument("--data", type=Path, help="Keep (and reuse) the seeded database here.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument(
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="raw: all clients on one asyncio loop over plain keep-alive connections "
        "(cheap, the default); httpx: a thread and three httpx clients per client.",
    )
    parser.add_argument(
        "--sequential",
        type=int,
        default=0,
        metavar="N",
        help="Instead of the concurrent run: N requests to each endpoint one at a time, "
        "and the server's CPU per request.",
    )
    args = parser.parse_args()
    results = run(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
