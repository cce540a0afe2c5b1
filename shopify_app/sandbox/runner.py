"""`python -m shopify_app sandbox`: the app, the simulated store and the storefront in one
process, on loopback ports `port`, `port + 1` and `port + 2`.

The app runs with sandbox credentials (client id `sandbox-client-id`, a random secret kept in
`data/sandbox-secret`), talks to the simulated store through `SHOPIFY_ADMIN_ORIGIN`, and the
demo shop's primary domain is the storefront's `127.0.0.1:{port + 2}`, so portal links open
through the local app proxy (plain http: the link builder uses http for loopback hosts).
At start it runs `sync` for the demo shops, so the customers listing answers at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from shopify_app.admin.home import APP_BRIDGE_SETTING, POLARIS_SETTING
from shopify_app.mirror.sync import SyncProgress, sync_shop
from shopify_app.sandbox import demo
from shopify_app.sandbox.registration import register_shop
from shopify_app.sandbox.simulation import simulated_store
from shopify_app.sandbox.store import SimulatedStore
from shopify_app.sandbox.store_app import build_store_app
from shopify_app.sandbox.storefront import StorefrontConfig, build_storefront_app
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.storage import db
from shopify_app.storage.models import Shop

SANDBOX_CLIENT_ID = "sandbox-client-id"
CUSTOMERS_PATH = "/api/external/v2/subscription-contract-details/customers"
SANDBOX_KEY_FILENAME = "sandbox-secret"
HOST = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 20.0


@dataclass
class SandboxHandle:
    """Three running servers; `stop()` shuts them down and closes the database."""

    app_url: str
    store_url: str
    storefront_url: str
    store: SimulatedStore
    settings: Settings
    synced: list[SyncProgress] = field(default_factory=list)
    _servers: list[uvicorn.Server] = field(default_factory=list, repr=False)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list, repr=False)

    async def stop(self) -> None:
        for server in self._servers:
            server.should_exit = True
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await db.close()


def sandbox_secret(data_dir: Path) -> str:
    """The sandbox app's client secret: random once per data directory, then kept."""
    path = data_dir / SANDBOX_KEY_FILENAME
    if path.is_file():
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    return value


def sandbox_settings(settings: Settings, port: int, secret: str) -> Settings:
    return settings.with_changes(
        api_key=SANDBOX_CLIENT_ID,
        api_secret=secret,
        app_url=f"http://{HOST}:{port}",
        admin_origin=f"http://{HOST}:{port + 1}/shops/{{shop}}",
        # App home loads the store's stand-in for App Bridge and no Polaris script: the CDN
        # may not be reachable, and the page works without it.
        extra={**settings.extra,
               APP_BRIDGE_SETTING: f"http://{HOST}:{port + 1}/admin/app-bridge.js",
               POLARIS_SETTING: ""},
    )


def _server(app: Any, port: int, log_level: str) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=HOST,
        port=port,
        log_level=log_level,
        access_log=False,  # URLs carry tokens
        server_header=False,
        lifespan="on",
    )
    return uvicorn.Server(config)


async def sync_demo_shops(
    store: SimulatedStore, settings: Settings, shops: list[Shop]
) -> list[SyncProgress]:
    """`sync` each shop's contracts and customers into the local mirror, as an operator would
    after installing; in-process (the store's server is not listening yet)."""
    transport = httpx.ASGITransport(app=build_store_app(store))
    async with httpx.AsyncClient(transport=transport, follow_redirects=False) as http:
        admin = AdminClient(http, settings)
        return [await sync_shop(admin, shop) for shop in shops]


