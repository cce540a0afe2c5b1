"""Just enough Liquid to show what Shopify would do with an app proxy's `application/liquid`:
`{{ ... }}` output is evaluated (known variables, string and number literals; anything else is
empty), `{% raw %}...{% endraw %}` stays literal, comments vanish, other `{% %}` tags are
dropped. If the app let customer text through unescaped, the storefront would show it run.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

_TOKEN = re.compile(
    r"\{%-?\s*raw\s*-?%\}(?P<raw>.*?)\{%-?\s*endraw\s*-?%\}"
    r"|\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}"
    r"|\{\{-?(?P<output>.*?)-?\}\}"
    r"|\{%-?(?P<tag>.*?)-?%\}",
    re.DOTALL,
)
_STRING = re.compile(r"""^(['"])(.*)\1$""", re.DOTALL)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def evaluate(expression: str, context: Mapping[str, Any]) -> str:
    """The value of an output tag; filters are ignored, unknown names are empty."""
    head = expression.split("|", 1)[0].strip()
    literal = _STRING.match(head)
    if literal:
        return literal.group(2)
    if _NUMBER.match(head):
        return head
    value: Any = context
    for part in head.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return ""
        value = value[part]
    return "" if value is None or isinstance(value, Mapping) else str(value)


def render(template: str, context: Mapping[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group("raw") is not None:
            return match.group("raw")
        if match.group("output") is not None:
            # Liquid prints values as they are; themes escape explicitly. We do not: a page
            # that injects `{{ shop.name }}` shows the shop's name, which is the bug to see.
            return evaluate(match.group("output"), context)
        return ""

    return _TOKEN.sub(replace, template)


LAYOUT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; font-family: system-ui, sans-serif; color: #222; }}
.theme-header, .theme-footer {{ padding: 1rem; background: #f4efe9; }}
.theme-header a {{ color: inherit; font-weight: bold; text-decoration: none; }}
.theme-header nav {{ float: right; }}
main.theme-main {{ padding: 1rem; max-width: 60rem; margin: 0 auto; }}
</style>
</head>
<body>
<header class="theme-header"><a href="/">{shop_name}</a><nav>{account}</nav></header>
<main class="theme-main" id="MainContent">
{content}
</main>
<footer class="theme-footer">&copy; {shop_name}, a sandbox storefront</footer>
</body>
</html>
"""


def theme_page(content: str, *, shop_name: str, account_html: str, title: str = "") -> str:
    """A page of the theme around already-rendered `content`."""
    name = html.escape(shop_name)
    full_title = f"{html.escape(title)} - {name}" if title else name
    return LAYOUT.format(title=full_title, shop_name=name, account=account_html, content=content)
