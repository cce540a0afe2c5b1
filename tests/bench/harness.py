"""A small load harness shared by the benchmarks (not tests: nothing here is collected by pytest).

`serving(spec)` starts an ASGI app factory under a real uvicorn in a subprocess (one worker, the
app's production uvicorn options, its own CPU scheduling), `drive(...)` sends N requests over C
concurrent keep-alive connections (plain asyncio streams by default, httpx on request; httpx
checks the first answer either way) and measures each, and `compare(...)` runs a target
and a bare Starlette JSON endpoint on the same uvicorn settings in one run and prints the ratios.

The load generator runs in this process, so on a small machine it competes with the server for
CPU: absolute numbers are lower bounds, the ratio between two endpoints is what to read.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

REPO = Path(__file__).resolve().parents[2]
BARE_FACTORY = "tests.bench.harness:bare_app"
T = TypeVar("T")


def bare_app() -> Starlette:
    """The baseline: a Starlette endpoint returning a small JSON, nothing else."""

    async def hello(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True, "message": "hello"})

    return Starlette(routes=[Route("/bare", hello), Route("/healthz", hello)])


@dataclass(frozen=True)
class ServerSpec:
    """`factory` is "module:function" returning an ASGI app; `env` is added to the environment."""

    factory: str
    env: Mapping[str, str] = field(default_factory=dict)
    ready_path: str = "/healthz"


@dataclass(frozen=True)
class Result:
    label: str
    requests: int
    concurrency: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self) -> str:
        return (
            f"{self.label:<12} {self.throughput:9.0f} req/s"
            f"   p50 {self.percentile(0.50):7.2f} ms   p99 {self.percentile(0.99):7.2f} ms"
            f"   mean {statistics.fmean(self.latencies_ms):7.2f} ms"
            f"   statuses {dict(sorted(self.statuses.items()))}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def uvicorn_command(factory: str, port: int) -> list[str]:
    """One worker, no access log, no server header: the options `serve` uses."""
    return [
        sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1",
        "--port", str(port), "--workers", "1", "--no-access-log", "--no-server-header",
        "--log-level", "warning",
    ]


@contextmanager
def serving(spec: ServerSpec, *, timeout: float = 30.0) -> Iterator[str]:
    """Run `spec` under uvicorn; yields its base URL, stops it afterwards."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), **spec.env}
    process = subprocess.Popen(uvicorn_command(spec.factory, port), cwd=REPO, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{spec.factory} exited with {process.returncode}")
            try:
                httpx.get(base + spec.ready_path, timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{spec.factory} did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def drive_httpx(
    label: str,
    url: str,
    *,
    requests: int,
    concurrency: int,
    headers: Mapping[str, str] | None = None,
    warmup: int = 200,
) -> Result:
    """GET `url` `requests` times from `concurrency` tasks, each on its own keep-alive connection.

    One client per connection: httpx's shared pool costs O(connections) per request, which at
    64 connections made the load generator, not the server, the bottleneck."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [
        httpx.AsyncClient(limits=limits, headers=dict(headers or {}), timeout=30)
        for _ in range(concurrency)
    ]
    remaining = requests
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def worker(client: httpx.AsyncClient, count: int | None) -> None:
        nonlocal remaining
        while (remaining > 0) if count is None else count > 0:
            if count is None:
                remaining -= 1
            else:
                count -= 1
            started = time.perf_counter()
            response = await client.get(url)
            elapsed_ms = (time.perf_counter() - started) * 1000
            if count is None:
                latencies.append(elapsed_ms)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    try:
        per_client = max(1, warmup // concurrency)
        await asyncio.gather(*(worker(client, per_client) for client in clients))
        started = time.perf_counter()
        await asyncio.gather(*(worker(client, None) for client in clients))
        elapsed = time.perf_counter() - started
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return Result(label, requests, concurrency, elapsed, latencies, statuses)


async def _raw_exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding":
            raise RuntimeError("the raw driver reads Content-Length bodies only")
    await reader.readexactly(length)
    return status


async def drive_raw(
    label: str,
    url: str,
    *,
    requests: int,
    concurrency: int,
    headers: Mapping[str, str] | None = None,
    warmup: int = 200,
) -> Result:
    """As `drive_httpx`, over plain asyncio streams speaking HTTP/1.1 keep-alive.

    httpx spends ~1 ms of client CPU per request; on a 2-core machine that, not the server,
    caps throughput and inflates latencies. This driver costs a few percent of that."""
    parts = httpx.URL(url)
    target = parts.raw_path.decode("ascii")
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.host}:{parts.port}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    connections = [
        await asyncio.open_connection(parts.host, parts.port) for _ in range(concurrency)
    ]
    remaining = requests
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def worker(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            status = await _raw_exchange(reader, writer, request)
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1

    try:
        for _ in range(max(1, warmup // concurrency)):
            await asyncio.gather(*(_raw_exchange(r, w, request) for r, w in connections))
        started = time.perf_counter()
        await asyncio.gather(*(worker(r, w) for r, w in connections))
        elapsed = time.perf_counter() - started
    finally:
        for _, writer in connections:
            writer.close()
    return Result(label, requests, concurrency, elapsed, latencies, statuses)


async def drive(
    label: str,
    url: str,
    *,
    requests: int,
    concurrency: int,
    headers: Mapping[str, str] | None = None,
    client: str = "raw",
) -> Result:
    """Check one request with httpx (status and JSON body), then load with `client`:
    "raw" (default, asyncio streams) or "httpx"."""
    async with httpx.AsyncClient(headers=dict(headers or {})) as check:
        response = await check.get(url)
        response.json()
    driver = drive_raw if client == "raw" else drive_httpx
    return await driver(label, url, requests=requests, concurrency=concurrency, headers=headers)


def run(coroutine: Awaitable[T]) -> T:
    """Run with uvloop when it is installed (it is, with uvicorn[standard]): a faster client."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)  # type: ignore[arg-type]
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)  # type: ignore[arg-type]


def compare(
    target: ServerSpec,
    path: str,
    *,
    label: str,
    requests: int = 5000,
    concurrency: int = 64,
    headers: Mapping[str, str] | None = None,
    client: str = "raw",
) -> tuple[Result, Result]:
    """Drive `target` and the bare endpoint the same way, print both and the ratios."""
    with serving(ServerSpec(BARE_FACTORY)) as base:
        bare = run(drive("bare", base + "/bare", requests=requests, concurrency=concurrency,
                         client=client))
    with serving(target) as base:
        measured = run(drive(label, base + path, requests=requests, concurrency=concurrency,
                             headers=headers, client=client))
    print(f"{requests} requests, {concurrency} concurrent connections, uvicorn 1 worker, "
          f"{client} client")
    print(bare.line())
    print(measured.line())
    print(
        f"ratio {label}/bare: throughput {measured.throughput / bare.throughput:.2f}, "
        f"p99 {measured.percentile(0.99) / bare.percentile(0.99):.2f}x"
    )
    return measured, bare
