"""The OpenAPI 3.1 document of `/customer-account/api/…` (tag `customer-account`), served at
`/customer-account/api/openapi.json`. Tests validate real answers against its schemas and
hold every route and every error code to it."""

from __future__ import annotations

from functools import cache
from typing import Any

from shopify_app.merchant import policy

TAG = "customer-account"
AUTH = {401: ("missing_session_token", "invalid_session_token", "customer_required"),
        403: ("shop_not_installed",)}
SHOPIFY = {500: ("internal_error",), 502: ("shopify_query_error",),
           503: ("app_not_configured", "shopify_unavailable", "shop_credentials_invalid")}
OPERATION_ERRORS: dict[str, dict[int, tuple[str, ...]]] = {
    "listSubscriptions": {**AUTH, **SHOPIFY},
    "getSubscription": {**AUTH, 404: ("contract_not_found",), **SHOPIFY},
    "performAction": {
        **AUTH,
        403: ("shop_not_installed", "action_disabled"),
        404: ("contract_not_found", "unknown_action"),
        409: ("order_already_placed", "address_partly_changed"),
        413: ("payload_too_large",),
        422: ("invalid_input", "invalid_body", "shopify_user_error", "order_changed",
              "no_payment_method", "invalid_address"),
        **SHOPIFY,
    },
    "getAddressForm": {**AUTH, 500: ("internal_error",)},
    "preflight": {403: ("cors_preflight_refused",)},
    "getCancelReasons": {**AUTH, 404: ("contract_not_found",), **SHOPIFY},
    "cancelFlowStep": {
        **AUTH,
        403: ("shop_not_installed", "action_disabled"),
        404: ("contract_not_found", "unknown_action"),
        413: ("payload_too_large",),
        422: ("invalid_input", "invalid_body", "shopify_user_error", "unknown_reason",
              "offer_not_offered", "offer_unavailable", "cancel_attempt_invalid"),
        **SHOPIFY,
    },
    "getSwapOptions": {
        **AUTH,
        403: ("shop_not_installed", "action_disabled"),
        404: ("contract_not_found",),
        422: ("invalid_input",),
        **SHOPIFY,
    },
}
ROUTING_CODES = ("not_found", "method_not_allowed")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(properties)
    return schema


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
ADDRESS_FIELDS = ("firstName", "lastName", "company", "address1", "address2", "city",
                  "provinceCode", "zip", "countryCode", "phone")
MONEY = _object({"amount": STRING, "currencyCode": STRING})
SCHEDULE = _object({"interval": STRING, "count": INTEGER})
SUBSCRIPTION = _object({
    "id": INTEGER,
    "gid": STRING,
    "status": STRING,
    "nextBillingDate": _nullable({"type": "string", "format": "date-time"}),
    "billingPolicy": SCHEDULE,
    "deliveryPolicy": SCHEDULE,
    "frequency": STRING,
    "lines": {"type": "array", "items": _object({
        "id": STRING, "title": STRING, "variantTitle": STRING, "quantity": INTEGER,
        "price": _nullable(_ref("Money")), "imageUrl": _nullable(STRING), "imageAlt": STRING})},
    "estimatedTotal": _nullable(_ref("Money")),
    "deliveryPrice": _nullable(_ref("Money")),
    "address": _nullable(_object(dict.fromkeys(ADDRESS_FIELDS, STRING))),
    "paymentMethod": _nullable(_object({"brand": STRING, "lastDigits": STRING, "expiry": STRING,
                                        "expiresSoon": BOOLEAN, "revoked": BOOLEAN,
                                        "expiresBeforeNextOrder": BOOLEAN})),
    "resumeOn": _nullable({"type": "string", "format": "date",
                           "description": "Paused until this day (a scheduled resume)."}),
    "discounts": {"type": "array", "items": _object({"id": STRING, "title": STRING,
                                                     "value": STRING})},
    "actions": {"type": "array", "items": {"enum": list(policy.ACTIONS)},
                "description": "What the server accepts on this subscription now: the "
                "merchant's toggles and the subscription's status."},
})
ADD_ON = _object({"id": STRING, "title": STRING, "variantTitle": STRING, "quantity": INTEGER,
                  "price": _ref("Money")})
