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

import re
from bisect import bisect_left, bisect_right
from typing import Iterator

__all__ = ["Lines", "newlines", "finditer_numbered_lines"]

#: A digit or a fraction sign: what every amount, price and rate holds.
_NUMERAL_RE = re.compile(r"[\d½¼¾⅛⅓⅔]")


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


def finditer_numbered_lines(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for a pattern whose every match holds a digit (or a fraction sign)
    and stays on one line: only the lines holding one are searched, so a page's prose is skipped.

    The matches are the same: each line is searched with ``pos``/``endpos``, so look-behinds still
    see the line break before it, and look-aheads at its end see the end, which for the patterns
    of amounts (``(?![\\d])``, ``(?![A-Za-z])``...) is what the line break gives.

    >>> [m.group() for m in finditer_numbered_lines(re.compile(r"\\d+g"), "5g and\\nno amount here\\n10g")]
    ['5g', '10g']
    """
    pos, length = 0, len(text)
    while (numeral := _NUMERAL_RE.search(text, pos)) is not None:
        start = text.rfind("\n", 0, numeral.start()) + 1  # never before pos: linear in all
        end = text.find("\n", numeral.end())
        end = length if end < 0 else end
        yield from pattern.finditer(text, start, end)
        pos = end + 1
