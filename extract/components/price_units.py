"""Bulk price tiers and the price per gram or pill: a spaCy component (factory ``onionwatch_price_units_v1``).

It reads what ``onionwatch_quantities_v1`` and ``onionwatch_prices_v1`` wrote (so it runs after both) and
applies :mod:`extract.parsers.tiers`. The unit price takes the listing price's amount, the amount it
is for (:func:`~extract.parsers.tiers.quantity_for_price`) and the price's own dollar rate.
Results: ``doc._.price_tiers`` and ``doc._.unit_price`` (``{"amount", "currency", "usd", "unit",
"span"}`` or None, the span being the quantity's).

>>> import spacy
>>> nlp = spacy.blank("en")
>>> for name in ("onionwatch_quantities_v1", "onionwatch_prices_v1", "onionwatch_price_units_v1"): _ = nlp.add_pipe(name)
>>> doc = nlp("Cocaine 5g\\nPrice: $300")
>>> doc._.unit_price["amount"], doc._.unit_price["unit"]
(60.0, 'g')
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._doc import doc_lines, doc_text, register_extensions, set_span_group
from extract.components._pipe import BatchedPipe
from extract.parsers.tiers import price_tiers, quantity_for_price, unit_price
from extract.registry import versioned_factory

__all__ = ["PriceUnitRecognizer", "make_price_unit_recognizer"]


class PriceUnitRecognizer(BatchedPipe):
    """Builds tiers and the unit price from ``doc._.quantities``, ``doc._.money`` and ``doc._.price``."""

    def __init__(self, name: str = "price_units", *, span_key: str = "price_tiers", min_tiers: int = 2) -> None:
        register_extensions()
        self.name = name
        self.span_key = span_key
        self.min_tiers = min_tiers

    def __call__(self, doc: Doc) -> Doc:
        ext = doc._  # one view of the extension attributes: spaCy builds a new one at each ``doc._``
        quantities = ext.quantities or []
        money = ext.money or []
        tiers = price_tiers(doc_text(doc), quantities, money, min_tiers=self.min_tiers, lines=doc_lines(doc))
        ext.price_tiers = tiers
        price = ext.price
        per = None
        if price:
            qty = quantity_for_price(doc_text(doc), quantities, price["span"])
            unit = unit_price(price["amount"], qty) if qty else None
            if unit:
                usd = price.get("usd")
                per = {"amount": unit["amount"], "currency": price["currency"],
                       "usd": round(usd * unit["amount"] / price["amount"], 6) if usd is not None and price["amount"] else None,
                       "unit": unit["unit"], "span": list(qty["span"])}
        ext.unit_price = per
        set_span_group(doc, self.span_key, [(t["span"][0], t["span"][1], f"{t['quantity']}{t['unit']}") for t in tiers])
        return doc


@versioned_factory("onionwatch_price_units_v1", alias="onionwatch_price_units",
                   default_config={"span_key": "price_tiers", "min_tiers": 2},
                   requires=["doc._.quantities", "doc._.money", "doc._.price"],
                   assigns=["doc._.price_tiers", "doc._.unit_price", "doc.spans"])
def make_price_unit_recognizer(nlp: Language, name: str, span_key: str, min_tiers: int) -> PriceUnitRecognizer:
    """Factory for ``onionwatch_price_units_v1`` (entry point in setup.cfg)."""
    return PriceUnitRecognizer(name, span_key=span_key, min_tiers=min_tiers)
