"""Headers every answer carries, added once for the whole app.

- `X-Content-Type-Options: nosniff` everywhere: a browser never guesses a type we did not send
  (a JSON error rendered as HTML, a Liquid page run as script).
- `Content-Security-Policy: frame-ancestors 'none'` on HTML that sets no policy of its own: the
  standalone portal and every friendly error page cannot be framed (clickjacking). The embedded
  admin sends its shop-specific `frame-ancestors` itself, and that one is kept. Liquid pages are
  rendered by Shopify inside the storefront's theme, which decides their framing.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_NOSNIFF = (b"x-content-type-options", b"nosniff")
_NO_FRAMING = (b"content-security-policy", b"frame-ancestors 'none'")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # One pass over the headers (this runs for every answer, mints included).
                headers = list(message.get("headers") or ())
                sniff = html = policy = False
                for name, value in headers:
                    lowered = name.lower()
                    if lowered == b"content-type":
                        html = value.startswith(b"text/html")
                    elif lowered == b"x-content-type-options":
                        sniff = True
                    elif lowered == b"content-security-policy":
                        policy = True
                if not sniff:
                    headers.append(_NOSNIFF)
                if html and not policy:
                    headers.append(_NO_FRAMING)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def harden(response: Response) -> Response:
    """The same headers on a response built outside the middleware (the 500 page, rendered by
    Starlette's outermost error middleware)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.headers.get("content-type", "").startswith("text/html"):
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
    return response
