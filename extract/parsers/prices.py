"""Money, exchange rates and the listing price in page text: pure functions, no spaCy, no network.

- :func:`find_money` finds every amount with a currency ("$123.45", "USD 50", "45EU", "€45",
  "0.0041 BTC", "1.2 XMR", "฿0.000787").
- :func:`find_rates` finds the rates the page itself shows: "1 BTC = $X", "BTC/USD 9439.54",
  a currency table with a "BTC 1.0" row, and prices shown side by side ("4.00 USD / 0.0004 BTC").
- :func:`choose_price` picks the listing price: the first non-zero amount after a "Price" label,
  else in the first line (the title), else (when ``fallback``) the first non-zero amount anywhere.
- :func:`usd_value` converts it with the page's own rates first, then a dated :class:`RateTable`.

>>> text = "Price: 0.0041 BTC\\n1 BTC = $60,000"
>>> money = find_money(text); rates = find_rates(text, money)
>>> price = choose_price(text, money, rates)
>>> price.amount, price.currency, usd_value(price, money, rates, RateTable("2024-01-01", {}))[0]
(0.0041, 'BTC', 246.0)
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import deque
from itertools import accumulate
from dataclasses import dataclass, field
from typing import Any

from extract.lexicons.currencies import (
    CODES, CRYPTO, LOWER_CASE_OK, NAMES, RATES_DATE, SUFFIX_ONLY, SYMBOLS, USD_RATES,
)
from extract.parsers.lines import Lines, NumeralLines

__all__ = ["Money", "Rate", "RateTable", "find_money", "find_rates", "choose_price", "usd_value", "default_rate_table"]

#: An amount: English "1,234.50", European "1.234,50" and "1 234,50" (only with decimals or more than
#: one group, so "1.234 BTC" stays 1.234), or plain "45", "45,00", ".5".
_NUM = (r"(?:\d{1,3}(?:\.\d{3})+,\d{1,2}(?!\d)|\d{1,3}(?:\.\d{3}){2,}(?![\d,])|\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d{1,2}(?!\d)"
        r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|\.\d+)")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _code_forms(codes) -> list[str]:
    forms = []
    for code in codes:
        forms.append(code)
        if code in LOWER_CASE_OK:
            forms += [code.lower(), code.capitalize(), "mBTC" if code == "MBTC" else code]
    return sorted(set(forms))


_PREFIX_CODES = _code_forms(c for c in CODES if c not in SUFFIX_ONLY)
_SUFFIX_CODES = _code_forms(CODES)
#: The third way, an amount before its currency, looks ahead for the digit or point every amount
#: starts with, so that the other places of a line are passed over before the six ways of writing
#: a number are tried there.
_MONEY_RE = re.compile(
    r"(?P<sym1>" + _alt(SYMBOLS) + r")[ \t]?(?P<num1>" + _NUM + r")(?![\d])"
    r"|(?<![A-Za-z0-9])(?P<code2>" + _alt(_PREFIX_CODES) + r")[ \t]?(?P<num2>" + _NUM + r")(?![\d.,]?\d)"
    r"|(?=[\d.])(?<![\w.,])(?P<num3>" + _NUM + r")(?P<sp3>[ \t]?)(?P<cur3>" + _alt(SYMBOLS) + "|" + _alt(_SUFFIX_CODES)
    + r"|(?i:" + _alt(NAMES) + r"))(?![A-Za-z])"
)
_RATE_PAIR_RE = re.compile(
    r"(?<![A-Za-z])(?P<base>" + _alt(CODES) + r")[ \t]*+/[ \t]*+(?P<quote>" + _alt(CODES) + r")[ \t]*+[:=]?[ \t]*+"
    r"(?P<num>" + _NUM + r")(?![\d])"
)
_RATE_EQ_RE = re.compile(
    r"(?<![\w.])(?:1(?:\.0+)?[ \t]*)?(?P<base>" + _alt(sorted(CRYPTO) + ["฿", "Ƀ", "₿", "XBT"]) + r")[ \t]*(?:=|≈|~|:)[ \t]*"
)
_TABLE_ROW_RE = re.compile(r"^[ \t|]*(?P<code>" + _alt(_SUFFIX_CODES) + r")[ \t|:]+(?P<num>" + _NUM + r")[ \t|]*$", re.M)
_PRICE_LABEL_RE = re.compile(
    r"^[ \t>*•\-|]*+(?:(?:sale|listing|unit|our|current|item|product|offer)[ \t]+)?(?:price|cost|preis|prix|precio|prijs|prezzo|preço|preco|цена|cena|kosten)"
    r"(?:[ \t]+per[ \t]+\w+)?[ \t]*(?:\([^)\n]{0,20}\))?[ \t]*[:=\-]?",
    re.IGNORECASE | re.M,
)


def _number(text: str) -> float:
    """The value of an amount matched by ``_NUM``.

    >>> _number("1,234.50"), _number("1.234,50"), _number("1\u00a0234,50"), _number("45,00"), _number("1.234.567")
    (1234.5, 1234.5, 1234.5, 45.0, 1234567.0)
    """
    text = re.sub(r"[ \u00a0\u202f]", "", text)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text) and ("," in text or text.count(".") > 1):
        return float(text.replace(".", "").replace(",", "."))
    return float(text.replace(",", "."))


def _lookup(form: str) -> tuple[str, float]:
    if form in SYMBOLS:
        return SYMBOLS[form]
    if form.upper() in CODES:
        return CODES[form.upper()]
    return NAMES[form.lower()]


@dataclass(frozen=True)
class Money:
    """An amount in the currency's main unit (mBTC is converted to BTC), with its span."""

    amount: float
    currency: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "currency": self.currency, "span": [self.start, self.end]}


