"""A small load harness shared by the benchmarks (not tests: nothing here is collected by pytest).

`serving(spec)` starts an ASGI app factory under a real uvicorn in a subprocess (one worker, the
app's production uvicorn options), `drive(...)` sends N requests over C concurrent keep-alive
connections (plain asyncio streams by default, httpx on request; httpx checks the first answer
either way) and measures each, and `compare(...)` runs targets and a bare Starlette JSON
endpoint on the same uvicorn settings in one run and prints the ratios.

CPU placement: on a machine with two or more CPUs the servers are pinned to CPU 0 and this
process (the load generator) to the others, so the client never takes the server's core; every
server gets the same placement, the bare one included. The servers run side by side and are
driven in alternating rounds (bare, target, bare, target, ...), so a slow spell of a shared
machine hits both alike; the per-round ratios show the spread.
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
from contextlib import ExitStack, contextmanager
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
WARMUP = 200  # requests per drive before measuring (rounded to whole rounds of connections)
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
def running(
    command: list[str], env: Mapping[str, str], *, label: str, ready_path: str = "/healthz",
    timeout: float = 30.0, cpus: set[int] | None = None,
) -> Iterator[str]:
    """Run a server `command` listening on the port it names (pinned to `cpus` when given and
    possible) until `ready_path` answers; yields its base URL, stops it afterwards."""
    port = int(command[command.index("--port") + 1])
    process = subprocess.Popen(command, cwd=REPO,
                               env={**os.environ, "PYTHONPATH": str(REPO), **env})
    if cpus is not None:
        pin(process.pid, cpus)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{label} exited with {process.returncode}")
            try:
                httpx.get(base + ready_path, timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{label} did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serving(
    spec: ServerSpec, *, timeout: float = 30.0, cpus: set[int] | None = None
) -> Iterator[str]:
    """Run `spec` under uvicorn (see `running`)."""
    with running(uvicorn_command(spec.factory, free_port()), spec.env, label=spec.factory,
                 ready_path=spec.ready_path, timeout=timeout, cpus=cpus) as base:
        yield base


async def drive_httpx(
    label: str,
    url: str,
    *,
    requests: int,
    concurrency: int,
    headers: Mapping[str, str] | None = None,
    warmup: int = WARMUP,
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
    warmup: int = WARMUP,
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
    expect: str = "json",
) -> Result:
    """Check one request with httpx (a 200 with a JSON body, or with `expect` in its HTML),
    then load with `client`: "raw" (default, asyncio streams) or "httpx"."""
    async with httpx.AsyncClient(headers=dict(headers or {})) as check:
        response = await check.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{label}: {response.status_code} {response.text[:300]}")
    if expect == "json":
        response.json()
    elif expect not in response.text:
        raise RuntimeError(f"{label}: {expect!r} is not in the page")
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


SERVER_CPUS = {0}


def pin(pid: int, cpus: set[int]) -> bool:
    """Pin `pid` (0: this process) to `cpus` where the OS and the machine allow it."""
    available = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    if len(available) < 2 or not cpus <= available:
        return False
    os.sched_setaffinity(pid, cpus)
    return True


def warmup_requests(concurrency: int) -> int:
    """How many unmeasured requests `drive_raw` sends first."""
    return max(1, WARMUP // concurrency) * concurrency


def client_cpus() -> set[int] | None:
    """Every CPU but the servers' (None where pinning is not possible)."""
    if not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2:
        return None
    return os.sched_getaffinity(0) - SERVER_CPUS


@contextmanager
def pinned_client() -> Iterator[bool]:
    """This process on every CPU but the servers' for the duration."""
    if not hasattr(os, "sched_getaffinity"):
        yield False
        return
    before = os.sched_getaffinity(0)
    try:
        yield pin(0, before - SERVER_CPUS)
    finally:
        os.sched_setaffinity(0, before)


@dataclass(frozen=True)
class Target:
    """One endpoint to measure: a server spec, the path, a label and request headers."""

    spec: ServerSpec
    path: str
    label: str
    headers: Mapping[str, str] = field(default_factory=dict)
    expect: str = "json"  # or a string the HTML answer must contain


def merge(label: str, parts: list[Result]) -> Result:
    """Rounds of one endpoint as one result (total requests over total time, all latencies)."""
    statuses: dict[int, int] = {}
    for part in parts:
        for status, count in part.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    return Result(
        label, sum(p.requests for p in parts), parts[0].concurrency,
        sum(p.seconds for p in parts), [ms for p in parts for ms in p.latencies_ms], statuses,
    )


def compare(
    targets: list[Target],
    *,
    requests: int = 5000,
    concurrency: int = 64,
    rounds: int = 3,
    client: str = "raw",
) -> tuple[Result, list[Result]]:
    """Drive the bare endpoint and every target the same way, in `rounds` alternating rounds of
    `requests // rounds` each; print the results, the ratios and their per-round spread.
    Returns (bare, [target results])."""
    per_round = max(1, requests // rounds)
    bare_target = Target(ServerSpec(BARE_FACTORY), "/bare", "bare")
    everyone = [bare_target, *targets]
    with ExitStack() as stack:
        bases = [stack.enter_context(serving(t.spec, cpus=SERVER_CPUS)) for t in everyone]
        placement = stack.enter_context(pinned_client())
        parts: list[list[Result]] = [[] for _ in everyone]
        for _ in range(rounds):
            for index, (target, base) in enumerate(zip(everyone, bases, strict=True)):
                parts[index].append(run(drive(
                    target.label, base + target.path, requests=per_round,
                    concurrency=concurrency, headers=target.headers, client=client,
                    expect=target.expect,
                )))
    results = [merge(t.label, p) for t, p in zip(everyone, parts, strict=True)]
    bare = results[0]
    where = "servers on CPU 0, client on the others" if placement else "no CPU pinning"
    print(f"{per_round * rounds} requests each in {rounds} alternating rounds, {concurrency} "
          f"concurrent connections, uvicorn 1 worker, {client} client, {where}")
    for result in results:
        print(result.line())
    for index, result in enumerate(results[1:], start=1):
        spread = [part.throughput / base.throughput
                  for part, base in zip(parts[index], parts[0], strict=True)]
        print(
            f"ratio {result.label}/bare: throughput {result.throughput / bare.throughput:.2f} "
            f"(rounds {min(spread):.2f}-{max(spread):.2f}), "
            f"p99 {result.percentile(0.99) / bare.percentile(0.99):.2f}x"
        )
    return bare, results[1:]
