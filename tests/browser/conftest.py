"""Browser-test fixtures: Debian's Chromium driven by Playwright (no browser download), and the
real sandbox (app, simulated store, storefront proxy) on free loopback ports.

Every test module here starts with `pytestmark = BROWSER_TESTS`: marked `browser`, and run in
the session's event loop, so one Chromium serves the whole run while each test gets its own
browser context (no shared storage) and its own sandbox with fresh demo data and database.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import AsyncIterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from shopify_app.sandbox.runner import SandboxHandle, start_sandbox
from shopify_app.settings import Settings
from tests.browser.harness import CHROMIUM_ARGS, PageFactory, Portal
from tests.support.databases import DatabaseFactory

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
OFF_MACHINE = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])")


def free_port_block(size: int) -> int:
    """A first port with `size` consecutive free ports (the sandbox uses port..port+2)."""
    for _attempt in range(50):
        with ExitStack() as stack:
            first = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            first.bind(("127.0.0.1", 0))
            base: int = first.getsockname()[1]
            if base + size > 65535:
                continue
            try:
                for offset in range(1, size):
                    sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
                    sock.bind(("127.0.0.1", base + offset))
            except OSError:
                continue
            return base
    raise RuntimeError(f"no {size} consecutive free ports")


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """Debian's Chromium; its absence fails under CI and skips (with the reason) elsewhere."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = f"{CHROMIUM} is missing: `make test` installs Debian's chromium package"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(chromium_executable: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(chromium_executable), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest_asyncio.fixture(loop_scope="session")
async def new_page(browser: Browser) -> AsyncIterator[PageFactory]:
    """Pages in a fresh browser context (its own cookies and storage), phone-sized."""
    contexts: list[BrowserContext] = []

    async def factory() -> Page:
        context = await browser.new_context(viewport={"width": 390, "height": 844})
        context.set_default_timeout(15_000)
        # Hermetic: only loopback servers answer (the demo's product images are `data:` URIs;
        # anything reaching off the machine is a bug, refused at once rather than waited on).
        await context.route(OFF_MACHINE, lambda route: route.abort("blockedbyclient"))
        contexts.append(context)
        return await context.new_page()

    yield factory
    for context in contexts:
        await context.close()


@pytest_asyncio.fixture(loop_scope="session")
async def sandbox(
    database_factory: DatabaseFactory, tmp_path: Path
) -> AsyncIterator[SandboxHandle]:
    """The real sandbox with fresh demo data, on this run's database backend."""
    settings = Settings(database_url=await database_factory.new_url(), log_level="WARNING")
    handle = await start_sandbox(settings, free_port_block(3), data_dir=tmp_path / "data")
    try:
        yield handle
    finally:
        await handle.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def portal(new_page: PageFactory, sandbox: SandboxHandle) -> Portal:
    return Portal(await new_page(), sandbox)
