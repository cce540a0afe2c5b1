"""An access log that cannot leak secrets: method, path, status and duration, never the query.

Portal links carry their token in the query string and old integrations still send `api_key`
there, so uvicorn's own access log (which prints the full URL) is switched off wherever uvicorn
starts (`uvicorn_options`) and every served app is wrapped in `AccessLog` instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("shopify_app.access")


class AccessLog:
    """ASGI middleware logging one line per HTTP request once its response has started."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        log: logging.Logger = logger,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.app = app
        self.log = log
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.log.isEnabledFor(logging.INFO):
            # Nothing would be written (LOG_LEVEL above INFO): skip the timing and the send
            # wrapper, ~1 us a request. Checked per request, so a level change applies at once.
            await self.app(scope, receive, send)
            return
        started = self.clock()
        status = 500  # what the client sees if the app raises before answering

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            # scope["path"] is the decoded path alone: the query string lives elsewhere.
            elapsed_ms = (self.clock() - started) * 1000
            self.log.info("%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed_ms)


def uvicorn_options(log_level: str) -> dict[str, Any]:
    """Keyword arguments every `uvicorn.run`/`uvicorn.Config` of ours shares."""
    return {
        "access_log": False,  # it prints full URLs, query strings (tokens) included
        "log_level": log_level.lower(),
        "proxy_headers": True,
        "server_header": False,
    }
