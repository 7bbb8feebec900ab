"""The analysts' query language, parsed once into clauses that each backend compiles.

``fentanyl from:CN to:US price<200 vendor:drwhite market:empire since:2026-01-01``

- words must all match (title, description, vendor, drugs and drug classes, category, market);
  ``"two words"`` is a phrase; ``fent*`` a prefix; ``-word`` excludes; ``*`` alone matches all
- ``market:``, ``vendor:``, ``drug:``, ``class:``, ``category:`` match a value exactly (case and
  accents ignored); ``a,b`` means either; ``-vendor:x`` excludes
- ``from:CN`` ships from CN (``from:EU`` from anywhere in Europe); ``to:DE`` ships to DE, to a
  region containing it (``EU``) or worldwide (``WW``)
- ``price<200``, ``price>=50``, ``price:50..200`` compare the normalised USD price
- ``since:2026-01-01``, ``until:2026-01-31`` (inclusive), ``since:30d`` (days before now) bound the
  time the listing was fetched
- ``escrow:yes|no``, ``fe:yes|no`` (finalize early), ``instock:yes|no``: the listing's payment terms
  and stock as known; a listing that does not say matches neither ``yes`` nor ``no``
- ``currency:xmr`` accepts Monero (a ticker, case ignored; ``currency:btc,xmr`` either): the coins
  the listing says it accepts, not the currency of its price; ``-currency:btc`` excludes

Parsing is a pure function; words are folded by :mod:`search_index.text`, and no user text is ever
handed to a backend's own query parser: the compilers build Elasticsearch query objects and SQL
with bound parameters.

>>> q = parse("fentanyl from:CN to:de price<200 vendor:DrWhite since:2026-01-01")
>>> [type(c).__name__ for c in q.clauses]
['Text', 'Terms', 'Terms', 'Range', 'Terms', 'Range']
>>> q.clauses[2]
Terms(field='ships_to', values=('DE', 'EU', 'WW'), negated=False)
>>> parse("*").clauses
()
>>> parse("pure pure PURE").clauses  # repeated terms count once
(Text(words=('pure',), prefix=False, negated=False),)
>>> parse("escrow:yes -fe:yes").clauses
(Flag(field='escrow', value=True, negated=False), Flag(field='finalize_early', value=True, negated=True))
>>> parse("currency:xmr,Btc").clauses
(Terms(field='currencies', values=('XMR', 'BTC'), negated=False),)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Union

from .regions import ships_from_codes, ships_to_codes
from .text import fold, words

__all__ = ["Query", "Text", "Terms", "Range", "Flag", "QueryError", "QueryTooLong", "parse", "FIELDS", "FLAGS",
           "MAX_QUERY_CHARS"]

#: The longest query accepted: an analyst's query is a line, and one of thousands of words only
#: makes a search slow for everyone.
MAX_QUERY_CHARS = 1000


class QueryError(ValueError):
    """A query that cannot be understood; the message says what to write instead."""


class QueryTooLong(QueryError):
    """A query longer than :data:`MAX_QUERY_CHARS`."""


@dataclass(frozen=True)
class Text:
    """Folded words that must occur in one text field: a word, a phrase, or a word prefix."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True)
class Terms:
    """A keyword field of the document equal to one of ``values``."""

    field: str
    values: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class Range:
    """``field`` compared with ``value`` (``op`` one of gt, gte, lt, lte); missing values never match."""

    field: str
    op: str
    value: Union[float, str]


@dataclass(frozen=True)
class Flag:
    """A yes/no field of the document equal to ``value``; negated, anything else (unknown too)."""

    field: str
    value: bool
    negated: bool = False


Clause = Union[Text, Terms, Range, Flag]


@dataclass(frozen=True)
class Query:
    """A parsed query: every clause must hold (an empty query matches everything)."""

    source: str
    clauses: tuple[Clause, ...] = ()


#: Query field -> (document field, how values are normalised).
FIELDS = {
    "market": ("market_key", "fold"), "vendor": ("vendor_key", "fold"), "drug": ("drug_keys", "fold"),
    "class": ("class_keys", "fold"), "category": ("category_key", "fold"),
    "from": ("ships_from", "from"), "to": ("ships_to", "to"), "currency": ("currencies", "ticker"),
}
_RANGE_FIELDS = {"price": "price_usd", "usd": "price_usd"}
#: Query field -> the yes/no document field it tests.
FLAGS = {"escrow": "escrow", "fe": "finalize_early", "instock": "in_stock"}
_YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
_DATE_FIELDS = {"since": "gte", "until": "lt"}
_OPS = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}
_FIELD_TOKEN = re.compile(r"^([a-z]+)(<=|>=|<|>|:)(.*)$", re.S)
_RELATIVE = re.compile(r"^(\d{1,5})([dw])$")
_TICKER = re.compile(r"^[A-Z0-9]{2,10}$")


