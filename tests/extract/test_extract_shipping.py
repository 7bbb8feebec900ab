"""Ships-from / ships-to and the country table: invented strings by the kind of market they imitate."""
from __future__ import annotations

import pytest

from extract.lexicons.countries import country_code
from extract.parsers.shipping import parse_shipping


def codes(text):
    r = parse_shipping(text)
    return (r.ships_from.code if r.ships_from else None, [p.code for p in r.ships_to], r.source)


# Labelled fields, as listing pages lay them out.
LABELLED = [
    ("Ships from: Netherlands\nShips to: Worldwide", ("NL", ["WW"], "label")),
    ("Ships to United States, Worldwide\nShips from United States", ("US", ["US", "WW"], "label")),
    ("Origin Country : Germany\nShip to : World Wide , Europe , Germany", ("DE", ["WW", "EU", "DE"], "label")),
    ("Ships from\tUK\nShips to\tUK (Free!) & EU", ("GB", ["GB", "EU"], "label")),
    ("From: U.S.A.\nTo: USA only", ("US", ["US"], "label")),
    ("Shipping from:\nHolland\nDestinations: EU, the NL", ("NL", ["EU", "NL"], "label")),
    ("Ships to: Worldwide except Australia, New Zealand", (None, ["WW"], "label")),
    ("Country of origin: Canada\nShips to: Canada, United States of America", ("CA", ["CA", "US"], "label")),
    ("Ships from: Undeclared\nShips to: Worldwide", (None, ["WW"], "label")),
]

# Free text in descriptions, when there is no labelled field.
FREE_TEXT = [
    ("Fast and discreet, shipping from the NL, EU only", ("NL", ["EU"], "text")),
    ("We ship worldwide from Germany!", ("DE", ["WW"], "text")),
    ("All orders are shipped out of Spain. Europe only.", ("ES", ["EU"], "text")),
    ("EXPRESS SHIPPING US TO US now available", ("US", ["US"], "text")),
    ("we ship to the USA and Canada", (None, ["US", "CA"], "text")),
    ("tell us about your order, we answer fast", (None, [], None)),
    ("It is in the US market in stock", (None, [], None)),
]


# An arrow and the whole list of places after it: every destination, whatever joins them.
ROUTES = [
    ("Shipping: US -> UK, DE & NL", ("US", ["GB", "DE", "NL"], "text")),
    ("US -> UK, DE & NL", ("US", ["GB", "DE", "NL"], "text")),
    ("post: CA->USA, Mexico and the UK", ("CA", ["US", "MX", "GB"], "text")),
    ("we ship: Sweden → Norway, Finland or Denmark", ("SE", ["NO", "FI", "DK"], "text")),
    ("ships Australia > Australia + New Zealand", ("AU", ["AU", "NZ"], "text")),
    ("from Germany to France, Belgium and the Netherlands, 2-3 days", ("DE", ["FR", "BE", "NL"], "text")),
    ("all orders dispatched from Spain to Portugal and to Italy", ("ES", ["PT", "IT"], "text")),
    ("ships SE -> NO, DK", ("SE", ["NO", "DK"], "text")),
    ("Shipping from the NL to Germany, Belgium & France", ("NL", ["DE", "BE", "FR"], "label")),
    ("Dispatch from: Canada -> Canada / United States", ("CA", ["CA", "US"], "label")),
    # an origin field whose line goes on after the destinations: the list ends where its places do
    ("Sent from Poland -> Poland, Czechia and Slovakia. Tracking on request", ("PL", ["PL", "CZ", "SK"], "label")),
    ("Origin: NL => Belgium and the UK; no FE, Norway soon", ("NL", ["BE", "GB"], "label")),
    # the origin named again in the destinations, another way: a destination all the same
    ("Shipped from CZ, Czechia and Slovakia only", ("CZ", ["CZ", "SK"], "label")),
    ("Ships from: Canada\nWe post from CA, Canada and the USA only", ("CA", ["CA", "US"], "label")),
    # the first origin named wins; the destinations after every origin's arrow count
    ("Sold by x, ships from Germany.\nThis one is sent from the NL to Belgium and Luxembourg", ("DE", ["BE", "LU"], "text")),
    ("Versand: Deutschland -> Österreich und Schweiz", ("DE", ["AT", "CH"], "text")),
    ("Versand von Deutschland nach Österreich, Schweiz und Liechtenstein", ("DE", ["AT", "CH", "LI"], "label")),
    ("Wir versenden aus Deutschland nach Österreich und in die Schweiz", ("DE", ["AT", "CH"], "text")),
    ("Expédition : France -> Belgique, Suisse et Luxembourg", ("FR", ["BE", "CH", "LU"], "text")),
    ("Envío: España -> Portugal, Francia y Italia", ("ES", ["PT", "FR", "IT"], "text")),
    ("Verzending: Nederland -> België, Duitsland en Frankrijk", ("NL", ["BE", "DE", "FR"], "text")),
    ("Spedizione: Italia -> Francia e Spagna", ("IT", ["FR", "ES"], "text")),
    # the list ends where the places do: "to" is no joiner, "except" starts exclusions
    ("Shipping: US to DE to NL", ("US", ["DE"], "text")),
    ("Shipping: Poland -> Czechia and Slovakia, except Hungary", ("PL", ["CZ", "SK"], "text")),
    ("Shipping: UK -> Ireland and then some", ("GB", ["IE"], "text")),
    # breadcrumbs and comparisons are no routes; "to" between places needs a word of shipping or a "from"
    ("Drugs » Europe » Netherlands", (None, [], None)),
    ("prices in USA to Canada conversions vary", (None, [], None)),
    ("Tracking ID -> UK buyers get it next day", (None, [], None)),
]


