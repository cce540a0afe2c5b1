"""`/customer-account/api/…`: the JSON endpoints the customer account extension calls.

Every endpoint: CORS preflight answered, else guard (`require_customer`: the bearer session
token) → one service call → JSON. Errors under the prefix are problem+json with CORS headers
(registered with the one error handler), whatever raised them, 404 and 405 included.
"""

from __future__ import annotations

import json
import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from shopify_app.errors import AppError, NotFound
from shopify_app.http.bodies import read_body
from shopify_app.http.errors import problem, register_page_renderer
from shopify_app.portal.customer_account import (
    address_format,
    cancel_flow,
    cors,
    openapi,
    service,
)
from shopify_app.portal.customer_account.guard import AccountCustomer, require_customer
from shopify_app.portal.errors import InvalidInput
from shopify_app.portal.views.read_cache import app_read_cache
from shopify_app.state import app_state, request_time

PREFIX = "/customer-account/api"
MAX_BODY_BYTES = 16 * 1024
_CONTRACT_ID = re.compile(r"^[0-9]{1,19}$")
_HEADERS = {**cors.RESPONSE_HEADERS, "Cache-Control": "no-store"}


async def _customer(request: Request) -> AccountCustomer:
    state = app_state(request)
    return await require_customer(
        request.headers.getlist("authorization"), state.settings, request_time(request)
    )


def _contract_id(request: Request) -> int:
    raw = request.path_params["contract_id"]
    if not _CONTRACT_ID.match(raw):
        raise NotFound("We could not find this subscription.", code="contract_not_found")
    return int(raw)


async def _json_body(request: Request) -> object:
    raw = await read_body(request, MAX_BODY_BYTES, "request body")
    if not raw.strip():
        return None
    if "json" not in request.headers.get("content-type", ""):
        raise InvalidInput("Send the fields as application/json.", code="invalid_body")
    try:
        return json.loads(raw)
    # Deep nesting raises RecursionError, not ValueError: still the client's bad input.
    except (ValueError, RecursionError):
        raise InvalidInput("The body is not valid JSON.", code="invalid_body") from None


def _answer(body: object) -> JSONResponse:
    return JSONResponse(body, headers=_HEADERS)


async def preflight(request: Request) -> Response:
    headers = cors.preflight_headers(
        request.headers.get("access-control-request-method"),
        request.headers.get("access-control-request-headers"),
    )
    return Response(status_code=204, headers=headers)


async def list_subscriptions(request: Request) -> Response:
    customer = await _customer(request)
    return _answer(await service.list_subscriptions(app_state(request).admin, customer))


async def show_subscription(request: Request) -> Response:
    customer = await _customer(request)
    contract_id = _contract_id(request)
    state = app_state(request)
    return _answer(
        await service.show_subscription(
            state.admin,
            customer,
            contract_id,
            request_time(request),
            app_read_cache(request.app.state),
        )
    )


async def act(request: Request) -> Response:
    customer = await _customer(request)
    contract_id = _contract_id(request)
    form = service.form_of(await _json_body(request))
    state = app_state(request)
    result = await service.act(
        state.admin,
        customer,
        contract_id,
        request.path_params["action"],
        form,
        request_time(request),
    )
    return _answer(result)


async def cancel_reasons(request: Request) -> Response:
    customer = await _customer(request)
    contract_id = _contract_id(request)
    return _answer(await cancel_flow.reasons(app_state(request).admin, customer, contract_id,
                                             request_time(request)))


async def cancel_step(request: Request) -> Response:
    customer = await _customer(request)
    contract_id = _contract_id(request)
    form = service.form_of(await _json_body(request))
    return _answer(await cancel_flow.step(app_state(request).admin, customer, contract_id,
                                          request.path_params["step"], form,
                                          request_time(request)))


async def swap_options(request: Request) -> Response:
    customer = await _customer(request)
    contract_id = _contract_id(request)
    state = app_state(request)
    line = request.query_params.get("line", "")
    return _answer(
        await service.swap_options(state.admin, customer, contract_id, line, request_time(request))
    )


async def address_form(request: Request) -> Response:
    await _customer(request)  # a signed-in customer's form, like every other endpoint
    params = request.query_params
    return _answer(address_format.address_form(params.get("country"), params.get("locale")))


async def document(request: Request) -> Response:
    return _answer(openapi.openapi_document())


def render_problem(request: Request, error: AppError) -> Response:
    response = problem(error)
    response.headers.update(cors.error_headers(error))
    if error.status == 401:
        # RFC 6750: say which scheme to retry with.
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="customer-account"')
    return response


register_page_renderer(PREFIX, render_problem)

routes: list[BaseRoute] = [
    Route(PREFIX + "/openapi.json", document, methods=["GET"]),
    Route(PREFIX + "/subscriptions", list_subscriptions, methods=["GET"]),
    Route(PREFIX + "/address-form", address_form, methods=["GET"]),
    Route(PREFIX + "/address-form", preflight, methods=["OPTIONS"]),
    # `str`, not `int`: Starlette's int convertor turns a 5000-digit id into a 500.
    Route(PREFIX + "/subscriptions/{contract_id:str}", show_subscription, methods=["GET"]),
    Route(PREFIX + "/subscriptions/{contract_id:str}/{action:str}", act, methods=["POST"]),
    Route(PREFIX + "/subscriptions/{contract_id:str}/cancel-flow", cancel_reasons, methods=["GET"]),
    Route(PREFIX + "/subscriptions/{contract_id:str}/cancel-flow/{step:str}", cancel_step,
          methods=["POST"]),
    Route(PREFIX + "/subscriptions/{contract_id:str}/swap-options", swap_options, methods=["GET"]),
    # Preflights only where an endpoint is: elsewhere under the prefix is a plain 404.
    Route(PREFIX + "/subscriptions", preflight, methods=["OPTIONS"]),
    Route(PREFIX + "/subscriptions/{contract_id:str}", preflight, methods=["OPTIONS"]),
    Route(PREFIX + "/subscriptions/{contract_id:str}/{action:str}", preflight, methods=["OPTIONS"]),
    Route(PREFIX + "/subscriptions/{contract_id:str}/cancel-flow/{step:str}", preflight,
          methods=["OPTIONS"]),
    Route(PREFIX + "/subscriptions/{contract_id:str}/swap-options", preflight, methods=["OPTIONS"]),
]
