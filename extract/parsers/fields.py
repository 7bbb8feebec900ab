"""Labelled fields in page text: "Label<TAB>value", "Label: value", or "Label:" with the value on the
next line. Pure functions shared by the parsers that read fields (vendor, terms, contacts).

Pages become text through :func:`extract.html.html_to_text`, which puts a tab between a label cell
and its value cell, so the same rule reads ``<dt>``/``<dd>``, table rows, ``<label>`` + ``<span>``
and plain "Vendor: name" lines, whatever the market.

>>> [(f.label, f.value) for f in labelled_fields("Vendor\\tPHARMORA (1000)\\nUser Profile :\\nbob (99%)", ["vendor", r"user[ \\t]+profile"])]
[('Vendor', 'PHARMORA (1000)'), ('User Profile', 'bob (99%)')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Sequence

__all__ = ["Field", "labelled_fields"]

#: What may stand between a label and its value on the same line: a tab, or ":"/"=" with spaces.
_SAME_LINE_SEP = r"(?:[ \t]*\t[ \t]*+(?:[:=][ \t]*+)?|[ \t]*+[:=][ \t]*+)"
_BULLETS = r"[ \t>*•\-|☑✔✓]*+"  # runs of blanks are taken whole (``*+``): no backtracking through them


@dataclass(frozen=True)
class Field:
    """A labelled value; ``start``/``end`` are the value's span (stripped) in the text."""

    label: str
    value: str
    start: int
    end: int


@lru_cache(maxsize=64)
def _label_re(labels: tuple[str, ...]) -> re.Pattern:
    alt = "|".join(labels)
    return re.compile(r"^" + _BULLETS + r"(?P<label>(?:" + alt + r"))(?P<sep>" + _SAME_LINE_SEP + r"|[ \t]*+:?[ \t]*+$)",
                      re.IGNORECASE | re.MULTILINE)


def labelled_fields(text: str, labels: Sequence[str], *, next_line: bool = True) -> Iterator[Field]:
    """Fields whose label (a regular expression of ``labels``) starts a line, in text order.

    The value is the rest of the line after a tab or ":"; when the label ends its line with ":"
    (or stands alone in a cell followed by a line break) and ``next_line`` is on, the next
    non-empty line is the value. Fields with an empty value are skipped.
    """
    for m in _label_re(tuple(labels)).finditer(text):
        sep = m.group("sep")
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        if sep.strip(" \t") or "\t" in sep:
            start, end = m.end(), line_end
            if not text[start:end].strip() and next_line:
                start, end = _next_line(text, line_end)
        elif next_line and ":" in sep:
            start, end = _next_line(text, line_end)
        else:
            continue
        value = text[start:end]
        stripped = value.strip()
        if not stripped:
            continue
        start += len(value) - len(value.lstrip())
        yield Field(m.group("label"), stripped, start, start + len(stripped))


def _next_line(text: str, line_end: int) -> tuple[int, int]:
    pos = line_end + 1
    if pos >= len(text):
        return line_end, line_end
    end = text.find("\n", pos)
    return pos, len(text) if end < 0 else end
