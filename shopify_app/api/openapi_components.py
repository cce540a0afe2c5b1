"""The reusable parts of the external API's OpenAPI document (`components`): parameters,
schemas and headers, built from the same constants the code uses. `openapi` lays out the paths
and the errors of each operation on top of them.
"""

from __future__ import annotations

from typing import Any

from shopify_app.api import customer_listing, idempotency
from shopify_app.api.guard import API_KEY_HEADER, DEPRECATED_QUERY_PARAMETER, SUNSET
from shopify_app.links import bulk, minting

_LINK = "Magic link to the customer portal, with its bearer token."
_ISO_UTC = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{3})?Z$"


def ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _header(description: str, schema_type: str = "integer") -> dict[str, Any]:
    return {"description": description, "schema": {"type": schema_type}}


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
                 f"{customer_listing.MAX_SORTS}); fields: {sorts} (`id` is `customerId`). "
                 "Default `id,desc`, as Appstle; "
                 "empty values sort last in both directions; ties go by customerId.",
                 "schema": {"type": "array", "items": {"type": "string"}}},
    }


_SHORT = {"type": "string", "format": "uri", "description": "With `short=true`: "
          "`https://{storefront}/{prefix}/{subpath}/l/{code}`, for SMS; opens the same link."}


def _bulk_schemas(link: dict[str, Any], expiry: dict[str, Any],
                  item_codes: tuple[str, ...]) -> dict[str, Any]:
    flag = {"type": "boolean"}
    return {
        "BulkMintRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["items"],
            "properties": {"items": {
                "type": "array", "minItems": 1, "maxItems": bulk.MAX_ITEMS,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "description": "`customerId` (wins) or `emailId`, and the single mint's "
                    "options.",
                    "properties": {
                        "customerId": {"type": ["integer", "string"]},
                        "emailId": {"type": "string", "maxLength": 254},
                        "expiresInMinutes": {"type": ["integer", "string"]},
                        "destination": {"type": "string", "enum": list(minting.DESTINATIONS)},
                        "source": {"type": "string"},
                        "locale": {"type": "string"},
                        "singleUse": flag,
                        "short": flag,
                    },
                },
            }},
        },
        "BulkMintResult": {
            "type": "object",
            "additionalProperties": False,
            "required": ["results", "minted", "failed"],
            "properties": {
                "results": {"type": "array", "maxItems": bulk.MAX_ITEMS,
                            "items": ref("schemas", "BulkMintItemResult")},
                "minted": {"type": "integer", "minimum": 0},
                "failed": {"type": "integer", "minimum": 0},
            },
        },
        "BulkMintItemResult": {
            "type": "object",
            "additionalProperties": False,
            "required": ["index"],
            "description": "Either the link (`manageSubscriptionLink` …) or `error`.",
            "properties": {
                "index": {"type": "integer", "minimum": 0},
                "customerId": {"type": "integer", "minimum": 1},
                "emailId": {"type": "string"},
                "manageSubscriptionLink": link,
                "tokenExpirationTime": expiry,
                "expiresInMinutes": {"type": "integer"},
                "portalUrl": {"type": "string", "format": "uri"},
                "shortLink": _SHORT,
                "error": {"$ref": "#/components/schemas/Problem",
                          "properties": {"code": {"enum": list(item_codes)}}},
            },
        },
    }


