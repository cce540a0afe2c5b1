"""Revoking a key and uninstalling a shop take effect on the very next request, in this worker,
in another worker and after a change made by another process (the CLI), on SQLite and
PostgreSQL, while the steady-state hot path still makes no key query."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from shopify_app.sandbox.demo import ALICE_ID, DEMO_SHOP
from shopify_app.shopify.signatures import sign_webhook
from tests.api.conftest import Api
from tests.api.workers import second_worker
from tests.conftest import TEST_SECRET

BASE = "/api/external/v2/manage-subscription-link"


def run_in_another_process(database_url: str, tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SHOPIFY_", "PORTAL_", "DATABASE_"))}
    env["DATABASE_URL"] = database_url
    done = subprocess.run([sys.executable, *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_a_key_revoked_in_another_worker_is_refused_on_the_next_request(api: Api) -> None:
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200  # cached here
    async with second_worker(api) as other:
        await other.app.state.app_state.keys.revoke(api.key_id, api.now)
    response = await api.get(f"{BASE}/{ALICE_ID}")
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


async def test_a_key_revoked_by_the_command_line_is_refused_on_the_next_request(
    api: Api, database: str, tmp_path: Path
) -> None:
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200  # from the cache
    out = run_in_another_process(database, tmp_path, "-m", "shopify_app", "api-keys", "revoke",
                                 str(api.key_id))
    assert "revoked" in out
    response = await api.get(f"{BASE}/{ALICE_ID}")
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


async def test_a_shop_uninstalled_in_this_process_stops_minting_at_once(api: Api) -> None:
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200
    body = json.dumps({"id": 1, "myshopify_domain": DEMO_SHOP, "domain": DEMO_SHOP}).encode()
    delivered = await api.client.post("/webhooks", content=body, headers={
        "X-Shopify-Topic": "app/uninstalled", "X-Shopify-Shop-Domain": DEMO_SHOP,
        "X-Shopify-Webhook-Id": "wh-u", "X-Shopify-Hmac-Sha256": sign_webhook(body, TEST_SECRET),
        "X-Shopify-Triggered-At": api.now.isoformat(),
    })
    assert delivered.status_code == 200
    response = await api.get(f"{BASE}/{ALICE_ID}")
    assert response.status_code == 401
    assert response.json()["code"] in ("invalid_api_key", "shop_uninstalled")


async def test_a_shop_uninstalled_by_another_process_stops_minting_at_once(
    api: Api, database: str, tmp_path: Path
) -> None:
    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200
    script = (
        "import asyncio, datetime\n"
        "from shopify_app.storage import db\n"
        "from shopify_app.install import shops\n"
        "async def main(url):\n"
        "    async with db.connected(url):\n"
        f"        await shops.uninstall({DEMO_SHOP!r}, datetime.datetime.now(datetime.UTC))\n"
        "import os; asyncio.run(main(os.environ['DATABASE_URL']))\n"
    )
    run_in_another_process(database, tmp_path, "-c", script)
    response = await api.get(f"{BASE}/{ALICE_ID}")
    assert response.status_code == 401


async def test_the_steady_state_makes_no_key_query(api: Api) -> None:
    """The signal is read without a query while nothing changed (SQLite: the WAL index)."""
    from shopify_app.storage.models import ApiKey

    assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200
    calls = 0
    original = ApiKey.get_or_none

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)

    ApiKey.get_or_none = counting  # type: ignore[method-assign,assignment]
    try:
        for _ in range(5):
            assert (await api.get(f"{BASE}/{ALICE_ID}")).status_code == 200
    finally:
        ApiKey.get_or_none = original  # type: ignore[method-assign]
    assert calls == 0
