"""Ships-from and ships-to as ISO codes, from labelled fields and free text: pure functions.

Labelled fields win: a line starting "Ships from", "Origin country", "Versand aus", "Envío desde",
"Ships to", "Versand nach", "Destination"... (value on the same line or the next; "CO -> Colombia,
US" or "the NL to Germany and Belgium. Tracked post" after an origin label also names the
destinations: the list of places after the arrow). A side no field gives is read from
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

from extract.lexicons.shipping import FROM_LABELS, ROUTE_ARROWS, TO_LABELS, WORD_ARROWS
from extract.parsers.place_lists import Place, Shipping, parse_place_list
from extract.parsers.shipping_text import free_text_shipping, place_list_end

__all__ = ["Place", "Shipping", "parse_shipping", "parse_place_list", "FROM_LABELS", "TO_LABELS"]

_SEP = r"[ \t]*(?:[:=\-–|>]+[ \t]*)?"
_FROM_RE = re.compile(r"^[ \t>*•\-|]*+(?:" + "|".join(FROM_LABELS) + r")\b" + _SEP, re.IGNORECASE | re.M)
_TO_RE = re.compile(r"^[ \t>*•\-|]*+(?:" + "|".join(TO_LABELS) + r")\b" + _SEP, re.IGNORECASE | re.M)
# an arrow in an origin field's value, before its destinations: a sign, or a word between blanks
# ("Shipping from the NL to Germany, Belgium & France", "Versand von Deutschland nach Österreich")
_ARROW_RE = re.compile("|".join(ROUTE_ARROWS) + r"|»|(?<=[ \t])>|(?<=[ \t])(?P<word>(?i:"
                       + "|".join(WORD_ARROWS) + r"))(?=[ \t])")


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



def parse_shipping(text: str, *, free_text: bool = True) -> Shipping:
    """Origin and destinations in ``text``: labelled fields first, free text only without them.

    >>> r = parse_shipping("Origin Country : United States\\nShip to : United States")
    >>> r.ships_from.code, [p.code for p in r.ships_to]
    ('US', ['US'])
    >>> r = parse_shipping("Sent from: UK -> United Kingdom and Ireland. Tracked post on request")
    >>> r.ships_from.code, [p.code for p in r.ships_to], r.source
    ('GB', ['GB', 'IE'], 'label')
    >>> r = parse_shipping("Shipping from the NL to Germany, Belgium & France")
    >>> r.ships_from.code, [p.code for p in r.ships_to]
    ('NL', ['DE', 'BE', 'FR'])
    """
    result = Shipping()
    arrow_to: list[Place] = []
    for m in _FROM_RE.finditer(text):
        value, at = _line_value(text, m.end())
        arrow = _ARROW_RE.search(value)  # "Dispatch from CO -> Colombia, US": origin, then destinations
        found = parse_place_list(value[: arrow.start()] if arrow else value, at)
        if not found and arrow and arrow.group("word"):  # "close to Berlin, Germany": no route
            arrow, found = None, parse_place_list(value, at)
        if found:
            result.ships_from, result.source = found[0], "label"
            if arrow:  # the destination side is the list of places after the arrow, not its sentence
                end = place_list_end(value, len(value) - len(value[arrow.end():].lstrip(" \t")))
                arrow_to = parse_place_list(value[arrow.end():end], at + arrow.end())
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
        found = free_text_shipping(text, result.ships_from)
        if result.source is None:
            return found
        if result.ships_from is None and found.ships_from is not None:
            result.ships_from = found.ships_from
        if not result.ships_to:
            origin = result.ships_from
            result.ships_to = [p for p in found.ships_to
                               if not (origin and p.start < origin.end and origin.start < p.end)]
    return result
