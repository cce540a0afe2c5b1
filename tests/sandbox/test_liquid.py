from __future__ import annotations

import pytest

from shopify_app.sandbox.liquid import render, theme_page

CONTEXT = {"shop": {"name": "Demo Coffee Roasters"}}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Hello {{ shop.name }}", "Hello Demo Coffee Roasters"),
        ("{{shop.name}}", "Demo Coffee Roasters"),
        ("{{- shop.name -}}", "Demo Coffee Roasters"),
        ("{{ shop.name | upcase }}", "Demo Coffee Roasters"),
        ("[{{ customer.email }}]", "[]"),
        ("[{{ shop }}]", "[]"),
        ("{{ 'quoted' }} {{ 42 }}", "quoted 42"),
        ("{{ 7 | times: 6 }}", "7"),
        ("{% raw %}{{ shop.name }}{% endraw %}", "{{ shop.name }}"),
        ("{%- raw -%}{% if x %}{%- endraw -%}", "{% if x %}"),
        ("a{% if true %}b{% endif %}c", "abc"),
        ("a{% comment %}hidden {{ shop.name }}{% endcomment %}b", "ab"),
        ("&#123;&#123; shop.name &#125;&#125;", "&#123;&#123; shop.name &#125;&#125;"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("no tags at all", "no tags at all"),
    ],
)
def test_render(template: str, expected: str) -> None:
    assert render(template, CONTEXT) == expected


def test_theme_page_escapes_the_shop_name() -> None:
    page = theme_page("<p>body</p>", shop_name="A & <B>", account_html="", title="Portal")
    assert "<title>Portal - A &amp; &lt;B&gt;</title>" in page
    assert "<p>body</p>" in page
