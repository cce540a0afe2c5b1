"""An address written as the country writes it: "Brooklyn, New York 11201" in the US,
"75001 Paris" in France, "〒150-0001 / 東京都 / …" in Japan (Latin order on a page in another
language), with the province and country named in the page's language.

Postal conventions upper-case some lines on envelopes (the UK's post town); a screen shows
what the customer typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from shopify_app.portal.addresses import countries
from shopify_app.portal.addresses.layout import FAMILY_FIRST, layout

_TOKEN = re.compile(r"(%[A-Z])")


def _fields(address: Mapping[str, str], locale: str, country: str, latin: bool) -> dict[str, str]:
    first, last = address.get("first_name", ""), address.get("last_name", "")
    names = (last, first) if country in FAMILY_FIRST and not latin else (first, last)
    area = countries.subdivision(country, address.get("province_code", ""), locale)
    street = [address.get("address1", ""), address.get("address2", "")]
    has_city = "%C" in (layout(country).latin_format if latin else layout(country).format)
    if not has_city:
        # The format folds the locality into the street lines: first in the country's own
        # order (Japanese addresses go from large to small), last in Latin order.
        street.insert(len(street) if latin else 0, address.get("city", ""))
    return {
        "%N": " ".join(n for n in names if n),
        "%O": address.get("company", ""),
        "%A": "\n".join(s for s in street if s),
        "%C": address.get("city", ""),
        "%S": area.name if area else address.get("province_code", ""),
        "%Z": address.get("zip", ""),
    }


def _line(template: str, values: Mapping[str, str]) -> str:
    """One format line: a literal before the line's first field is a prefix ("〒"), kept with
    its field; a literal between fields is a separator, kept only between two values."""
    out, pending, started = "", "", False
    for part in _TOKEN.split(template):
        if not _TOKEN.fullmatch(part):
            pending += part
            continue
        value = values.get(part, "")
        if value:
            out += (pending if (out or not started) else "") + value
        started = True
        pending = ""
    return out.strip()


def address_lines(address: Mapping[str, str], locale: str) -> list[str]:
    """The lines to show, the country's name last ([] for an empty address)."""
    if not any(v for k, v in address.items() if k != "country_code"):
        return []
    code = (address.get("country_code") or "").upper()
    shape = layout(code)
    own = str(countries.country_data(code).get(code, {}).get("lang", "")).lower()
    latin = bool(own) and own != countries.language(locale)
    values = _fields(address, locale, code, latin)
    template = shape.latin_format if latin else shape.format
    lines: list[str] = []
    for line_format in template.split("%n"):
        lines.extend(p for p in _line(line_format, values).split("\n") if p.strip())
    if countries.known_country(code):
        lines.append(countries.country_name(code, locale))
    elif code:
        lines.append(code)
    return lines
