"""The sandbox's clock: world time that only moves when a test (or the oracle endpoint) moves it.

Markets change with the clock's *day* (``now // DAY``): prices are re-drawn every few days, stock
runs down and is restocked, feedback accumulates, listings appear and disappear, and each market
has a short outage. Session cookies expire by this clock too, so tests never sleep to see it.

>>> clock = Clock()
>>> clock.day, clock.advance(days=2.5), clock.day
(0, 216000.0, 2)
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

__all__ = ["Clock", "DAY", "EPOCH"]

DAY = 86_400.0
#: The world's time zero, shown on pages as dates (feedback, "member since", generated-at).
EPOCH = datetime(2024, 3, 1, tzinfo=timezone.utc)


class Clock:
    """Seconds since the world began. Thread-safe; ``advance`` and ``set`` move it."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    @property
    def now(self) -> float:
        return self._now

    @property
    def day(self) -> int:
        return int(self._now // DAY)

    def advance(self, seconds: float = 0.0, *, days: float = 0.0) -> float:
        """Move forward by ``seconds`` plus ``days``; return the new time. Time never goes back."""
        step = seconds + days * DAY
        if step < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._now += step
            return self._now

    def set(self, now: float) -> None:
        with self._lock:
            if now < self._now:
                raise ValueError("the sandbox clock only moves forward")
            self._now = float(now)

    def datetime(self, at: float | None = None) -> datetime:
        return EPOCH + timedelta(seconds=self._now if at is None else at)

    def __repr__(self) -> str:
        return f"<Clock day {self.day} ({self._now:.0f}s)>"