ADD_ON_OFFER = _object({"variantId": STRING, "label": STRING, "price": _ref("Money")})
SWAP_OPTIONS = _object({
    "line": _object({"id": STRING, "title": STRING, "variantTitle": STRING,
                     "price": _ref("Money")}),
    "choices": {"type": "array", "items": _object({
        "variantId": STRING, "label": STRING, "price": _ref("Money"), "available": BOOLEAN})},
})
DETAIL = _object({
    "subscription": {"allOf": [_ref("Subscription"), _object({"upcoming": {
        "type": "array", "items": _object({"index": INTEGER,
                                           "expectedAt": _nullable(STRING),
                                           "skipped": BOOLEAN,
                                           "addOns": {"type": "array", "items": ADD_ON}})},
        "addOnOffers": {"type": "array", "items": ADD_ON_OFFER},
        "orderNow": _nullable(_object({"cycleIndex": INTEGER, "expectedAt": _nullable(STRING)})),
        "pauseLimits": _object({"first": STRING, "last": STRING}),
    })]},
    "frequencies": {"type": "array", "items": _object({"key": STRING, "interval": STRING,
                                                       "count": INTEGER})},
    "liveSubscriptions": {"type": "array", "items": INTEGER, "description": "The customer's "
                          "ACTIVE and PAUSED subscriptions (their first 10), for "
                          "change_address with `all_subscriptions`."},
})
CODE_NAME = _object({"code": STRING, "name": STRING})
ADDRESS_FORM = _object({
    "country": STRING,
    "countries": {"type": "array", "items": CODE_NAME},
    "rows": {"type": "array", "items": {"type": "array", "items": STRING}},
    "required": {"type": "array", "items": STRING},
    "labels": {"type": "object", "additionalProperties": STRING},
    "autocomplete": {"type": "object", "additionalProperties": STRING},
    "zipExample": STRING,
    "provinces": {"type": "array", "items": CODE_NAME},
})


def _problem(codes: tuple[str, ...]) -> dict[str, Any]:
    return {
        "description": ", ".join(codes),
        "content": {"application/problem+json": {"schema": {"allOf": [
            _ref("Problem"), {"properties": {"code": {"enum": list(codes)}}}]}}},
    }


def _responses(operation: str, ok: dict[str, Any]) -> dict[str, Any]:
    errors = {str(s): _problem(c) for s, c in sorted(OPERATION_ERRORS[operation].items())}
    return {**ok, **errors}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"200": {"description": description,
                    "content": {"application/json": {"schema": _ref(schema)}}}}


def _preflight() -> dict[str, Any]:
    return {"tags": [TAG], "operationId": "preflight", "security": [],
            "summary": "CORS preflight (any origin; GET and POST; Authorization, Content-Type)",
            "responses": {"204": {"description": "Allowed"}, **_responses("preflight", {})}}


CONTRACT_ID = {"name": "contractId", "in": "path", "required": True,
               "schema": {"type": "string", "pattern": "^[0-9]{1,19}$"}}


CANCEL_REASON = _object({"key": STRING, "label": _nullable(STRING), "freeText": BOOLEAN})
CANCEL_FLOW_SCHEMAS: dict[str, Any] = {
    "CancelReason": CANCEL_REASON,
    "CancelReasons": _object({"reasons": {"type": "array", "items": _ref("CancelReason")}}),
    "CancelFlowStep": {"allOf": [
        _object({"step": {"enum": ["offer", "confirm", "saved", "cancelled"]},
                 "attempt": INTEGER, "reason": _ref("CancelReason"), "reasonText": STRING}),
        _object({
            "offer": _object({"kind": STRING, "months": _nullable(INTEGER),
                              "code": _nullable(STRING), "date": _nullable(STRING)}),
            "frequencies": {"type": "array"},
            "subscription": {"type": "object"},
            "message": STRING,
            "messageParams": {"type": "object"},
        }, required=False),
    ]},
}
_CANCEL = "/customer-account/api/subscriptions/{contractId}/cancel-flow"
CANCEL_FLOW_PATHS: dict[str, Any] = {
    _CANCEL: {"get": {
        "tags": [TAG], "operationId": "getCancelReasons",
        "summary": "The merchant's cancellation reasons, in order",
        "parameters": [{"name": "contractId", "in": "path", "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9]{1,19}$"}}],
        "responses": _responses("getCancelReasons", _json("CancelReasons", "The reasons."))}},
    f"{_CANCEL}/{{step}}": {
        "post": {"tags": [TAG], "operationId": "cancelFlowStep",
                 "summary": "A step of the cancel flow: reason, accept, decline, confirm",
                 "parameters": [
                     {"name": "contractId", "in": "path", "required": True,
                      "schema": {"type": "string", "pattern": "^[0-9]{1,19}$"}},
                     {"name": "step", "in": "path", "required": True,
                      "schema": {"enum": ["reason", "accept", "decline", "confirm"]}}],
                 "requestBody": {"required": False, "content": {"application/json": {
                     "schema": {"type": "object", "maxProperties": 20,
                                "additionalProperties": {"type": ["string", "integer"]},
                                "description": "`reason` and `reason_text` (reason), "
                                "`attempt` and `offer` (accept, decline; `frequency` for a "
                                "change_frequency offer), `attempt` (confirm)."}}}},
                 "responses": _responses("cancelFlowStep",
                                         _json("CancelFlowStep", "The next step."))},
        "options": _preflight()},
}


