"""The sandbox's Shopify, assembled: a `SimulatedStore` with the Admin GraphQL resolvers and,
unless asked not to, the demo shop and its subscribers."""

from __future__ import annotations

from shopify_app.sandbox import demo, mutations, order_details, queries
from shopify_app.sandbox.clock import Clock, system_clock
from shopify_app.sandbox.store import Resolvers, SimulatedStore

RESOLVERS = Resolvers(query=queries.RESOLVERS, mutation=mutations.RESOLVERS)


def simulated_store(now: Clock = system_clock, *, seed: bool = True) -> SimulatedStore:
    store = SimulatedStore(RESOLVERS, now)
    if seed:
        demo.seed(store)
        order_details.enrich_demo_orders(store)
    return store