async def start_sandbox(
    settings: Settings, port: int, *, data_dir: Path = Path("data")
) -> SandboxHandle:
    """Migrate, register the demo shops and start the three servers; returns once all listen."""
    from shopify_app.app import create_app
    from shopify_app.http.access_log import AccessLog

    app_settings = sandbox_settings(settings, port, sandbox_secret(data_dir))
    store = simulated_store()
    store.register_app(SANDBOX_CLIENT_ID, app_settings.secret)

    await db.migrate(app_settings.database_url)
    await db.init(app_settings.database_url)
    storefront_host = f"{HOST}:{port + 2}"
    shops = [
        await register_shop(store, demo.DEMO_SHOP, primary_domain=storefront_host),
        await register_shop(store, demo.OTHER_SHOP),
    ]
    synced = await sync_demo_shops(store, app_settings, shops)

    storefront = build_storefront_app(
        StorefrontConfig(
            store=store,
            shop=demo.DEMO_SHOP,
            app_url=app_settings.app_url,
            secret=app_settings.secret,
            client_id=SANDBOX_CLIENT_ID,
        )
    )
    # jobs=True: the sandbox runs the queue in-process (scheduled resumes, periodic sweeps).
    app = AccessLog(create_app(app_settings, manage_database=False, jobs=True))
    servers = [
        _server(app, port, app_settings.log_level.lower()),
        _server(build_store_app(store, app_url=app_settings.app_url), port + 1, "warning"),
        _server(storefront, port + 2, "warning"),
    ]
    # `_serve` rather than `serve`: three servers in one process must not each take over the
    # process's signal handlers; `run_sandbox` handles the signals once for all.
    tasks = [asyncio.create_task(server._serve()) for server in servers]
    handle = SandboxHandle(
        app_url=app_settings.app_url,
        store_url=f"http://{HOST}:{port + 1}",
        storefront_url=f"http://{storefront_host}",
        store=store,
        settings=app_settings,
        synced=synced,
        _servers=servers,
        _tasks=tasks,
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_TIMEOUT_SECONDS
    while not all(server.started for server in servers):
        if any(task.done() for task in tasks) or loop.time() > deadline:
            await handle.stop()
            raise RuntimeError(f"the sandbox could not listen on ports {port}-{port + 2}")
        await asyncio.sleep(0.02)  # polling a flag uvicorn sets; nothing to await instead
    return handle


async def ready_link(handle: SandboxHandle) -> list[str]:
    """An API key, the `curl` line minting a link for Alice, and that link: through the real
    endpoints, so it only works once the link API has landed (else a note says so)."""
    try:
        from shopify_app.keys import api_keys
    except ImportError:
        return ["(API keys are not available yet: the link API has not landed)"]
    shop = await Shop.get(domain=demo.DEMO_SHOP)
    _, raw_key = await api_keys.create_key(shop, "sandbox")
    endpoint = f"{handle.app_url}/api/external/v2/manage-subscription-link/{demo.ALICE_ID}"
    customers = f"{handle.app_url}{CUSTOMERS_PATH}"
    lines = [
        f"API key for {demo.DEMO_SHOP}: {raw_key}",
        "List the subscribing customers (synced at start):",
        f"  curl -s -H 'X-API-Key: {raw_key}' {customers}",
        "Mint a portal link for Alice (alice@example.com):",
        f"  curl -s -H 'X-API-Key: {raw_key}' {endpoint}",
    ]
    async with httpx.AsyncClient(timeout=10.0) as client:
        try:
            response = await client.get(endpoint, headers={"X-API-Key": raw_key})
            link = response.json().get("manageSubscriptionLink") if response.is_success else None
        except (httpx.HTTPError, ValueError):
            link = None
    if link:
        lines += ["Open it through the storefront's app proxy:", f"  {link}"]
    else:
        lines.append("(the link endpoint did not answer with a link yet)")
    return lines


def admin_url(handle: SandboxHandle, shop: str = demo.DEMO_SHOP) -> str:
    """The stand-in Shopify admin with the app embedded, as a merchant opens it."""
    return f"{handle.store_url}/shops/{shop}/admin/apps/{SANDBOX_CLIENT_ID}"


async def banner(handle: SandboxHandle) -> str:
    lines = [
        "Sandbox running (Ctrl-C stops it):",
        f"  app         {handle.app_url}",
        f"  admin       {admin_url(handle)}  (the embedded admin, as Shopify frames it)",
        f"  store       {handle.store_url}/shops/{demo.DEMO_SHOP}/admin/api/"
        f"{handle.settings.api_version}/graphql.json",
        f"  storefront  {handle.storefront_url}/  (log in as a demo customer at /account/login)",
        f"  account     {handle.storefront_url}/account/subscriptions  (the customer account"
        " extension, in a host standing in for Shopify's)",
        *(
            f"  synced      {p.shop}: {p.contracts} contracts, {p.customers} customers"
            for p in handle.synced
        ),
        "",
        *await ready_link(handle),
    ]
    return "\n".join(lines)


async def _run(settings: Settings, port: int) -> int:
    handle = await start_sandbox(settings, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        print(await banner(handle), flush=True)
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait([stopped, *handle._tasks], return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
    finally:
        await handle.stop()
    return 0


def run_sandbox(settings: Settings, port: int = 8000) -> int:
    """Entry point of `python -m shopify_app sandbox`."""
    return asyncio.run(_run(settings, port))
