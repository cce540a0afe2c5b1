"""A throwaway PostgreSQL 15 cluster for the test suite, from the machine's own packages.

    python -m tests.support.postgres run -- pytest -q

creates a cluster in a temporary directory (trust auth, fsync off: it is thrown away), starts it
on a free loopback port with its unix socket inside that directory, runs the command with
`TEST_POSTGRES_DSN=postgres://postgres@127.0.0.1:PORT/postgres` in its environment, then stops
the cluster and deletes the directory, whatever happened (failure, Ctrl-C, SIGTERM).
The command's exit status is ours.

initdb refuses to run as root, so as root the server binaries run as the `postgres` system user
(the Debian package creates it) through `runuser`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

DEFAULT_BINDIR = Path("/usr/lib/postgresql/15/bin")
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "shared_buffers": "64MB",
}


@dataclass(frozen=True)
class Cluster:
    directory: Path
    port: int

    @property
    def dsn(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


def find_bindir() -> Path:
    candidates = [os.environ.get("POSTGRES_BINDIR", ""), str(DEFAULT_BINDIR)]
    for candidate in filter(None, candidates):
        if (Path(candidate) / "initdb").is_file():
            return Path(candidate)
    raise SystemExit(
        "PostgreSQL 15 server binaries not found (looked in /usr/lib/postgresql/15/bin; "
        "set POSTGRES_BINDIR): install the postgresql-15 package"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _as_server_user(argv: list[str]) -> list[str]:
    """As root, run as `postgres` (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


def _chown_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _run(argv: list[str], *, log: Path | None = None) -> None:
    result = subprocess.run(
        argv, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        details = result.stdout + result.stderr
        if log is not None and log.is_file():
            details += "\n--- server log ---\n" + log.read_text(errors="replace")
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n{details}")


def start(bindir: Path) -> Cluster:
    directory = Path(tempfile.mkdtemp(prefix="pg-test-"))
    _chown_to_server_user(directory)
    data, log = directory / "data", directory / "server.log"
    _run(_as_server_user([
        str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
        "--encoding=UTF8", "--locale=C", "--no-sync",
    ]))
    # Another process may grab the port between our probe and the server's bind: retry.
    for _attempt in range(5):
        port = free_port()
        options = " ".join(
            [f"-p {port}", f"-k {directory}"] + [f"-c {k}={v}" for k, v in SERVER_SETTINGS.items()]
        )
        argv = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                "-w", "-t", "60", "start"]
        result = subprocess.run(_as_server_user(argv), capture_output=True, text=True,
                                check=False, stdin=subprocess.DEVNULL)
        if result.returncode == 0:
            return Cluster(directory=directory, port=port)
    log_text = log.read_text(errors="replace") if log.is_file() else ""
    shutil.rmtree(directory, ignore_errors=True)
    raise SystemExit(f"PostgreSQL did not start:\n{result.stdout}{result.stderr}\n{log_text}")


def stop(bindir: Path, cluster: Cluster) -> None:
    try:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(cluster.directory / "data"),
                             "-m", "immediate", "-w", "stop"]),
            capture_output=True, check=False, stdin=subprocess.DEVNULL, timeout=60,
        )
    finally:
        shutil.rmtree(cluster.directory, ignore_errors=True)


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    bindir = find_bindir()
    cluster = start(bindir)
    try:
        yield cluster
    finally:
        stop(bindir, cluster)


def _raise_on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def run(command: Sequence[str]) -> int:
    """Run `command` with a fresh cluster; the cluster is gone when this returns."""
    # SIGTERM (CI cancelling the job) must still stop the cluster: turn it into an exception.
    signal.signal(signal.SIGTERM, _raise_on_signal)
    with running_cluster() as cluster:
        env = {**os.environ, "TEST_POSTGRES_DSN": cluster.dsn}
        print(f"PostgreSQL test cluster on 127.0.0.1:{cluster.port}", file=sys.stderr, flush=True)
        process = subprocess.Popen(list(command), env=env)
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            return 130


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.postgres")
    sub = parser.add_subparsers(dest="action", required=True)
    runner = sub.add_parser("run", help="run a command with a throwaway cluster")
    runner.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    return run(command)


if __name__ == "__main__":
    raise SystemExit(main())
