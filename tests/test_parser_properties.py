"""Property-based tests (Hypothesis) of every parser of outside input: whatever arrives, each
answers a value within its contract or its documented refusal, never another exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopify_app.api import parameters
from shopify_app.errors import AppError
from shopify_app.links.customers import parse_customer_id
from shopify_app.portal.actions.requests import int_field, text_field
from shopify_app.portal.flows import parse_contract_id, parse_view
from shopify_app.shopify import domains, gids, signatures
from shopify_app.webhooks import payloads, verification

FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
SECRET = "property-secret"
ids = st.one_of(st.integers(), st.text(), st.none(), st.floats(allow_nan=True),
                st.booleans(), st.just(10**30), st.just("9" * 40))


@FAST
@given(ids)
def test_numeric_ids_are_64_bit_positive_or_none(value: object) -> None:
    found = gids.numeric_id(value)
    assert found is None or 0 < found < 2**63


@FAST
@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_gids_round_trip(number: int) -> None:
    assert gids.numeric_id(f"gid://shopify/Customer/{number}") == number


@FAST
@given(st.text(max_size=60))
def test_customer_ids_parse_or_refuse(raw: str) -> None:
    try:
        value = parse_customer_id(raw)
    except AppError as exc:
        assert exc.status == 400
    else:
        assert 0 < value < 2**63


@FAST
@given(st.one_of(st.text(max_size=40), st.datetimes(timezones=st.just(UTC)).map(
    lambda moment: moment.isoformat())))
def test_datetimes_parse_to_utc_or_none(raw: str) -> None:
    moment = gids.parse_datetime(raw)
    assert moment is None or moment.tzinfo is not None


@FAST
@given(st.text(max_size=300))
def test_shop_domains_normalise_to_myshopify_or_none(raw: str) -> None:
    shop = domains.normalize_shop_domain(raw)
    assert shop is None or (shop.endswith(".myshopify.com") and shop == shop.lower())


pairs = st.lists(st.tuples(st.text(max_size=20), st.text(max_size=40)), max_size=8)


@FAST
@given(pairs, st.integers(min_value=0, max_value=2 * 10**9))
def test_proxy_queries_verify_only_when_signed_fresh_and_unambiguous(
    extra: list[tuple[str, str]], timestamp: int
) -> None:
    query_pairs = [*extra, ("shop", "a.myshopify.com"), ("timestamp", str(timestamp))]
    signed = urlencode([*query_pairs, ("signature",
                                       signatures.sign_proxy_query(query_pairs, SECRET))])
    ok = signatures.verify_proxy_query(signed, SECRET, float(timestamp))
    names = [name for name, _ in signatures.parse_query(signed)]
    single = {"shop", "signature", "timestamp", "hmac", "logged_in_customer_id", "path_prefix"}
    ambiguous = any(names.count(name) > 1 for name in single)
    assert ok == (not ambiguous and str(timestamp) == dict(signatures.parse_query(signed))
                  .get("timestamp"))
    assert not signatures.verify_proxy_query(signed, "another-secret", float(timestamp))


@FAST
@given(st.binary(max_size=200))
def test_api_query_strings_parse_and_options_refuse_cleanly(raw: bytes) -> None:
    params = parameters.query_pairs(raw)
    try:
        parameters.parse_options(params)
        parameters.parse_target(params)
    except AppError as exc:
        assert exc.status == 400


@FAST
@given(st.text(max_size=80), st.text(max_size=30))
def test_portal_paths_and_form_fields_parse_or_refuse(path: str, value: str) -> None:
    for parse in (parse_view, parse_contract_id):
        try:
            parse(path)
        except AppError as exc:
            assert exc.status < 500
    try:
        number = int_field({"n": value}, "n")
        text_field({"t": value}, "t", 20)
    except AppError as exc:
        assert exc.status == 422
    else:
        assert number is None or 0 <= number < 10**12


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=20), st.just(10**30)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=12), children, max_size=4)),
    max_leaves=30,
)
topics = st.sampled_from(["app/uninstalled", "shop/redact", "customers/redact",
                          "customers/data_request", "subscription_contracts/update",
                          "orders/create"])


@FAST
@given(topics, st.one_of(json_values, st.dictionaries(
    st.sampled_from(["shop_domain", "myshopify_domain", "domain", "shop_id", "id",
                     "customer"]), json_values, max_size=5)))
def test_webhook_payloads_are_accepted_or_refused_cleanly(topic: str, payload: object) -> None:
    body = json.dumps(payload).encode()
    headers = {"x-shopify-hmac-sha256": signatures.sign_webhook(body, SECRET),
               "x-shopify-topic": topic, "x-shopify-shop-domain": "a.myshopify.com",
               "x-shopify-triggered-at": NOW.isoformat()}
    try:
        delivery = verification.verify_delivery(headers, body, SECRET, NOW)
    except AppError as exc:
        assert exc.status in (400, 401)
    else:
        assert isinstance(delivery.payload, dict)
        if topic in payloads.DESTRUCTIVE_SHAPES:
            assert payloads.DESTRUCTIVE_SHAPES[topic](delivery.payload)


def test_deep_nesting_is_a_clean_refusal() -> None:
    body = b"[" * 10_000 + b"]" * 10_000
    headers = {"x-shopify-hmac-sha256": signatures.sign_webhook(body, SECRET),
               "x-shopify-topic": "orders/create", "x-shopify-shop-domain": "a.myshopify.com",
               "x-shopify-triggered-at": NOW.isoformat()}
    try:
        verification.verify_delivery(headers, body, SECRET, NOW)
    except AppError as exc:
        assert exc.status == 400
