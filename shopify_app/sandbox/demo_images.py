"""Product pictures for the demo data that work offline: small SVGs as `data:` URIs.

A real shop's images live on Shopify's CDN; the sandbox has no network, so each demo product
gets a drawn package (a coffee bag or a tea tin) in its own colours with its initials. Base64
keeps the URI free of characters that HTML, Liquid or URL parsing would treat specially.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

DATA_URI_PREFIX = "data:image/svg+xml;base64,"


@dataclass(frozen=True)
class Look:
    kind: str  # "bag" or "tin"
    background: str
    package: str
    accent: str


# Colours per demo product; anything else gets the house look.
LOOKS = {
    "House Blend Coffee": Look("bag", "#f3e9dc", "#6f4e37", "#d4a373"),
    "Decaf Colombia": Look("bag", "#e6f0ea", "#2d6a4f", "#95d5b2"),
    "Espresso Roast": Look("bag", "#efe6e6", "#3d1f1f", "#c9a227"),
    "Single Origin Kenya": Look("bag", "#fbeee6", "#9c4a1a", "#f4a261"),
    "Earl Grey Tea": Look("tin", "#e8eaf6", "#283593", "#9fa8da"),
    "Thé vert": Look("tin", "#edf5e1", "#3a5a40", "#a3b18a"),
    "Matcha": Look("tin", "#eef6e8", "#4f772d", "#b5e48c"),
}
DEFAULT_LOOK = Look("bag", "#eef1f4", "#1f5f8b", "#9ec5e8")

_BAG = (
    '<path d="M38 36h52l6 70a6 6 0 0 1-6 6H38a6 6 0 0 1-6-6z" fill="{package}"/>'
    '<path d="M38 36l5-12h42l5 12z" fill="{accent}"/>'
)
_TIN = (
    '<rect x="34" y="30" width="60" height="80" rx="8" fill="{package}"/>'
    '<rect x="30" y="24" width="68" height="14" rx="5" fill="{accent}"/>'
)


def initials(title: str) -> str:
    """Up to two letters from the title's words ("House Blend Coffee" → "HB")."""
    letters = [word[0] for word in title.split() if word[:1].isalpha()]
    return "".join(letters[:2]).upper() or "?"


def svg(title: str) -> str:
    look = LOOKS.get(title, DEFAULT_LOOK)
    shape = (_TIN if look.kind == "tin" else _BAG).format(
        package=look.package, accent=look.accent
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">'
        f'<rect width="128" height="128" rx="16" fill="{look.background}"/>{shape}'
        '<rect x="46" y="58" width="36" height="28" rx="5" fill="#ffffff" opacity="0.92"/>'
        '<text x="64" y="78" text-anchor="middle" font-family="sans-serif" font-size="15"'
        f' font-weight="700" fill="{look.package}">{initials(title)}</text></svg>'
    )


def product_image(title: str) -> str:
    """The `data:` URI of the demo picture for `title`."""
    return DATA_URI_PREFIX + base64.b64encode(svg(title).encode("utf-8")).decode("ascii")
