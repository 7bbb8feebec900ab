"""Lists of places as fields give them ("United States, Worldwide", "UK (Free!) & EU"): the
``Place`` and ``Shipping`` records and :func:`parse_place_list`, a pure function linear in its input.

>>> [p.code for p in parse_place_list("World Wide , Europe , Netherlands , United Kingdom")]
['WW', 'EU', 'NL', 'GB']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.lexicons import shipping as L
from extract.lexicons.countries import country_code

__all__ = ["Place", "Shipping", "parse_place_list"]

_STOP_RE = re.compile(r"(?<![\w])(?:" + "|".join(L.EXCEPT_WORDS) + r")(?![\w])", re.IGNORECASE)
_SPLIT_RE = re.compile(r"[,;/&|+]|\(|\)|(?<![\w])(?:" + "|".join(L.AND_WORDS) + r")(?![\w'])", re.IGNORECASE)
_NOISE_RE = re.compile(r"(?<![\w])(?:only|free|shipping|ship|delivery|countries|country|domestic|standard|the|to|"
                       + "|".join(L.ONLY_WORDS) + "|" + "|".join(a for a in L.ARTICLES if len(a) > 2)
                       + r")(?![\w])|[!*.]", re.IGNORECASE)
#: a preposition repeated before a further place of a list ("DE and to NL", "und in die Schweiz")
_TO_WORD_RE = re.compile(r"^(?:" + "|".join(L.TO_WORDS) + r")[ \t]++(?=\S)", re.IGNORECASE)
_ARTICLE_RE = re.compile(r"^(?:" + "|".join(L.ARTICLES) + r")(?:[ \t]+|(?<=')(?=\w))", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """A country (ISO 3166-1 alpha-2) or region (``WW``, ``EU``) with the span of its name."""

    code: str
    start: int
    end: int


@dataclass
class Shipping:
    """Where a listing ships from and to, and whether that came from a labelled field or free text."""

    ships_from: Place | None = None
    ships_to: list[Place] = field(default_factory=list)
    source: str | None = None  # "label", "text" or None


def parse_place_list(text: str, offset: int = 0) -> list[Place]:
    """Places named in a field value such as "United States, Worldwide" or "UK (Free!) & EU".

    Stops at "except"/"excluding". Repeated codes are kept once. ``offset`` is added to spans.

    >>> [p.code for p in parse_place_list("World Wide , Europe , Netherlands , United Kingdom")]
    ['WW', 'EU', 'NL', 'GB']
    >>> [p.code for p in parse_place_list("Worldwide except Australia")]
    ['WW']
    >>> [p.code for p in parse_place_list("Österreich und in die Schweiz")]
    ['AT', 'CH']
    """
    stop = _STOP_RE.search(text)
    text = text[: stop.start()] if stop else text
    places: list[Place] = []
    codes: set[str] = set()
    pos = 0
    for piece in _SPLIT_RE.split(text):
        start = text.find(piece, pos)
        pos = start + len(piece)
        cleaned = _ARTICLE_RE.sub("", _TO_WORD_RE.sub("", _NOISE_RE.sub(" ", piece).strip()))
        if not cleaned:
            continue
        code = country_code(cleaned) or country_code(piece)
        if code and code not in codes:
            codes.add(code)
            words = cleaned.lower().split()
            first = max(piece.lower().find(words[0]), 0)
            last = piece.lower().rfind(words[-1])
            last = len(piece.rstrip()) if last < 0 else last + len(words[-1])
            places.append(Place(code, offset + start + first, offset + start + last))
    return places

