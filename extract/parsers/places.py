"""Place names in free text, found in one linear pass over the words: a pure function, no spaCy.

A page's words are read once (a maximal run of letters and digits is a word). At each word the
longest country or region name of :func:`extract.lexicons.countries.known_names` that starts there
is looked up in a table keyed by word tuples, so the time is linear in the text whatever it holds:
a list of 10,000 countries, a megabyte of digits. A regular expression alternating over the
thousand-odd names, which this replaces, tried every name at every character and backtracked
through lists of places.

Names match in any case, with spaces, dots or hyphens between their words ("U.S.A", "Guinea-Bissau",
"NEW ZEALAND"); "U.S.", "U.K." and the upper-case short forms ("US", "UK", "NL"...) match as
written; any upper-case ISO 3166 alpha-2/alpha-3 code ("CAN", "SE") is a place too, of kind
``"code"``, which callers accept only where a shipping phrase makes it one. A place may not be
glued to a word or follow a dot ("x.US", "USB").

>>> [(p.code, p.kind, p.start, p.end) for p in find_places("Ships to U.S.A. and Guinea-Bissau, SE")]
[('US', 'name', 9, 15), ('GW', 'name', 20, 33), ('SE', 'code', 35, 37)]
>>> [p.code for p in find_places("USB sticks, x.US, the United States")]
['US']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from extract.lexicons.countries import known_names

__all__ = ["PlaceMatch", "find_places", "SHORT_FORMS"]

#: Short forms read as places in any sentence, in upper case only ("us" is a pronoun).
SHORT_FORMS = ("US", "USA", "U.S.", "U.S.A.", "UK", "U.K.", "NL", "EU", "WW", "DE", "AUS", "NZ", "GB", "UAE")
#: Names this short are read only as written in :data:`SHORT_FORMS` or as codes, except these.
_SHORT_NAMES_KEPT = ("peru", "laos", "iran", "oman", "cuba")
_WORD = re.compile(r"[^\W_]+")
#: What may stand between two words of a name in the text where the name has a space.
_NAME_GAP = re.compile(r"[ \t.\-]+")


@dataclass(frozen=True)
class PlaceMatch:
    """A place name in the text: ``kind`` is ``"name"`` (a full name or variant, any case),
    ``"short"`` (one of :data:`SHORT_FORMS`) or ``"code"`` (another upper-case ISO code)."""

    start: int
    end: int
    code: str
    kind: str
    #: where the name itself ends: "U.S.A." is read with its last dot (so that "U.S.A. and Canada"
    #: goes on as a list), but the name is "U.S.A"
    name_end: int | None = None


@dataclass(frozen=True)
class _Names:
    table: dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]]  # words -> [(gaps, code)]
    prefixes: frozenset[tuple[str, ...]]
    longest: int
    codes: dict[str, str]


@lru_cache(maxsize=1)
def _names() -> _Names:
    from extract.lexicons.countries import country_code  # the lookup the parsers use for codes

    table: dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]] = {}
    prefixes: set[tuple[str, ...]] = set()
    for name, code in known_names().items():
        if len(name) <= 3 and name not in _SHORT_NAMES_KEPT:
            continue
        words = tuple(_WORD.findall(name))
        if not words:
            continue
        spans = [m.span() for m in _WORD.finditer(name)]
        gaps = tuple(name[a[1]:b[0]] for a, b in zip(spans, spans[1:]))
        if name[:spans[0][0]] or name[spans[-1][1]:]:
            continue  # a name starting or ending with a sign ("l'europe" keeps its inner "'")
        table.setdefault(words, []).append((gaps, code))
        prefixes.update(words[:k] for k in range(1, len(words)))
    codes = {c.alpha_2: c.alpha_2 for c in pycountry.countries}
    codes.update({c.alpha_3: c.alpha_2 for c in pycountry.countries})
    for short in SHORT_FORMS:
        codes[short] = country_code(short) or short
    return _Names(table, frozenset(prefixes), max(map(len, table)), codes)


@lru_cache(maxsize=256)
def _gap_re(gap: str) -> re.Pattern:
    """The text between two words of a name: each space of the name is any run of blanks, dots or
    hyphens; other signs ("'", "&") stand as written."""
    return re.compile(r"[ \t.\-]+".join(re.escape(part) for part in gap.split(" ")), re.IGNORECASE)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_places(text: str) -> list[PlaceMatch]:
    """Every place name that starts at a word of ``text``, in order (see the module docstring).

    Each word starts at most one place (the longest name there); places may overlap when a name
    holds another ("Papua New Guinea", "Guinea").
    """
    names = _names()
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    found: list[PlaceMatch] = []
    n = len(text)
    for i, (start, end, word) in enumerate(words):
        if start and (_is_word(text[start - 1]) or text[start - 1] == "."):
            continue
        best = None
        key: tuple[str, ...] = ()
        j = i
        while j < len(words) and j - i < names.longest:
            if j > i and "\n" in text[words[j - 1][1]:words[j][0]]:
                break
            key = key + (words[j][2].lower(),)
            entries = names.table.get(key)
            if entries:
                stop = words[j][1]
                if stop >= n or not _is_word(text[stop]):
                    between = [text[words[k][1]:words[k + 1][0]] for k in range(i, j)]
                    for gaps, code in entries:
                        if all(_gap_re(g).fullmatch(t) for g, t in zip(gaps, between)):
                            best = PlaceMatch(start, stop, code, "name")
                            break
            if key not in names.prefixes:
                break
            j += 1
        if best is None:
            best = _short_or_code(text, start, end, word, names.codes)
        elif word == "U" and text.startswith("U.S.A.", start) and best.end == start + 5:
            best = PlaceMatch(start, start + 6, best.code, "name", best.end)
        if best is not None:
            found.append(best)
    return found


def _short_or_code(text: str, start: int, end: int, word: str, codes: dict[str, str]) -> PlaceMatch | None:
    if word == "U":  # "U.S.A.", "U.S.", "U.K." keep their dots
        for form in ("U.S.A.", "U.S.", "U.K."):
            stop = start + len(form)
            if text.startswith(form, start) and (stop >= len(text) or not _is_word(text[stop])):
                return PlaceMatch(start, stop, codes[form], "short")
        return None
    if end < len(text) and text[end] == "_":
        return None
    code = codes.get(word)
    if code is None:
        return None
    return PlaceMatch(start, end, code, "short" if word in SHORT_FORMS else "code")
