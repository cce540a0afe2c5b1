"""The migration files describe exactly the models: a model change without its migration fails."""

from __future__ import annotations

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from shopify_app.storage.db import tortoise_config


async def test_the_migrations_match_the_models() -> None:
    config = tortoise_config("sqlite://:memory:")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert ctx.apps is not None
        detector = MigrationAutodetector(ctx.apps, config["apps"])
        pending = await detector.changes()
    described = [f"{w.app_label}.{w.name}: {w.operations}" for w in pending]
    assert not pending, f"models changed without a migration (run `make migrations`): {described}"
