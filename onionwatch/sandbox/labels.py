"""How each sandbox market words the labels of a listing's details. Data, and one choice a market.

Real markets name the same field many ways ("Ships from", "Origin country", "Dispatched from",
"Versandland"). Each family has several wordings for each of its labelled fields; a market takes
one of them, drawn from its own seed, so worlds built from different seeds show the label reader
layouts with wordings it must know without being told. The first wording of each tuple is the one
the family always had (seed choices may keep it). Only the label text changes: the elements and
their classes (what the bundled profiles select) stay the same, and so does the truth.

The sandbox's vocabulary is its own: nothing here is read from the extraction stage.

>>> from types import SimpleNamespace
>>> words = market_labels(SimpleNamespace(seed=1, name="m"), "markt")
>>> sorted(words) == sorted(MARKT)
True
>>> words["ships_from"] in MARKT["ships_from"]
True
"""
from __future__ import annotations

import random
from typing import Any

__all__ = ["TABLE", "GRID", "MARKT", "FAMILY_LABELS", "market_labels"]

#: The table family's detail rows (``<tr><th>label</th><td class=..>``), English.
TABLE: dict[str, tuple[str, ...]] = {
    "ships_from": ("Ships from", "Dispatched from", "Shipping origin", "Origin country", "Sent from"),
    "ships_to": ("Ships to", "Delivers to", "Shipping destinations", "Destination countries", "Shipping area"),
    "escrow": ("Escrow", "Escrow protection", "Market escrow", "Uses escrow"),
    "finalize_early": ("Finalize early", "Early finalization", "FE allowed", "FE"),
    "stock": ("In stock", "Quantity left", "Units available", "Stock"),
}
#: The card-grid family's definition list (``<dt>label</dt><dd class=..>``), English.
GRID: dict[str, tuple[str, ...]] = {
    "ships_from": ("Origin", "Ships from", "Dispatch country", "Sending from", "Location"),
    "ships_to": ("Destinations", "Ships to", "Delivery area", "We ship to", "Shipping to"),
    "payment": ("Payment", "Payment type", "Payment method", "Order type"),
    "stock": ("Stock", "Available", "Items left", "Remaining"),
}
#: The German family's definition list (``<dt>label:</dt><dd class=..>``).
MARKT: dict[str, tuple[str, ...]] = {
    "ships_from": ("Versand aus", "Versandland", "Herkunftsland", "Versendet aus", "Standort"),
    "ships_to": ("Versand nach", "Lieferung nach", "Lieferländer", "Zielländer", "Liefergebiet"),
    "escrow": ("Treuhand", "Treuhandservice", "Treuhand verfügbar"),
    "finalize_early": ("Vorkasse (FE)", "Vorkasse", "Vorab finalisieren"),
    "stock": ("Bestand", "Lagerbestand", "Verfügbar", "Auf Lager"),
}
FAMILY_LABELS: dict[str, dict[str, tuple[str, ...]]] = {"table": TABLE, "grid": GRID, "markt": MARKT}


def market_labels(market: Any, family: str) -> dict[str, str]:
    """Field -> the label text ``market`` (anything with ``seed`` and ``name``) shows, chosen once
    from its seed among the family's wordings."""
    rng = random.Random(f"{market.seed}:{market.name}:labels")
    return {field: rng.choice(words) for field, words in FAMILY_LABELS[family].items()}
