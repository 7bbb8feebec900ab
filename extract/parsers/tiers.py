"""Bulk price tiers and the price per gram or per pill: pure functions over found quantities and money.

A tier is a line holding an amount (a quantity that is not only a dose strength) and, after it, a
price: "10g - $80", "1 oz\t0.05 BTC", "100 pills = 200 EUR". A page has tiers when at least two
lines with different amounts are such pairs (a single pair is the title, not a tier table).

The unit price divides a price by its amount: per gram for masses (kg, oz, lb converted), per pill
for counts, per ml for volumes.

>>> q = [{"value": 10, "unit": "g", "strength": None, "span": [0, 3]}, {"value": 28, "unit": "g", "strength": None, "span": [10, 13]}]
>>> m = [{"amount": 80.0, "currency": "USD", "span": [6, 9]}, {"amount": 200.0, "currency": "USD", "span": [16, 20]}]
>>> [(t["quantity"], t["amount"]) for t in price_tiers("10g - $80\\n28g - $200", q, m)]
[(10, 80.0), (28, 200.0)]
>>> unit_price(80.0, {"value": 0.5, "unit": "oz"})
{'amount': 5.643834, 'unit': 'g'}
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Any

from extract.lexicons.units import GRAMS_PER_UNIT, UNIT_KIND
from extract.parsers.lines import Lines

__all__ = ["price_tiers", "unit_price", "quantity_for_price"]

_PER_UNIT = {"mass": "g", "count": "pill", "volume": "ml"}
_ML_PER_UNIT = {"ml": 1.0, "l": 1000.0}


def _line_of(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _amounts(quantities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [q for q in quantities if UNIT_KIND.get(q["unit"]) in _PER_UNIT]


def price_tiers(text: str, quantities: list[dict[str, Any]], money: list[dict[str, Any]], *,
                min_tiers: int = 2, lines: Lines | None = None) -> list[dict[str, Any]]:
    """Tiers ``{"quantity", "unit", "amount", "currency", "span"}`` in text order (see the module doc).
    ``lines`` are the lines of ``text`` when the caller has them already."""
    tiers = []
    used_lines = set()
    lines = lines or Lines(text)
    priced = sorted((m for m in money if m["amount"] > 0), key=lambda m: m["span"][0])
    starts = [m["span"][0] for m in priced]
    for q in _amounts(quantities):
        line = lines.span(q["span"][0])
        if line in used_lines:
            continue
        i = bisect_left(starts, max(line[0], q["span"][1]))  # the first price after the amount
        if i == len(starts) or starts[i] >= line[1]:
            continue
        m = priced[i]
        used_lines.add(line)
        tiers.append({"quantity": q["value"], "unit": q["unit"], "amount": m["amount"], "currency": m["currency"],
                      "span": [q["span"][0], m["span"][1]]})
    if len({(t["quantity"], t["unit"]) for t in tiers}) < min_tiers:
        return []
    return tiers


def unit_price(amount: float, quantity: dict[str, Any]) -> dict[str, Any] | None:
    """``{"amount", "unit"}``: ``amount`` per gram, pill or ml of ``quantity``, or None."""
    kind = UNIT_KIND.get(quantity["unit"])
    value = float(quantity["value"])
    if kind == "mass":
        value *= GRAMS_PER_UNIT[quantity["unit"]]
    elif kind == "volume":
        value *= _ML_PER_UNIT.get(quantity["unit"], 0.0)
    elif kind != "count":
        return None
    if value <= 0:
        return None
    return {"amount": round(amount / value, 6), "unit": _PER_UNIT[kind]}


def quantity_for_price(text: str, quantities: list[dict[str, Any]], price_span: list[int] | None) -> dict[str, Any] | None:
    """The amount a price is for: one on the price's line, else the first in the first line (the
    title), else the only amount in the text."""
    amounts = _amounts(quantities)
    if not amounts:
        return None
    if price_span:
        line = _line_of(text, price_span[0])
        same = [q for q in amounts if line[0] <= q["span"][0] < line[1]]
        if same:
            return same[0]
    first_end = _line_of(text, 0)[1]
    in_title = [q for q in amounts if q["span"][0] < first_end]
    if in_title:
        return in_title[0]
    return amounts[0] if len({(q["value"], q["unit"]) for q in amounts}) == 1 else None
