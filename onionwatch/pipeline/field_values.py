"""What a profile field's text means, read by the extraction stage's own parsers.

The profile reads strings; :func:`parse_field` turns one into what the pipeline would make of it,
chosen by the field's name (the names the bundled profiles and ``docs/market-profiles.md`` use):

============================================  ==================================================
``price``, ``price_*``, ``tiers``             amount, currency and US dollars (prices parser)
``ships_from`` / ``ships_to``                 ISO 3166 codes or ``WW``/``EU`` (shipping parser)
``escrow``, ``finalize_early``                true / false (terms parser: "Yes", "Not allowed")
``payment``                                   escrow and finalize-early from "Full Escrow", "FE"
``stock``, ``feedback_count``                 a count, and whether the listing is available
``pgp_key``                                   the key's fingerprint and user ids (PGP validator)
``btc``, ``xmr``                              checksum-valid addresses (crypto validators)
``contacts``                                  kind and value of each contact (contacts parser)
============================================  ==================================================

Other fields (title, vendor, category, description, ...) are text and are not parsed. A parser
that finds nothing in a non-empty text raises :class:`FieldValueError`, saying what it expected.
``onionwatch profile check`` shows these values beside the raw text (:mod:`onionwatch.pipeline.profile_check`).

>>> parse_field("price", "฿0.000787 (€7.28)")["currency"]
'BTC'
>>> parse_field("ships_to", "World Wide, Europe, Netherlands")
['WW', 'EU', 'NL']
>>> parse_field("stock", "97 Available")
{'count': 97, 'available': True}
>>> parse_field("title", "anything") is None
True
"""
from __future__ import annotations

from typing import Any, Callable

from crawlers.changes import listing_state

__all__ = ["FieldValueError", "parse_field", "parses", "PARSED_FIELDS"]


class FieldValueError(ValueError):
    """The field's text holds nothing its parser understands."""


def _money(text: str) -> dict[str, Any]:
    from extract.parsers.prices import choose_price, default_rate_table, find_money, find_rates, usd_value

    money = find_money(text)
    rates = find_rates(text, money)
    price = choose_price(text, money, rates)
    if price is None:
        raise FieldValueError("no amount with a currency ($12.50, 0.004 BTC, 12,50 €)")
    usd, _ = usd_value(price, money, rates, default_rate_table())
    return {"amount": price.amount, "currency": price.currency, "usd": usd}


def _places(text: str) -> list[str]:
    from extract.parsers.shipping import parse_place_list

    codes = [p.code for p in parse_place_list(text)]
    if not codes:
        raise FieldValueError("no country or region name (United States, Worldwide, EU, ...)")
    return codes


def _origin(text: str) -> str:
    return _places(text)[0]


def _yes_no(text: str) -> bool:
    from extract.parsers.terms import yes_no

    value = yes_no(text)
    if value is None:
        raise FieldValueError("neither yes nor no (Yes, No, Allowed, Not allowed, ✔, ✘)")
    return value


def _payment(text: str) -> dict[str, Any]:
    from extract.parsers.terms import find_terms

    terms = find_terms(f"Payment: {text}")
    if terms.escrow is None and terms.finalize_early is None:
        raise FieldValueError("no payment terms (Escrow, Full Escrow, FE, Finalize Early, ...)")
    return {"escrow": terms.escrow.value if terms.escrow else None,
            "finalize_early": terms.finalize_early.value if terms.finalize_early else None}


def _count(text: str) -> dict[str, Any]:
    state = listing_state({"fields": {"stock": text}})
    return {"count": state["stock"], "available": state["available"]}


def _feedback(text: str) -> int:
    count = listing_state({"fields": {"feedback_count": text}})["feedback_count"]
    if count is None:
        raise FieldValueError("no number")
    return count


def _pgp(text: str) -> dict[str, Any]:
    from extract.errors import ValidatorError
    from extract.validators.pgp import parse_key_block

    try:
        keys = parse_key_block(text)
    except ValidatorError as exc:
        raise FieldValueError(f"not a readable PGP public key block ({exc})") from None
    return {"fingerprint": keys[0].fingerprint, "user_ids": list(keys[0].user_ids)}


def _address(text: str) -> dict[str, Any]:
    from extract.validators.crypto import validate_address

    info = validate_address(text.strip())
    if info is None:
        raise FieldValueError("not a checksum-valid cryptocurrency address")
    return {"currency": info.currency, "address": info.address}


def _contacts(text: str) -> list[dict[str, str]]:
    from extract.parsers.contacts import find_contacts

    found = [{"kind": c.kind, "value": c.value} for c in find_contacts(text)]
    if not found:
        raise FieldValueError("no contact (e-mail, Jabber/XMPP, Wickr, Telegram, ...)")
    return found


_PARSERS: dict[str, Callable[[str], Any]] = {
    "price": _money, "tiers": _money, "ships_from": _origin, "ships_to": _places, "escrow": _yes_no,
    "finalize_early": _yes_no, "payment": _payment, "stock": _count, "feedback_count": _feedback,
    "pgp_key": _pgp, "btc": _address, "xmr": _address, "contacts": _contacts,
}
#: The field names that are parsed (``price_*`` too).
PARSED_FIELDS = frozenset(_PARSERS)


def _parser(name: str) -> Callable[[str], Any] | None:
    return _PARSERS.get(name) or (_money if name.startswith("price_") else None)


def parses(name: str) -> bool:
    """Whether a field of this name has a parser."""
    return _parser(name) is not None


def parse_field(name: str, value: str | list[str] | None) -> Any:
    """The parsed value of a field (a list of them for a list of texts, except ``ships_to``,
    whose texts are read as one list of places); None for an empty value or a text field."""
    parser = _parser(name)
    if parser is None or value is None or value == [] or value == "":
        return None
    if isinstance(value, list):
        if name == "ships_to":
            return parser(", ".join(value))
        return [parser(v) for v in value]
    return parser(value)
