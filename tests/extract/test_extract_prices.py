"""Prices, currencies and dollar values: invented strings grouped by the kind of market they imitate."""
from __future__ import annotations

import pytest

from extract.parsers.prices import RateTable, choose_price, find_money, find_rates, usd_value

TABLE = RateTable("2024-06-01", {"BTC": 60000.0, "XMR": 150.0, "EUR": 1.1, "GBP": 1.25})


def price_of(text, table=TABLE):
    money = find_money(text)
    rates = find_rates(text, money)
    price = choose_price(text, money, rates)
    if price is None:
        return None
    usd, how = usd_value(price, money, rates, table)
    return price.amount, price.currency, usd, how["source"] if how else None


# Amount formats seen across markets.
FORMATS = [
    ("$123.45", (123.45, "USD")),
    ("USD 50", (50.0, "USD")),
    ("45EU", (45.0, "EUR")),
    ("€45", (45.0, "EUR")),
    ("45,50 €", (45.5, "EUR")),
    ("0.0041 BTC", (0.0041, "BTC")),
    ("1.2 XMR", (1.2, "XMR")),
    ("฿0.0125", (0.0125, "BTC")),
    ("2.5 mBTC", (0.0025, "BTC")),
    ("£20", (20.0, "GBP")),
    ("C$ 80", (80.0, "CAD")),
    ("1,250 USD", (1250.0, "USD")),
    ("30 dollars", (30.0, "USD")),
    ("0.5 bitcoin", (0.5, "BTC")),
]


@pytest.mark.parametrize("text, expected", FORMATS)
def test_money_formats(text, expected):
    (m,) = find_money(text)
    assert (m.amount, m.currency) == expected
    assert (m.start, m.end) == (0, len(text))


@pytest.mark.parametrize("text", ["Ships to 27 EU countries", "try 5 more", "Level 2 vendor", "BTC address below"])
def test_not_money(text):
    assert find_money(text) == []


# Whole-page layouts: which amount is the price, and how its dollar value was reached.
PAGES = [
    # fiat-priced listing with a wallet balance in the header
    ("Wallet: $0.00\nPrice $50.96\nShipping +$5", (50.96, "USD", 50.96, "same")),
    # "Sale Price" field with the crypto amount beside it
    ("Sale Price : 4.00 USD / 0.00042375 BTC", (4.0, "USD", 4.0, "same")),
    # crypto-priced listing with a dollar amount beside it
    ("Price: 0.05 BTC ($3000.00)", (0.05, "BTC", 3000.0, "page_side_by_side")),
    # crypto-priced listing and a sidebar currency table anchored on "BTC 1.0"
    ("Exchange\nBTC\t1.0\nmBTC\t1000.0\nUSD\t10000.0\nEUR\t9000.0\nItem\nPrice\t฿0.002 (€18.00)",
     (0.002, "BTC", 20.0, "page")),
    # "BTC/USD" pairs in a header strip
    ("Exchange Rates BTC/USD 9500.00 XMR/USD 80.00\nPrice: 0.5 XMR", (0.5, "XMR", 40.0, "page")),
    # explicit "1 BTC = ..." line, euro price converted through bitcoin
    ("Price: 100 EUR\n1 BTC = 50000 USD | 1 BTC = 40000 EUR", (100.0, "EUR", 125.0, "page")),
    # no rate on the page: the dated table
    ("Price 50 GBP", (50.0, "GBP", 62.5, "table")),
    ("Price: 1.5 XMR", (1.5, "XMR", 225.0, "table")),
    # label on its own line, value below
    ("Price\n€45", (45.0, "EUR", 49.5, "table")),
    # no label: the first amount in the title line
    ("Xanax 2mg x 50 - $120\nbest price on the market", (120.0, "USD", 120.0, "same")),
]


@pytest.mark.parametrize("text, expected", PAGES)
def test_page_price(text, expected):
    got = price_of(text)
    assert got[:2] == expected[:2]
    assert got[2] == pytest.approx(expected[2], abs=0.01)
    assert got[3] == expected[3]


def test_no_price():
    assert price_of("Balance 0.00 BTC\nShipping: 0.00 USD") is None
    assert price_of("no money here") is None


def test_rates_are_not_prices():
    text = "BTC/USD 9439.54 BTC/EUR 8509.69"
    assert [r.source for r in find_rates(text)] == ["pair", "pair"]
    assert price_of(text) is None


def test_unknown_currency_has_no_usd():
    assert price_of("Price: 10 ZEC", RateTable("2024-06-01", {})) == (10.0, "ZEC", None, None)


def test_component_keeps_rate_evidence(nlp):
    text = "Price: 0.01 BTC\n1 BTC = $9,000"
    doc = nlp(text)
    price = doc._.price
    assert (price["amount"], price["currency"], price["usd"]) == (0.01, "BTC", 90.0)
    assert price["usd_rate"]["source"] == "page"
    assert [text[slice(*s)] for s in price["usd_rate"]["spans"]] == ["1 BTC = $9,000"]
    assert text[slice(*price["span"])] == "0.01 BTC"