@dataclass(frozen=True)
class Rate:
    """One unit of ``base`` is worth ``value`` units of ``quote``, as the page shows it."""

    base: str
    quote: str
    value: float
    start: int
    end: int
    source: str  # "explicit" ("1 BTC = $X"), "pair" ("BTC/USD X"), "table", "side_by_side"

    def to_dict(self) -> dict[str, Any]:
        return {"base": self.base, "quote": self.quote, "value": self.value, "source": self.source,
                "span": [self.start, self.end]}


@dataclass(frozen=True)
class RateTable:
    """US dollar value of one unit of each currency on ``date``: used when the page shows no rate."""

    date: str
    usd: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "usd": dict(self.usd)}


def default_rate_table() -> RateTable:
    """The table shipped in :mod:`extract.lexicons.currencies`.

    >>> default_rate_table().usd["USD"]
    1.0
    """
    return RateTable(RATES_DATE, dict(USD_RATES))


def find_money(text: str, *, numerals: NumeralLines | None = None) -> list[Money]:
    """Every amount of money in ``text``, in order. ``numerals`` are the lines of ``text`` that hold
    a numeral when the caller has them already (a Doc's components share them).

    >>> [(m.amount, m.currency) for m in find_money("$123.45, USD 50, 45EU, €45, 1.2 XMR, 5 mBTC")]
    [(123.45, 'USD'), (50.0, 'USD'), (45.0, 'EUR'), (45.0, 'EUR'), (1.2, 'XMR'), (0.005, 'BTC')]
    """
    out = []
    for m in (numerals or NumeralLines(text)).finditer(_MONEY_RE):  # an amount holds a digit, on one line
        if m.group("num1"):
            form, num = m.group("sym1"), m.group("num1")
        elif m.group("num2"):
            form, num = m.group("code2"), m.group("num2")
        else:
            form, num = m.group("cur3"), m.group("num3")
            if form.upper() == "EU" and m.group("sp3"):
                continue  # "45EU" is a price, "27 EU countries" is not
        code, factor = _lookup(form)
        out.append(Money(round(_number(num) * factor, 12), code, m.start(), m.end()))
    return out


class _RateSpans:
    """The spans of the rates a page shows (side-by-side prices left out), for overlap queries
    by binary search: sorted starts and the largest end up to each."""

    def __init__(self, rates: list[Rate]) -> None:
        spans = sorted((r.start, r.end) for r in rates if r.source != "side_by_side")
        self.starts = [s for s, _ in spans]
        self.max_ends = list(accumulate((e for _, e in spans), max))

    def overlap(self, money: Money) -> bool:
        i = bisect_left(self.starts, money.end) - 1
        return i >= 0 and self.max_ends[i] > money.start


