"""A listing's terms and shipping from its labelled fields: the page's label-value pairs
(:mod:`extract.label_values`) read by the parsers of the facts their labels name.

Precedence, everywhere in onionwatch: a profile field, then these labelled fields, then free text.
Extraction's result takes a labelled fact over its own reading of the text
(:func:`apply_label_facts`), and records where it came from in ``label_fields``: the label and the
value's text (``{"label": "Ships from", "text": "Germany"}``), since the pair was read from the
page's structure, not from a span of the text.

Each fact takes the first pair, in document order, whose value its parser reads; a pair whose
value says nothing it understands ("Escrow: $65.8 Order" in a feedback list) is passed over.

- ``ships_from``: the first place of the value ("DE -> WW" also gives the destinations);
- ``ships_to``: every place of the value (``WW``, ``EU`` and ISO 3166 codes);
- ``escrow``, ``finalize_early``: yes/no ("Yes", "Allowed", "✔", "Not allowed"), or payment
  terms named in the value ("Full escrow", "100% FE", "Escrow / FE");
- ``payment``: payment terms ("Escrow", "FE", "Multisig") give escrow and finalize-early, and the
  currencies it names give ``currencies``;
- ``stock``: a count and whether the listing is available ("12 left", "Sold out", "Unlimited");
- ``currencies``: the coins the listing accepts ("Bitcoin (BTC), Monero").

>>> facts = label_facts(label_pairs("<dl><dt>Shipping from</dt><dd>Holland</dd><dt>Payment</dt>"
...                                 "<dd>Escrow, BTC/XMR</dd><dt>Quantity left</dt><dd>7</dd></dl>"))
>>> facts["ships_from"]["value"], facts["escrow"]["value"], facts["finalize_early"]["value"]
('NL', True, False)
>>> facts["currencies"]["value"], facts["stock"]["value"]
(['BTC', 'XMR'], {'count': 7, 'available': True})
>>> facts["escrow"]["label"], facts["escrow"]["text"]
('Payment', 'Escrow, BTC/XMR')
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from extract.crawl_records import parse_stock
from extract.label_values import LabelPair, label_pairs, label_pairs_of_text
from extract.lexicons.currencies import CRYPTO, NAMES
from extract.parsers.place_lists import parse_place_list
from extract.parsers.terms import find_terms, yes_no

__all__ = ["LABEL_FACTS", "label_facts", "label_facts_of_html", "label_facts_of_text", "apply_label_facts", "label_pairs"]

#: The facts the label reader gives, in the order results list them.
LABEL_FACTS = ("ships_from", "ships_to", "escrow", "finalize_early", "stock", "currencies")
_ARROW = re.compile(r"->|→|=>|⇒|»|(?<=\s)>(?=\s)")
_MULTISIG = re.compile(r"(?i)multi[ \t-]?sig")


@lru_cache(maxsize=1)
def _coin_re() -> tuple[re.Pattern, dict[str, str]]:
    names = {name: code for name, (code, _) in NAMES.items() if code in CRYPTO}
    names.update({code.lower(): code for code in CRYPTO})
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![\w])(?:" + alt + r")(?![\w])", re.IGNORECASE), names


def _currencies(value: str) -> list[str] | None:
    pattern, names = _coin_re()
    found = list(dict.fromkeys(names[m.group(0).lower()] for m in pattern.finditer(value)))
    return found or None


def _origin(value: str) -> dict[str, Any] | None:
    arrow = _ARROW.search(value)
    places = parse_place_list(value[: arrow.start()] if arrow else value)
    if not places:
        return None
    out: dict[str, Any] = {"ships_from": places[0].code}
    if arrow and (dest := parse_place_list(value[arrow.end():])):
        out["ships_to"] = [p.code for p in dest]
    return out


def _destinations(value: str) -> dict[str, Any] | None:
    codes = list(dict.fromkeys(p.code for p in parse_place_list(value)))
    return {"ships_to": codes} if codes else None


def _payment_terms(value: str) -> dict[str, Any]:
    terms = find_terms(f"Payment: {value}")
    out = {k: t.value for k, t in (("escrow", terms.escrow), ("finalize_early", terms.finalize_early)) if t}
    if "escrow" not in out and _MULTISIG.search(value):
        out["escrow"] = True
    return out


def _term(fact: str) -> Callable[[str], dict[str, Any] | None]:
    def read(value: str) -> dict[str, Any] | None:
        said = yes_no(value)
        if said is not None:
            return {fact: said}
        terms = _payment_terms(value)
        return {fact: terms[fact]} if fact in terms else None
    return read


def _payment(value: str) -> dict[str, Any] | None:
    out = _payment_terms(value)
    if coins := _currencies(value):
        out["currencies"] = coins
    return out or None


def _stock(value: str) -> dict[str, Any] | None:
    stock = parse_stock(value)
    return {"stock": stock} if stock is not None else None


def _coins(value: str) -> dict[str, Any] | None:
    coins = _currencies(value)
    return {"currencies": coins} if coins else None


_READERS: dict[str, Callable[[str], dict[str, Any] | None]] = {
    "ships_from": _origin, "ships_to": _destinations, "escrow": _term("escrow"),
    "finalize_early": _term("finalize_early"), "payment": _payment, "stock": _stock, "currencies": _coins,
}


def label_facts(pairs: list[LabelPair]) -> dict[str, dict[str, Any]]:
    """Fact -> ``{"value", "label", "text"}`` from label-value pairs (see the module docstring).

    A fact's own label wins over one it is a by-product of: "Escrow: No" over "Payment: Escrow",
    "Ships to" over the destinations of "Ships from: DE -> WW".
    """
    direct: dict[str, dict[str, Any]] = {}
    derived: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        read = _READERS[pair.field](pair.value)
        for fact, value in (read or {}).items():
            into = direct if fact == pair.field else derived
            into.setdefault(fact, {"value": value, "label": pair.label, "text": pair.value})
    return {fact: direct.get(fact) or derived[fact] for fact in LABEL_FACTS if fact in direct or fact in derived}


def label_facts_of_html(html: str | bytes) -> dict[str, dict[str, Any]]:
    """:func:`label_facts` of a page's label-value pairs."""
    return label_facts(label_pairs(html))


def label_facts_of_text(text: str) -> dict[str, dict[str, Any]]:
    """:func:`label_facts` of a plain text's labelled lines (a record without its page)."""
    return label_facts(label_pairs_of_text(text))


def apply_label_facts(result: dict[str, Any], facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Put labelled facts over an extraction result's readings of the text (changed in place and
    returned); ``result["label_fields"]`` says, per fact, which label and value it came from."""
    used: dict[str, dict[str, Any]] = {}
    for fact, found in facts.items():
        value = found["value"]
        if fact == "stock":
            value = {**value, "source": "label", "span": None, "label": found["label"], "text": found["text"]}
        same = result.get(fact) == value
        result[fact] = value
        used[fact] = {"label": found["label"], "text": found["text"]}
        spans = result.get("spans") or {}
        if spans.get(fact) is not None and same:
            used[fact]["span"] = list(spans[fact])  # the text's reading agrees: its span is the value's
        elif fact in spans:
            spans[fact] = None  # the text's span was of the reading this replaces
    result["label_fields"] = used
    return result
