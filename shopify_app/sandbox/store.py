"""`SimulatedStore`: Shopify's Admin API for the sandbox and the tests, in memory.

It holds shops, customers, contracts, drafts, orders, payment methods, tokens and faults, and
answers GraphQL by executing it with graphql-core against `schema.graphql`, a strict subset of
Shopify's schema. It stands in for Shopify only because Shopify cannot be reached here.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache, partial
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute,
    parse,
    validate,
)

from shopify_app.sandbox.catalog import Catalog
from shopify_app.sandbox.clock import Clock, system_clock
from shopify_app.sandbox.costs import Bucket, cost_extension, query_cost
from shopify_app.sandbox.faults import FaultQueue
from shopify_app.sandbox.oauth import ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL, IssuedTokens, TokenBook
from shopify_app.sandbox.records import (
    BillingAttemptRecord,
    ContractRecord,
    CustomerRecord,
    DiscountCode,
    DraftRecord,
    OrderRecord,
    PaymentMethodRecord,
    SentEmail,
    ShopRecord,
)
from shopify_app.sandbox.schema import load_schema

MAX_QUERY_COST = 1000  # Shopify refuses single queries above this
_DISCOUNT_NAMESPACE = uuid.UUID("0b6a3f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")


@dataclass(frozen=True)
class GraphQLAnswer:
    status: int
    body: dict[str, Any]
    headers: Mapping[str, str]


@lru_cache(maxsize=256)
def _prepare(query: str) -> tuple[DocumentNode | None, tuple[str, ...]]:
    """Parse and validate once per distinct query text (the app sends a handful)."""
    try:
        document = parse(query)
    except GraphQLError as exc:
        return None, (exc.message,)
    errors = validate(load_schema(), document)
    return document, tuple(e.message for e in errors)


Resolver = Callable[..., Any]


@dataclass(frozen=True)
class Resolvers:
    """The root fields the store answers, by name (`sandbox/queries.py`, `sandbox/mutations.py`)."""

    query: Mapping[str, Resolver]
    mutation: Mapping[str, Resolver]


class SimulatedStore:
    """In-memory Shopify: data, tokens, costs and faults, answering GraphQL with `resolvers`.
    `now` is injected so tests control time. Made, with its resolvers and the demo data, by
    `sandbox.simulation.simulated_store`; the store itself knows neither."""

    def __init__(self, resolvers: Resolvers, now: Clock = system_clock) -> None:
        self.resolvers = resolvers
        self.now = now
        self.shops: dict[str, ShopRecord] = {}
        self.customers: dict[int, CustomerRecord] = {}
        self.contracts: dict[int, ContractRecord] = {}
        self.drafts: dict[int, DraftRecord] = {}
        self.orders: dict[int, OrderRecord] = {}
        self.payment_methods: dict[str, PaymentMethodRecord] = {}
        self.discount_codes: dict[str, dict[str, DiscountCode]] = {}
        self.sent_emails: list[SentEmail] = []
        self.billing_attempts: list[BillingAttemptRecord] = []
        self.catalog = Catalog()
        self.tokens = TokenBook(now)
        self.faults = FaultQueue()
        self.concurrent_edits: set[int] = set()  # edited elsewhere while our next draft is open
        self.buckets: dict[str, Bucket] = {}
        self.enforce_throttle = False
        self.requests: list[tuple[str, str]] = []  # (shop, operation name) per GraphQL call
        self._next_draft_id = 1
        self._next_discount = 1

    # --- state -------------------------------------------------------------------------------

    def add_shop(
        self,
        shop: ShopRecord,
        *,
        access_token: str | None = None,
        discount_codes: Iterable[DiscountCode] = (),
    ) -> None:
        self.shops[shop.domain] = shop
        self.discount_codes[shop.domain] = {c.code.upper(): c for c in discount_codes}
        self.buckets[shop.domain] = Bucket(2000.0, self.now())
        if access_token:
            self.tokens.set_static_token(shop.domain, access_token)

    def add_customer(self, customer: CustomerRecord) -> None:
        self.customers[customer.id] = customer

    def add_payment_method(self, method: PaymentMethodRecord) -> None:
        self.payment_methods[method.id] = method

    def add_contract(self, contract: ContractRecord) -> None:
        self.contracts[contract.id] = contract

    def add_order(self, order: OrderRecord) -> None:
        self.orders[order.id] = order

    def customer(self, shop: str, customer_id: int | None) -> CustomerRecord | None:
        found = self.customers.get(customer_id) if customer_id is not None else None
        return found if found is not None and found.shop == shop else None

    def contract(self, shop: str, contract_id: int | None) -> ContractRecord | None:
        found = self.contracts.get(contract_id) if contract_id is not None else None
        return found if found is not None and found.shop == shop else None

    def draft(self, shop: str, draft_id: int | None) -> DraftRecord | None:
        found = self.drafts.get(draft_id) if draft_id is not None else None
        if found is None or self.contracts[found.contract_id].shop != shop:
            return None
        return found

    def new_draft(self, contract: ContractRecord) -> DraftRecord:
        draft = DraftRecord(
            id=self._next_draft_id,
            contract_id=contract.id,
            terms=contract.terms.copy(),
            base_revision=contract.revision,
        )
        self._next_draft_id += 1
        self.drafts[draft.id] = draft
        return draft

    def new_discount_id(self) -> str:
        value = uuid.uuid5(_DISCOUNT_NAMESPACE, str(self._next_discount))
        self._next_discount += 1
        return f"gid://shopify/SubscriptionManualDiscount/{value}"

    def contracts_of(self, customer_id: int) -> list[ContractRecord]:
        return sorted(
            (c for c in self.contracts.values() if c.customer_id == customer_id),
            key=lambda c: c.id,
        )

    # --- credentials -------------------------------------------------------------------------

    def issue_tokens(
        self,
        shop: str,
        ttl: timedelta | None = ACCESS_TOKEN_TTL,
        refresh_ttl: timedelta = REFRESH_TOKEN_TTL,
    ) -> IssuedTokens:
        """Fresh (by default expiring) credentials for `shop`; its earlier tokens stop working."""
        return self.tokens.issue(shop, ttl=ttl, refresh_ttl=refresh_ttl)

    def register_app(self, client_id: str, client_secret: str) -> None:
        """An app allowed at the token endpoint."""
        self.tokens.register_app(client_id, client_secret)

    @property
    def refresh_count(self) -> Counter[str]:
        """Refresh-token grants per shop (0 for a shop that never refreshed)."""
        return self.tokens.refresh_count

    def token_of(self, shop: str) -> str:
        """A currently valid access token of `shop` (tests hand it to our Shop row)."""
        for token, grant in self.tokens.access.items():
            if grant.shop == shop and self.tokens.shop_of(token) == shop:
                return token
        raise KeyError(f"{shop} has no valid access token")

    # --- GraphQL -----------------------------------------------------------------------------

    def graphql(self, shop: str, body: Mapping[str, Any]) -> GraphQLAnswer:
        """Answer one authenticated GraphQL request of `shop` (faults and costs included)."""
        bucket = self.buckets[shop]
        fault = self.faults.take(shop)
        if fault is not None and fault.kind != "throttled":
            status = int(fault.kind.removeprefix("http_"))
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return GraphQLAnswer(status, {"errors": "Service unavailable"}, headers)
        query = body.get("query")
        variables = body.get("variables") or {}
        if not isinstance(query, str) or not isinstance(variables, dict):
            return GraphQLAnswer(400, {"errors": {"query": "Required parameter missing"}}, {})
        document, problems = _prepare(query)
        if document is None or problems:
            return GraphQLAnswer(200, {"errors": [{"message": m} for m in problems]}, {})
        operation, fragments = _parts(document, body.get("operationName"))
        if operation is None:
            errors = [{"message": "An operation name is required"}]
            return GraphQLAnswer(200, {"errors": errors}, {})
        cost = query_cost(load_schema(), operation, fragments, variables)
        if cost > MAX_QUERY_COST:
            message = f"Query cost is {cost}, which exceeds the single query max cost limit."
            error = {"message": message, "extensions": {"code": "MAX_COST_EXCEEDED", "cost": cost}}
            return GraphQLAnswer(200, {"errors": [error]}, {})
        now = self.now()
        allowed = fault is None and bucket.spend(cost, now, enforce=self.enforce_throttle)
        if not allowed:
            extensions = cost_extension(cost, 0, bucket.status(now))
            error = {"message": "Throttled", "extensions": {"code": "THROTTLED"}}
            return GraphQLAnswer(200, {"errors": [error], "extensions": extensions}, {})
        self.requests.append((shop, operation.name.value if operation.name else ""))
        result = execute(
            load_schema(),
            document,
            root_value=self._root_value(operation),
            context_value=Context(self, shop),
            variable_values=variables,
            operation_name=body.get("operationName"),
        )
        # Every resolver is synchronous, so the result is too.
        assert isinstance(result, ExecutionResult)
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            answer["errors"] = [e.formatted for e in result.errors]
        answer["extensions"] = cost_extension(cost, cost, bucket.status(now))
        return GraphQLAnswer(200, answer, {})

    def _root_value(self, operation: OperationDefinitionNode) -> dict[str, Any]:
        """graphql-core's default resolver calls a callable root value with `(info, **args)`."""
        is_mutation = operation.operation == OperationType.MUTATION
        resolvers = self.resolvers.mutation if is_mutation else self.resolvers.query
        return {name: partial(resolver, None) for name, resolver in resolvers.items()}


@dataclass(frozen=True)
class Context:
    """Who is asking: the store and the shop whose token authenticated the request."""

    store: SimulatedStore
    shop: str

    @property
    def currency(self) -> str:
        return self.store.shops[self.shop].currency


def _parts(
    document: DocumentNode, name: Any
) -> tuple[OperationDefinitionNode | None, dict[str, FragmentDefinitionNode]]:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    if isinstance(name, str):
        chosen = [o for o in operations if o.name is not None and o.name.value == name]
        return (chosen[0] if chosen else None), fragments
    return (operations[0] if len(operations) == 1 else None), fragments