def find_rates(text: str, money: list[Money] | None = None, *, numerals: NumeralLines | None = None) -> list[Rate]:
    """Exchange rates shown on the page, each as "1 base = value quote". ``money`` is what
    :func:`find_money` found in ``text``, ``numerals`` its lines that hold a numeral (both are
    found here when not given).

    >>> [(r.base, r.quote, r.value, r.source) for r in find_rates("BTC/USD 9439.54 XMR/USD 74.91")]
    [('BTC', 'USD', 9439.54, 'pair'), ('XMR', 'USD', 74.91, 'pair')]
    >>> [(r.base, r.quote, r.value) for r in find_rates("BTC 1.0\\nmBTC 1000.0\\nUSD 5261.1\\nEUR 4603.8")]
    [('BTC', 'USD', 5261.1), ('BTC', 'EUR', 4603.8)]
    """
    numerals = numerals or NumeralLines(text)
    money = find_money(text, numerals=numerals) if money is None else money
    rates: list[Rate] = []
    for m in numerals.finditer(_RATE_PAIR_RE):
        (base, fb), (quote, fq) = CODES[m.group("base").upper()], CODES[m.group("quote").upper()]
        value = _number(m.group("num"))
        if value > 0 and base != quote:
            rates.append(Rate(base, quote, value * fq / fb, m.start(), m.end(), "pair"))
    starts = {mo.start: mo for mo in money}
    # "1 BTC = " counts only when an amount starts where it ends; it holds no line break, and the
    # amount a numeral, so only the lines with a numeral are searched
    for m in numerals.finditer(_RATE_EQ_RE):
        mo = starts.get(m.end())
        base = {"฿": "BTC", "Ƀ": "BTC", "₿": "BTC", "XBT": "BTC"}.get(m.group("base"), m.group("base"))
        if mo and mo.amount > 0 and mo.currency != base:
            rates.append(Rate(base, mo.currency, mo.amount, m.start(), mo.end, "explicit"))
    rates += _table_rates(text, numerals)
    # amounts shown side by side: "4.00 USD / 0.00042375 BTC", "฿0.000787 (€7.28)"
    taken = _RateSpans(rates)
    for a, b in zip(money, money[1:]):
        if a.currency == b.currency or a.amount <= 0 or b.amount <= 0:
            continue
        if taken.overlap(a) or taken.overlap(b):
            continue
        if re.fullmatch(r"[ \t]*(?:/|\(|\||=|≈|~|-|or)[ \t]*", text[a.end:b.start]):
            rates.append(Rate(b.currency, a.currency, a.amount / b.amount, a.start, b.end, "side_by_side"))
    return rates


def _table_rates(text: str, numerals: NumeralLines) -> list[Rate]:
    rows = list(numerals.finditer(_TABLE_ROW_RE))  # a row holds a number, and no line break
    rates: list[Rate] = []
    block: list[re.Match] = []

    def flush() -> None:
        anchor = next((r for r in block if CODES[r.group("code").upper()][0] in CRYPTO
                       and CODES[r.group("code").upper()][1] == 1.0 and _number(r.group("num")) == 1.0), None)
        if anchor is None or len(block) < 2:
            return
        base = CODES[anchor.group("code").upper()][0]
        for r in block:
            quote, factor = CODES[r.group("code").upper()]
            value = _number(r.group("num"))
            if quote != base and value > 0:
                rates.append(Rate(base, quote, value * factor, r.start(), r.end(), "table"))

    for row in rows:
        if block and text[block[-1].end():row.start()].strip():
            flush()
            block = []
        block.append(row)
    flush()
    return rates