@cache
def openapi_document() -> dict[str, Any]:
    base = "/customer-account/api/subscriptions"
    return {
        "openapi": "3.1.0",
        "info": {"title": "Customer account extension backend", "version": "1.0.0",
                 "description": "What the customer account UI extension calls with its "
                 "session token. Answers carry `Access-Control-Allow-Origin: *` (extensions "
                 "run on an origin Shopify does not fix; no cookies are used)."},
        "tags": [{"name": TAG, "description": "The portal inside new customer accounts"}],
        "security": [{"SessionToken": []}],
        "paths": {
            base: {
                "get": {"tags": [TAG], "operationId": "listSubscriptions",
                        "summary": "The signed-in customer's subscriptions with their lines",
                        "responses": _responses("listSubscriptions",
                                                _json("Overview", "The subscriptions."))},
                "options": _preflight(),
            },
            f"{base}/{{contractId}}": {
                "get": {"tags": [TAG], "operationId": "getSubscription",
                        "summary": "One subscription with its upcoming orders; another "
                        "customer's is not found",
                        "parameters": [CONTRACT_ID],
                        "responses": _responses("getSubscription",
                                                _json("Detail", "The subscription."))},
                "options": _preflight(),
            },
            f"{base}/{{contractId}}/{{action}}": {
                "post": {"tags": [TAG], "operationId": "performAction",
                         "summary": "One portal action, under the merchant's rules",
                         "parameters": [CONTRACT_ID, {
                             "name": "action", "in": "path", "required": True,
                             "schema": {"enum": list(policy.ACTIONS)}}],
                         "requestBody": {"required": False, "content": {"application/json": {
                             "schema": {"type": "object", "maxProperties": 20,
                                        "additionalProperties": {"type": ["string", "integer"]},
                                        "description": "The action's fields: `reason` "
                                        "(cancel), `cycle_index` (skip, unskip), `date` "
                                        "(set_next_date), `frequency` (change_frequency, e.g. "
                                        "WEEK:2), `line_id` and `quantity` (change_quantity), "
                                        "address fields (change_address), `code` "
                                        "(apply_discount), `discount_id` (remove_discount), "
                                        "`line_id` and `variant_id` (swap), `variant_id` and "
                                        "`quantity` (add_on), `cycle_index` and `line_id` "
                                        "(remove_add_on)."}}}},
                         "responses": _responses("performAction",
                                                 _json("ActionResult", "The subscription now."))},
                "options": _preflight(),
            },
            **CANCEL_FLOW_PATHS,
            f"{base}/{{contractId}}/swap-options": {
                "get": {"tags": [TAG], "operationId": "getSwapOptions",
                        "summary": "What a line may be swapped to, each with its new price "
                        "(the `swap` action's `variant_id` must be one of these)",
                        "parameters": [CONTRACT_ID, {
                            "name": "line", "in": "query", "required": True,
                            "schema": {"type": "string", "maxLength": 1000},
                            "description": "The line's id (`lines[].id`)"}],
                        "responses": _responses("getSwapOptions",
                                                _json("SwapOptions", "The choices."))},
                "options": _preflight(),
            },
            "/customer-account/api/address-form": {
                "get": {"tags": [TAG], "operationId": "getAddressForm",
                        "summary": "The address form of a country in the customer's language: "
                        "countries, rows of fields, required ones, labels, subdivisions",
                        "parameters": [
                            {"name": "country", "in": "query", "required": False,
                             "schema": {"type": "string", "maxLength": 3}},
                            {"name": "locale", "in": "query", "required": False,
                             "schema": {"type": "string", "maxLength": 35}}],
                        "responses": _responses("getAddressForm",
                                                _json("AddressForm", "The form."))},
                "options": _preflight(),
            },
            "/customer-account/api/openapi.json": {"get": {
                "tags": [TAG], "operationId": "getCustomerAccountOpenApi", "security": [],
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1",
                                      "content": {"application/json": {}}}}}},
        },
        "components": {
            "securitySchemes": {"SessionToken": {
                "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description": "`shopify.sessionToken.get()`: HS256 with the app secret, "
                "aud = client id, dest = the shop, sub = the customer's gid."}},
            "schemas": {
                "Money": MONEY,
                "Subscription": SUBSCRIPTION,
                "Overview": _object({
                    "customer": _object({"firstName": STRING, "displayName": STRING}),
                    "subscriptions": {"type": "array", "items": _ref("Subscription")}}),
                "Detail": DETAIL,
                "SwapOptions": SWAP_OPTIONS,
                **CANCEL_FLOW_SCHEMAS,
                "AddressForm": ADDRESS_FORM,
                "ActionResult": {"allOf": [_ref("Detail"), _object({"message": STRING}),
                                           {"properties": {"messageParams": {"type": "object"}}}]},
                "Problem": {"type": "object", "required": ["status", "title", "code"],
                            "properties": {
                                "type": STRING, "title": STRING, "status": INTEGER,
                                "detail": STRING, "code": STRING,
                                "field": {"type": "string",
                                          "description": "The refused field (invalid_input)"},
                                "errors": {"type": "object",
                                           "additionalProperties": {
                                               "enum": ["required", "invalid", "too_long"]},
                                           "description": "invalid_address: each refused "
                                           "address field and why"},
                                "changed": {"type": "array", "description":
                                            "address_partly_changed: the subscriptions "
                                            "changed ({id, title})"},
                                "failed": {"type": "array", "description":
                                           "address_partly_changed: those not changed "
                                           "({id, title, code, message})"},
                                "userErrors": {"type": "array", "items": {
                                    "type": "object",
                                    "properties": {
                                        "field": _nullable({"type": "array",
                                                            "items": STRING}),
                                        "message": STRING}}}}},
            },
        },
    }
