"""Origin and destinations from sentences ("shipping from the NL, EU only", "Versand aus der
Schweiz, weltweit außer USA", "US to US"), in one pass: a pure function, linear in its input.

Places come from :func:`extract.parsers.places.find_places`; each list of places ("US, Canada and
the UK", "Österreich und in die Schweiz") is followed once from its first place, and every other
pattern is matched only at a given position (a place's end, a phrase's start). An arrow between an
origin and a list ("US -> UK, DE & NL", "from Germany to France and Italy", "Deutschland nach
Österreich und Schweiz") ships to the whole list: a route arrow ("->", "→") says so alone, another
arrow or word ("to", ">", "nach") on a line about shipping or after a bare "from". Buyers'
questions are blanked first; places after a negation ("we do not ship to the US") are not
destinations.

>>> r = free_text_shipping("Fast and discreet, shipping from the NL, EU only")
>>> r.ships_from.code, [p.code for p in r.ships_to]
('NL', ['EU'])
>>> r = free_text_shipping("Stealth guaranteed. US -> UK, DE & NL")
>>> r.ships_from.code, [p.code for p in r.ships_to]
('US', ['GB', 'DE', 'NL'])
"""
from __future__ import annotations

import re
from typing import Iterator

from extract.lexicons import shipping as L
from extract.lexicons.countries import country_code
from extract.parsers.lines import Lines
from extract.parsers.place_lists import Place, Shipping, parse_place_list
from extract.parsers.places import PlaceMatch, find_places

__all__ = ["free_text_shipping", "place_list_end"]


def _alt(words) -> str:
    return "(?:" + "|".join(words) + ")"


# Free text is read in one pass: places come from :func:`extract.parsers.places.find_places`, and
# these patterns are matched only at a given position (a place's end, a phrase's start), so no
# pattern ever repeats over a list of places. Each is linear: a run of blanks is taken whole
# (``*+``), and a pattern that could start anywhere in a run starts only at its beginning.
_ARTICLE_WORDS = tuple(a.lower() for a in L.ARTICLES)  # plain words ("the", "l'")
_LONGEST_ARTICLE = max(map(len, _ARTICLE_WORDS))
_ARTICLE_AT = re.compile(r"(?i:" + _alt(L.ARTICLES) + r")[ \t]+")
_JOINER_AT = re.compile(r"[ \t]*+(?:,|&|/|\+|(?i:" + _alt(L.AND_WORDS) + r")(?![\w']))[ \t]*+")
# after the first place, a bare code must end its list item ("CZ, anywhere. DM for bulk": DM is no place)
_CODES_END_AT = re.compile(r"[ \t]*+(?:$|[\n,.;:!?)/&+|>\-]|(?i:" + _alt(L.AND_WORDS + L.ONLY_WORDS) + r")(?![\w']))")
_ARROW_AT = re.compile(r"\.?[ \t]*+(?i:" + _alt(L.ARROWS) + r")[ \t]*+")
_ONLY_AFTER_AT = re.compile(r"[ \t]++(?i:" + _alt(L.ONLY_WORDS) + r"|shipping|delivery)(?![\w])")
_ONLY_BEFORE_RE = re.compile(r"(?<![\w])(?i:" + _alt(L.ONLY_WORDS) + r")[ \t]++")
_TO_WORD_AT = re.compile(r"(?i:" + _alt(L.TO_WORDS) + r")[ \t]++")  # "DE and to NL", "und in die Schweiz"
# an arrow between an origin and its destinations: a route arrow ("US->UK, DE") or, between blanks,
# another arrow or a word ("US > UK", "Deutschland nach Österreich und Schweiz")
_PAIR_AT = re.compile(r"[ \t]*+(?P<route>" + _alt(L.ROUTE_ARROWS) + r")[ \t]*+|[ \t]++(?:>|»|(?i:"
                      + _alt(L.WORD_ARROWS) + r")(?![\w]))[ \t]++")
# a bare "from" right before the origin of a pair ("from NL to DE and BE"); searched in a short window
_FROM_WORD_BEFORE = re.compile(r"(?<![\w])(?i:" + _alt(L.FROM_WORDS) + r")[ \t]++$")
_FROM_WORD_WINDOW = 2 + max(map(len, L.FROM_WORDS))
_WORLDWIDE_RE = re.compile(r"(?<![\w])(?i:" + _alt(L.WORLDWIDE_WORDS) + r")(?![\w])")
_DOMESTIC_RE = re.compile(r"(?<![\w])(?i:" + _alt(L.DOMESTIC_WORDS) + r")(?![\w])")
_NEGATION_RE = re.compile(r"(?i)(?<![\w])(?:no|not|n't|never|nicht|kein|keinen|pas|ne|nunca|niet|non)(?![\w])[^.\n]*$")
# a question runs from the end of the previous sentence (or question) to its "?"; questions one
# after another are one match, blanked at once (a call a question made "???..." slow)
_QUESTION_RE = re.compile(r"(?<![^\n.!?])(?:[^\n.!?]*+\?)++")
_SHIP_WORD_RE = re.compile(r"(?i)ship|deliver|post|send|versand|liefer|env[íi]|exp[ée]d|verzend|sped")


