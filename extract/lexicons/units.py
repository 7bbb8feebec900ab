"""Units of amount and of dose strength as listings write them, with their canonical form.

Data and two pure helpers. Canonical units: mass ``g kg oz lb``, dose ``mg ug``, volume
``ml l``, concentration ``mg/ml``, counts ``pill`` (pills, tabs, caps, blotters, pieces, "x 100"),
``vial``, ``ampoule``, ``seed``. Dose units (``mg``, ``ug``, ``mg/ml``) are strengths when a count
or volume stands beside them, amounts otherwise.

>>> UNIT_ALIASES["gr"], UNIT_ALIASES["tabs"], UNIT_ALIASES["mcg"]
('g', 'pill', 'ug')
>>> to_grams(0.25, "lb")
113.3980925
"""
from __future__ import annotations

__all__ = [
    "UNIT_ALIASES", "UNIT_KIND", "NAMED_AMOUNTS", "GRAMS_PER_UNIT", "FRACTIONS", "unit_kind", "to_grams",
]

#: Surface form (lower case) -> canonical unit.
UNIT_ALIASES: dict[str, str] = {
    # mass
    "g": "g", "gr": "g", "grs": "g", "gm": "g", "gms": "g", "grm": "g", "grms": "g", "gram": "g",
    "grams": "g", "gramm": "g", "gramme": "g", "grammes": "g", "gramos": "g", "grammi": "g",
    "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
    "kilogramme": "kg", "oz": "oz", "ozs": "oz", "ounce": "oz", "ounces": "oz", "onz": "oz",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb", "elbow": "lb", "elbows": "lb",
    # dose
    "mg": "mg", "mgs": "mg", "milligram": "mg", "milligrams": "mg", "milligramme": "mg",
    "ug": "ug", "µg": "ug", "μg": "ug", "mcg": "ug", "mcgs": "ug", "microgram": "ug",
    "micrograms": "ug", "mikrogramm": "ug",
    # volume and concentration
    "ml": "ml", "mls": "ml", "milliliter": "ml", "milliliters": "ml", "millilitre": "ml",
    "millilitres": "ml", "cc": "ml", "liter": "l", "liters": "l", "litre": "l", "litres": "l",
    "mg/ml": "mg/ml", "mg/mls": "mg/ml", "mg / ml": "mg/ml",
    # counts
    "pill": "pill", "pills": "pill", "tab": "pill", "tabs": "pill", "tablet": "pill",
    "tablets": "pill", "tabls": "pill", "cap": "pill", "caps": "pill", "capsule": "pill",
    "capsules": "pill", "pc": "pill", "pcs": "pill", "piece": "pill", "pieces": "pill",
    "blotter": "pill", "blotters": "pill", "hit": "pill", "hits": "pill", "pressies": "pill",
    "units": "pill", "ct": "pill", "count": "pill", "strips": "pill", "strip": "pill",
    "vial": "vial", "vials": "vial", "amp": "ampoule", "amps": "ampoule", "ampoule": "ampoule",
    "ampoules": "ampoule", "ampule": "ampoule", "ampules": "ampoule",
    "seed": "seed", "seeds": "seed",
    # counts in other market languages (German, French, Spanish, Dutch, Italian, Portuguese, Russian, Polish)
    "stk": "pill", "stk.": "pill", "stück": "pill", "stueck": "pill", "pillen": "pill", "tabletten": "pill",
    "tablette": "pill", "kapseln": "pill", "kapsel": "pill", "pilules": "pill", "comprimés": "pill",
    "comprimé": "pill", "gélules": "pill", "pastillas": "pill", "pastilla": "pill", "comprimidos": "pill",
    "pastillen": "pill", "pillole": "pill", "compresse": "pill", "pezzi": "pill", "stuks": "pill",
    "pilulas": "pill", "pílulas": "pill", "шт": "pill", "таблеток": "pill", "таблетки": "pill", "szt": "pill",
    "tabletek": "pill", "pappen": "pill", "pappe": "pill", "trips": "pill", "trip": "pill", "microdots": "pill", "kilogramm": "kg", "unzen": "oz", "unze": "oz", "pfund": "lb",
}

#: Canonical unit -> kind.
UNIT_KIND: dict[str, str] = {
    "g": "mass", "kg": "mass", "oz": "mass", "lb": "mass",
    "mg": "dose", "ug": "dose", "mg/ml": "concentration",
    "ml": "volume", "l": "volume",
    "pill": "count", "vial": "count", "ampoule": "count", "seed": "count",
}

#: Named amounts of the trade (lower case) -> (value, canonical unit).
NAMED_AMOUNTS: dict[str, tuple[float, str]] = {
    "qp": (0.25, "lb"), "quarter pound": (0.25, "lb"), "quarter lb": (0.25, "lb"),
    "half pound": (0.5, "lb"), "half lb": (0.5, "lb"), "half a pound": (0.5, "lb"),
    "zip": (1.0, "oz"), "zips": (1.0, "oz"), "half oz": (0.5, "oz"), "half ounce": (0.5, "oz"),
    "half an ounce": (0.5, "oz"), "quarter oz": (0.25, "oz"), "quarter ounce": (0.25, "oz"),
    "eighth": (3.5, "g"), "an eighth": (3.5, "g"), "8th": (3.5, "g"),
    "eight ball": (3.5, "g"), "eightball": (3.5, "g"), "8 ball": (3.5, "g"), "8ball": (3.5, "g"),
    "half kilo": (0.5, "kg"), "half a kilo": (0.5, "kg"), "half kg": (0.5, "kg"),
}

#: Fraction characters and words -> value.
FRACTIONS: dict[str, float] = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅛": 0.125, "⅓": 1 / 3, "⅔": 2 / 3}

GRAMS_PER_UNIT: dict[str, float] = {
    "g": 1.0, "kg": 1000.0, "oz": 28.349523125, "lb": 453.59237, "mg": 0.001, "ug": 0.000001,
}


def unit_kind(unit: str) -> str | None:
    """Kind of a canonical unit: mass, dose, concentration, volume or count.

    >>> unit_kind("oz"), unit_kind("pill"), unit_kind("parsec")
    ('mass', 'count', None)
    """
    return UNIT_KIND.get(unit)


def to_grams(value: float, unit: str) -> float | None:
    """An amount in grams, or None when the unit is not a mass.

    >>> to_grams(2, "kg"), to_grams(3, "pill")
    (2000.0, None)
    """
    factor = GRAMS_PER_UNIT.get(unit)
    return None if factor is None else value * factor
