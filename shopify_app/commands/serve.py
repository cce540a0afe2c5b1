from __future__ import annotations

import asyncio

import uvicorn

from shopify_app import db
from shopify_app.settings import Settings


def serve(settings: Settings, *, host: str, port: int, workers: int) -> int:
    """Apply pending migrations, then serve. Several workers share the database."""
    asyncio.run(db.migrate(settings.database_url))
    if workers > 1:
        # Each worker process builds its own app from the environment.
        uvicorn.run("shopify_app.asgi:app", host=host, port=port, workers=workers,
                    factory=False, proxy_headers=True, log_level=settings.log_level.lower())
    else:
        from shopify_app.app import create_app

        uvicorn.run(create_app(settings), host=host, port=port, proxy_headers=True,
                    log_level=settings.log_level.lower())
    return 0
