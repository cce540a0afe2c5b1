"""The demo products' pictures: drawn SVGs as `data:` URIs, so they show offline."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from shopify_app.sandbox import demo
from shopify_app.sandbox.demo_images import DATA_URI_PREFIX, LOOKS, initials, product_image

SVG = "{http://www.w3.org/2000/svg}"


def decoded(uri: str) -> ET.Element:
    assert uri.startswith(DATA_URI_PREFIX)
    data = base64.b64decode(uri.removeprefix(DATA_URI_PREFIX), validate=True)
    return ET.fromstring(data)  # noqa: S314 - our own generated SVG


def test_every_demo_line_has_a_working_offline_image(store: Any) -> None:
    lines = [line for c in store.contracts.values() for line in c.terms.lines]
    assert lines
    for line in lines:
        assert line.image_url is not None
        root = decoded(line.image_url)
        assert root.tag == f"{SVG}svg"
        assert root.get("viewBox") == "0 0 128 128"
        assert root.find(f"{SVG}text") is not None
        assert line.title in LOOKS, f"{line.title} has no look of its own"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("House Blend Coffee", "HB"),
        ("Thé vert", "TV"),
        ("Matcha", "M"),
        ("<script>", "?"),
        ("{{ 7 | times: 6 }}", "T"),
        ("", "?"),
    ],
)
def test_initials(title: str, expected: str) -> None:
    assert initials(title) == expected


def test_titles_never_reach_the_markup_raw() -> None:
    # Only initials (letters) go into the SVG: a hostile title cannot inject markup.
    root = decoded(product_image("<b>& {{ x }}</b>"))
    assert "".join(root.itertext()) == "X"


def test_the_image_is_served_through_the_store_api(store: Any) -> None:
    from shopify_app.sandbox.value_views import line_view

    line = store.contracts[demo.ALICE_ACTIVE_CONTRACT_ID].terms.lines[0]
    image = line_view(line, "USD")["variantImage"]
    assert image["url"] == product_image("House Blend Coffee")
    assert image["altText"] == "House Blend Coffee"
