"""The OpenAPI 3.1 document of the external API, built from the same constants the code uses.

`tests/external_api/test_openapi.py` checks real responses, successes and errors, against the
schemas below, so the document cannot drift from what the endpoints answer.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from shopify_app.api.openapi_components import components, ref

AUTH_CODES = ("missing_api_key", "invalid_api_key", "shop_uninstalled")
SHOPIFY_CODES = ("shopify_unavailable", "shop_credentials_invalid")
# Every error an operation can answer, by status: the document enumerates them per operation
# and `tests/external_api/test_openapi.py` holds the code to it (every `AppError` code of the
# modules behind the endpoints is listed here or named unreachable; fuzzed answers stay inside).
_MINT_ERRORS: dict[int, tuple[str, ...]] = {
    401: AUTH_CODES,
    404: ("customer_not_found",),
    409: ("portal_not_configured",),
    429: ("rate_limited",),
    500: ("internal_error",),
    502: ("shopify_query_error",),
    503: SHOPIFY_CODES,
}
OPERATION_ERRORS: dict[str, dict[int, tuple[str, ...]]] = {
    "getManageSubscriptionLinkById": {
        400: ("invalid_customer_id", "invalid_parameter", "ambiguous_parameter"),
        **_MINT_ERRORS,
    },
    "getManageSubscriptionLink": {
        400: ("missing_customer", "invalid_customer_id", "invalid_email", "email_not_found",
              "invalid_parameter", "ambiguous_parameter"),
        **_MINT_ERRORS,
    },
    "revokeManageSubscriptionLinks": {
        400: ("missing_customer", "invalid_customer_id", "ambiguous_parameter"),
        **{s: c for s, c in _MINT_ERRORS.items() if s != 409},
    },
    "listSubscriptionCustomers": {
        400: ("invalid_parameter", "ambiguous_parameter"),
        401: AUTH_CODES,
        429: ("rate_limited",),
        500: ("internal_error",),
    },
    "mintManageSubscriptionLinks": {
        400: ("invalid_json", "invalid_batch", "too_many_items", "invalid_idempotency_key"),
        401: AUTH_CODES,
        409: ("portal_not_configured", "idempotency_key_in_use"),
        413: ("payload_too_large",),
        422: ("idempotency_key_reused",),
        429: ("rate_limited",),
        500: ("internal_error",),
    },
    "getOpenApi": {},
}
# What one item of a bulk mint can fail with (inside a 200 answer, in the item's `error`).
BULK_ITEM_CODES = (
    "missing_customer", "invalid_customer_id", "invalid_email", "email_not_found",
    "invalid_parameter", "invalid_batch", "customer_not_found", "shopify_query_error",
    "shopify_unavailable", "shop_credentials_invalid",
)
# What the router itself answers for a path or method no operation serves.
ROUTING_CODES = ("not_found", "method_not_allowed")


def _codes_by_status() -> dict[int, tuple[str, ...]]:
    merged: dict[int, dict[str, None]] = {}
    for by_status in OPERATION_ERRORS.values():
        for status, codes in by_status.items():
            merged.setdefault(status, {}).update(dict.fromkeys(codes))
    return {status: tuple(merged[status]) for status in sorted(merged)}


ERROR_CODES = _codes_by_status()
ALL_CODES = tuple(sorted(
    {c for codes in ERROR_CODES.values() for c in codes} | {*ROUTING_CODES, *BULK_ITEM_CODES}
))


RATE_HEADERS = {
    "RateLimit-Limit": ref("headers", "RateLimit-Limit"),
    "RateLimit-Remaining": ref("headers", "RateLimit-Remaining"),
    "RateLimit-Reset": ref("headers", "RateLimit-Reset"),
    "Deprecation": ref("headers", "Deprecation"),
}


def _problem_response(operation: str, status: int) -> dict[str, Any]:
    codes = OPERATION_ERRORS[operation][status]
    # 401 and a refused `api_key` duplicate happen before the key is counted: no RateLimit-*.
    headers: dict[str, Any] = {} if status == 401 else dict(RATE_HEADERS)
    if status == 401:
        headers["WWW-Authenticate"] = ref("headers", "WWW-Authenticate")
        headers["Deprecation"] = ref("headers", "Deprecation")
    if status in (429, 503) or (status == 409 and "idempotency_key_in_use" in codes):
        headers["Retry-After"] = ref("headers", "Retry-After")
    return {
        "description": f"Problem. Codes: {', '.join(codes)}.",
        "headers": headers,
        "content": {"application/problem+json": {"schema": {
            "$ref": "#/components/schemas/Problem",
            "properties": {"code": {"enum": list(codes)}},
        }}},
    }


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": RATE_HEADERS,
        "content": {"application/json": {"schema": ref("schemas", schema)}},
    }


def _errors(operation: str) -> dict[str, Any]:
    return {str(status): _problem_response(operation, status)
            for status in OPERATION_ERRORS[operation]}


MINT_OPTIONS = [
    ref("parameters", name)
    for name in ("expiresInMinutes", "destination", "source", "locale", "singleUse", "short",
                 "api_key")
]

@cache
def openapi_document() -> dict[str, Any]:
    """The document served at `/api/external/v2/openapi.json`."""
    base = "/api/external/v2/manage-subscription-link"
    return {
        "openapi": "3.1.0",
        "info": {"title": "Subscription portal external API", "version": "2.0.0",
                 "description": "Magic links to the customer portal and the subscribing "
                 "customers. Every request counts "
                 "against the API key's per-minute limit (`RateLimit-*` headers)."},
        "security": [{"ApiKeyHeader": []}, {"ApiKeyQuery": []}],
        "paths": {
            f"{base}/{{customerId}}": {"get": {
                "operationId": "getManageSubscriptionLinkById",
                "summary": "Mint a portal link for a customer id",
                "parameters": [ref("parameters", "customerIdPath"), *MINT_OPTIONS],
                "responses": {"200": _ok("ManageSubscriptionLinkDetails", "The link."),
                              **_errors("getManageSubscriptionLinkById")},
            }},
            base: {"get": {
                "operationId": "getManageSubscriptionLink",
                "summary": "Mint a portal link for a customer id or email",
                "parameters": [ref("parameters", "customerIdQuery"),
                               ref("parameters", "emailId"), *MINT_OPTIONS],
                "responses": {"200": _ok("ManageSubscriptionLink", "The link."),
                              **_errors("getManageSubscriptionLink")},
            }},
            f"{base}/revoke": {"post": {
                "operationId": "revokeManageSubscriptionLinks",
                "summary": "Void every outstanding link of a customer",
                "parameters": [{**ref("parameters", "customerIdQuery")},
                               ref("parameters", "api_key")],
                "responses": {"200": _ok("RevokedLinks", "Links issued before are void."),
                              **_errors("revokeManageSubscriptionLinks")},
            }},
            "/api/external/v2/manage-subscription-links": {"post": {
                "operationId": "mintManageSubscriptionLinks",
                "summary": "Mint up to 1,000 portal links in one request",
                "description": "One result per item, in order: the link, or the item's "
                "problem (valid items are minted even when others fail; the same customer "
                "twice gets two links). The request counts once against `RateLimit-*`; its "
                "items against the key's per-minute bulk budget (`Bulk-RateLimit-*`, all or "
                "nothing). With `Idempotency-Key`, a retry within 24 h answers the first "
                "request's links (`Idempotent-Replayed: true`) instead of minting again.",
                "parameters": [ref("parameters", "Idempotency-Key"),
                               ref("parameters", "api_key")],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": ref("schemas", "BulkMintRequest")}}},
                "responses": {
                    "200": {
                        "description": "One result per item.",
                        "headers": {**RATE_HEADERS,
                                    "Bulk-RateLimit-Limit": ref("headers", "Bulk-RateLimit-Limit"),
                                    "Bulk-RateLimit-Remaining":
                                        ref("headers", "Bulk-RateLimit-Remaining"),
                                    "Bulk-RateLimit-Reset": ref("headers", "Bulk-RateLimit-Reset"),
                                    "Idempotent-Replayed": ref("headers", "Idempotent-Replayed")},
                        "content": {"application/json": {
                            "schema": ref("schemas", "BulkMintResult")}},
                    },
                    **_errors("mintManageSubscriptionLinks"),
                },
            }},
            "/api/external/v2/subscription-contract-details/customers": {"get": {
                "operationId": "listSubscriptionCustomers",
                "summary": "Customers with subscription contracts, paged",
                "description": "From the app's mirror of the shop's contracts (`sync` imports "
                "it, webhooks keep it fresh); no Shopify call.",
                "parameters": [ref("parameters", name) for name in (
                    "name", "email", "activeMoreThanOneSubscription", "page", "size", "sort",
                    "api_key")],
                "responses": {
                    "200": {
                        "description": "One page of customers.",
                        "headers": {
                            **RATE_HEADERS,
                            "X-Total-Count": ref("headers", "X-Total-Count"),
                            "Link": ref("headers", "Link"),
                        },
                        "content": {"application/json": {
                            "schema": ref("schemas", "CustomerSummaryList")}},
                    },
                    **_errors("listSubscriptionCustomers"),
                },
            }},
            "/api/external/v2/openapi.json": {"get": {
                "operationId": "getOpenApi", "security": [],
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1",
                                      "content": {"application/json": {}}}},
            }},
        },
        "components": components(ALL_CODES, BULK_ITEM_CODES),
    }
