"""The extraction parsers over any text: no exception, and every span they return lies inside the
text it was found in (``0 <= start <= end <= len(text)``). Only the public functions are called."""
from __future__ import annotations

import dataclasses

from hypothesis import given, strategies as st

from extract.parsers.prices import choose_price, find_money, find_rates
from extract.parsers.quantities import parse_number, parse_quantities
from extract.parsers.shipping import parse_place_list, parse_shipping
from extract.parsers.terms import find_terms, yes_no

#: Pieces of listing text the parsers react to, mixed with anything at all: labels, currencies,
#: numbers in several notations, countries and regions, units, terms, and hostile characters.
PIECES = ["Price:", "Preis:", "$", "€", "£", "USD", "EUR", "BTC", "XMR", "฿", "1", "45", "0.002", "1,000.50",
          "1.000,50", "1e9", "-3", "½", "٣", "Ships from:", "Ships to:", "Versand aus", "Worldwide", "EU",
          "Germany", "Netherlands", "US", "except", "excluding", "g", "mg", "kg", "oz", "pills", "x", "×",
          "10x", "50mg", "Escrow:", "FE", "100% FE", "yes", "no", "Finalize early", "\n", "\t", ":", "|",
          "/", "(", ")", "-", ",", ".", "\u200b", "\u202e", "\x1b[2J", "\x00", "\ufffd", "🙂", " "]

market_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join),
)


def spans(value, seen=None):
    """Every (start, end) a parser result holds: dataclass fields ``start``/``end``, ``span`` pairs."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        if isinstance(fields.get("start"), int) and isinstance(fields.get("end"), int):
            yield fields["start"], fields["end"]
        for item in fields.values():
            yield from spans(item)
    elif isinstance(value, dict):
        span = value.get("span")
        if isinstance(span, (list, tuple)) and len(span) == 2:
            yield tuple(span)
        for item in value.values():
            yield from spans(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from spans(item)


def assert_in_bounds(result, text):
    for start, end in spans(result):
        assert 0 <= start <= end <= len(text), (start, end, len(text), result)


@given(market_text)
def test_prices(text):
    money = find_money(text)
    rates = find_rates(text, money)
    price = choose_price(text, money, rates)
    assert_in_bounds([money, rates, price], text)
    assert price is None or price in money or dataclasses.is_dataclass(price)


@given(market_text)
def test_shipping(text):
    assert_in_bounds(parse_shipping(text), text)
    assert_in_bounds(parse_shipping(text, free_text=False), text)


@given(market_text, st.integers(min_value=0, max_value=1000))
def test_place_lists_add_their_offset(text, offset):
    for place in parse_place_list(text, offset):
        assert offset <= place.start <= place.end <= offset + len(text)


@given(market_text)
def test_quantities(text):
    assert_in_bounds(parse_quantities(text), text)


@given(st.text(max_size=40))
def test_numbers_parse_or_are_none(text):
    value = parse_number(text)
    assert value is None or isinstance(value, float)


@given(market_text)
def test_terms(text):
    assert_in_bounds(find_terms(text), text)
    assert yes_no(text) in (True, False, None)
