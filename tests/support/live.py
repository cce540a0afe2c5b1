"""Real servers for tests: a free loopback port and a subprocess watched through its output.

A started process is "ready" when a line of its output matches (uvicorn prints
`Uvicorn running on ...` once it listens), so tests wait for an event, not for a delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from shopify_app.http.access_log import uvicorn_options

READY_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveProcess:
    """A subprocess whose combined stdout/stderr is collected line by line."""

    def __init__(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None
    ) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(os.environ if env is None else env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = READY_TIMEOUT) -> re.Match[str]:
        """Block until an output line matches `pattern`; fail if the process exits first."""
        regex = re.compile(pattern)
        seen = 0
        with self._changed:
            while True:
                for line in self.lines[seen:]:
                    if match := regex.search(line):
                        return match
                seen = len(self.lines)
                if not self._reader.is_alive():
                    raise AssertionError(
                        f"process exited ({self.process.poll()}) before printing {pattern!r}:\n"
                        + "\n".join(self.lines)
                    )
                if not self._changed.wait(timeout):
                    raise AssertionError(
                        f"no {pattern!r} within {timeout}s:\n" + "\n".join(self.lines)
                    )

    def stop(self) -> int:
        """SIGINT (a graceful uvicorn shutdown), then kill if it lingers; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode


def python_module(module: str, *args: str) -> list[str]:
    """argv running `python -m module args` with this interpreter (the venv's)."""
    return [sys.executable, "-m", module, *args]


class _NotifyingServer(uvicorn.Server):
    """uvicorn's Server with an event set once it listens (instead of polling `started`)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


@contextlib.asynccontextmanager
async def serving(app: ASGIApp, port: int | None = None) -> AsyncIterator[str]:
    """Serve `app` with a real uvicorn on loopback in this event loop; yields its base URL."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on",
                            **uvicorn_options("WARNING"))
    server = _NotifyingServer(config)
    task = asyncio.create_task(server.serve())
    ready = asyncio.create_task(server.ready.wait())
    await asyncio.wait({task, ready}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
    if not server.ready.is_set():
        ready.cancel()
        server.should_exit = True
        await task  # surfaces the start-up error
        raise AssertionError(f"uvicorn did not start on port {port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
