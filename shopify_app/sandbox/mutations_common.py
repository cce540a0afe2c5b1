"""What every mutation resolver shares: the caller's context, lookups, `userErrors`."""

from __future__ import annotations

from shopify_app.sandbox.paging import View
from shopify_app.sandbox.records import ContractRecord, parse_numeric_gid
from shopify_app.sandbox.store import Context
from shopify_app.sandbox.views import Info

TERMINATED = ("CANCELLED", "EXPIRED")


def user_error(field: list[str] | None, message: str, code: str | None = "INVALID") -> View:
    return {"field": field, "message": message, "code": code}


def ctx_of(info: Info) -> Context:
    return info.context


def contract_of(ctx: Context, value: str) -> ContractRecord | None:
    return ctx.store.contract(ctx.shop, parse_numeric_gid(value, "SubscriptionContract"))


def touch(ctx: Context, contract: ContractRecord) -> None:
    """Record a change: bumps the revision drafts are checked against."""
    contract.revision += 1
    contract.updated_at = ctx.store.now()
