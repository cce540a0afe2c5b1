"""`python -m shopify_app serve`: migrate, then run uvicorn."""

from __future__ import annotations

import asyncio
import os

import uvicorn

from shopify_app.http.access_log import AccessLog, uvicorn_options
from shopify_app.settings import Settings
from shopify_app.storage import db

# Read by shopify_app.asgi in each uvicorn worker process: "0" runs no job worker there.
JOBS_WORKER_ENV = "SHOPIFY_APP_JOBS_WORKER"


def serve(settings: Settings, *, host: str, port: int, workers: int,
          jobs_worker: bool = True) -> int:
    """Apply pending migrations, then serve. Several workers share the database; each runs a
    job worker too unless `jobs_worker` is False (then `python -m shopify_app worker` does)."""
    asyncio.run(db.migrate(settings.database_url))
    options = uvicorn_options(settings.log_level)
    if workers > 1:
        # Each worker process imports shopify_app.asgi, which builds its app from the environment.
        os.environ[JOBS_WORKER_ENV] = "1" if jobs_worker else "0"
        uvicorn.run("shopify_app.asgi:app", host=host, port=port, workers=workers, **options)
    else:
        from shopify_app.app import create_app

        app = create_app(settings, worker=jobs_worker, freeze_heap=True)
        uvicorn.run(AccessLog(app), host=host, port=port, **options)
    return 0
