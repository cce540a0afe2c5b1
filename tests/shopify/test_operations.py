"""Every GraphQL operation the app sends: one per file, named after it, valid against Shopify's
published schema AND against the simulated store's subset (so the sandbox can answer it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    FragmentDefinitionNode,
    GraphQLSchema,
    NoDeprecatedCustomRule,
    OperationDefinitionNode,
    parse,
    specified_rules,
    validate,
)

from shopify_app.sandbox.costs import query_cost
from shopify_app.sandbox.schema import load_schema
from shopify_app.sandbox.store import MAX_QUERY_COST
from shopify_app.shopify import operations

OPERATION_FILES = sorted(operations.OPERATIONS_DIR.glob("*.graphql"))
# What the interfaces promise; the portal, link API and install code call these by name.
REQUIRED = {
    "ShopInfo",
    "CustomerById",
    "CustomersByEmail",
    "PortalOverview",
    "PortalContract",
    "SubscriptionContractPause",
    "SubscriptionContractActivate",
    "SubscriptionContractCancel",
    "SubscriptionBillingCycleSkip",
    "SubscriptionBillingCycleUnskip",
    "SubscriptionContractSetNextBillingDate",
    "SubscriptionContractUpdate",
    "SubscriptionDraftUpdate",
    "SubscriptionDraftLineUpdate",
    "SubscriptionDraftDiscountCodeApply",
    "SubscriptionDraftDiscountRemove",
    "SubscriptionDraftCommit",
    "CustomerPaymentMethodSendUpdateEmail",
}


def test_required_operations_exist() -> None:
    assert set(operations.names()) >= REQUIRED


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.stem)
def test_one_operation_named_after_its_file(path: Path) -> None:
    document = parse(path.read_text(encoding="utf-8"))
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(ops) == 1
    assert ops[0].name is not None
    assert ops[0].name.value == path.stem
    assert operations.load(path.stem) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.stem)
def test_valid_against_shopify(path: Path, shopify_schema: GraphQLSchema) -> None:
    # Deprecated fields are also refused: they disappear in a later version.
    rules = [*specified_rules, NoDeprecatedCustomRule]
    errors = validate(shopify_schema, parse(path.read_text(encoding="utf-8")), rules)
    assert [e.message for e in errors] == []


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.stem)
def test_valid_against_simulated_store(path: Path, sandbox_schema: GraphQLSchema) -> None:
    errors = validate(sandbox_schema, parse(path.read_text(encoding="utf-8")))
    assert [e.message for e in errors] == []


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.stem)
def test_cost_stays_under_shopifys_single_query_cap(path: Path) -> None:
    """Shopify refuses a query whose requested cost exceeds 1000 points (`first` variables at
    their 250 maximum here)."""
    document = parse(path.read_text(encoding="utf-8"))
    (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    cost = query_cost(load_schema(), operation, fragments, {"first": 250})
    assert cost <= MAX_QUERY_COST