def parse(text: str, *, now: datetime | None = None) -> Query:
    """Parse an analyst query; ``now`` fixes what relative dates (``since:30d``) count from."""
    if not isinstance(text, str):
        raise QueryError(f"a query is text, not {type(text).__name__}")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong(f"the query has {len(text):,} characters; the limit is {MAX_QUERY_CHARS:,}:"
                           " shorten it (repeated words add nothing)")
    clauses: list[Clause] = []
    for raw, quoted in _tokens(text):
        clauses.extend(_clauses(raw, quoted, now))
    if not clauses and text.strip() not in ("", "*"):
        raise QueryError(f"nothing to search for in {text!r}: use words, fields such as vendor:NAME, or * for everything")
    return Query(text, tuple(dict.fromkeys(clauses)))  # a repeated term is searched once


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Split on white space outside double quotes; quotes are removed and remembered."""
    tokens, current, quoted, inside = [], [], False, False
    for ch in text:
        if ch == '"':
            inside, quoted = not inside, True
        elif ch.isspace() and not inside:
            if current or quoted:
                tokens.append(("".join(current), quoted))
            current, quoted = [], False
        else:
            current.append(ch)
    if current or quoted:
        tokens.append(("".join(current), quoted))
    return tokens


def _clauses(raw: str, quoted: bool, now: datetime | None) -> list[Clause]:
    negated = len(raw) > 1 and raw.startswith("-")
    body = raw[1:] if negated else raw
    match = _FIELD_TOKEN.match(body)
    if match and match.group(1) in FLAGS:
        return [_flag(*match.groups(), negated)]
    if match and (match.group(1) in FIELDS or match.group(1) in _RANGE_FIELDS or match.group(1) in _DATE_FIELDS):
        name, op, value = match.groups()
        if name in FIELDS:
            if op != ":":
                raise QueryError(f"{name}{op}...: write {name}:VALUE (comparisons are for price)")
            return [_terms(name, value, negated)]
        if negated:
            raise QueryError(f"{body!r} cannot be negated: write the opposite comparison instead")
        if name in _RANGE_FIELDS:
            return _price(_RANGE_FIELDS[name], op, value)
        return [_date(name, op, value, now)]
    if body == "*" and not quoted:
        return []
    found = words(body)
    if not found:
        return []
    prefix = not quoted and body.endswith("*") and len(found) == 1
    return [Text(tuple(found), prefix=prefix, negated=negated)]


def _terms(name: str, value: str, negated: bool) -> Terms:
    field, kind = FIELDS[name]
    values: list[str] = []
    for part in value.split(","):
        if not part.strip():
            continue
        try:
            if kind == "fold":
                values.append(fold(part))
            elif kind == "from":
                values += ships_from_codes(part)
            elif kind == "ticker":
                values.append(_ticker(part))
            else:
                values += ships_to_codes(part)
        except ValueError as exc:
            raise QueryError(f"{name}:{part.strip()}: {exc}") from None
    values = [v for v in dict.fromkeys(values) if v]
    if not values:
        example = {"fold": "NAME", "ticker": "XMR"}.get(kind, "NL")
        raise QueryError(f"{name}: needs a value, e.g. {name}:{example}")
    return Terms(field, tuple(values), negated)


def _ticker(value: str) -> str:
    """A currency's ticker as listings store it (upper case); ValueError for anything else.

    >>> _ticker(" xmr ")
    'XMR'
    """
    code = value.strip().upper()
    if not _TICKER.match(code):
        raise ValueError("not a currency ticker: write one such as XMR, BTC or LTC")
    return code


def _flag(name: str, op: str, value: str, negated: bool) -> Flag:
    answer = _YES_NO.get(value.strip().lower()) if op == ":" else None
    if answer is None:
        raise QueryError(f"{name}{op}{value}: write {name}:yes or {name}:no")
    return Flag(FLAGS[name], answer, negated)


def _number(text: str, what: str) -> float:
    try:
        number = float(text.strip().lstrip("$"))
    except ValueError:
        raise QueryError(f"{what} needs a number, not {text!r} (e.g. price<200)") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise QueryError(f"{what} needs a finite number, not {text!r}")
    return number


def _price(field: str, op: str, value: str) -> list[Clause]:
    if op != ":":
        return [Range(field, _OPS[op], _number(value, f"price{op}"))]
    if ".." in value:
        low, _, high = value.partition("..")
        ranges: list[Clause] = []
        if low.strip() and high.strip() and _number(low, "price:LOW..HIGH") > _number(high, "price:LOW..HIGH"):
            raise QueryError(f"price:{value}: the low bound is above the high one; write price:{high.strip()}..{low.strip()}")
        if low.strip():
            ranges.append(Range(field, "gte", _number(low, "price:LOW..HIGH")))
        if high.strip():
            ranges.append(Range(field, "lte", _number(high, "price:LOW..HIGH")))
        if not ranges:
            raise QueryError("price:LOW..HIGH needs at least one bound, e.g. price:50..200")
        return ranges
    exact = _number(value, "price:")
    return [Range(field, "gte", exact), Range(field, "lte", exact)]


def _date(name: str, op: str, value: str, now: datetime | None) -> Range:
    if op != ":":
        raise QueryError(f"{name}{op}...: write {name}:2026-01-01")
    value = value.strip()
    relative = _RELATIVE.match(value.lower())
    if relative:
        days = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
        moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc) - timedelta(days=days)
    else:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise QueryError(f"{name}: needs a date like 2026-01-01 (or 30d, 2w), not {value!r}") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        if name == "until" and _is_plain_date(value):
            moment += timedelta(days=1)  # until:D includes the whole day D
        elif name == "until":
            return Range("seen_at", "lte", _iso(moment))
    return Range("seen_at", _DATE_FIELDS[name], _iso(moment))


def _is_plain_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
        return True
    except ValueError:
        return False


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
