"""Short-link guessing, slowed per client address.

A short code has 65 random bits, so guessing one is hopeless; this keeps a client that tries
anyway from costing a database lookup per attempt. Each process counts the unknown codes an
address presented in the current minute and refuses the address for the rest of the minute past
`MAX_MISSES` (per worker: N workers allow N times as many, which changes nothing at 2**65).
"""

from __future__ import annotations

import math
from datetime import datetime

from shopify_app.errors import RateLimited

MAX_MISSES = 20  # unknown codes per address and minute
MAX_ADDRESSES = 100_000  # addresses remembered; past it the memory starts over


class GuessLimiter:
    def __init__(self, max_misses: int = MAX_MISSES) -> None:
        self.max_misses = max_misses
        self._misses: dict[str, tuple[int, int]] = {}  # address -> (unix minute, misses)

    @staticmethod
    def _minute(now: datetime) -> tuple[int, int]:
        seconds = now.timestamp()
        minute = math.floor(seconds / 60)
        return minute, max(1, math.ceil((minute + 1) * 60 - seconds))

    def check(self, address: str, now: datetime) -> None:
        """Raise `RateLimited` while `address` is over its misses for this minute."""
        minute, reset = self._minute(now)
        seen = self._misses.get(address)
        if seen is not None and seen[0] == minute and seen[1] >= self.max_misses:
            raise RateLimited("Too many unknown links from this address. Try again shortly.",
                              retry_after=reset)

    def miss(self, address: str, now: datetime) -> None:
        minute, _ = self._minute(now)
        seen = self._misses.get(address)
        if len(self._misses) >= MAX_ADDRESSES and seen is None:
            self._misses.clear()
        count = seen[1] + 1 if seen is not None and seen[0] == minute else 1
        self._misses[address] = (minute, count)
