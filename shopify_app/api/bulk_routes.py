"""`POST /api/external/v2/manage-subscription-links`: up to 1,000 links in one request.

guard (key, one request against `mint_rate_limit`) → body → `Idempotency-Key` (a retry gets the
stored answer) → the items against the key's per-minute bulk budget (`bulk_link_rate_limit`,
all or nothing) → `bulk.mint_many` → one result per item, in order, with 200 even when some
items failed (each failed item carries its problem object).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from shopify_app.api import bulk_parameters, idempotency, rate_limits
from shopify_app.api.guard import ApiCaller, require_api_caller
from shopify_app.errors import AppError
from shopify_app.http.bodies import read_body
from shopify_app.links import bulk, minting
from shopify_app.state import app_state, request_time
from shopify_app.storage.models import Shop

PATH = "/api/external/v2/manage-subscription-links"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _problem(error: AppError) -> dict[str, Any]:
    return {"type": "about:blank", "title": error.title, "status": error.status,
            "detail": error.detail, "code": error.code, **error.extra}


def _result(index: int, result: bulk.BulkResult, shop: Shop) -> dict[str, Any]:
    body: dict[str, Any] = {"index": index}
    item = result.item
    if item is not None:
        body["customerId" if item.customer_id is not None else "emailId"] = (
            item.customer_id if item.customer_id is not None else item.email
        )
    link = result.link
    if link is None:
        assert result.error is not None
        body["error"] = _problem(result.error)
        return body
    assert item is not None
    body.update(
        customerId=link.customer_id,
        manageSubscriptionLink=link.url,
        tokenExpirationTime=_iso(link.expires_at),
        expiresInMinutes=minting.lifetime_minutes(shop, item.options),
        portalUrl=link.portal_url,
    )
    if link.short_url is not None:
        body["shortLink"] = link.short_url
    return body


def _answer(results: list[bulk.BulkResult], shop: Shop) -> bytes:
    minted = sum(1 for r in results if r.link is not None)
    return orjson.dumps({
        "results": [_result(i, r, shop) for i, r in enumerate(results)],
        "minted": minted,
        "failed": len(results) - minted,
    })


def _response(answer: bytes, caller: ApiCaller, extra: dict[str, str]) -> Response:
    headers = {**caller.headers(), "Cache-Control": "no-store", **extra}
    return Response(answer, media_type="application/json", headers=headers)


async def _mint(request: Request, caller: ApiCaller, now: datetime, body: bytes) -> bytes:
    """Parse, take the item budget, mint: the answer's bytes."""
    items = bulk_parameters.parse_batch(body)
    shop = caller.shop
    budget = await rate_limits.consume_items(caller.key.id, shop.bulk_link_rate_limit,
                                             len(items), now)
    request.state.bulk_quota = budget
    state = app_state(request)
    minter = minting.Minter(state.keyring, caller.key.id, state.mints.add, state.customers)
    results = await bulk.mint_many(state.admin, shop, items, minter, now=now)
    return _answer(results, shop)


def _budget_headers(request: Request) -> dict[str, str]:
    quota: rate_limits.Quota | None = getattr(request.state, "bulk_quota", None)
    if quota is None:
        return {}
    return {"Bulk-RateLimit-Limit": str(quota.limit),
            "Bulk-RateLimit-Remaining": str(quota.remaining),
            "Bulk-RateLimit-Reset": str(quota.reset_seconds)}


async def mint_links(request: Request) -> Response:
    now = request_time(request)
    caller = await require_api_caller(request, now)
    try:
        raw_key = request.headers.get(idempotency.HEADER)
        key = idempotency.check_key(raw_key) if raw_key is not None else None
        body = await read_body(request, bulk_parameters.MAX_BODY_BYTES, "batch")
        if key is None:
            answer = await _mint(request, caller, now, body)
            return _response(answer, caller, _budget_headers(request))
        secret = app_state(request).settings.secret
        stored = await idempotency.begin(caller.key.id, key, body, secret=secret, now=now)
        if stored is not None:
            return _response(stored, caller, {"Idempotent-Replayed": "true"})
        try:
            answer = await _mint(request, caller, now, body)
        except BaseException:
            await idempotency.abandon(caller.key.id, key)
            raise
        await idempotency.finish(caller.key.id, key, answer, secret=secret)
        return _response(answer, caller, _budget_headers(request))
    except AppError as exc:
        exc.headers.update({**caller.headers(), **exc.headers})
        raise


routes: list[BaseRoute] = [Route(PATH, mint_links, methods=["POST"])]
