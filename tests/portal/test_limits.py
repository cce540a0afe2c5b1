"""Hostile sizes: whatever a visitor sends, a bounded amount is read and a friendly page
answers, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.requests import Request

from shopify_app.errors import PayloadTooLarge
from shopify_app.http.bodies import refuse_declared_excess
from shopify_app.portal import routes
from shopify_app.sandbox.demo import DEMO_SHOP
from shopify_app.storage.models import Shop
from tests.portal.proxy_client import ProxyClient


@pytest.mark.parametrize(
    "contract",
    ["9" * 5000, "9" * 21, "-1", "1e3", "%C3%A9"],
    ids=["5000 digits", "21 digits", "negative", "exponent", "non-ascii"],
)
async def test_contract_ids_that_are_not_ids_are_not_found(
    visitor: ProxyClient, bare_shop: Shop, contract: str
) -> None:
    response = await visitor.post(f"/contracts/{contract}/pause", {"session": "x"})
    assert response.status_code == 404
    assert 'data-testid="friendly"' in response.text


@pytest.mark.parametrize(
    "form",
    [
        {f"f{i}": "x" for i in range(routes.MAX_FORM_FIELDS + 1)},
        {"token": "x" * (routes.MAX_FIELD_BYTES + 1)},
        {"session": "x" * (routes.MAX_FIELD_BYTES + 1)},
    ],
    ids=["too many fields", "long token", "long session"],
)
async def test_oversized_forms_are_refused_with_a_friendly_page(
    visitor: ProxyClient, bare_shop: Shop, form: dict[str, str]
) -> None:
    response = await visitor.post("", form)
    assert response.status_code == 400
    assert 'data-testid="friendly"' in response.text


async def test_a_body_larger_than_the_bound_is_refused_before_reading_it(
    visitor: ProxyClient, bare_shop: Shop
) -> None:
    response = await visitor.post("", {"token": "x" * (routes.MAX_BODY_BYTES + 1)})
    assert response.status_code == 413
    assert 'data-code="payload_too_large"' in response.text


async def test_an_unannounced_stream_is_cut_at_the_field_bound(
    bare_http: httpx.AsyncClient, bare_shop: Shop
) -> None:
    async def endless() -> AsyncIterator[bytes]:
        yield b"token="
        for _ in range(1000):  # 64 MB if it were all read
            yield b"x" * 65536

    url = ProxyClient(bare_http, DEMO_SHOP).url()
    response = await bare_http.post(
        url, content=endless(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    assert 'data-testid="friendly"' in response.text


@pytest.mark.parametrize(
    ("declared", "refused"),
    [
        (b"10", False),
        (b"11", True),
        (b"9" * 5000, True),  # never int()-ed: that would raise ValueError
        (b"\xb2", False),  # "²" is a digit to str.isdigit, not to int()
        (b"-1", False),
        (b"", False),
    ],
)
def test_declared_lengths(declared: bytes, refused: bool) -> None:
    request = Request({"type": "http", "headers": [(b"content-length", declared)]})
    if refused:
        with pytest.raises(PayloadTooLarge):
            refuse_declared_excess(request, 10, "form")
    else:
        refuse_declared_excess(request, 10, "form")
