"""The one error tree. Services raise these; one handler renders them.

The API renders an error as RFC 9457 problem+json, the portal as a friendly page. `code` is
stable: integrators branch on it, so a code never changes meaning.
"""

from __future__ import annotations

from collections.abc import Mapping


class AppError(Exception):
    status: int = 500
    code: str = "internal_error"
    title: str = "Internal error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, object] | None = None,
    ) -> None:
        self.detail = detail or self.title
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        self.headers: dict[str, str] = dict(headers or {})
        self.extra: dict[str, object] = dict(extra or {})
        super().__init__(self.detail)

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"


class BadRequest(AppError):
    status = 400
    code = "bad_request"
    title = "Bad request"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"
    title = "Unauthorized"


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(AppError):
    status = 409
    code = "conflict"
    title = "Conflict"


class Gone(AppError):
    status = 410
    code = "gone"
    title = "Gone"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"
    title = "Request too large"


class Unprocessable(AppError):
    status = 422
    code = "unprocessable"
    title = "Unprocessable request"


class RateLimited(AppError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"

    def __init__(self, detail: str | None = None, *, retry_after: int, **kwargs: object) -> None:
        headers = dict(kwargs.pop("headers", None) or {})  # type: ignore[call-overload]
        headers["Retry-After"] = str(max(1, retry_after))
        super().__init__(detail, headers=headers, **kwargs)  # type: ignore[arg-type]
        self.retry_after = max(1, retry_after)


class ServiceUnavailable(AppError):
    status = 503
    code = "service_unavailable"
    title = "Service unavailable"

    def __init__(
        self, detail: str | None = None, *, retry_after: int = 5, **kwargs: object
    ) -> None:
        headers = dict(kwargs.pop("headers", None) or {})  # type: ignore[call-overload]
        headers["Retry-After"] = str(max(1, retry_after))
        super().__init__(detail, headers=headers, **kwargs)  # type: ignore[arg-type]
        self.retry_after = max(1, retry_after)
