"""Fault injection: a queue of failures the next Admin API requests answer with."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

FAULT_KINDS = ("http_429", "throttled", "http_500", "http_503")


@dataclass(frozen=True)
class Fault:
    shop: str | None  # None: whichever shop asks next
    kind: str
    retry_after: str | None = "1.0"


class FaultQueue:
    """`push(shop_or_None, kind)`; each fault is consumed by one GraphQL request."""

    def __init__(self) -> None:
        self._queue: deque[Fault] = deque()

    def push(
        self, shop: str | None, kind: str, *, times: int = 1, retry_after: str | None = "1.0"
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
        for _ in range(times):
            self._queue.append(Fault(shop, kind, retry_after))

    def take(self, shop: str) -> Fault | None:
        for fault in self._queue:
            if fault.shop is None or fault.shop == shop:
                self._queue.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self._queue.clear()

    def __len__(self) -> int:
        return len(self._queue)
