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

In a long alternation most alternatives still fail one by one at every word. :func:`by_first_letter`
puts those that start with the same letter behind one test of it: at a word starting with "p" only
the alternatives starting with "p" are tried, in their order.

>>> by_first_letter(["express", "overnight", "ems", "1st class"])
'(?:(?-i:[Ee])(?:xpress|ms)|(?-i:[Oo])(?:vernight)|(?-i:1)(?:st class))'
"""
from __future__ import annotations

import string
from typing import Iterable

__all__ = ["alternation", "by_first_letter", "first_letter_class", "CASE_EXTRAS"]

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


def _top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` is itself an alternation ("ab|cd"): a "|" outside every group and class."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 1  # the escaped character is literal
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += pattern.startswith("^", i + 1)
            i += pattern.startswith("]", i + 1)  # "[]" and "[^]" start with a literal "]"
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


def by_first_letter(alternatives: Iterable[str], *, ignorecase: bool = True) -> str:
    """As :func:`alternation`, with the alternatives grouped by their first letter or digit (in the
    order each first appears; within a group, in the given order). It matches exactly what
    :func:`alternation` matches, with the same alternative winning: alternatives that start with
    different letters never both match at one place, and those that share one keep their order.
    When an alternative cannot be split so (it starts with a group, a class or an optional
    character, or is itself an alternation), this is :func:`alternation`. With ``ignorecase``
    off, the pattern is for case-sensitive use and each first letter is written as itself."""
    alternatives = list(alternatives)
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        if len(alt) < 2 or alt[0] not in _PLAIN or alt[1] in _QUANTIFIERS or _top_level_bar(alt):
            return alternation(alternatives) if ignorecase else "(?:" + "|".join(alternatives) + ")"
        groups.setdefault(alt[0].lower() if ignorecase else alt[0], []).append(alt[1:])
    first = first_letter_class if ignorecase else str
    return "(?:" + "|".join(first(letter) + "(?:" + "|".join(rests) + ")" for letter, rests in groups.items()) + ")"
