"""`python -m shopify_app sync SHOP`: import contracts and customers, with a progress bar.

The progress goes to stderr, text only: on a terminal one line redrawn in place, otherwise
(CI logs, `2> file`) a plain line now and then. Shopify publishes no contract count, so the
bar counts what was imported rather than a percentage. The summary is one line on stdout.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from typing import TextIO

import httpx

from shopify_app.errors import AppError, Conflict
from shopify_app.install.shops import registered_shop
from shopify_app.mirror.sync import SyncProgress, sync_shop
from shopify_app.settings import Settings
from shopify_app.shopify.client import AdminClient
from shopify_app.storage import db
from shopify_app.storage.models import Shop

SPINNER = "|/-\\"
LOG_EVERY_SECONDS = 5.0


class ProgressBar:
    """Renders `SyncProgress` on `stream`: redrawn in place on a TTY, else a line at most every
    `every` seconds (and always the last one). `clock` is a monotonic clock in seconds."""

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool | None = None,
        every: float = LOG_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.every = every
        self.clock = clock
        self._last_line: float | None = None
        self._width = 0

    @staticmethod
    def describe(state: SyncProgress) -> str:
        mark = "done" if state.done else SPINNER[state.pages % len(SPINNER)]
        text = (
            f"[{mark}] sync {state.shop}: page {state.pages}, {state.contracts} contracts, "
            f"{state.customers} customers"
        )
        if state.skipped:
            text += f", {state.skipped} skipped (no customer)"
        return text

    def interrupt(self) -> None:
        """End a half-drawn terminal line, so that an error message starts on its own."""
        if self.tty and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0

    def __call__(self, state: SyncProgress) -> None:
        text = self.describe(state)
        if self.tty:
            # `\r` back to the start; pad over a longer previous line.
            self.stream.write("\r" + text.ljust(self._width))
            self._width = len(text)
            if state.done:
                self.stream.write("\n")
                self._width = 0
        else:
            now = self.clock()
            due = self._last_line is None or now - self._last_line >= self.every
            if not (due or state.done):
                return
            self._last_line = now
            self.stream.write(text + "\n")
        self.stream.flush()


async def _installed_shop(domain: str) -> Shop:
    shop = await registered_shop(domain)
    if not shop.installed:
        raise Conflict(f"{shop.domain} has uninstalled the app.", code="shop_uninstalled")
    return shop


async def sync(
    settings: Settings,
    shop: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: ProgressBar | None = None,
    manage_database: bool = True,
) -> int:
    """Run the sync; exit status 0, or 1 with the reason on stderr. `transport` lets tests
    reach the simulated store; without `manage_database` the caller holds the connection."""
    bar = progress or ProgressBar(sys.stderr)
    try:
        connection = (
            db.connected(settings.database_url, migrate_first=True)
            if manage_database else contextlib.nullcontext()
        )
        async with connection:
            found = await _installed_shop(shop)
            async with httpx.AsyncClient(transport=transport, follow_redirects=False) as http:
                result = await sync_shop(AdminClient(http, settings), found, progress=bar)
    except AppError as exc:
        bar.interrupt()
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    print(
        f"synced {result.shop}: {result.contracts} contracts, {result.customers} customers "
        f"in {result.pages} pages; contracts Shopify no longer returns were left as they are"
    )
    return 0
