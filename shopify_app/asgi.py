"""`shopify_app.asgi:app` for uvicorn workers and other ASGI servers.

Run it with uvicorn's access log off (`--no-access-log`): `AccessLog` logs requests without
their query strings, which can carry link tokens.
"""

from __future__ import annotations

import os

from shopify_app.app import create_app
from shopify_app.http.access_log import AccessLog
from shopify_app.settings import Settings

# `serve --no-worker` sets SHOPIFY_APP_JOBS_WORKER=0: these processes run no background jobs.
app = AccessLog(create_app(Settings.from_env(), freeze_heap=True,
                           worker=os.environ.get("SHOPIFY_APP_JOBS_WORKER", "1") != "0"))
