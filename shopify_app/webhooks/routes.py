"""`POST /webhooks`: one URI for every topic (the topic is in `X-Shopify-Topic`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from shopify_app.http.bodies import read_body
from shopify_app.install.flow import NotConfigured
from shopify_app.state import app_state
from shopify_app.webhooks import deliveries, verification

WEBHOOKS_PATH = "/webhooks"
# Our topics (uninstall, compliance, contracts) carry a few KB; nothing honest comes near this.
MAX_BODY_BYTES = 1024 * 1024


async def receive_webhook(request: Request) -> Response:
    state = app_state(request)
    if state.settings.sandbox:
        raise NotConfigured("Webhooks need SHOPIFY_API_SECRET to be verified.")
    body = await read_body(request, MAX_BODY_BYTES, "webhook body")  # the HMAC covers it
    now = state.clock()
    delivery = verification.verify_delivery(request.headers, body, state.settings.secrets, now)
    await deliveries.receive(delivery, now=now)
    # Empty and fast: Shopify only needs a 2xx, for a duplicate too.
    return Response(status_code=200)


routes: list[BaseRoute] = [Route(WEBHOOKS_PATH, receive_webhook, methods=["POST"])]
