"""How the portal looks for a shop: the merchant's accent colour and button style.

`portal_css(shop)` is a few CSS custom properties and rules laid over the portal's own stylesheet
(`--sp-accent` and `--sp-accent-soft`, button corners in `--sp-button-radius`: cards keep the
portal's `--sp-radius`, or "pill" would round whole cards into ovals). Only checked values reach
it: a colour is `#rrggbb` and a style one of `BUTTON_STYLES`, so nothing a merchant types can end
the `<style>`.
"""

from __future__ import annotations

import re

from shopify_app.storage.models import Shop

DEFAULT_ACCENT = "#1f5f8b"
BUTTON_STYLES: dict[str, str] = {"rounded": ".5rem", "square": "0", "pill": "999px"}
_COLOR = re.compile(r"#[0-9a-f]{6}")


def is_color(value: object) -> bool:
    return isinstance(value, str) and _COLOR.fullmatch(value) is not None


def _soft(color: str) -> str:
    """The accent mixed 88% with white: backgrounds of selected and hovered things."""
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * 0.88):02x}" for c in (red, green, blue))


def accent_of(shop: Shop) -> str:
    return shop.accent_color if is_color(shop.accent_color) else DEFAULT_ACCENT


def radius_of(shop: Shop) -> str:
    return BUTTON_STYLES.get(shop.button_style, BUTTON_STYLES["rounded"])


def portal_css(shop: Shop) -> str:
    """CSS for the portal page of `shop`, placed after the portal's stylesheet."""
    accent = accent_of(shop)
    triplet = ", ".join(str(int(accent[i:i + 2], 16)) for i in (1, 3, 5))
    # The theme's own button colour wins where it declares one (Dawn's RGB-triplet
    # `--color-button`); the merchant's accent is the fallback, as the portal's default was.
    return (f".sp-portal{{--sp-accent:rgb(var(--color-button, {triplet}));"
            f"--sp-accent-soft:{_soft(accent)};"
            f"--sp-button-radius:{radius_of(shop)}}}"
            ".sp-portal button,.sp-portal .sp-button{border-radius:var(--sp-button-radius)}")
