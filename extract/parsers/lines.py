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
from functools import partial
from typing import Iterator

__all__ = ["Lines", "NumeralLines", "newlines", "finditer_numbered_lines", "numeral_line_spans"]

#: A digit or a fraction sign: what every amount, price and rate holds.
_NUMERAL_RE = re.compile(r"[\d½¼¾⅛⅓⅔]")
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")


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
    for start, end in numeral_line_spans(text):
        yield from pattern.finditer(text, start, end)


def numeral_line_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every line holding a digit or a fraction sign, in order, its ``"\\n"``
    left out: the lines :func:`finditer_numbered_lines` searches.

    >>> list(numeral_line_spans("5g and\\nno amount here\\n10g"))
    [(0, 6), (22, 25)]
    """
    if text.isascii():
        # an ASCII text's numerals are 0-9: with every digit written "0", the next one is a
        # substring search away, several times faster than a regular expression passes over prose
        marked = text.translate(_DIGITS_AS_ZERO)
        next_numeral = partial(marked.find, "0")
    else:
        def next_numeral(pos: int) -> int:
            found = _NUMERAL_RE.search(text, pos)
            return -1 if found is None else found.start()
    pos, length = 0, len(text)
    while (numeral := next_numeral(pos)) >= 0:
        start = text.rfind("\n", 0, numeral) + 1  # never before pos: linear in all
        end = text.find("\n", numeral + 1)
        end = length if end < 0 else end
        yield start, end
        pos = end + 1


class NumeralLines:
    """The lines of one text that hold a numeral, found once for the many patterns searched over
    them. Finding them is a scan of the whole text (the prose too), which cost as much as the
    searches of amounts, prices and rates themselves when each of them scanned again; the
    components of one Doc share one of these (:func:`extract.components._doc.doc_numeral_lines`).

    >>> numerals = NumeralLines("5g and\\nno amount here\\n10g")
    >>> [m.group() for m in numerals.finditer(re.compile(r"\\d+g"))]
    ['5g', '10g']
    """

    def __init__(self, text: str) -> None:
        self.text = text
        #: ``(start, end)`` of each run of consecutive lines holding a numeral (a table of prices is
        #: one run): a search costs the same over a run as over its lines one by one, less the
        #: start of a search a line
        self.runs: list[tuple[int, int]] = []
        for start, end in numeral_line_spans(text):
            if self.runs and self.runs[-1][1] + 1 == start:
                start = self.runs.pop()[0]
            self.runs.append((start, end))

    def finditer(self, pattern: re.Pattern) -> Iterator[re.Match]:
        """The matches of ``finditer_numbered_lines(pattern, text)``, in the same order, for a pattern
        whose matches hold no line break and whose look-aheads take a line break as they take the
        end of the text: a run of lines is then searched as its lines one by one would be. When
        every match also holds a numeral, these are all the matches in the text."""
        text = self.text
        for start, end in self.runs:
            yield from pattern.finditer(text, start, end)
