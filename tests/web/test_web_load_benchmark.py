"""The web load benchmark (benchmarks/web_load.py) still runs, and its client reads
answers exactly: a client that read too little or too much of one answer would misread the
next on the same connection."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def web_load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("web_load", BENCHMARKS / "web_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _answers() -> list[bytes]:
    """Three answers as a server could send them: a length, chunks, a length again."""
    return [
        b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello",
        b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n",
        b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
    ]


def test_the_raw_client_reads_each_answer_whole(web_load: ModuleType) -> None:
    requests: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for answer in _answers():
            requests.append(await reader.readuntil(b"\r\n\r\n"))
            writer.write(answer)
            await writer.drain()
        writer.close()

    async def main() -> list[int]:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        connection = web_load.RawConnection("127.0.0.1", port, {"Cookie": "s=1"})
        statuses = [await connection.get(path) for path in ("/a", "/b", "/c")]
        connection.close()
        server.close()
        await server.wait_closed()
        return statuses

    assert asyncio.run(asyncio.wait_for(main(), timeout=10)) == [200, 404, 201]
    assert [r.split(b"\r\n")[0] for r in requests] == [
        b"GET /a HTTP/1.1",
        b"GET /b HTTP/1.1",
        b"GET /c HTTP/1.1",
    ]
    assert all(b"\r\nCookie: s=1\r\n" in r for r in requests)


def test_the_benchmark_runs_on_a_small_portfolio(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "web_load.py"),
            *("--projects", "4", "--clients", "3", "--rounds", "2"),
            *("--data", str(tmp_path / "data"), "--json", str(figures)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(figures.read_text(encoding="utf-8"))
    run = results.pop("run")
    assert run["errors"] == 0 and run["requests"] == 3 * 3 * 2 and run["client"] == "raw"
    assert set(results) == {
        "dashboard (admin, 4 projects)",
        "project page (member)",
        "profile API (member token)",
    }
    for figures_of_one in results.values():
        assert figures_of_one["requests"] == 3 * 2
        assert 0 < figures_of_one["p50_ms"] <= figures_of_one["p95_ms"] <= figures_of_one["max_ms"]
