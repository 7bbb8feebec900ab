"""Quantities and dose strengths: invented strings grouped by the kind of market they imitate."""
from __future__ import annotations

import pytest

from extract.parsers.quantities import parse_number, parse_quantities


def simple(text):
    out = []
    for q in parse_quantities(text):
        d = q.to_dict()
        strength = (d["strength"]["value"], d["strength"]["unit"]) if d["strength"] else None
        out.append((d["value"], d["unit"], strength))
    return out


# Pharmacy-style vendors: strength beside a count.
PHARMA = [
    ("Tramadol 50 mg x 100", [(100, "pill", (50, "mg"))]),
    ("100 PILLS X Carisoprodol 350mg", [(100, "pill", (350, "mg"))]),
    ("Adderall XR 20mg x 10", [(10, "pill", (20, "mg"))]),
    ("2x 30mg Adderall IR", [(2, "pill", (30, "mg"))]),
    ("Etizolam 1 mg (Etilaam -- 60 pills)", [(60, "pill", (1, "mg"))]),
    ("Oxy 30 x 100", [(100, "pill", None)]),
    ("50 tabs", [(50, "pill", None)]),
    ("Xanax 2mg: 10 pills, 50 pills", [(10, "pill", (2, "mg")), (50, "pill", (2, "mg"))]),
    ("Norco 10/325mg #50 tabs", [(50, "pill", None)]),
]

# Bulk powder and weed vendors: masses, fractions, trade names.
BULK = [
    ("28g HIGHGRADE HAZE", [(28, "g", None)]),
    ("10 gr hash", [(10, "g", None)]),
    ("1/4 pound outdoor", [(0.25, "lb", None)]),
    ("QP of kush", [(0.25, "lb", None)]),
    ("half oz + 1 zip", [(0.5, "oz", None), (1, "oz", None)]),
    ("an eighth of Gelato", [(3.5, "g", None)]),
    ("1,5 kg speed", [(1.5, "kg", None)]),
    ("3,5g", [(3.5, "g", None)]),
    ("2 x 3.5g bags", [(7, "g", None)]),
    ("1,000 grams", [(1000, "g", None)]),
    ("½ oz", [(0.5, "oz", None)]),
    ("500mg DMT", [(500, "mg", None)]),
    ("2 kilos", [(2, "kg", None)]),
]

# Psychedelic and steroid shops: micrograms, volumes with concentration.
SPECIALIST = [
    ("10x Blue Dolphins 150ug", [(10, "pill", (150, "ug"))]),
    ("LSD 200mcg x 25", [(25, "pill", (200, "ug"))]),
    ("Sustanon 250mg/ml 10ml vial", [(10, "ml", (250, "mg/ml"))]),
    ("5 hits", [(5, "pill", None)]),
]

# Text with numbers that are not amounts.
NOT_AMOUNTS = [
    "Ships in 2 days, 24/7 support",
    "M30 blues",
    "4.97 stars (1000 reviews)",
    "Price 4.00 USD / 0.00042375 BTC",
    "Level 3 vendor since 2019",
]


@pytest.mark.parametrize("text, expected", PHARMA + BULK + SPECIALIST)
def test_quantities(text, expected):
    assert simple(text) == expected


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_not_quantities(text):
    assert simple(text) == []


def test_spans_cover_amount_and_strength():
    text = "Valium 10 mg x 100 from Roche"
    (q,) = parse_quantities(text)
    assert text[q.start:q.end] == "10 mg x 100"


def test_strength_only_on_the_same_line():
    assert simple("Xanax 2mg\n10 pills") == [(2, "mg", None), (10, "pill", None)]


@pytest.mark.parametrize("text, value", [("1,000", 1000.0), ("3,5", 3.5), ("1/4", 0.25), ("1½", 1.5), ("x", None)])
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_component_writes_doc(nlp):
    doc = nlp("Ketamine 5g + 2 x 1g")
    assert [(q["value"], q["unit"]) for q in doc._.quantities] == [(5, "g"), (2, "g")]
    assert [s.text for s in doc.spans["quantities"]] == ["5g", "2 x 1g"]