@pytest.mark.parametrize("text, expected", LABELLED + FREE_TEXT + ROUTES)
def test_shipping(text, expected):
    assert codes(text) == expected


def test_route_spans_point_at_each_destination():
    text = "Ship: Germany -> Austria, the Czech Republic and Poland. No FE"
    r = parse_shipping(text)
    assert text[r.ships_from.start:r.ships_from.end] == "Germany"
    assert [text[p.start:p.end] for p in r.ships_to] == ["Austria", "Czech Republic", "Poland"]


# Hostile routes: each runs parse_shipping once on up to a megabyte; the timeout only catches a hang
# (time per kilobyte is bench/extract_speed.py's).
_N = 30_000
HOSTILE_ROUTES = [
    ("a route to 120,000 places", lambda: "Shipping: US -> " + "UK, DE & NL and " * _N,
     lambda r: r.ships_from.code == "US" and [p.code for p in r.ships_to] == ["GB", "DE", "NL"]),
    ("thousands of 'and' after a route", lambda: "Shipping: US -> UK" + " and" * _N + " DE",
     lambda r: [p.code for p in r.ships_to] == ["GB"]),
    ("thousands of 'and' after a joiner", lambda: "Shipping: US -> UK, " + "and " * _N + "DE",
     lambda r: [p.code for p in r.ships_to] == ["GB"]),
    ("a chain of route arrows", lambda: "shipping " + "US->DE->NL->" * _N,
     lambda r: r.ships_from.code == "US" and [p.code for p in r.ships_to][:1] == ["DE"]),
    ("prepositions after joiners", lambda: "Shipping: US -> UK, " + "to in to the " * _N + "DE",
     lambda r: [p.code for p in r.ships_to] == ["GB"]),
    ("thousands of 'from' before a route", lambda: "from " * _N + "Germany to Austria and Italy",
     lambda r: r.ships_from.code == "DE" and [p.code for p in r.ships_to] == ["AT", "IT"]),
    ("routes on one long shipping line", lambda: "Shipping: " + "Germany to Austria and Italy. " * (_N // 3),
     lambda r: r.ships_from.code == "DE" and [p.code for p in r.ships_to] == ["AT", "IT"]),
    ("word arrows in an origin field", lambda: "Ships from: " + "to " * _N + "Germany",
     lambda r: r.ships_from.code == "DE" and r.ships_to == []),
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name, make, check", HOSTILE_ROUTES, ids=[c[0] for c in HOSTILE_ROUTES])
def test_hostile_routes(name, make, check):
    text = make()
    r = parse_shipping(text)
    assert check(r), (r.ships_from, r.ships_to[:5])
    assert all(0 <= p.start < p.end <= len(text) for p in [*r.ships_to, *filter(None, [r.ships_from])])


def test_spans_point_at_names():
    text = "Ships from: Holland\nShips to: Worldwide, United Kingdom"
    r = parse_shipping(text)
    assert text[r.ships_from.start:r.ships_from.end] == "Holland"
    assert [text[p.start:p.end] for p in r.ships_to] == ["Worldwide", "United Kingdom"]


COUNTRIES = [
    ("USA", "US"), ("United States of America", "US"), ("U.S.", "US"), ("UK", "GB"), ("England", "GB"),
    ("Holland", "NL"), ("the NL", "NL"), ("The Netherlands", "NL"), ("Deutschland", "DE"), ("DEU", "DE"),
    ("Worldwide", "WW"), ("WW", "WW"), ("World Wide", "WW"), ("European Union", "EU"), ("EU", "EU"),
    ("Europe", "EU"), ("Czechia", "CZ"), ("South Korea", "KR"), ("Ivory Coast", "CI"), ("Bosnia and Herzegovina", "BA"),
    ("no", None), ("in", None), ("Narnia", None), ("", None), ("Torland", None),
]


@pytest.mark.parametrize("name, code", COUNTRIES)
def test_country_codes(name, code):
    assert country_code(name) == code


def test_component_writes_doc(nlp):
    doc = nlp("Ships from: Poland\nShips to: EU")
    assert doc._.ships_from == {"code": "PL", "span": [12, 18], "source": "label"}
    assert [p["code"] for p in doc._.ships_to] == ["EU"]
    assert [s.label_ for s in doc.spans["shipping"]] == ["from:PL", "to:EU"]
