"""CORS for the extension, and only under `/customer-account/api/`.

Customer account UI extensions run in a Web Worker whose origin Shopify does not promise
(it may change without notice), so Shopify asks backends to answer `Access-Control-Allow-Origin: *`.
That is safe here because nothing rides on ambient credentials: the bearer session token is
the only proof, `Access-Control-Allow-Credentials` is never sent, and no cookie is read.
Preflights allow exactly the methods and headers the endpoints use.
"""

from __future__ import annotations

from collections.abc import Mapping

from shopify_app.errors import AppError, Forbidden

ALLOWED_METHODS = ("GET", "POST", "OPTIONS")
ALLOWED_HEADERS = frozenset({"authorization", "content-type", "accept", "accept-language"})
MAX_AGE_SECONDS = 600

RESPONSE_HEADERS: Mapping[str, str] = {
    "Access-Control-Allow-Origin": "*",
    # What the extension may read besides the safelisted headers.
    "Access-Control-Expose-Headers": "Content-Language",
    "Vary": "Origin",
}


class PreflightRefused(Forbidden):
    code = "cors_preflight_refused"
    title = "This cross-origin request is not allowed"


def preflight_headers(method: str | None, requested_headers: str | None) -> dict[str, str]:
    """The answer to a preflight asking for `method` with `requested_headers`, or
    `PreflightRefused` naming what is not allowed."""
    if not method or method.upper() not in ALLOWED_METHODS:
        raise PreflightRefused("Only GET and POST are allowed here.")
    asked = {h.strip().lower() for h in (requested_headers or "").split(",") if h.strip()}
    if not asked <= ALLOWED_HEADERS:
        raise PreflightRefused(
            "Only Authorization, Content-Type, Accept and Accept-Language are allowed."
        )
    return {
        **RESPONSE_HEADERS,
        "Access-Control-Allow-Methods": ", ".join(ALLOWED_METHODS),
        "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept, Accept-Language",
        "Access-Control-Max-Age": str(MAX_AGE_SECONDS),
    }


def error_headers(error: AppError) -> dict[str, str]:
    """An error's own headers plus CORS, so the extension can read why it was refused."""
    return {**error.headers, **RESPONSE_HEADERS}
