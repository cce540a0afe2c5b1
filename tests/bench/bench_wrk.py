"""Benchmark: mint tail latency under wrk, against `serve --workers 1` on SQLite.

Run: `python -m tests.bench.bench_wrk [seconds]` (default 10). wrk (Debian package `wrk`,
installed by `make bench` where possible) with 1 thread and 64 connections drives the mint of a
known customer, then a bare Starlette endpoint the same way. No background job runs in the
server (`--no-worker`, see `serve`). Targets (issue 8): mint p99 < 25 ms;
throughput >= 0.4 of the bare endpoint. Skipped with a message where wrk is absent.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.bench.bench_mint import CUSTOMER_ID, SECRET, SQLITE_OPTIONS, seed
from tests.bench.harness import (
    BARE_FACTORY,
    SERVER_CPUS,
    ServerSpec,
    client_cpus,
    free_port,
    pin,
    running,
    serving,
)

MINT_PATH = f"/api/external/v2/manage-subscription-link/{CUSTOMER_ID}?source=bench"
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@contextmanager
def serve(env: Mapping[str, str]) -> Iterator[str]:
    """`python -m shopify_app serve --workers 1 --no-worker`: production's server, with its
    background jobs left to a `worker` process that the benchmark does not start. With a job
    worker in the measured process, a run in the 10 minutes after a periodic tick (procrastinate
    defers a tick that late at start-up) had the six-hourly reconciliation queue an import of
    the bench shop, and that import's retries against the closed Admin API port shared the
    server's CPU with the measurement. The queue is open all the same: jobs are deferred as in
    production, and wait."""
    command = [sys.executable, "-m", "shopify_app", "serve", "--workers", "1", "--no-worker",
               "--port", str(free_port())]
    with running(command, env, label="serve", timeout=60, cpus=SERVER_CPUS) as base:
        yield base


def wrk(url: str, seconds: int, headers: Mapping[str, str]) -> tuple[float, dict[str, float]]:
    """(requests/s, {"50%": ms, "99%": ms, ...}) from `wrk -t1 -c64 --latency`."""
    command = ["wrk", "-t1", "-c64", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    process = subprocess.Popen([*command, url], stdout=subprocess.PIPE, text=True)
    cpus = client_cpus()
    if cpus:
        pin(process.pid, cpus)
    out, _ = process.communicate(timeout=seconds + 60)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {
        q: float(v) * _UNITS[unit]
        for q, v, unit in re.findall(r"^\s+(\d+%)\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{non2xx.group(1)} answers were not 200:\n{out}")
    return rate, latency


def main(argv: list[str]) -> int:
    seconds = int(argv[0]) if argv else 10
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian package `wrk`; `make wrk`): wrk benchmark skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite://{Path(tmp) / 'bench.sqlite3'}" + SQLITE_OPTIONS
        raw_key = asyncio.run(seed(database_url))
        env = {
            "SHOPIFY_API_KEY": "bench-client", "SHOPIFY_API_SECRET": SECRET,
            "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING",
            "SHOPIFY_ADMIN_ORIGIN": "http://127.0.0.1:9/shops/{shop}",
        }
        with serving(ServerSpec(BARE_FACTORY), cpus=SERVER_CPUS) as bare_base:
            wrk(bare_base + "/bare", 2, {})  # warm-up
            bare_rate, bare_latency = wrk(bare_base + "/bare", seconds, {})
        with serve(env) as base:
            headers = {"X-API-Key": raw_key}
            wrk(base + MINT_PATH, 2, headers)  # warm-up
            rate, latency = wrk(base + MINT_PATH, seconds, headers)
    p99 = latency["99%"]
    print(f"wrk -t1 -c64 -d{seconds}s, serve --workers 1 on SQLite, server on CPU 0")
    print(f"bare {bare_rate:8.0f} req/s   p50 {bare_latency['50%']:6.2f} ms   "
          f"p99 {bare_latency['99%']:6.2f} ms")
    print(f"mint {rate:8.0f} req/s   p50 {latency['50%']:6.2f} ms   p99 {p99:6.2f} ms   "
          f"(p90 {latency['90%']:.2f} ms)")
    ratio = rate / bare_rate
    print(f"targets: p99 < 25 ms -> {'met' if p99 < 25 else 'MISSED'} ({p99:.1f} ms); "
          f"throughput >= 0.40 of bare -> {'met' if ratio >= 0.4 else 'MISSED'} ({ratio:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