def _schemas(all_codes: tuple[str, ...], item_codes: tuple[str, ...]) -> dict[str, Any]:
    link = {"type": "string", "format": "uri", "description": _LINK}
    expiry = {"type": "string", "format": "date-time", "pattern": _ISO_UTC,
              "description": "When the link stops working, ISO 8601 UTC."}
    return {
        **_bulk_schemas(link, expiry, item_codes),
        "ManageSubscriptionLink": {
            "type": "object",
            "additionalProperties": False,
            "required": ["manageSubscriptionLink", "tokenExpirationTime"],
            "properties": {"manageSubscriptionLink": link, "tokenExpirationTime": expiry,
                           "shortLink": _SHORT},
        },
        "ManageSubscriptionLinkDetails": {
            "type": "object",
            "additionalProperties": False,
            "required": ["manageSubscriptionLink", "tokenExpirationTime", "expiresInMinutes",
                         "customerId", "portalUrl"],
            "properties": {
                "manageSubscriptionLink": link,
                "tokenExpirationTime": expiry,
                "expiresInMinutes": {"type": "integer", "minimum": minting.MIN_EXPIRES_IN_MINUTES,
                                     "maximum": minting.MAX_EXPIRES_IN_MINUTES},
                "customerId": {"type": "integer", "minimum": 1},
                "portalUrl": {"type": "string", "format": "uri",
                              "description": "The portal without a token (customers log in)."},
                "shortLink": _SHORT,
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
            "items": ref("schemas", "CustomerSummary"),
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
                "code": {"type": "string", "enum": list(all_codes), "description":
                         "Stable; integrators branch on it. Each operation lists the codes it "
                         "answers. `not_found` and `method_not_allowed` come from the router "
                         "for a path or method no operation serves; `internal_error` is a "
                         "failure on our side (no details are disclosed)."},
                "parameter": {"type": "string", "description": "The offending parameter "
                              "(`items[3].source` in a bulk mint)."},
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
            "type": "integer", "minimum": minting.MIN_EXPIRES_IN_MINUTES,
            "maximum": minting.MAX_EXPIRES_IN_MINUTES,
            "default": minting.DEFAULT_EXPIRES_IN_MINUTES},
            "description": "Link lifetime; without it, the shop's default link lifetime "
                           "(120 unless the merchant changed it)."},
        "destination": {"name": "destination", "in": "query", "description":
                        "Portal section the link opens.", "schema": {
                            "type": "string", "enum": list(minting.DESTINATIONS)}},
        "source": {"name": "source", "in": "query", "description": "Which flow minted the "
                   "link (e.g. `klaviyo-winback`), counted in the link statistics.",
                   "schema": {"type": "string", "pattern": "^[a-z0-9_-]{1,64}$"}},
        "locale": {"name": "locale", "in": "query", "description": "Portal language.",
                   "schema": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"}},
        "singleUse": {"name": "singleUse", "in": "query", "description": "`true`: the link "
                      "opens the portal once; `false`: until it expires. Absent: the shop's "
                      "link policy.", "schema": {"type": "string", "enum": ["true", "false"]}},
        "short": {"name": "short", "in": "query", "description": "`true` adds `shortLink`.",
                  "schema": {"type": "string", "enum": ["true", "false"], "default": "false"}},
        "Idempotency-Key": {"name": idempotency.HEADER, "in": "header", "description":
                            "Makes a retry safe: within 24 h the same key and body answer the "
                            "first request's links; the same key with another body is 422.",
                            "schema": {"type": "string", "minLength": 1,
                                       "maxLength": idempotency.MAX_KEY_LENGTH}},
        "api_key": {"name": DEPRECATED_QUERY_PARAMETER, "in": "query", "deprecated": True,
                    "description": f"Deprecated: send `{API_KEY_HEADER}`. Answers carry "
                    f"`Deprecation: true` and `Sunset: {SUNSET}`.",
                    "schema": {"type": "string"}},
    }


def components(all_codes: tuple[str, ...], item_codes: tuple[str, ...]) -> dict[str, Any]:
    """The document's `components`: security schemes, parameters, schemas and headers;
    `all_codes` is every problem `code` the API answers, `item_codes` those of a bulk item."""
    return {
        "securitySchemes": {
            "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": API_KEY_HEADER},
            "ApiKeyQuery": {"type": "apiKey", "in": "query",
                            "name": DEPRECATED_QUERY_PARAMETER,
                            "description": "Deprecated; see the api_key parameter."},
        },
        "parameters": {**_parameters(), **_listing_parameters()},
        "schemas": _schemas(all_codes, item_codes),
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
            # Absent from a replayed answer (nothing was counted): not required.
            "Bulk-RateLimit-Limit": {**_header("Links a minute this key may mint in bulk."),
                                     "required": False},
            "Bulk-RateLimit-Remaining": {**_header("Bulk links left in the current minute."),
                                         "required": False},
            "Bulk-RateLimit-Reset": {**_header("Seconds until the bulk window resets."),
                                     "required": False},
            "Idempotent-Replayed": {**_header("`true`: the stored answer of an earlier request "
                                              "with this Idempotency-Key.", "string"),
                                    "required": False},
            "Link": _header("RFC 8288 links to the `next`, `prev`, `last` and `first` "
                            "pages (relative URLs).", "string"),
        },
    }
