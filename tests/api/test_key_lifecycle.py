"""API keys end to end: what the database holds, revocation in this worker (in another and
from the CLI: test_revocation.py), the real `api-keys create` command line."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from tortoise import Tortoise

from shopify_app.keys import api_keys
from shopify_app.sandbox.demo import ALICE_ID
from shopify_app.storage.models import ApiKey
from tests.api.conftest import Api
from tests.api.workers import second_worker
from tests.support.factories import make_shop

BASE = "/api/external/v2/manage-subscription-link"


async def _every_stored_value() -> list[str]:
    values: list[str] = []
    for app in Tortoise.apps.values():
        for model in app.values():
            for row in await model.all().values():
                values += [str(v) for v in row.values()]
    return values


def _sqlite_files(database_url: str) -> list[Path]:
    if not database_url.startswith("sqlite://"):
        return []
    path = Path(database_url.removeprefix("sqlite://").split("?")[0])
    return [p for p in (path, Path(f"{path}-wal")) if p.exists()]


async def test_the_database_never_holds_the_key(database: str) -> None:
    """Every column of every table, and on SQLite the raw database files, after a create and
    a use: only the SHA-256 of the key and its visible prefix are there."""
    shop = await make_shop()
    key, raw = await api_keys.create_key(shop, "k")
    await api_keys.authenticate(raw, key.created_at)
    secret = raw.removeprefix(key.prefix + "_")
    stored = await _every_stored_value()
    assert key.key_hash in stored and key.prefix in stored
    assert not any(secret in value for value in stored)
    files = _sqlite_files(database)
    if files:
        data = b"".join(path.read_bytes() for path in files)
        assert key.key_hash.encode() in data  # the control: the search does find stored text
        assert secret.encode() not in data and raw.encode() not in data


async def test_keys_carry_256_random_bits_behind_a_visible_prefix(database: str) -> None:
    shop = await make_shop()
    made = [await api_keys.create_key(shop, f"k{i}") for i in range(20)]
    secrets = set()
    for key, raw in made:
        prefix, secret = raw[: len(key.prefix)], raw[len(key.prefix) + 1 :]
        assert prefix == key.prefix and len(prefix) == len("ssp_") + 8
        assert raw[len(prefix)] == "_" and int(prefix.removeprefix("ssp_"), 16) >= 0
        assert len(base64.urlsafe_b64decode(secret + "=")) == 32  # 256 bits >= 128
        secrets.add(secret)
    assert len(secrets) == 20 and len({key.prefix for key, _ in made}) == 20


async def test_revoked_through_this_worker_is_refused_at_once(api: Api) -> None:
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200  # the key is now cached
    await api.app.state.app_state.keys.revoke(api.key_id, api.now)
    response = await api.get(f"{BASE}/{ALICE_ID}")
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


async def test_last_used_is_written_by_either_worker(api: Api) -> None:
    await api.get(f"{BASE}/{ALICE_ID}")
    assert (await ApiKey.get(id=api.key_id)).last_used_at == api.now
    async with second_worker(api) as other:
        api.now += timedelta(minutes=5)
        await other.client.get(f"{BASE}/{ALICE_ID}", headers=api.headers())
    assert (await ApiKey.get(id=api.key_id)).last_used_at == api.now


def test_the_command_line_prints_the_key_alone_on_the_last_line(
    database_url: str, tmp_path: Path
) -> None:
    """`python -m shopify_app api-keys create`, a real process: the last stdout line is the
    key and nothing else, and the key works; `list` shows its prefix, not the secret."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SHOPIFY_", "PORTAL_", "DATABASE_"))}
    env["DATABASE_URL"] = database_url

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "shopify_app", *args], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=60, check=False)

    import asyncio

    from shopify_app.storage import db

    async def setup() -> None:
        await db.init(database_url)
        try:
            await make_shop("cli.myshopify.com")
        finally:
            await db.close()

    asyncio.run(setup())
    created = run("api-keys", "create", "cli.myshopify.com", "--name", "Klaviyo")
    assert created.returncode == 0, created.stderr
    raw = created.stdout.rstrip("\n").splitlines()[-1]
    assert raw.startswith("ssp_") and raw == raw.strip() and " " not in raw
    assert created.stdout.count(raw) == 1 and raw not in created.stderr
    listed = run("api-keys", "list", "cli.myshopify.com")
    assert listed.returncode == 0, listed.stderr
    prefix, secret = raw[:12], raw[13:]
    assert prefix in listed.stdout and secret not in listed.stdout

    async def check() -> None:
        await db.init(database_url)
        try:
            key = await api_keys.authenticate(raw, (await ApiKey.get()).created_at)
            assert key.name == "Klaviyo"
        finally:
            await db.close()

    asyncio.run(check())
