"""What the web app's speed rests on: one read snapshot per request, content loaded once
per state of its files, and worker processes. (Speeds themselves are measured in
benchmarks/web_load.py, not here.)"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from anyio import to_thread
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from ethos.domain.errors import InvalidInputError
from ethos.knowledge.catalogues import default_root as shipped_catalogues
from ethos.knowledge.questionnaires import QuestionnaireLibrary
from ethos.knowledge.questionnaires import default_root as shipped_questionnaires
from ethos.services import projects
from ethos.services.snapshots import request_store
from ethos.web.app import create_app
from ethos.web.deps import SnapshotRoute, inline_read
from ethos.web.settings import WebSettings
from tests.web.conftest import PASSWORD, Browser, World
from tests.web.test_pages import answer_all


def _engine(app: FastAPI) -> Engine:
    engine: Engine = app.state.ethos.base.store.engine
    return engine


@pytest.fixture
def transactions(app: FastAPI) -> Iterator[list[str]]:
    """The transactions the app begins, as they begin ("read" or "write")."""
    begun: list[str] = []

    def count(connection) -> None:  # type: ignore[no-untyped-def]
        deferred = connection.get_execution_options().get("ethos_deferred")
        begun.append("read" if deferred else "write")

    event.listen(_engine(app), "begin", count)
    yield begun
    event.remove(_engine(app), "begin", count)


@pytest.mark.parametrize(("page", "inline"), [("", True), ("/profile", True), ("/findings", False)])
def test_a_page_reads_in_two_transactions_and_returns_its_connections(
    browser: Callable[..., Browser],
    world: World,
    app: FastAPI,
    transactions: list[str],
    page: str,
    inline: bool,
) -> None:
    answer_all(world)
    b = browser("alice")
    path = f"/projects/{world.projects['care']}{page}"
    transactions.clear()
    assert b.get(path).status_code == 200
    # One for the signed-in account, one for everything the page shows (five before). A
    # page tried on the event loop first (inline_read) reads once more the first time: its
    # read models are not kept yet, so it goes on in a worker thread, in a new snapshot.
    assert transactions == ["read", "read", "read"] if inline else ["read", "read"]
    assert _engine(app).pool.checkedout() == 0  # type: ignore[attr-defined]
    transactions.clear()
    assert b.get(path).status_code == 200
    assert transactions == ["read", "read"]
    assert _engine(app).pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_row_read_twice_in_a_request_is_read_once(
    browser: Callable[..., Browser], world: World, app: FastAPI
) -> None:
    b = browser("alice")
    path = f"/projects/{world.projects['care']}"
    statements: list[str] = []

    def log(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    def project_reads() -> int:
        statements.clear()
        event.listen(_engine(app), "before_cursor_execute", log)
        try:
            assert b.get(path).status_code == 200
        finally:
            event.remove(_engine(app), "before_cursor_execute", log)
        return sum("FROM projects" in s for s in statements)

    # The first time, the access check and the profile (with the findings) each ask for
    # the project: read once, as the snapshot keeps what it loaded (three reads before).
    assert project_reads() == 1
    # Then both are kept per state of the project's records (services.read_models).
    assert project_reads() == 0


def test_an_api_read_also_shares_one_snapshot(
    api: Callable[[str | None], object], world: World, app: FastAPI, transactions: list[str]
) -> None:
    client = api("alice")
    path = f"/api/v1/projects/{world.projects['care']}"
    client.get(path)  # type: ignore[attr-defined]
    transactions.clear()
    assert client.get(path).status_code == 200  # type: ignore[attr-defined]
    assert transactions == ["read", "read"]
    assert _engine(app).pool.checkedout() == 0  # type: ignore[attr-defined]


def test_the_snapshot_is_one_transaction_until_a_write_ends_it(world: World) -> None:
    pid = world.projects["lab"]
    with request_store(world.store) as store:
        ctx = dataclasses.replace(world.ctx, store=store)
        reader = dataclasses.replace(world.ctx, store=store.for_reading())
        before = len(projects.list_members(reader, pid))
        # Someone else adds a member: the snapshot does not see it...
        projects.add_member(world.ctx, pid, name="Eve", role="business")
        assert len(projects.list_members(reader, pid)) == before
        # ...until this request writes, which ends the snapshot first.
        projects.add_member(ctx, pid, name="Frank", role="ethics")
        assert len(projects.list_members(reader, pid)) == before + 2


def test_the_snapshot_refuses_writes(world: World) -> None:
    with request_store(world.store) as store:
        reader = dataclasses.replace(world.ctx, store=store.for_reading())
        with pytest.raises(RuntimeError, match="read snapshot"):
            projects.create_project(reader, name="Sneaky", type="basic_research")
    assert "Sneaky" not in [p.name for p in projects.list_projects(world.ctx)]


def _content(tmp_path: Path) -> tuple[Path, Path]:
    catalogues = tmp_path / "catalogues"
    questionnaires = tmp_path / "questionnaires"
    shutil.copytree(shipped_catalogues(), catalogues)
    shutil.copytree(shipped_questionnaires(), questionnaires)
    return catalogues, questionnaires


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    later = time.time_ns() + 5_000_000_000  # a different time, whatever the clock's grain
    os.utime(path, ns=(later, later))


def test_catalogues_are_loaded_once_and_again_when_a_file_changes(
    world: World, tmp_path: Path
) -> None:
    catalogues, questionnaires = _content(tmp_path)
    ctx = dataclasses.replace(
        world.ctx,
        catalogue_root=catalogues,
        questionnaires=QuestionnaireLibrary(questionnaires),
    )
    first = ctx.catalogues()
    assert ctx.catalogues() is first
    title = "Dataset licence review"
    assert title in [m.title.en for m in first.mitigations.entries]
    _edit(catalogues / "mitigations" / "v1.yaml", title, "Dataset licence audit")
    again = ctx.catalogues()
    assert again is not first
    assert "Dataset licence audit" in [m.title.en for m in again.mitigations.entries]
    policy = ctx.evidence_policy()
    assert ctx.evidence_policy() is policy and policy.max_bytes == 26214400
    _edit(catalogues / "evidence-policy.yaml", "max_bytes: 26214400", "max_bytes: 1048576")
    assert ctx.evidence_policy().max_bytes == 1048576


def test_a_questionnaire_digest_is_computed_once_per_state_of_its_file(tmp_path: Path) -> None:
    _, folder = _content(tmp_path)
    library = QuestionnaireLibrary(folder)
    questionnaire = library.latest()
    digest = library.digest(questionnaire)
    assert digest == questionnaire.digest()
    _edit(folder / "ethos-stage1" / "v1.yaml", '"Human dignity"', '"Human dignity (edited)"')
    edited = library.latest()
    assert edited is not questionnaire
    assert library.digest(edited) == edited.digest() != digest
    # A questionnaire that is not the library's cached object is digested as it is.
    copy = questionnaire.model_copy()
    assert library.digest(copy) == copy.digest() == digest


def test_each_process_works_on_a_bounded_number_of_requests_at_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ETHOS_THREADS", "3")
    monkeypatch.setenv("ETHOS_SECRET_KEY", "k" * 40)
    app = create_app(WebSettings.from_env(world.url))
    with TestClient(app) as client:  # runs the app's lifespan, which sets the limit
        tokens = client.portal.call(lambda: to_thread.current_default_thread_limiter().total_tokens)
    assert tokens == 3
    monkeypatch.setenv("ETHOS_THREADS", "0")
    with pytest.raises(InvalidInputError, match="ETHOS_THREADS"):
        WebSettings.from_env(world.url)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def test_serve_runs_worker_processes(world: World, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "ETHOS_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "ethos", "--db", world.url, "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.2)
        assert page.status_code == 200
        # A sign-in made through one worker is honoured by every worker (one secret key).
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            client.cookies = page.cookies
            signed = client.post(
                "/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token}
            )
            assert signed.status_code == 303
            assert all(client.get("/").status_code == 200 for _ in range(10))
        if Path("/proc").is_dir():
            workers = [c for c in _children(server.pid) if "spawn_main" in _cmdline(c)]
            assert len(workers) == 2
        assert (tmp_path / "data" / "secret_key").is_file()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr:
            server.stderr.close()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def test_serve_refuses_zero_workers(world: World) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ethos", "--db", world.url, "serve", "--workers", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "--workers" in done.stderr


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app hands to a worker thread, by name, as it does."""
    handed: list[str] = []
    run_sync = to_thread.run_sync

    async def counting(func, *args, **kwargs):  # type: ignore[no-untyped-def]
        called = func.func if isinstance(func, functools.partial) else func
        handed.append(getattr(called, "__qualname__", repr(called)))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(to_thread, "run_sync", counting)
    return handed


