"""Ships-from and ships-to as ISO codes, from labelled fields and free text: pure functions.

Labelled fields win: a line starting "Ships from", "Origin country", "Versand aus", "Envío desde",
"Ships to", "Versand nach", "Destination"... (value on the same line or the next; "CO -> Colombia,
US" after an origin label also names the destinations). A side no field gives is read from
sentences: "shipping from the NL, EU only", "located in ES, shipping to European Union", "dispatch
from DE -> anywhere", "Wir versenden aus den Niederlanden", "worldwide", "US domestic". Questions
("what's the stealth like to the UK?") are not read: in forum threads they are buyers'. Places after
"except" / "außer" / "sauf"... are left out (they are exclusions, not destinations). The phrasings,
in English, German, French, Spanish, Dutch, Italian, Portuguese, Russian and Polish, are data in
:mod:`extract.lexicons.shipping`; country names in those languages come from pycountry.

>>> r = parse_shipping("Ships from: Netherlands\\nShips to: Worldwide, EU")
>>> r.ships_from.code, [p.code for p in r.ships_to], r.source
('NL', ['WW', 'EU'], 'label')
>>> r = parse_shipping("Fast and discreet, shipping from the NL, EU only")
>>> r.ships_from.code, [p.code for p in r.ships_to], r.source
('NL', ['EU'], 'text')
>>> r = parse_shipping("Versand aus:\\tÖsterreich\\nWir liefern weltweit, außer nach Australien")
>>> r.ships_from.code, [p.code for p in r.ships_to]
('AT', ['WW'])
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from extract.lexicons import shipping as L
from extract.lexicons.countries import country_code, known_names
from extract.lexicons.shipping import FROM_LABELS, TO_LABELS

__all__ = ["Place", "Shipping", "parse_shipping", "parse_place_list", "FROM_LABELS", "TO_LABELS"]

_SEP = r"[ \t]*(?:[:=\-–|>]+[ \t]*)?"
_FROM_RE = re.compile(r"^[ \t>*•\-|]*(?:" + "|".join(FROM_LABELS) + r")\b" + _SEP, re.IGNORECASE | re.M)
_TO_RE = re.compile(r"^[ \t>*•\-|]*(?:" + "|".join(TO_LABELS) + r")\b" + _SEP, re.IGNORECASE | re.M)
_STOP_RE = re.compile(r"(?<![\w])(?:" + "|".join(L.EXCEPT_WORDS) + r")(?![\w])", re.IGNORECASE)
_SPLIT_RE = re.compile(r"[,;/&|+]|\(|\)|(?<![\w])(?:" + "|".join(L.AND_WORDS) + r")(?![\w'])", re.IGNORECASE)
_NOISE_RE = re.compile(r"(?<![\w])(?:only|free|shipping|ship|delivery|countries|country|domestic|standard|the|to|"
                       + "|".join(L.ONLY_WORDS) + "|" + "|".join(a for a in L.ARTICLES if len(a) > 2)
                       + r")(?![\w])|[!*.]", re.IGNORECASE)
_ARROW_RE = re.compile(r"[ \t]*(?:->|→|=>|⇒|»|(?<=[ \t])>)[ \t]*")
_ARTICLE_RE = re.compile(r"^(?:" + "|".join(L.ARTICLES) + r")(?:[ \t]+|(?<=')(?=\w))", re.IGNORECASE)
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
        cleaned = _ARTICLE_RE.sub("", _NOISE_RE.sub(" ", piece).strip())
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
def _long_alt() -> str:
    long_names = sorted((n for n in known_names() if len(n) > 3 or n in ("peru", "laos", "iran", "oman", "cuba")),
                        key=len, reverse=True)
    return "|".join(r"[ \t.\-]+".join(re.escape(w) for w in name.split(" ")) for name in long_names)


@lru_cache(maxsize=1)
def _place_re() -> re.Pattern:
    """Place names anywhere in text: full names in any case; short forms ("US", "UK") in upper case."""
    short_alt = "|".join(re.escape(s) for s in sorted(_SHORT, key=len, reverse=True))
    return re.compile(r"(?<![\w.])(?:(?i:" + _long_alt() + r")|" + short_alt + r")(?![\w])")


@lru_cache(maxsize=1)
def _phrase_place() -> str:
    """A place right after a shipping phrase: also any upper-case ISO alpha-2/alpha-3 code ("CAN", "SE")."""
    codes = {c.alpha_2 for c in pycountry.countries} | {c.alpha_3 for c in pycountry.countries} | set(_SHORT)
    short_alt = "|".join(re.escape(s) for s in sorted(codes, key=len, reverse=True))
    return r"(?<![\w.])(?:(?i:" + _long_alt() + r")|" + short_alt + r")(?![\w])"


def _alt(words) -> str:
    return "(?:" + "|".join(words) + ")"


@lru_cache(maxsize=1)
def _free_res() -> dict[str, re.Pattern]:
    place = _phrase_place()
    article = r"(?:(?i:" + _alt(L.ARTICLES) + r")[ \t]+)?"
    joiner = r"[ \t]*(?:,|&|/|\+|(?i:" + _alt(L.AND_WORDS) + r")(?![\w']))[ \t]*"
    # after the first place, a bare code must end its list item ("CZ, anywhere. DM for bulk": DM is no place)
    codes_end = r"(?=[ \t]*(?:$|[\n,.;:!?)/&+|>\-]|(?i:" + _alt(L.AND_WORDS + L.ONLY_WORDS) + r")(?![\w'])))"
    next_place = r"(?:(?<![\w.])(?i:" + _long_alt() + r")(?![\w])|" + place + codes_end + ")"
    places = article + r"(?:" + place + r")(?:" + joiner + article + next_place + r")*"
    arrow = r"\.?[ \t]*(?:(?i:" + _alt(L.ARROWS) + r"))[ \t]*"
    return {
        "from": re.compile(r"(?<![\w])(?i:" + _alt(L.FROM_PHRASES + L.BASED_PHRASES) + r")[ \t]+" + article
                           + r"(?P<place>" + place + r")(?:" + arrow + r"(?P<places>" + places + r"))?"),
        "to": re.compile(r"(?<![\w])(?i:" + _alt(L.TO_PHRASES) + r")[ \t]*(?P<places>" + places + r")"),
        "only": re.compile(r"(?P<places>" + places + r")[ \t]+(?i:" + _alt(L.ONLY_WORDS) + r"|shipping|delivery)(?![\w])"),
        "only_before": re.compile(r"(?<![\w])(?i:" + _alt(L.ONLY_WORDS) + r")[ \t]+(?P<places>" + places + r")"),
        "worldwide": re.compile(r"(?<![\w])(?i:" + _alt(L.WORLDWIDE_WORDS) + r")(?![\w])"),
        "domestic": re.compile(r"(?<![\w])(?i:" + _alt(L.DOMESTIC_WORDS) + r")(?![\w])"),
        "pair": re.compile(r"(?P<a>" + _place_re().pattern + r")[ \t]+(?i:to|->|>|→)[ \t]+(?P<b>" + _place_re().pattern + r")"),
    }


_NEGATION_RE = re.compile(r"(?i)(?<![\w])(?:no|not|n't|never|nicht|kein|keinen|pas|ne|nunca|niet|non)(?![\w])[^.\n]*$")
_QUESTION_RE = re.compile(r"[^\n.!?]*\?")
_SHIP_WORD_RE = re.compile(r"(?i)ship|deliver|post|send|versand|liefer|env[íi]|exp[ée]d|verzend|sped")


def _free_text(text: str) -> Shipping:
    """Origin and destinations from sentences; questions ("what's the stealth like to the UK?") are
    blanked first, keeping offsets."""
    text = _QUESTION_RE.sub(lambda m: " " * len(m.group(0)), text)
    res = _free_res()
    result = Shipping(source="text")

    def add_to(value: str, at: int) -> None:
        origin = result.ships_from
        if origin and at <= origin.start < at + len(value):  # "from the US, United States and CA only"
            value, at = value[origin.end - at:], origin.end
        for p in parse_place_list(value, at):
            origin = result.ships_from
            if origin and p.start < origin.end and origin.start < p.end:
                continue  # "shipping from the NL, EU only": NL is the origin
            if p.code not in {q.code for q in result.ships_to}:
                result.ships_to.append(p)

    m = res["from"].search(text)
    if m:
        code = country_code(m.group("place"))
        if code:
            result.ships_from = Place(code, m.start("place"), m.end("place"))
        if m.group("places"):
            add_to(m.group("places"), m.start("places"))
    for key in ("to", "only", "only_before"):
        for m in res[key].finditer(text):
            if not _NEGATION_RE.search(text[max(0, m.start() - 24): m.start()]):  # "we do not ship to the US"
                add_to(m.group("places"), m.start("places"))
    for m in res["pair"].finditer(text):  # "US to US" on a line about shipping
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        if not _SHIP_WORD_RE.search(text[line_start: len(text) if line_end < 0 else line_end]):
            continue
        a, b = country_code(m.group("a")), country_code(m.group("b"))
        if a and b:
            result.ships_from = result.ships_from or Place(a, m.start("a"), m.end("a"))
            if b not in {q.code for q in result.ships_to}:
                result.ships_to.append(Place(b, m.start("b"), m.end("b")))
    if not result.ships_to:
        for m in res["worldwide"].finditer(text):
            if not _NEGATION_RE.search(text[max(0, m.start() - 24): m.start()]):
                result.ships_to.append(Place("WW", m.start(), m.end()))
                break
    if result.ships_from and not result.ships_to:
        m = res["domestic"].search(text)
        if m:
            result.ships_to.append(Place(result.ships_from.code, m.start(), m.end()))
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
    arrow_to: list[Place] = []
    for m in _FROM_RE.finditer(text):
        value, at = _line_value(text, m.end())
        arrow = _ARROW_RE.search(value)  # "Dispatch from CO -> Colombia, US": origin, then destinations
        found = parse_place_list(value[: arrow.start()] if arrow else value, at)
        if found:
            result.ships_from, result.source = found[0], "label"
            if arrow:
                arrow_to = parse_place_list(value[arrow.end():], at + arrow.end())
            break
    for m in _TO_RE.finditer(text):
        value, at = _line_value(text, m.end())
        found = parse_place_list(value, at)
        if found:
            result.ships_to, result.source = found, "label"
            break
    if not result.ships_to and arrow_to:
        result.ships_to = arrow_to
    if free_text and (result.ships_from is None or not result.ships_to):
        # a page with only one labelled side may say the other in a sentence
        found = _free_text(text)
        if result.source is None:
            return found
        if result.ships_from is None and found.ships_from is not None:
            result.ships_from = found.ships_from
        if not result.ships_to:
            origin = result.ships_from
            result.ships_to = [p for p in found.ships_to
                               if not (origin and p.start < origin.end and origin.start < p.end)]
    return result
