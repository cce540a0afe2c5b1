"""`python -m shopify_app serve|migrate|sandbox|shops|api-keys|tokens|sync|worker`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from shopify_app.links import tokens
from shopify_app.settings import Settings
from shopify_app.storage import db, sealed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m shopify_app")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="apply pending migrations, then serve with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--no-worker", action="store_true",
                       help="run no background jobs in these processes (see `worker`)")

    sub.add_parser("migrate", help="apply pending database migrations")

    sandbox = sub.add_parser("sandbox", help="app + simulated store + storefront proxy, locally")
    sandbox.add_argument("--port", type=int, default=8000, help="the app's port")

    shops = sub.add_parser("shops", help="manage shops")
    shops_sub = shops.add_subparsers(dest="shops_cmd", required=True)
    shops_add = shops_sub.add_parser(
        "add", help="register a store that already has an Admin API token"
    )
    shops_add.add_argument("shop")
    shops_add.add_argument("--access-token", required=True)
    shops_sub.add_parser(
        "reseal", help="re-encrypt stored Shopify tokens under the first SHOPIFY_TOKEN_KEYS key"
    )

    keys = sub.add_parser("api-keys", help="manage external API keys")
    keys_sub = keys.add_subparsers(dest="keys_cmd", required=True)
    keys_create = keys_sub.add_parser("create", help="create a key; the key alone is the last line")
    keys_create.add_argument("shop")
    keys_create.add_argument("--name", required=True)
    keys_list = keys_sub.add_parser("list", help="list a shop's keys (never the secret)")
    keys_list.add_argument("shop")
    keys_revoke = keys_sub.add_parser("revoke", help="revoke a key")
    keys_revoke.add_argument("key_id", type=int)

    sync = sub.add_parser(
        "sync", help="import the shop's subscription contracts and their customers"
    )
    sync.add_argument("shop")

    worker = sub.add_parser("worker", help="run background jobs apart from `serve`")
    worker.add_argument("--concurrency", type=int, default=2, help="jobs run at once")
    worker.add_argument("--once", action="store_true",
                        help="run the jobs waiting now, then exit")

    tokens = sub.add_parser("tokens", help="support tools for portal links")
    tokens_sub = tokens.add_subparsers(dest="tokens_cmd", required=True)
    inspect = tokens_sub.add_parser("inspect", help="decrypt a link token and show its claims")
    inspect.add_argument("token")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        tokens.check_settings(settings)
        sealed.configure(settings)  # `shops add` and `sync` read and write Shopify tokens
    except ValueError as exc:  # a bad setting: one clear line, not a traceback
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    command: str = args.command
    if command == "migrate":
        asyncio.run(db.migrate(settings.database_url))
        print("migrations applied")
        return 0
    if command == "serve":
        from shopify_app.commands.serve import serve

        return serve(settings, host=args.host, port=args.port, workers=args.workers,
                     jobs_worker=not args.no_worker)
    if command == "worker":
        from shopify_app.commands.worker import worker

        if args.concurrency < 1:
            print("error: --concurrency must be at least 1", file=sys.stderr)
            return 2
        return worker(settings, concurrency=args.concurrency, once=args.once)
    if command == "sandbox":
        from shopify_app.sandbox.runner import run_sandbox

        return run_sandbox(settings, port=args.port)
    if command == "shops":
        from shopify_app.commands.shops import add_shop, reseal

        if args.shops_cmd == "reseal":
            return asyncio.run(reseal(settings))
        return asyncio.run(add_shop(settings, args.shop, args.access_token))
    if command == "api-keys":
        from shopify_app.commands import api_keys

        if args.keys_cmd == "create":
            return asyncio.run(api_keys.create(settings, args.shop, args.name))
        if args.keys_cmd == "list":
            return asyncio.run(api_keys.list_keys(settings, args.shop))
        return asyncio.run(api_keys.revoke(settings, args.key_id))
    if command == "sync":
        from shopify_app.commands.sync import sync as run_sync

        return asyncio.run(run_sync(settings, args.shop))
    if command == "tokens":
        from shopify_app.commands.tokens import inspect_token

        return inspect_token(settings, args.token)
    print(f"unknown command {command}", file=sys.stderr)
    return 2
