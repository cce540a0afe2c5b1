"""The one escaping helper and a tiny template function built on it.

Portal pages are served as `application/liquid` by default, so Shopify runs them through
Liquid before the browser sees them: a dynamic value must be inert for BOTH HTML and Liquid.
`escape` HTML-escapes, then writes every brace as a character reference (`&#123;`, `&#125;`),
so no `{{`, `{%`, `}}` or `%}` can appear in the output from data. Browsers show the braces
as typed; Liquid never sees a delimiter.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from string import Template


class Markup(str):
    """Text that is already safe markup: inserted as is by `render`."""

    __slots__ = ()


def escape(value: object) -> Markup:
    """Neutralise `value` for HTML text and quoted attributes, and for Liquid."""
    if isinstance(value, Markup):
        return value
    text = html.escape(str(value), quote=True)
    return Markup(text.replace("{", "&#123;").replace("}", "&#125;"))


def join(parts: Iterable[object], separator: str = "") -> Markup:
    return Markup(separator.join(escape(part) for part in parts))


def render(template: str, **values: object) -> Markup:
    """`string.Template` substitution where every value not already `Markup` is escaped.

    Templates are our own constants; values come from anywhere."""
    return Markup(Template(template).substitute({k: escape(v) for k, v in values.items()}))


def attrs(**values: object) -> Markup:
    """HTML attributes from keywords (`data_testid` → `data-testid`); None/False omitted."""
    parts: list[str] = []
    for key, value in values.items():
        name = key.rstrip("_").replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{escape(value)}"')
    return Markup("".join(parts))
