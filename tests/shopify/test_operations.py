"""Every GraphQL operation the app sends: one per file, named after it, and the document `load`
assembles from it and its fragments valid against Shopify's published schema AND against the
simulated store's subset (so the sandbox can answer it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    DocumentNode,
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
FRAGMENT_FILES = sorted(operations.FRAGMENTS_DIR.glob("*.graphql"))
# What the interfaces promise; the portal, link API and install code call these by name.
REQUIRED = {
    "ShopInfo",
    "CustomerById",
    "CustomersByEmail",
    "PortalOverview",
    "PortalContract",
    "PortalOrders",
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
    # Fragments live in their own files, never inside an operation's.
    assert all(isinstance(d, OperationDefinitionNode) for d in document.definitions)
    (op,) = document.definitions
    assert isinstance(op, OperationDefinitionNode)
    assert op.name is not None
    assert op.name.value == path.stem
    assert operations.load(path.stem).startswith(path.read_text(encoding="utf-8").rstrip("\n"))


@pytest.mark.parametrize("path", FRAGMENT_FILES, ids=lambda p: p.stem)
def test_one_fragment_named_after_its_file(path: Path) -> None:
    (definition,) = parse(path.read_text(encoding="utf-8")).definitions
    assert isinstance(definition, FragmentDefinitionNode)
    assert definition.name.value == path.stem


def test_every_fragment_is_used() -> None:
    used = {n for name in operations.names() for n in _fragments(_assembled(name))}
    assert used == set(operations.fragment_names())


def test_nested_fragments_are_appended_once() -> None:
    document = operations.load("CustomersByEmail")
    # CustomerLookupFields spreads CustomerFields: both come along, each defined once.
    assert sorted(_fragments(parse(document))) == ["CustomerFields", "CustomerLookupFields"]
    assert operations.load("SubscriptionContractPause") == (
        operations.OPERATIONS_DIR / "SubscriptionContractPause.graphql"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["Nope", "../operations/ShopInfo", ""])
def test_unknown_operations_and_fragments(name: str) -> None:
    with pytest.raises(KeyError):
        operations.load(name)
    with pytest.raises(KeyError):
        operations.fragment(name)


def _assembled(name: str) -> DocumentNode:
    return parse(operations.load(name))


def _fragments(document: DocumentNode) -> list[str]:
    return [d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)]


@pytest.mark.parametrize("name", operations.names())
def test_valid_against_shopify(name: str, shopify_schema: GraphQLSchema) -> None:
    # Deprecated fields are also refused: they disappear in a later version.
    rules = [*specified_rules, NoDeprecatedCustomRule]
    errors = validate(shopify_schema, _assembled(name), rules)
    assert [e.message for e in errors] == []


@pytest.mark.parametrize("name", operations.names())
def test_valid_against_simulated_store(name: str, sandbox_schema: GraphQLSchema) -> None:
    errors = validate(sandbox_schema, _assembled(name))
    assert [e.message for e in errors] == []


@pytest.mark.parametrize("name", operations.names())
def test_cost_stays_under_shopifys_single_query_cap(name: str) -> None:
    """Shopify refuses a query whose requested cost exceeds 1000 points (`first` variables at
    their 250 maximum here)."""
    document = _assembled(name)
    (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    cost = query_cost(load_schema(), operation, fragments, {"first": 250})
    assert cost <= MAX_QUERY_COST