def choose_price(text: str, money: list[Money], rates: list[Rate], *, fallback: bool = True) -> Money | None:
    """The listing's price: after a "Price" label, else in the first line, else (``fallback``) the
    first amount anywhere. Zero amounts (empty wallets, free shipping) and amounts that are part
    of a rate are never the price.

    >>> text = "Balance $0.00\\nPrice\\t$50.96\\nShipping 5 USD"
    >>> choose_price(text, find_money(text), []).amount
    50.96
    """
    taken = _RateSpans(rates)
    candidates = [m for m in money if m.amount > 0 and not taken.overlap(m)]
    if not candidates:
        return None
    starts = [m.start for m in candidates]
    for label in _PRICE_LABEL_RE.finditer(text):
        line_end = text.find("\n", label.end())
        line_end = len(text) if line_end < 0 else line_end
        i = bisect_left(starts, label.end())
        after = candidates[i] if i < len(candidates) else None
        if after and after.start < line_end:
            return after
        if after and not text[label.end():line_end].strip():
            nxt_end = text.find("\n", line_end + 1)
            nxt_end = len(text) if nxt_end < 0 else nxt_end
            if after.start < nxt_end and not text[line_end:after.start].strip():
                return after
    first_line_end = text.find("\n")
    first_line_end = len(text) if first_line_end < 0 else first_line_end
    in_title = [m for m in candidates if m.end <= first_line_end]
    if in_title:
        return in_title[0]
    if not fallback:
        return None
    lines = Lines(text)
    bare: dict[tuple[int, int], bool] = {}  # each line is read once
    for m in candidates:
        line = lines.span(m.start)
        if line not in bare:
            bare[line] = bool(_BARE_AMOUNT_LINE_RE.fullmatch(text, *line))
        if not bare[line]:
            return m
    return None


#: A line that is only a currency and a number ("BTC<TAB>1.0", "USD 5261.1"): a rate-table row or a
#: balance, never a listing's price unless a label says so.
_BARE_AMOUNT_LINE_RE = re.compile(r"[ \t]*(?:[A-Za-z]{3,5}|[^\w\s]{1,2})[ \t]+[\d.,]+[ \t]*|[ \t]*[\d.,]+[ \t]+[A-Za-z]{3,5}[ \t]*")


def _page_graph(rates: list[Rate], sources: tuple[str, ...]) -> dict[str, list[tuple[str, float, Rate]]]:
    graph: dict[str, list[tuple[str, float, Rate]]] = {}
    for r in rates:
        if r.source in sources:
            graph.setdefault(r.base, []).append((r.quote, r.value, r))
            graph.setdefault(r.quote, []).append((r.base, 1.0 / r.value, r))
    return graph


def _convert(graph, start: str, goal: str, max_hops: int = 2):
    queue = deque([(start, 1.0, [])])
    seen = {start}
    while queue:
        node, factor, path = queue.popleft()
        if node == goal:
            return factor, path
        if len(path) >= max_hops:
            continue
        for nxt, value, rate in graph.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, factor * value, path + [rate]))
    return None


def usd_value(price: Money, money: list[Money], rates: list[Rate], table: RateTable) -> tuple[float | None, dict | None]:
    """The price in US dollars and how it was reached: ``(usd, {"value", "source", "date", "spans"})``.

    Order: the price is in dollars; a dollar amount shown beside it; rates the page shows
    (directly or through one other currency); other prices the page shows side by side; the
    dated ``table``. ``(None, None)`` when none applies.

    >>> usd_value(Money(2.0, "XMR", 0, 5), [], [], RateTable("2024-06-01", {"XMR": 150.0}))
    (300.0, {'value': 150.0, 'source': 'table', 'date': '2024-06-01', 'spans': []})
    """
    if price.currency == "USD":
        return round(price.amount, 2), {"value": 1.0, "source": "same", "date": None, "spans": []}
    for r in rates:
        if r.source == "side_by_side" and (r.start == price.start or r.end == price.end):
            other = r.quote if r.base == price.currency else r.base
            if other == "USD":
                per_unit = r.value if r.base == price.currency else 1.0 / r.value
                return round(price.amount * per_unit, 2), {"value": per_unit, "source": "page_side_by_side",
                                                            "date": None, "spans": [[r.start, r.end]]}
    for sources, name in ((("explicit", "pair", "table"), "page"), (("side_by_side",), "page_side_by_side")):
        found = _convert(_page_graph(rates, sources), price.currency, "USD")
        if found:
            per_unit, path = found
            return round(price.amount * per_unit, 2), {"value": per_unit, "source": name, "date": None,
                                                        "spans": [[r.start, r.end] for r in path]}
    if price.currency in table.usd:
        per_unit = table.usd[price.currency]
        return round(price.amount * per_unit, 2), {"value": per_unit, "source": "table", "date": table.date, "spans": []}
    return None, None
