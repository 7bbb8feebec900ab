"""Prices, currencies and their dollar value: a spaCy component (factory ``onionwatch_prices_v1``).

Matching is :mod:`extract.parsers.prices` over ``doc.text``: every amount of money, the rates the
page shows, the listing price. The dollar value uses the page's own rates first and the dated
rate table from the config (``onionwatch.rate_table.v1``) only when the page shows none; how it
was reached is kept in ``usd_rate`` (``{"value", "source", "date", "spans"}``) as evidence.

Results: ``doc._.money``, ``doc._.rates``, ``doc._.price`` (``{"amount", "currency", "usd", "span",
"usd_rate"}`` or None) and ``doc.spans[span_key]`` (every amount, labelled with its currency).

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("onionwatch_prices_v1")
>>> doc = nlp("Price: 0.01 BTC\\nBTC/USD 9000")
>>> doc._.price["usd"], doc._.price["usd_rate"]["source"]
(90.0, 'page')
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._doc import doc_numeral_lines, doc_text, register_extensions, set_span_group
from extract.parsers.lines import NumeralLines
from extract.components._pipe import BatchedPipe
from extract.parsers.prices import (
    Money, Rate, RateTable, choose_price, default_rate_table, find_money, find_rates, usd_value,
)
from extract.registry import versioned_factory  # also registers onionwatch.rate_table.v1 for the default config

__all__ = ["PriceMatch", "PriceRecognizer", "make_price_matcher"]

_RATES_FILE = "rates.json"


@dataclass
class PriceMatch:
    money: list[Money]
    rates: list[Rate]
    price: Money | None


class PriceRecognizer(BatchedPipe):
    """Finds money, rates and the price, converts it to dollars, and annotates the Doc."""

    def __init__(self, name: str = "prices", *, rates: RateTable | None = None, span_key: str = "prices",
                 fallback: bool = True) -> None:
        register_extensions()
        self.name = name
        self.rates = rates or default_rate_table()
        self.span_key = span_key
        self.fallback = fallback

    def match(self, text: str, numerals: NumeralLines | None = None) -> PriceMatch:
        numerals = numerals or NumeralLines(text)
        money = find_money(text, numerals=numerals)
        rates = find_rates(text, money, numerals=numerals)
        return PriceMatch(money, rates, choose_price(text, money, rates, fallback=self.fallback))

    def annotate(self, doc: Doc, found: PriceMatch) -> None:
        ext = doc._  # one view of the extension attributes: spaCy builds a new one at each ``doc._``
        ext.money = [m.to_dict() for m in found.money]
        ext.rates = [r.to_dict() for r in found.rates]
        price = None
        if found.price is not None:
            usd, how = usd_value(found.price, found.money, found.rates, self.rates)
            price = {"amount": found.price.amount, "currency": found.price.currency, "usd": usd,
                     "span": [found.price.start, found.price.end], "usd_rate": how}
        ext.price = price
        set_span_group(doc, self.span_key, [(m.start, m.end, m.currency) for m in found.money])

    def __call__(self, doc: Doc) -> Doc:
        self.annotate(doc, self.match(doc_text(doc), doc_numeral_lines(doc)))
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the rate table in use, so a saved pipeline converts the same way later."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / _RATES_FILE).write_text(json.dumps(self.rates.to_dict(), indent=1, sort_keys=True), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "PriceRecognizer":
        file = Path(path) / _RATES_FILE
        if file.exists():
            data = json.loads(file.read_text(encoding="utf-8"))
            self.rates = RateTable(data["date"], {k: float(v) for k, v in data["usd"].items()})
        return self


@versioned_factory(
    "onionwatch_prices_v1", alias="onionwatch_prices",
    assigns=["doc._.money", "doc._.rates", "doc._.price", "doc.spans"],
    default_config={"rates": {"@misc": "onionwatch.rate_table.v1"}, "span_key": "prices", "fallback": True},
)
def make_price_matcher(nlp: Language, name: str, rates: RateTable, span_key: str, fallback: bool) -> PriceRecognizer:
    """Factory for ``onionwatch_prices_v1`` (entry point in setup.cfg)."""
    return PriceRecognizer(name, rates=rates, span_key=span_key, fallback=fallback)
