from __future__ import annotations

import pytest

from shopify_app.portal.views import layout
from shopify_app.portal.views.markup import Markup, attrs, escape, join, render

HOSTILE = [
    "{{ shop.name }}",
    "{% raw %}{{ x }}{% endraw %}",
    "{% endraw %}{{ customer.email }}",
    "{%- comment -%}",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='x",
    "}}{{",
    "%}{%",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_escape_is_inert_for_html_and_liquid(value: str) -> None:
    out = escape(value)
    for forbidden in ("{{", "}}", "{%", "%}", "<", ">", '"', "'", "{", "}"):
        assert forbidden not in out


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{{ shop.name }}", "&#123;&#123; shop.name &#125;&#125;"),
        ("<b>", "&lt;b&gt;"),
        ("a & b", "a &amp; b"),
        (42, "42"),
    ],
)
def test_escape_values(value: object, expected: str) -> None:
    assert escape(value) == expected


def test_render_escapes_values_but_not_markup() -> None:
    inner = render("<em>$x</em>", x="{{ a }}")
    out = render("<p>$inner $plain</p>", inner=inner, plain="<i>")
    assert out == "<p><em>&#123;&#123; a &#125;&#125;</em> &lt;i&gt;</p>"
    assert isinstance(out, Markup)


def test_join_and_attrs() -> None:
    assert join(["<a>", Markup("<b>")]) == "&lt;a&gt;<b>"
    assert attrs(data_testid="x{", required=True, hidden=False, class_=None) == (
        ' data-testid="x&#123;" required'
    )


@pytest.mark.parametrize("name", ["portal.css", "portal.js"])
def test_static_assets_hold_no_liquid_delimiters(name: str) -> None:
    text = layout.asset(name)
    assert "{{" not in text and "{%" not in text
    assert "http://" not in text and "https://" not in text  # no external assets
