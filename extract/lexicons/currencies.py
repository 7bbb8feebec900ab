"""Currencies as listings write them, and a dated table of US dollar rates for when a page shows none.

Data only; the parser is :mod:`extract.parsers.prices`. Codes are ISO 4217 for fiat money and the
usual tickers for cryptocurrencies. A surface form maps to ``(code, factor)``: "mBTC" is
``("BTC", 0.001)``, so amounts are always given in the main unit.

>>> SYMBOLS["€"], CODES["MBTC"], CODES["EU"]
(('EUR', 1.0), ('BTC', 0.001), ('EUR', 1.0))
>>> RATES_DATE, USD_RATES["BTC"] > 1000
('2024-06-01', True)
"""
from __future__ import annotations

__all__ = ["CRYPTO", "FIAT", "SYMBOLS", "CODES", "NAMES", "SUFFIX_ONLY", "LOWER_CASE_OK", "RATES_DATE", "USD_RATES"]

CRYPTO = frozenset({"BTC", "XMR", "LTC", "BCH", "ETH", "ZEC", "DASH", "DOGE", "USDT", "USDC", "TRX", "SOL"})
FIAT = frozenset({
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RUB",
    "UAH", "TRY", "INR", "CNY", "CNH", "HKD", "JPY", "KRW", "BRL", "MXN", "ZAR", "SGD", "THB", "AED",
})

#: Symbols written before or after the amount -> (code, factor). Longer forms win over shorter ones.
SYMBOLS: dict[str, tuple[str, float]] = {
    "$": ("USD", 1.0), "US$": ("USD", 1.0), "U$": ("USD", 1.0), "USD$": ("USD", 1.0),
    "C$": ("CAD", 1.0), "CA$": ("CAD", 1.0), "CAD$": ("CAD", 1.0),
    "A$": ("AUD", 1.0), "AU$": ("AUD", 1.0), "AUD$": ("AUD", 1.0), "NZ$": ("NZD", 1.0),
    "R$": ("BRL", 1.0), "HK$": ("HKD", 1.0), "S$": ("SGD", 1.0),
    "€": ("EUR", 1.0), "£": ("GBP", 1.0), "¥": ("JPY", 1.0), "₹": ("INR", 1.0), "₽": ("RUB", 1.0),
    "₺": ("TRY", 1.0), "₩": ("KRW", 1.0), "zł": ("PLN", 1.0),
    "฿": ("BTC", 1.0), "Ƀ": ("BTC", 1.0), "₿": ("BTC", 1.0), "Ξ": ("ETH", 1.0), "ɱ": ("XMR", 1.0),
}

#: Codes and tickers, matched in upper or lower case as whole words -> (code, factor).
CODES: dict[str, tuple[str, float]] = {
    **{code: (code, 1.0) for code in sorted(CRYPTO | FIAT)},
    "XBT": ("BTC", 1.0), "MBTC": ("BTC", 0.001), "UBTC": ("BTC", 0.000001), "BITS": ("BTC", 0.000001),
    "SATS": ("BTC", 0.00000001), "EURO": ("EUR", 1.0), "EUROS": ("EUR", 1.0), "EU": ("EUR", 1.0),
    "USDOLLAR": ("USD", 1.0), "BUCKS": ("USD", 1.0),
}

#: Codes that only count directly after a number, never before one ("45EU", not "EU 45"):
#: before a number they are more often something else ("EU 27 countries").
SUFFIX_ONLY = frozenset({"EU", "BUCKS", "EURO", "EUROS", "BITS", "SATS"})

#: Codes also matched in lower case ("50 usd"); the others only in upper case ("TRY", not "try").
LOWER_CASE_OK = frozenset({"USD", "EUR", "GBP", "CAD", "AUD", "BTC", "XMR", "LTC", "BCH", "ETH", "MBTC", "EURO", "EUROS", "BUCKS"})

#: Currency names written after an amount ("20 dollars", "0.5 bitcoin") -> (code, factor).
NAMES: dict[str, tuple[str, float]] = {
    "dollar": ("USD", 1.0), "dollars": ("USD", 1.0), "usd": ("USD", 1.0),
    "euro": ("EUR", 1.0), "euros": ("EUR", 1.0), "bitcoin": ("BTC", 1.0), "bitcoins": ("BTC", 1.0),
    "monero": ("XMR", 1.0), "litecoin": ("LTC", 1.0), "litecoins": ("LTC", 1.0),
    "bitcoin cash": ("BCH", 1.0), "ethereum": ("ETH", 1.0), "ether": ("ETH", 1.0),
    "zcash": ("ZEC", 1.0), "tether": ("USDT", 1.0),
}

#: The date of :data:`USD_RATES`: the dollar value of one unit of each currency on that day
#: (rounded; approximate). PROVENANCE: these values were written by hand as approximate levels for
#: early June 2024; they were NOT read from an exchange-rate feed (the project makes no network
#: look-ups) and are not checked to the cent. Use them only as a fallback for pages that show no
#: rate; for evidence, load a table you have checked with ``components.prices.rates.path``
#: (a JSON file ``{"date": "YYYY-MM-DD", "usd": {...}}``). The result's ``usd_rate`` (``--details``)
#: says whether a page rate or this table was used, with the table's date.
#: Used only when the page itself shows no rate; a pipeline may load another table (see the
#: ``onionwatch.rate_table.v1`` function in ``extract.registry``).
RATES_DATE = "2024-06-01"
USD_RATES: dict[str, float] = {
    "USD": 1.0, "EUR": 1.087, "GBP": 1.274, "CAD": 0.731, "AUD": 0.665, "NZD": 0.614, "CHF": 1.108,
    "SEK": 0.0951, "NOK": 0.0951, "DKK": 0.1457, "PLN": 0.2537, "CZK": 0.0439, "HUF": 0.00278,
    "RUB": 0.0111, "UAH": 0.0247, "TRY": 0.0310, "INR": 0.01199, "CNY": 0.1381, "CNH": 0.1379,
    "HKD": 0.1280, "JPY": 0.00636, "KRW": 0.000727, "BRL": 0.1906, "MXN": 0.0588, "ZAR": 0.0532,
    "SGD": 0.7398, "THB": 0.02725, "AED": 0.2723,
    "BTC": 67500.0, "XMR": 165.0, "LTC": 83.0, "BCH": 470.0, "ETH": 3780.0, "ZEC": 27.0,
    "DASH": 29.0, "DOGE": 0.16, "USDT": 1.0, "USDC": 1.0, "TRX": 0.115, "SOL": 166.0,
}
