"""Ships-from and ships-to as ISO codes, from labelled fields and simple free text: pure functions.

Labelled fields win: a line starting "Ships from", "Origin country", "Ships to", "Ship to",
"Destination"... (value on the same line or the next). Only when a page has no such field is free
text read: "shipping from the NL, EU only", "we ship worldwide", "US to US". Destinations after
"except" / "excluding" are left out (they are exclusions, not destinations).

>>> r = parse_shipping("Ships from: Netherlands\\nShips to: Worldwide, EU")
>>> r.ships_from.code, [p.code for p in r.ships_to], r.source
('NL', ['WW', 'EU'], 'label')
>>> r = parse_shipping("Fast and discreet, shipping from the NL, EU only")
>>> r.ships_from.code, [p.code for p in r.ships_to], r.source
('NL', ['EU'], 'text')
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extract.lexicons.countries import country_code, known_names

__all__ = ["Place", "Shipping", "parse_shipping", "parse_place_list", "FROM_LABELS", "TO_LABELS"]

#: Field labels for the origin and for the destinations (regular expressions, case-insensitive).
FROM_LABELS = (
    r"ships?[ \t]+from", r"shipping[ \t]+from", r"shipped[ \t]+from", r"sends?[ \t]+from", r"sent[ \t]+from",
    r"dispatch(?:ed|es)?[ \t]+from", r"origin(?:[ \t]+country)?", r"country[ \t]+of[ \t]+origin",
    r"ships?[ \t]+out[ \t]+of", r"product[ \t]+origin", r"location", r"from(?=[ \t]*:)",
)
TO_LABELS = (
    r"ships?[ \t]+to", r"shipping[ \t]+to", r"shipped[ \t]+to", r"sends?[ \t]+to", r"delivers?[ \t]+to",
    r"delivery[ \t]+to", r"(?:shipping[ \t]+)?destinations?", r"ships?[ \t]+worldwide(?=[ \t]*:)",
    r"available[ \t]+(?:in|to)", r"to(?=[ \t]*:)",
)
_SEP = r"[ \t]*(?:[:=\-–|>]+[ \t]*)?"
_FROM_RE = re.compile(r"^[ \t>*•\-|]*(?:" + "|".join(FROM_LABELS) + r")\b" + _SEP, re.IGNORECASE | re.M)
_TO_RE = re.compile(r"^[ \t>*•\-|]*(?:" + "|".join(TO_LABELS) + r")\b" + _SEP, re.IGNORECASE | re.M)
_STOP_RE = re.compile(r"\b(?:except|excluding|exclude|but|not[ \t]+to|no[ \t]+shipping|apart[ \t]+from)\b",
                      re.IGNORECASE)
_SPLIT_RE = re.compile(r"[,;/&|+]|\band\b|\bor\b|\(|\)", re.IGNORECASE)
_NOISE_RE = re.compile(r"\b(?:only|free|shipping|ship|delivery|countries|country|domestic|standard|the|to)\b|[!*.]",
                       re.IGNORECASE)
_SHORT = ("US", "USA", "U.S.", "U.S.A.", "UK", "U.K.", "NL", "EU", "WW", "DE", "AUS", "NZ", "GB", "UAE")


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
    """
    stop = _STOP_RE.search(text)
    text = text[: stop.start()] if stop else text
    places: list[Place] = []
    pos = 0
    for piece in _SPLIT_RE.split(text):
        start = text.find(piece, pos)
        pos = start + len(piece)
        cleaned = _NOISE_RE.sub(" ", piece).strip()
        if not cleaned:
            continue
        code = country_code(cleaned) or country_code(piece)
        if code and code not in {p.code for p in places}:
            words = cleaned.lower().split()
            first = max(piece.lower().find(words[0]), 0)
            last = piece.lower().rfind(words[-1])
            last = len(piece.rstrip()) if last < 0 else last + len(words[-1])
            places.append(Place(code, offset + start + first, offset + start + last))
    return places


def _line_value(text: str, label_end: int) -> tuple[str, int]:
    """The value after a label: the rest of its line, or the next line when the rest is empty."""
    end = text.find("\n", label_end)
    end = len(text) if end < 0 else end
    if text[label_end:end].strip():
        return text[label_end:end], label_end
    nxt = end + 1
    if nxt >= len(text):
        return "", label_end
    nxt_end = text.find("\n", nxt)
    nxt_end = len(text) if nxt_end < 0 else nxt_end
    return text[nxt:nxt_end], nxt