def _phrases(phrases) -> tuple[re.Pattern, list[re.Pattern]]:
    """A search for any of ``phrases`` at a word start, and each phrase alone to try in turn there."""
    return (re.compile(r"(?<![\w])(?i:" + _alt(phrases) + r")"),
            [re.compile(r"(?i:" + p + r")") for p in phrases])


_FROM_PHRASES = _phrases(L.FROM_PHRASES + L.BASED_PHRASES)
_TO_PHRASES = _phrases(L.TO_PHRASES)


class _Scan:
    """The places of one text and the lists they start, each list's extent computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.places = find_places(text)
        self.at = {p.start: p for p in self.places}
        self._ends: dict[int, int] = {}
        self._ship_lines: dict[int, bool] = {}
        self._lines: Lines | None = None

    def first(self, pos: int) -> PlaceMatch | None:
        """The place at ``pos``, after an optional article ("the NL", "den Niederlanden")."""
        article = _ARTICLE_AT.match(self.text, pos)
        if article and article.end() in self.at:
            return self.at[article.end()]
        return self.at.get(pos)

    def article_start(self, pos: int) -> int:
        """Where an article right before the place at ``pos`` starts ("the UK only"), else ``pos``."""
        i = pos
        while i > 0 and self.text[i - 1] in " \t":
            i -= 1
        if i == pos:
            return pos
        before = self.text[max(0, i - _LONGEST_ARTICLE - 1):i].lower()
        found = [a for a in _ARTICLE_WORDS if before.endswith(a)  # a word: "to Italy" has no article "o"
                 and not (len(before) > len(a) and _is_word(before[-len(a) - 1]))]
        return i - max(map(len, found)) if found else pos

    def _next(self, place: PlaceMatch) -> PlaceMatch | None:
        joiner = _JOINER_AT.match(self.text, place.end)
        if not joiner:
            return None
        # the next place may follow a repeated preposition and an article ("and to the UK")
        starts = {joiner.end()}
        to_word = _TO_WORD_AT.match(self.text, joiner.end())
        if to_word:
            starts.add(to_word.end())
        for pos in list(starts):
            article = _ARTICLE_AT.match(self.text, pos)
            if article:
                starts.add(article.end())
        for pos in sorted(starts, reverse=True):
            nxt = self.at.get(pos)
            if nxt and (nxt.kind == "name" or _CODES_END_AT.match(self.text, nxt.end)):
                return nxt
        return None

    def list_end(self, place: PlaceMatch) -> int:
        """Where the list of places ("US, Canada and the UK") that ``place`` starts ends."""
        path = []
        cur: PlaceMatch | None = place
        while cur is not None and cur.start not in self._ends:
            path.append(cur)
            last = cur
            cur = self._next(cur)
        end = self._ends[cur.start] if cur is not None else last.end
        for p in path:
            self._ends[p.start] = end
        return end

    def phrase_lists(self, phrases: tuple[re.Pattern, list[re.Pattern]], gap: str) -> Iterator[tuple[int, int, int]]:
        """``(phrase start, list start, list end)`` for each shipping phrase followed by a list of
        places, in order, not overlapping. At a phrase start every phrase is tried in turn."""
        search, each = phrases
        pos = 0
        while (m := search.search(self.text, pos)) is not None:
            found = None
            for alone in each:
                hit = alone.match(self.text, m.start())
                if hit is None:
                    continue
                start = hit.end()
                while start < len(self.text) and self.text[start] in " \t":
                    start += 1
                if gap == "+" and start == hit.end():
                    continue
                place = self.first(start)
                if place is not None:
                    found = (m.start(), start, place)
                    break
            if found is None:
                pos = m.start() + 1
                continue
            yield found[0], found[1], self.list_end(found[2])
            pos = self._ends[found[2].start]

    def on_shipping_line(self, pos: int) -> bool:
        """Whether the line holding ``pos`` names shipping ("US to US" there is a route)."""
        if self._lines is None:  # found once: each question is then a binary search
            self._lines = Lines(self.text)
        i = self._lines.number(pos)
        if i not in self._ship_lines:
            self._ship_lines[i] = bool(_SHIP_WORD_RE.search(self.text, *self._lines.span(pos)))
        return self._ship_lines[i]

    def after_from_word(self, pos: int) -> bool:
        """Whether a bare "from" (or "von", "desde"...) stands right before the place at ``pos``."""
        start = self.article_start(pos)
        return bool(_FROM_WORD_BEFORE.search(self.text, max(0, start - _FROM_WORD_WINDOW), start))


def place_list_end(text: str, pos: int = 0) -> int | None:
    """Where the list of places that starts at ``pos`` (after an optional article) ends, or None
    when no place starts there: what an arrow's destination side reads ("-> the UK and Ireland. Next
    day post" ends after "Ireland"). Linear in ``text``.

    >>> text = "-> United Kingdom, DE & the Netherlands. Next-day post"
    >>> text[3:place_list_end(text, 3)]
    'United Kingdom, DE & the Netherlands'
    """
    scan = _Scan(text)
    place = scan.first(pos)
    return None if place is None else scan.list_end(place)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _negated(text: str, at: int) -> bool:
    return bool(_NEGATION_RE.search(text[max(0, at - 24): at]))  # "we do not ship to the US"


def free_text_shipping(text: str, origin: Place | None = None) -> Shipping:
    """Origin and destinations from sentences; questions ("what's the stealth like to the UK?") are
    blanked first, keeping offsets. An ``origin`` known already (a labelled field's) is kept, and
    its name is no destination: "sent from CZ, Czechia only" ships to Czechia, not from it twice.

    >>> origin = Place("CZ", 10, 12)
    >>> [p.code for p in free_text_shipping("sent from CZ, Czechia only", origin).ships_to]
    ['CZ']
    """
    text = _QUESTION_RE.sub(lambda m: " " * len(m.group(0)), text)
    scan = _Scan(text)
    result = Shipping(ships_from=origin, source="text")
    to_codes: set[str] = set()

    read: dict[int, int] = {}  # a list's end -> where its read part starts: each list is parsed once

    def add_to(value: str, at: int) -> None:
        end = at + len(value)
        if read.get(end, end) <= at:  # "We ship from ES to PT, IT only": arrow, "only" and pair read it
            return
        read[end] = at
        origin = result.ships_from
        if origin and at <= origin.start < at + len(value):  # "from the US, United States and CA only"
            value, at = value[origin.end - at:], origin.end
        for p in parse_place_list(value, at):
            origin = result.ships_from
            if origin and p.start < origin.end and origin.start < p.end:
                continue  # "shipping from the NL, EU only": NL is the origin
            if p.code not in to_codes:
                to_codes.add(p.code)
                result.ships_to.append(p)

    for _, start, _end in scan.phrase_lists(_FROM_PHRASES, "+"):  # the first origin named wins
        place = scan.first(start)
        name_end = place.name_end or place.end
        code = country_code(text[place.start:name_end])
        if code and result.ships_from is None:
            result.ships_from = Place(code, place.start, name_end)
        arrow = _ARROW_AT.match(text, place.end)  # "dispatch from DE -> anywhere", after any origin
        nxt = scan.first(arrow.end()) if arrow else None
        if nxt is not None:
            add_to(text[arrow.end():scan.list_end(nxt)], arrow.end())
    for phrase_start, start, end in scan.phrase_lists(_TO_PHRASES, "*"):
        if not _negated(text, phrase_start):
            add_to(text[start:end], start)
    last = 0
    for place in scan.places:  # "EU only", "UK & Ireland shipping"
        if place.start < last:
            continue
        end = scan.list_end(place)
        only = _ONLY_AFTER_AT.match(text, end)
        if only:
            start = scan.article_start(place.start)
            if not _negated(text, start):
                add_to(text[start:end], start)
            last = only.end()
    pos = 0
    while (m := _ONLY_BEFORE_RE.search(text, pos)) is not None:  # "nur EU", "solo España"
        place = scan.first(m.end())
        if place is None:
            pos = m.start() + 1
            continue
        end = scan.list_end(place)
        if not _negated(text, m.start()):
            add_to(text[m.end():end], m.end())
        pos = end
    last = 0
    for a in scan.places:  # "US to US" on a line about shipping, "NL -> DE, BE & FR", "from X to Y and Z"
        if a.start < last:
            continue
        arrow = _PAIR_AT.match(text, a.end)
        b = scan.first(arrow.end()) if arrow else None
        if b is None:
            continue
        route = arrow.group("route") is not None
        # a bare code ("CA", "SE") is a place only beside a route arrow, and ends its item
        if (a.kind == "code" and not route) or (b.kind == "code" and not (route and _CODES_END_AT.match(text, b.end))):
            continue
        end = scan.list_end(b)  # the arrow's destination side is the whole list it starts
        last = end
        context = scan.on_shipping_line(a.start) or scan.after_from_word(a.start)
        if not (context if a.kind == "code" else route or context):
            continue
        name_end = a.name_end or a.end
        code_a = country_code(text[a.start:name_end])
        if code_a:
            result.ships_from = result.ships_from or Place(code_a, a.start, name_end)
            add_to(text[arrow.end():end], arrow.end())
    if not result.ships_to:
        for m in _WORLDWIDE_RE.finditer(text):
            if not _negated(text, m.start()):
                result.ships_to.append(Place("WW", m.start(), m.end()))
                break
    if result.ships_from and not result.ships_to:
        m = _DOMESTIC_RE.search(text)
        if m:
            result.ships_to.append(Place(result.ships_from.code, m.start(), m.end()))
    if not result.ships_from and not result.ships_to:
        result.source = None
    return result

