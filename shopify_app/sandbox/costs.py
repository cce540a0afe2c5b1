"""Query cost and the leaky bucket behind `extensions.cost`, after Shopify's published rules.

Scalars and enums cost 0, objects 1, a connection 2 plus `first` times its node's cost, a
list of nodes by id (`nodes(ids:)`) its objects' cost per id, a mutation 10. The bucket
holds 2000 points and restores 100 a second (standard plan).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
    value_from_ast_untyped,
)

MUTATION_COST = 10
_CONNECTION_PARTS = frozenset({"nodes", "edges", "node", "pageInfo"})
MAXIMUM_AVAILABLE = 2000.0
RESTORE_RATE = 100.0


def query_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> int:
    """The requested cost of `operation`."""
    if operation.operation == OperationType.MUTATION:
        root = schema.mutation_type
        base = MUTATION_COST
    else:
        root = schema.query_type
        base = 0
    assert root is not None
    return base + _selection_cost(schema, root, operation.selection_set, fragments, variables)


def _selection_cost(
    schema: GraphQLSchema,
    parent: GraphQLObjectType,
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += _field_cost(schema, parent, selection, fragments, variables)
        elif isinstance(selection, InlineFragmentNode):
            target = parent
            if selection.type_condition is not None:
                named = schema.get_type(selection.type_condition.name.value)
                target = named if isinstance(named, GraphQLObjectType) else parent
            total += _selection_cost(schema, target, selection.selection_set, fragments, variables)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                named = schema.get_type(fragment.type_condition.name.value)
                target = named if isinstance(named, GraphQLObjectType) else parent
                total += _selection_cost(
                    schema, target, fragment.selection_set, fragments, variables
                )
    return total


def _field_cost(
    schema: GraphQLSchema,
    parent: GraphQLObjectType,
    node: FieldNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> int:
    definition = parent.fields.get(node.name.value)
    if definition is None:
        return 0  # __typename and friends
    named = get_named_type(definition.type)
    if not is_composite_type(named):
        return 0
    # Unions: cost the selections as seen from each member (fragments name their types).
    target = named if isinstance(named, GraphQLObjectType) else parent
    child = _selection_cost(schema, target, node.selection_set, fragments, variables)
    first = _argument(node, "first", variables)
    if isinstance(first, int):
        return 2 + first * child
    ids = _argument(node, "ids", variables)
    if is_list_type(get_nullable_type(definition.type)) and isinstance(ids, list):
        return len(ids) * (1 + child)  # `nodes(ids:)`: one object per id asked for
    if node.name.value in _CONNECTION_PARTS:
        return child  # the connection already paid for its nodes
    return 1 + child


def _argument(node: FieldNode, name: str, variables: Mapping[str, Any]) -> Any:
    for argument in node.arguments or ():
        if argument.name.value == name:
            if isinstance(argument.value, VariableNode):
                return variables.get(argument.value.name.value)
            return value_from_ast_untyped(argument.value, dict(variables))
    return None


@dataclass
class Bucket:
    """One shop's leaky bucket. Unless `enforce` is set it only reports (tests inject
    throttling through faults), so a frozen clock never starves a test."""

    available: float
    updated_at: datetime

    def status(self, now: datetime) -> dict[str, float]:
        self._restore(now)
        return {
            "maximumAvailable": MAXIMUM_AVAILABLE,
            "currentlyAvailable": float(int(self.available)),
            "restoreRate": RESTORE_RATE,
        }

    def _restore(self, now: datetime) -> None:
        elapsed = max((now - self.updated_at).total_seconds(), 0.0)
        self.available = min(MAXIMUM_AVAILABLE, self.available + elapsed * RESTORE_RATE)
        self.updated_at = now

    def spend(self, cost: int, now: datetime, *, enforce: bool) -> bool:
        """True when the request may run. Not enforcing, the bucket refills at once."""
        self._restore(now)
        if not enforce:
            self.available = MAXIMUM_AVAILABLE - cost
            return True
        if cost > self.available:
            return False
        self.available -= cost
        return True

    def refill(self) -> None:
        self.available = MAXIMUM_AVAILABLE


def cost_extension(requested: int, actual: int, status: dict[str, float]) -> dict[str, Any]:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": status,
        }
    }
