"""Relay-style connections as Shopify pages them: `first`/`after`, opaque cursors, `pageInfo`."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any

View = dict[str, Any]
MAX_PAGE = 250  # Shopify's cap on `first`


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, _, number = base64.b64decode(cursor).decode().partition(":")
        return int(number) + 1 if kind == "offset" else 0
    except ValueError:
        return 0


def connection(items: Sequence[View], first: int | None = None, after: str | None = None) -> View:
    start = _offset(after)
    size = min(first if first is not None else MAX_PAGE, MAX_PAGE)
    page = list(items[start : start + max(size, 0)])
    end = start + len(page)
    return {
        "nodes": page,
        "pageInfo": {
            "hasNextPage": end < len(items),
            "hasPreviousPage": start > 0,
            "startCursor": _cursor(start) if page else None,
            "endCursor": _cursor(end - 1) if page else None,
        },
    }


def paged(build: Callable[[], Sequence[View]]) -> Callable[..., View]:
    """A connection field: `first`/`after` arguments over the list `build` makes, in its
    order or, with `reverse: true`, the other way round (Shopify's `reverse` argument)."""

    def resolve(
        _info: Any,
        first: int | None = None,
        after: str | None = None,
        reverse: bool = False,
        **_: Any,
    ) -> View:
        items = build()
        return connection(list(reversed(items)) if reverse else items, first, after)

    return resolve