@lru_cache(maxsize=1)
def _place_re() -> re.Pattern:
    long_names = sorted((n for n in known_names() if len(n) > 3 or n in ("peru", "laos", "iran", "oman", "cuba")),
                        key=len, reverse=True)
    long_alt = "|".join(r"[ \t.\-]+".join(re.escape(w) for w in name.split(" ")) for name in long_names)
    short_alt = "|".join(re.escape(s) for s in sorted(_SHORT, key=len, reverse=True))
    # full names in any case; short forms ("US", "UK", "NL") only in upper case
    return re.compile(r"(?<![\w.])(?:(?i:" + long_alt + r")|" + short_alt + r")(?![\w])")


_VERB_FROM = r"(?:ship(?:s|ping|ped)?|send(?:s|ing)?|sent|post(?:s|ed|ing)?|dispatch(?:es|ed|ing)?|mail(?:s|ed|ing)?|deliver(?:s|ed|ing)?)"
_VERB_TO = r"(?:ship(?:s|ping)?|send(?:s|ing)?|post(?:s|ing)?|deliver(?:s|ing|y)?|dispatch(?:es|ing)?)"


def _free_text(text: str) -> Shipping:
    place = _place_re().pattern
    places = r"(?:the[ \t]+)?(?:" + place + r")(?:[ \t]*(?:,|&|/|\band\b|\bor\b)[ \t]*(?:the[ \t]+)?(?:" + place + r"))*"
    result = Shipping(source="text")
    from_re = re.compile(r"(?i:\b" + _VERB_FROM + r"(?:[ \t]+[a-z]+){0,2}?[ \t]+(?:from|out[ \t]+of))[ \t]+"
                         r"(?i:the[ \t]+)?(?P<place>" + place + r")")
    m = from_re.search(text)
    if m:
        code = country_code(m.group("place"))
        if code:
            result.ships_from = Place(code, m.start("place"), m.end("place"))
    to_res = [
        re.compile(r"(?i:\b" + _VERB_TO + r"(?:[ \t]+only)?(?:[ \t]+to)?)[ \t]+(?P<places>" + places + r")"),
        re.compile(r"(?P<places>" + places + r")[ \t]+(?i:only\b|shipping\b|delivery\b)"),
    ]
    for regex in to_res:
        for m in regex.finditer(text):
            for p in parse_place_list(m.group("places"), m.start("places")):
                origin = result.ships_from
                if origin and p.start < origin.end and origin.start < p.end:
                    continue  # "shipping from the NL, EU only": NL is the origin
                if p.code not in {q.code for q in result.ships_to}:
                    result.ships_to.append(p)
    # "US to US" on a line about shipping
    pair_re = re.compile(r"(?P<a>" + place + r")[ \t]+(?i:to)[ \t]+(?P<b>" + place + r")")
    for m in pair_re.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start: len(text) if line_end < 0 else line_end]
        if not re.search(r"(?i)ship|deliver|post|send", line):
            continue
        a, b = country_code(m.group("a")), country_code(m.group("b"))
        if a and b:
            result.ships_from = result.ships_from or Place(a, m.start("a"), m.end("a"))
            if b not in {q.code for q in result.ships_to}:
                result.ships_to.append(Place(b, m.start("b"), m.end("b")))
    if not result.ships_from and not result.ships_to:
        result.source = None
    return result


def parse_shipping(text: str, *, free_text: bool = True) -> Shipping:
    """Origin and destinations in ``text``: labelled fields first, free text only without them.

    >>> r = parse_shipping("Origin Country : United States\\nShip to : United States")
    >>> r.ships_from.code, [p.code for p in r.ships_to]
    ('US', ['US'])
    """
    result = Shipping()
    for m in _FROM_RE.finditer(text):
        value, at = _line_value(text, m.end())
        found = parse_place_list(value, at)
        if found:
            result.ships_from, result.source = found[0], "label"
            break
    for m in _TO_RE.finditer(text):
        value, at = _line_value(text, m.end())
        found = parse_place_list(value, at)
        if found:
            result.ships_to, result.source = found, "label"
            break
    if result.source is None and free_text:
        return _free_text(text)
    return result
