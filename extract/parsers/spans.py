"""A set of non-overlapping character spans with overlap queries by binary search.

Parsers that find several kinds of thing in turn (named amounts, then units, then multipliers;
e-mail addresses, then messenger handles) keep a match only when it overlaps nothing found
before. Asking that of every earlier span made a page of many matches quadratic; here each
question is a binary search, and each pass's new spans are merged in once at its end.

>>> spans = SpanSet([(0, 5)])
>>> spans.overlaps(4, 8), spans.overlaps(5, 8)
(True, False)
>>> spans.merge([(5, 8), (10, 12)]); spans.overlaps(11, 11 + 1)
True
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable

__all__ = ["SpanSet"]


class SpanSet:
    """Sorted, non-overlapping ``(start, end)`` spans; :meth:`merge` takes spans that overlap none
    of them (nor each other), as a pass of ``finditer`` checked with :meth:`overlaps` gives."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.merge(spans)

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` shares a character with a span of the set."""
        i = bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start

    def merge(self, spans: Iterable[tuple[int, int]]) -> None:
        merged = sorted([*zip(self.starts, self.ends), *spans])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]
