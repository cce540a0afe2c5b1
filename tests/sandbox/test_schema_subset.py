"""The simulated store's schema is a strict subset of Shopify's: same names, same types."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    is_non_null_type,
)


def _own_types(schema: GraphQLSchema) -> dict[str, object]:
    return {n: t for n, t in schema.type_map.items() if not n.startswith("__")}


def test_every_type_exists_with_the_same_kind(
    sandbox_schema: GraphQLSchema, shopify_schema: GraphQLSchema
) -> None:
    for name, ours in _own_types(sandbox_schema).items():
        theirs = shopify_schema.type_map.get(name)
        assert theirs is not None, name
        assert type(ours) is type(theirs), name


def test_every_field_and_argument_has_shopifys_type(
    sandbox_schema: GraphQLSchema, shopify_schema: GraphQLSchema
) -> None:
    checked = 0
    for name, ours in _own_types(sandbox_schema).items():
        if not isinstance(ours, GraphQLObjectType | GraphQLInterfaceType):
            continue
        theirs = shopify_schema.type_map[name]
        assert isinstance(theirs, GraphQLObjectType | GraphQLInterfaceType)
        for field_name, field in ours.fields.items():
            real = theirs.fields.get(field_name)
            assert real is not None, f"{name}.{field_name}"
            assert str(field.type) == str(real.type), f"{name}.{field_name}"
            for arg_name, arg in field.args.items():
                real_arg = real.args.get(arg_name)
                assert real_arg is not None, f"{name}.{field_name}({arg_name})"
                assert str(arg.type) == str(real_arg.type), f"{name}.{field_name}({arg_name})"
            # Shopify's required arguments must be there, or our queries could omit them.
            for arg_name, real_arg in real.args.items():
                if is_non_null_type(real_arg.type) and real_arg.default_value is None:
                    assert arg_name in field.args, f"{name}.{field_name} needs {arg_name}"
            checked += 1
    assert checked > 100


def test_inputs_enums_and_unions_are_subsets(
    sandbox_schema: GraphQLSchema, shopify_schema: GraphQLSchema
) -> None:
    for name, ours in _own_types(sandbox_schema).items():
        theirs = shopify_schema.type_map[name]
        if isinstance(ours, GraphQLInputObjectType):
            assert isinstance(theirs, GraphQLInputObjectType)
            for field_name, field in ours.fields.items():
                assert str(field.type) == str(theirs.fields[field_name].type), field_name
            required = {n for n, f in theirs.fields.items() if is_non_null_type(f.type)}
            assert required <= set(ours.fields), name
        elif isinstance(ours, GraphQLEnumType):
            assert isinstance(theirs, GraphQLEnumType)
            assert set(ours.values) <= set(theirs.values), name
        elif isinstance(ours, GraphQLUnionType):
            assert isinstance(theirs, GraphQLUnionType)
            assert {t.name for t in ours.types} <= {t.name for t in theirs.types}, name


def test_roots_are_shopifys(sandbox_schema: GraphQLSchema, shopify_schema: GraphQLSchema) -> None:
    assert sandbox_schema.query_type is not None
    assert shopify_schema.query_type is not None
    assert sandbox_schema.query_type.name == shopify_schema.query_type.name
    assert sandbox_schema.mutation_type is not None
    assert shopify_schema.mutation_type is not None
    assert sandbox_schema.mutation_type.name == shopify_schema.mutation_type.name
