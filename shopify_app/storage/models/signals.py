from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class ChangeSignal(Model):
    """A counter bumped in the same transaction as a change every process must see at once
    (a key revoked, a shop uninstalled): per-process caches compare it (see storage/signals)."""

    name = fields.CharField(max_length=32, primary_key=True)
    value = fields.BigIntField(default=0)

    class Meta:
        table = "change_signals"
