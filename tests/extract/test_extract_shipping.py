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


@pytest.mark.parametrize("text, expected", LABELLED + FREE_TEXT)
def test_shipping(text, expected):
    assert codes(text) == expected


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
