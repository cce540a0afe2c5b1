"""`shopify_app.asgi:app` for uvicorn workers and other ASGI servers."""

from __future__ import annotations

from shopify_app.app import create_app
from shopify_app.settings import Settings

app = create_app(Settings.from_env())
