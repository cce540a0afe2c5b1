"""The OpenAPI 3.1 document of the external API, built from the same constants the code uses.

`tests/external_api/test_openapi.py` checks real responses, successes and errors, against the
schemas below, so the document cannot drift from what the endpoints answer.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from shopify_app import customer_listing, links
from shopify_app.external_api_guard import API_KEY_HEADER, DEPRECATED_QUERY_PARAMETER, SUNSET

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
    "getOpenApi": {},
}
# What the router itself answers for a path or method no operation serves.
ROUTING_CODES = ("not_found", "method_not_allowed")


def _codes_by_status() -> dict[int, tuple[str, ...]]:
    merged: dict[int, dict[str, None]] = {}
    for by_status in OPERATION_ERRORS.values():
        for status, codes in by_status.items():
            merged.setdefault(status, {}).update(dict.fromkeys(codes))
    return {status: tuple(merged[status]) for status in sorted(merged)}


ERROR_CODES = _codes_by_status()
ALL_CODES = tuple(sorted({c for codes in ERROR_CODES.values() for c in codes} | {*ROUTING_CODES}))

_LINK = "Magic link to the customer portal, with its bearer token."


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _header(description: str, schema_type: str = "integer") -> dict[str, Any]:
    return {"description": description, "schema": {"type": schema_type}}


RATE_HEADERS = {
    "RateLimit-Limit": _ref("headers", "RateLimit-Limit"),
    "RateLimit-Remaining": _ref("headers", "RateLimit-Remaining"),
    "RateLimit-Reset": _ref("headers", "RateLimit-Reset"),
    "Deprecation": _ref("headers", "Deprecation"),
}


def _problem_response(operation: str, status: int) -> dict[str, Any]:
    codes = OPERATION_ERRORS[operation][status]
    # 401 and a refused `api_key` duplicate happen before the key is counted: no RateLimit-*.
    headers: dict[str, Any] = {} if status == 401 else dict(RATE_HEADERS)
    if status == 401:
        headers["WWW-Authenticate"] = _ref("headers", "WWW-Authenticate")
        headers["Deprecation"] = _ref("headers", "Deprecation")
    if status in (429, 503):
        headers["Retry-After"] = _ref("headers", "Retry-After")
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
        "content": {"application/json": {"schema": _ref("schemas", schema)}},
    }


def _errors(operation: str) -> dict[str, Any]:
    return {str(status): _problem_response(operation, status)
            for status in OPERATION_ERRORS[operation]}


MINT_OPTIONS = [
    _ref("parameters", name)
    for name in ("expiresInMinutes", "destination", "source", "locale", "api_key")
]

_ISO_UTC = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{3})?Z$"


def _customer_summary(date_time: dict[str, Any]) -> dict[str, Any]:
    count = {"type": "integer", "minimum": 0}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["customerId", "name", "email", "activeSubscriptions", "nextOrderDate",
                     "inActiveSubscriptions", "lifetimeValue", "currency"],
        "properties": {
            "customerId": {"type": "integer", "minimum": 1},
            "name": {"type": ["string", "null"], "description": "First and last name."},
            "email": {"type": ["string", "null"], "description": "Lower-cased."},
            "activeSubscriptions": {**count, "description": "Contracts with status ACTIVE."},
            "nextOrderDate": {**date_time, "type": ["string", "null"], "description":
                              "Earliest next billing date of an active contract, UTC."},
            "inActiveSubscriptions": {**count, "description": "Paused, cancelled, expired "
                                      "or failed contracts."},
            "lifetimeValue": {"type": ["number", "null"], "description": "Shopify's amount "
                              "spent by the customer, in `currency`; null until `sync` read "
                              "it."},
            "currency": {"type": ["string", "null"], "pattern": "^[A-Z]{3}$",
                         "description": "ISO 4217 code of `lifetimeValue`."},
        },
    }


def _listing_parameters() -> dict[str, Any]:
    sorts = ", ".join(f"`{name}`" for name in customer_listing.SORT_FIELDS)
    text = {"type": "string"}
    return {
        "name": {"name": "name", "in": "query", "description": "Every word appears in the "
                 "first or last name (case-insensitive).",
                 "schema": {**text, "maxLength": customer_listing.MAX_NAME_LENGTH}},
        "email": {"name": "email", "in": "query", "description": "Part of the email "
                  "address (case-insensitive).",
                  "schema": {**text, "maxLength": customer_listing.MAX_EMAIL_LENGTH}},
        "activeMoreThanOneSubscription": {
            "name": "activeMoreThanOneSubscription", "in": "query", "description":
            "`true`: only customers with two or more active contracts; `false` (default): "
            "no filter.", "schema": {"type": "boolean", "default": False}},
        "page": {"name": "page", "in": "query", "description": "Page number, from 0.",
                 "schema": {"type": "integer", "minimum": 0,
                            "maximum": customer_listing.MAX_PAGE, "default": 0}},
        "size": {"name": "size", "in": "query", "description": "Customers per page.",
                 "schema": {"type": "integer", "minimum": 1,
                            "maximum": customer_listing.MAX_SIZE,
                            "default": customer_listing.DEFAULT_SIZE}},
        "sort": {"name": "sort", "in": "query", "style": "form", "explode": True,
                 "description": f"`field[,asc|desc]`, repeatable (at most "
                 f"{customer_listing.MAX_SORTS}); fields: {sorts}. Default `customerId,asc`; "
                 "empty values sort last in both directions; ties go by customerId.",
                 "schema": {"type": "array", "items": {"type": "string"}}},
    }


def _schemas() -> dict[str, Any]:
    link = {"type": "string", "format": "uri", "description": _LINK}
    expiry = {"type": "string", "format": "date-time", "pattern": _ISO_UTC,
              "description": "When the link stops working, ISO 8601 UTC."}
    return {
        "ManageSubscriptionLink": {
            "type": "object",
            "additionalProperties": False,
            "required": ["manageSubscriptionLink", "tokenExpirationTime"],
            "properties": {"manageSubscriptionLink": link, "tokenExpirationTime": expiry},
        },
        "ManageSubscriptionLinkDetails": {
            "type": "object",
            "additionalProperties": False,
            "required": ["manageSubscriptionLink", "tokenExpirationTime", "expiresInMinutes",
                         "customerId", "portalUrl"],
            "properties": {
                "manageSubscriptionLink": link,
                "tokenExpirationTime": expiry,
                "expiresInMinutes": {"type": "integer", "minimum": links.MIN_EXPIRES_IN_MINUTES,
                                     "maximum": links.MAX_EXPIRES_IN_MINUTES},
                "customerId": {"type": "integer", "minimum": 1},
                "portalUrl": {"type": "string", "format": "uri",
                              "description": "The portal without a token (customers log in)."},
            },
        },
        "RevokedLinks": {
            "type": "object",
            "additionalProperties": False,
            "required": ["customerId", "linksValidAfter"],
            "properties": {
                "customerId": {"type": "integer", "minimum": 1},
                "linksValidAfter": {**expiry, "description": "Links issued before are void."},
            },
        },
        "CustomerSummary": _customer_summary(expiry),
        "CustomerSummaryList": {
            "type": "array",
            "items": _ref("schemas", "CustomerSummary"),
            "maxItems": customer_listing.MAX_SIZE,
        },
        "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details with a stable `code`.",
            "required": ["type", "title", "status", "detail", "code"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": {"type": "string"},
                "code": {"type": "string", "enum": list(ALL_CODES), "description":
                         "Stable; integrators branch on it. Each operation lists the codes it "
                         "answers. `not_found` and `method_not_allowed` come from the router "
                         "for a path or method no operation serves; `internal_error` is a "
                         "failure on our side (no details are disclosed)."},
                "parameter": {"type": "string", "description": "The offending parameter."},
            },
        },
    }


def _parameters() -> dict[str, Any]:
    customer = "A positive integer, or `gid://shopify/Customer/N`."
    return {
        "customerIdPath": {"name": "customerId", "in": "path", "required": True,
                           "description": customer, "schema": {"type": "string"}},
        "customerIdQuery": {"name": "customerId", "in": "query", "description":
                            customer + " Wins over emailId.", "schema": {"type": "string"}},
        "emailId": {"name": "emailId", "in": "query", "description": "Email of a subscriber "
                    "of the shop, case-insensitive.", "schema": {"type": "string",
                                                                 "maxLength": 254}},
        "expiresInMinutes": {"name": "expiresInMinutes", "in": "query", "schema": {
            "type": "integer", "minimum": links.MIN_EXPIRES_IN_MINUTES,
            "maximum": links.MAX_EXPIRES_IN_MINUTES,
            "default": links.DEFAULT_EXPIRES_IN_MINUTES}, "description": "Link lifetime."},
        "destination": {"name": "destination", "in": "query", "description":
                        "Portal section the link opens.", "schema": {
                            "type": "string", "enum": list(links.DESTINATIONS)}},
        "source": {"name": "source", "in": "query", "description": "Which flow minted the "
                   "link (e.g. `klaviyo-winback`), counted in the link statistics.",
                   "schema": {"type": "string", "pattern": "^[a-z0-9_-]{1,64}$"}},
        "locale": {"name": "locale", "in": "query", "description": "Portal language.",
                   "schema": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"}},
        "api_key": {"name": DEPRECATED_QUERY_PARAMETER, "in": "query", "deprecated": True,
                    "description": f"Deprecated: send `{API_KEY_HEADER}`. Answers carry "
                    f"`Deprecation: true` and `Sunset: {SUNSET}`.",
                    "schema": {"type": "string"}},
    }


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
                "parameters": [_ref("parameters", "customerIdPath"), *MINT_OPTIONS],
                "responses": {"200": _ok("ManageSubscriptionLinkDetails", "The link."),
                              **_errors("getManageSubscriptionLinkById")},
            }},
            base: {"get": {
                "operationId": "getManageSubscriptionLink",
                "summary": "Mint a portal link for a customer id or email",
                "parameters": [_ref("parameters", "customerIdQuery"),
                               _ref("parameters", "emailId"), *MINT_OPTIONS],
                "responses": {"200": _ok("ManageSubscriptionLink", "The link."),
                              **_errors("getManageSubscriptionLink")},
            }},
            f"{base}/revoke": {"post": {
                "operationId": "revokeManageSubscriptionLinks",
                "summary": "Void every outstanding link of a customer",
                "parameters": [{**_ref("parameters", "customerIdQuery")},
                               _ref("parameters", "api_key")],
                "responses": {"200": _ok("RevokedLinks", "Links issued before are void."),
                              **_errors("revokeManageSubscriptionLinks")},
            }},
            "/api/external/v2/subscription-contract-details/customers": {"get": {
                "operationId": "listSubscriptionCustomers",
                "summary": "Customers with subscription contracts, paged",
                "description": "From the app's mirror of the shop's contracts (`sync` imports "
                "it, webhooks keep it fresh); no Shopify call.",
                "parameters": [_ref("parameters", name) for name in (
                    "name", "email", "activeMoreThanOneSubscription", "page", "size", "sort",
                    "api_key")],
                "responses": {
                    "200": {
                        "description": "One page of customers.",
                        "headers": {
                            **RATE_HEADERS,
                            "X-Total-Count": _ref("headers", "X-Total-Count"),
                            "Link": _ref("headers", "Link"),
                        },
                        "content": {"application/json": {
                            "schema": _ref("schemas", "CustomerSummaryList")}},
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
        "components": {
            "securitySchemes": {
                "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": API_KEY_HEADER},
                "ApiKeyQuery": {"type": "apiKey", "in": "query",
                                "name": DEPRECATED_QUERY_PARAMETER,
                                "description": "Deprecated; see the api_key parameter."},
            },
            "parameters": {**_parameters(), **_listing_parameters()},
            "schemas": _schemas(),
            "headers": {
                "RateLimit-Limit": _header("Requests allowed per minute for this key."),
                "RateLimit-Remaining": _header("Requests left in the current minute."),
                "RateLimit-Reset": _header("Seconds until the window resets."),
                "Retry-After": _header("Seconds to wait before retrying (429 always; 503 with "
                                       "`shopify_unavailable`)."),
                "WWW-Authenticate": _header("`ApiKey header=\"X-API-Key\"`.", "string"),
                "Deprecation": _header("`true` when the deprecated api_key parameter was used.",
                                       "string"),
                "X-Total-Count": _header("Customers matching the filters, across pages."),
                "Link": _header("RFC 8288 links to the `next`, `prev`, `last` and `first` "
                                "pages (relative URLs).", "string"),
            },
        },
    }
