"""Request bodies read with a bound: a hostile client never makes us hold more than we chose."""

from __future__ import annotations

from starlette.requests import Request

from shopify_app.errors import PayloadTooLarge


def refuse_declared_excess(request: Request, limit: int, what: str) -> None:
    """413 at once when `Content-Length` already says more than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    # ASCII digits only, and few of them: int() of "²" or of 5000 digits raises ValueError.
    if declared.isascii() and declared.isdigit() and (len(declared) > 12 or int(declared) > limit):
        raise PayloadTooLarge(f"The {what} is too large.")


async def read_body(request: Request, limit: int, what: str) -> bytes:
    """The raw body, refused (413) as soon as it passes `limit` bytes, announced or not."""
    refuse_declared_excess(request, limit, what)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The {what} is too large.")
        chunks.append(chunk)
    return b"".join(chunks)
