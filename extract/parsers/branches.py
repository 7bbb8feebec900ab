"""Case-insensitive alternations that Python's regular expressions can skip through quickly.

In a pattern such as ``(?<!\\w)(?:express|overnight|next day|...)`` compiled with ``re.IGNORECASE``,
:mod:`re` tries every alternative in turn at every word of the text: it can skip an alternative
by its first character only when that character is matched case-sensitively. :func:`alternation`
writes each alternative's first letter as a case-sensitive class of every character that
``re.IGNORECASE`` matches to it ("e" becomes ``(?-i:[Ee])``, "s" ``(?-i:[Ssſ])``), which matches the
same texts, so the alternatives that cannot start at a word are passed over at once.

>>> import re
>>> alternation(["express", "1st class", "a?b"])
'(?:(?-i:[Ee])xpress|(?-i:1)st class|a?b)'
>>> rx = re.compile(alternation(["express", "stealth"]), re.IGNORECASE)
>>> [m.group() for m in rx.finditer("EXPRESS, Stealth, ſtealth")]
['EXPRESS', 'Stealth', 'ſtealth']
"""
from __future__ import annotations

import string
from typing import Iterable

__all__ = ["alternation", "grouped_alternation", "first_letter_class", "CASE_EXTRAS"]

#: Characters beyond the upper and lower case that ``re.IGNORECASE`` matches to an ASCII letter
#: (a test checks this against every Unicode character).
CASE_EXTRAS = {"i": "İı", "s": "ſ", "k": "\u212a"}
_QUANTIFIERS = frozenset("?*+{")
_PLAIN = frozenset(string.ascii_letters + string.digits)


def first_letter_class(ch: str) -> str:
    """The case-sensitive pattern for what ``ch`` matches under ``re.IGNORECASE`` (ASCII letters
    and digits only)."""
    if ch in string.digits:
        return f"(?-i:{ch})"
    low = ch.lower()
    return "(?-i:[" + ch.upper() + low + CASE_EXTRAS.get(low, "") + "])"


def _rewritten(alt: str) -> str:
    # only a plain first character that no quantifier follows can be taken apart from the rest
    if len(alt) > 1 and alt[0] in _PLAIN and alt[1] not in _QUANTIFIERS:
        return first_letter_class(alt[0]) + alt[1:]
    return alt


def alternation(alternatives: Iterable[str]) -> str:
    """``(?:a|b|...)`` of the given regular expressions, in order, for use with ``re.IGNORECASE``;
    it matches exactly what ``(?:a|b|...)`` matches, with the same alternative winning."""
    return "(?:" + "|".join(_rewritten(a) for a in alternatives) + ")"


def grouped_alternation(alternatives: Iterable[str]) -> str:
    """As :func:`alternation`, with the alternatives that start with the same letter behind one
    class: ``(?:(?-i:[Ee])(?:xpress|ms)|...)``. :mod:`re` then tries a class per first letter at each
    place, not every alternative, which made long word lists several times slower. It matches
    exactly what :func:`alternation` matches, with the same alternative winning: alternatives with
    different first letters never match at the same place, and a group keeps their order. When an
    alternative does not start with a plain letter or digit, the list is left as :func:`alternation`
    writes it.

    >>> grouped_alternation(["express", "ems", "1st class"])
    '(?:(?-i:[Ee])(?:xpress|ms)|(?-i:1)(?:st class))'
    >>> grouped_alternation(["express", "(?:ems)"]) == alternation(["express", "(?:ems)"])
    True
    """
    alternatives = list(alternatives)
    if not all(len(a) > 1 and a[0] in _PLAIN and a[1] not in _QUANTIFIERS for a in alternatives):
        return alternation(alternatives)
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        groups.setdefault(alt[0].lower(), []).append(alt[1:])
    return "(?:" + "|".join(first_letter_class(first) + "(?:" + "|".join(rests) + ")"
                            for first, rests in groups.items()) + ")"
