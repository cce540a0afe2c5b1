"""`GET /api/external/v2/subscription-contract-details/customers`: the subscribing customers.

Authenticated and rate-limited like every external endpoint (`require_api_caller`), answered
from the local mirror that `sync` and the contract webhooks keep. Paging is Spring's, as in
Appstle: the body is the page's array; `X-Total-Count` and `Link` say where the rest is.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from shopify_app.api import customer_listing
from shopify_app.api.customer_listing import CustomerSummary
from shopify_app.api.guard import require_api_caller
from shopify_app.errors import AppError
from shopify_app.state import request_time

PATH = "/api/external/v2/subscription-contract-details/customers"


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _item(customer: CustomerSummary) -> dict[str, Any]:
    value = customer.lifetime_value
    return {
        "customerId": customer.customer_id,
        "name": customer.name,
        "email": customer.email,
        "activeSubscriptions": customer.active_subscriptions,
        "nextOrderDate": _iso(customer.next_order_date),
        "inActiveSubscriptions": customer.inactive_subscriptions,
        # A number, as Appstle answers; JSON shortest repr keeps 2- or 3-decimal amounts exact.
        "lifetimeValue": float(value) if value is not None else None,
        "currency": customer.currency,
    }


async def list_customers(request: Request) -> Response:
    caller = await require_api_caller(request, request_time(request))
    params = request.query_params.multi_items()
    try:
        query = customer_listing.parse_query(params)
        page = await customer_listing.list_customers(caller.shop.id, query)
    except AppError as exc:
        exc.headers.update(caller.headers())
        raise
    headers = {
        **caller.headers(),
        "X-Total-Count": str(page.total),
        "Link": customer_listing.pagination_links(request.url.path, params, page),
        "Cache-Control": "no-store",  # personal data
    }
    return JSONResponse([_item(customer) for customer in page.items], headers=headers)


routes: list[BaseRoute] = [Route(PATH, list_customers, methods=["GET"])]
