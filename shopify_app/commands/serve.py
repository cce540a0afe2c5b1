"""`python -m shopify_app serve`: migrate, then run uvicorn."""

from __future__ import annotations

import asyncio

import uvicorn

from shopify_app.http.access_log import AccessLog, uvicorn_options
from shopify_app.settings import Settings
from shopify_app.storage import db


def serve(settings: Settings, *, host: str, port: int, workers: int) -> int:
    """Apply pending migrations, then serve. Several workers share the database."""
    asyncio.run(db.migrate(settings.database_url))
    options = uvicorn_options(settings.log_level)
    if workers > 1:
        # Each worker process imports shopify_app.asgi, which builds its app from the environment.
        uvicorn.run("shopify_app.asgi:app", host=host, port=port, workers=workers, **options)
    else:
        from shopify_app.app import create_app

        uvicorn.run(AccessLog(create_app(settings, freeze_heap=True)), host=host, port=port,
                    **options)
    return 0
