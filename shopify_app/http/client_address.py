"""Who is on the other end: the peer, or what a trusted proxy says in `X-Forwarded-For`.

Anyone can send `X-Forwarded-For`; only a proxy we run may be believed. Like uvicorn's
`--forwarded-allow-ips` (whose environment variable, `FORWARDED_ALLOW_IPS`, this shares), the
header counts only when the peer is a configured proxy (default: loopback only), and then the
client is the right-most address that is not itself one of our proxies.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from starlette.types import Scope

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_TRUSTED = "127.0.0.1,::1"


@lru_cache(maxsize=8)
def trusted_networks(setting: str) -> tuple[Network, ...] | None:
    """`"127.0.0.1,10.0.0.0/8"` as networks; None for `*` (every peer is a proxy). A value
    that is not an address or network is a configuration error, named at start-up."""
    items = [item.strip() for item in setting.split(",") if item.strip()]
    if "*" in items:
        return None
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in items)
    except ValueError:
        raise ValueError(f"FORWARDED_ALLOW_IPS has an invalid address: {setting!r}") from None


def _is_trusted(address: str, networks: tuple[Network, ...] | None) -> bool:
    if networks is None:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _forwarded(headers: Iterable[tuple[bytes, bytes]]) -> list[str]:
    hops: list[str] = []
    for name, value in headers:
        if name == b"x-forwarded-for":
            hops += [hop.strip() for hop in value.decode("latin-1").split(",")]
    return [hop for hop in hops if hop]


def client_address(scope: Scope, trusted: str = DEFAULT_TRUSTED) -> str:
    """The client's address for audits and per-address limits ("" when unknown)."""
    client = scope.get("client")
    peer = str(client[0]) if client else ""
    networks = trusted_networks(trusted)
    if not peer or not _is_trusted(peer, networks):
        return peer
    hops = _forwarded(scope.get("headers") or ())
    if networks is None:  # every address is a proxy: the first hop is the client (as uvicorn)
        return hops[0][:64] if hops else peer
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop[:64]
    return peer