def test_quick_reads_are_served_on_the_event_loop_and_the_rest_in_worker_threads(
    browser: Callable[..., Browser],
    api: Callable[[str | None], TestClient],
    world: World,
    hand_offs: list[str],
) -> None:
    care = world.projects["care"]
    b, client, dave = browser("alice"), api("alice"), browser("dave")
    answer = {"answers": {_an_item_for(client, "technical"): 3}}
    cases: list[tuple[str, Callable[[], httpx.Response], int, list[str]]] = [
        # A page whose read models are not kept yet: the try on the loop stops before
        # computing them, and the endpoint runs again in a worker thread.
        ("project page, first", lambda: b.get(f"/projects/{care}"), 200, ["project_page"]),
        # Kept now: the account and the page, on the loop; no hand-off at all.
        ("project page, kept", lambda: b.get(f"/projects/{care}"), 200, []),
        (
            "profile API, first",
            lambda: client.get(f"/api/v1/projects/{care}/profile"),
            200,
            ["profile"],
        ),
        ("profile API, kept", lambda: client.get(f"/api/v1/projects/{care}/profile"), 200, []),
        # A change moves the keys: computed afresh, in a worker thread.
        (
            "a write",
            lambda: client.post(f"/api/v1/projects/{care}/answers", json=answer),
            200,
            ["_api_actor", "_endpoint", "_validate"],
        ),
        (
            "profile API, changed",
            lambda: client.get(f"/api/v1/projects/{care}/profile"),
            200,
            ["profile"],
        ),
        (
            "profile API, kept again",
            lambda: client.get(f"/api/v1/projects/{care}/profile"),
            200,
            [],
        ),
        # Refusing writes an audit event: that too goes to a worker thread.
        ("not on the task force", lambda: dave.get(f"/projects/{care}"), 404, ["project_page"]),
        # Other GETs: the endpoint in a thread; the API's answer is validated in another.
        ("findings page", lambda: b.get(f"/projects/{care}/findings"), 200, ["_endpoint"]),
        (
            "project API",
            lambda: client.get(f"/api/v1/projects/{care}"),
            200,
            ["_endpoint", "_validate"],
        ),
    ]
    for name, request, status, expected in cases:
        hand_offs.clear()
        assert request().status_code == status, name
        handed = [h.rpartition(".")[2] for h in hand_offs]
        assert [_kind(h) for h in handed] == expected, (name, hand_offs)


def _kind(qualname: str) -> str:
    """A hand-off by its function: ``_endpoint`` and ``_validate`` for FastAPI's running of
    a sync endpoint and validating its answer (whatever FastAPI names those functions), the
    function's own name otherwise (an actor, or an endpoint run again off the loop)."""
    if "validate" in qualname:
        return "_validate"
    if "sync_endpoint" in qualname:
        return "_endpoint"
    return qualname


def _an_item_for(client: TestClient, role: str) -> str:
    questionnaire = client.get("/api/v1/questionnaires/ethos-stage1").json()
    return str(next(i["id"] for i in questionnaire["items"] if role in i["roles"]))


def test_only_a_get_endpoint_may_be_tried_on_the_event_loop() -> None:
    router = APIRouter(route_class=SnapshotRoute)

    @inline_read
    def change() -> None:  # pragma: no cover - never served
        return None

    with pytest.raises(TypeError, match="only a GET endpoint"):
        router.post("/change")(change)
    router.get("/read")(change)  # a read may
    assert [r.path for r in router.routes] == ["/read"]
