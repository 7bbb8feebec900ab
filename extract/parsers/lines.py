"""The line around a position, found by binary search over the text's line breaks.

Parsers ask "which line is this match on?" once per match. Scanning back and forth for ``"\\n"``
from each match costs the length of the line every time, so a page that is one long line full
of matches (a megabyte of prices, a minified page) took time quadratic in its length; these
lookups cost ``O(log lines)`` after one pass over the text.

>>> lines = Lines("ab\\ncd\\n\\nef")
>>> lines.span(0), lines.span(4), lines.span(6), lines.number(8)
((0, 2), (3, 5), (6, 6), 3)
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

__all__ = ["Lines", "newlines"]


def newlines(text: str) -> list[int]:
    """Positions of every ``"\\n"`` in ``text``, in order."""
    found = []
    pos = text.find("\n")
    while pos >= 0:
        found.append(pos)
        pos = text.find("\n", pos + 1)
    return found


class Lines:
    """Line numbers and spans of positions in one text."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.breaks = newlines(text)

    def number(self, pos: int) -> int:
        """The 0-based number of the line holding ``pos`` (a ``"\\n"`` ends its line)."""
        return bisect_left(self.breaks, pos)

    def span(self, pos: int) -> tuple[int, int]:
        """``(start, end)`` of the line holding ``pos``, its ``"\\n"`` left out."""
        i = bisect_left(self.breaks, pos)
        start = self.breaks[i - 1] + 1 if i else 0
        end = self.breaks[i] if i < len(self.breaks) else self.length
        return start, end

    def start(self, pos: int) -> int:
        """Where the line holding ``pos`` starts (as ``text.rfind("\\n", 0, pos) + 1``)."""
        i = bisect_right(self.breaks, pos - 1)
        return self.breaks[i - 1] + 1 if i else 0
