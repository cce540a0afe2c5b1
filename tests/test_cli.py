"""The command line as CONTRACT.md names it, run for real (subprocesses, a real uvicorn)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopify_app.cli import main
from tests.support.live import LiveProcess, free_port, python_module

CONTRACT = Path(__file__).resolve().parents[1] / "../shared/docs/CONTRACT.md"

# (command path, options) for every row of CONTRACT.md's command table.
COMMANDS: list[tuple[tuple[str, ...], tuple[str, ...]] | Any] = [
    (("serve",), ("--host", "--port", "--workers")),
    (("migrate",), ()),
    (("sandbox",), ("--port",)),
    (("shops", "add"), ("--access-token",)),
    (("api-keys", "create"), ("--name",)),
    (("api-keys", "list"), ()),
    (("api-keys", "revoke"), ()),
    (("sync",), ()),
    (("worker",), ()),
]

SECRET_TOKEN = "tok-secret-4f1c9a"
SECRET_KEY = "key-secret-77d0e2"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a fresh shell: no app credentials, no database from the outside."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SHOPIFY_", "DATABASE_URL", "PORTAL_TOKEN_KEYS"))
    }
    env.update(extra)
    return env


def help_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def contract_commands() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Parse the command table of CONTRACT.md: `serve [--host H]`, `api-keys list SHOP` / ..."""
    rows = [line for line in CONTRACT.read_text(encoding="utf-8").splitlines()
            if line.startswith("| `")]
    found = []
    for row in rows:
        first_cell = row.split("|")[1]
        for usage in re.findall(r"`([^`]+)`", first_cell):
            words = usage.replace("[", " ").replace("]", " ").split()
            path = tuple(w for w in words if re.fullmatch(r"[a-z][a-z-]*", w))
            options = tuple(w for w in words if w.startswith("--"))
            if path:  # the configuration table's rows name variables, not commands
                found.append((path, options))
    return found


def test_the_table_here_is_the_contract_table() -> None:
    if not CONTRACT.is_file():
        pytest.skip("../shared/docs/CONTRACT.md is not beside the repository")
    assert sorted(contract_commands()) == sorted(_plain(entry) for entry in COMMANDS)


def _plain(entry: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    values = entry.values if hasattr(entry, "values") else entry
    return (tuple(values[0]), tuple(values[1]))


@pytest.mark.parametrize(
    ("path", "options"), COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_help_lists_every_contract_command(
    capsys: pytest.CaptureFixture[str], path: tuple[str, ...], options: tuple[str, ...]
) -> None:
    # Each level's --help names the next word of the command, the last level its options.
    for depth, word in enumerate(path):
        assert re.search(rf"\b{re.escape(word)}\b", help_text(capsys, *path[:depth]))
    leaf = help_text(capsys, *path)
    for option in options:
        assert option in leaf


def test_module_help_runs_as_a_program() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "shopify_app", "--help"],
        capture_output=True, text=True, check=False, env=clean_env(), timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for word in ("serve", "migrate", "sandbox", "shops", "api-keys"):
        assert word in result.stdout


def test_migrate_creates_the_default_sqlite_database(tmp_path: Path) -> None:
    for _run in range(2):  # applying twice is a no-op, not an error
        result = subprocess.run(
            python_module("shopify_app", "migrate"),
            cwd=tmp_path, capture_output=True, text=True, check=False, env=clean_env(),
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    database = tmp_path / "data" / "app.sqlite3"
    assert database.is_file()
    with sqlite3.connect(database) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "shops" in tables


def _serve(tmp_path: Path, *args: str) -> tuple[LiveProcess, str]:
    port = free_port()
    process = LiveProcess(
        python_module("shopify_app", "serve", "--port", str(port), *args),
        cwd=tmp_path,
        env=clean_env(DATABASE_URL=f"sqlite://{tmp_path / 'served.sqlite3'}", LOG_LEVEL="INFO"),
    )
    return process, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("workers", [1, 2])
async def test_serve_migrates_answers_and_logs_no_query_strings(
    tmp_path: Path, workers: int
) -> None:
    process, base = _serve(tmp_path, "--workers", str(workers))
    try:
        process.wait_for(r"Uvicorn running on")
        if workers > 1:
            process.wait_for(r"Application startup complete")
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            health = await client.get("/healthz")
            with_secrets = await client.get(
                "/healthz", params={"token": SECRET_TOKEN, "api_key": SECRET_KEY}
            )
            missing = await client.get(
                "/api/external/v2/nowhere", params={"api_key": SECRET_KEY}
            )
    finally:
        exit_code = process.stop()
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert with_secrets.status_code == 200
    assert missing.status_code == 404
    assert exit_code == 0, process.output
    output = process.output
    # our access log: method, path, status, duration
    assert re.search(r"GET /healthz 200 \d+\.\dms", output), output
    assert re.search(r"GET /api/external/v2/nowhere 404 \d+\.\dms", output), output
    for secret in (SECRET_TOKEN, SECRET_KEY, "token=", "api_key="):
        assert secret not in output
    with sqlite3.connect(tmp_path / "served.sqlite3") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "shops" in tables  # serve applied the migrations first


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("PORTAL_TOKEN_KEYS", "k1:dG9vLXNob3J0", "PORTAL_TOKEN_KEYS"),  # 9 bytes, not 32
        ("PORTAL_TOKEN_KEYS", "no-colon-here", "PORTAL_TOKEN_KEYS"),
        ("SHOPIFY_TIMEOUT_SECONDS", "soon", "SHOPIFY_TIMEOUT_SECONDS"),
    ],
)
def test_a_bad_setting_stops_serve_with_one_line(
    tmp_path: Path, variable: str, value: str, named: str
) -> None:
    result = subprocess.run(
        python_module("shopify_app", "serve", "--port", "9"),
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60,
        env=clean_env(SHOPIFY_API_KEY="k", SHOPIFY_API_SECRET="s", **{variable: value}),
    )
    assert result.returncode == 2
    assert result.stderr.startswith("configuration error: ") and named in result.stderr
    assert "Traceback" not in result.stderr
    if variable == "PORTAL_TOKEN_KEYS":  # key material is never echoed
        assert value not in result.stderr and value.split(":")[-1] not in result.stderr
    assert not (tmp_path / "data").exists()  # nothing was started or migrated
