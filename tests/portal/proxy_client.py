"""Signed app-proxy requests, as Shopify's storefront proxy would send them."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx

from shopify_app.shopify import signatures
from tests.conftest import TEST_SECRET

PORTAL = "/proxy/customer_portal"
PATH_PREFIX = "/tools/recurring"
_SESSION = re.compile(r'name="session" value="([^"]+)"')


def signed_query(
    shop: str,
    *,
    customer_id: int | str = "",
    extra: Sequence[tuple[str, str]] = (),
    timestamp: int | None = None,
    secret: str = TEST_SECRET,
    path_prefix: str = PATH_PREFIX,
) -> str:
    """The query Shopify appends: extra params first, then its own, then `signature`."""
    pairs = [
        *extra,
        ("shop", shop),
        ("logged_in_customer_id", str(customer_id)),
        ("path_prefix", path_prefix),
        ("timestamp", str(int(time.time()) if timestamp is None else timestamp)),
    ]
    return urlencode([*pairs, ("signature", signatures.sign_proxy_query(pairs, secret))])


def session_from(page: str) -> str:
    """The session value a rendered page carries in its forms."""
    match = _SESSION.search(page)
    assert match, "the page carries no session"
    return match.group(1)


@dataclass
class ProxyClient:
    """A storefront visitor of one shop: every request signed like Shopify's proxy does."""

    http: httpx.AsyncClient
    shop: str
    customer_id: int | str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def url(self, path: str = "", extra: Sequence[tuple[str, str]] = (), **kw: object) -> str:
        query = signed_query(self.shop, customer_id=self.customer_id, extra=extra, **kw)  # type: ignore[arg-type]
        return f"{PORTAL}{path}?{query}"

    async def get(
        self, path: str = "", *, token: str | None = None, method: str = "GET"
    ) -> httpx.Response:
        extra = [("token", token)] if token is not None else []
        return await self.http.request(method, self.url(path, extra), headers=self.headers)

    async def post(
        self,
        path: str = "",
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        return await self.http.post(
            self.url(path), data=dict(data or {}), headers={**self.headers, **(headers or {})}
        )
