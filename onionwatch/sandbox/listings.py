"""Make one listing of a market from its own derived seed ``f"{seed}:{market}:{index}"``.

The generator decides each listing's vendor and product up front (cheap arrays); everything else
(amount, strength, title phrasing, price, shipping, payment terms, description) is decided here, so
listing ``i`` costs nothing until it is asked for and never depends on the others. The displayed
strings (title, price texts, country texts) are recorded as made, so ground truth never has to
re-parse a page.
"""
from __future__ import annotations

import random

from . import vocab
from .model import Amount, Listing, Market, Vendor

__all__ = ["make_listing", "format_number", "EU_CODES"]

#: Countries whose vendors may say they ship from, or to, "Europe".
EU_CODES = frozenset({"NL", "DE", "FR", "ES", "BE", "PL", "CZ", "IT", "SE", "AT", "IE", "DK", "PT"})
_WEIGHT_UNITS = frozenset(vocab.GRAMS_PER_UNIT)
_FRACTIONS = {0.25: "1/4", 0.5: "1/2"}


def format_number(value: float) -> str:
    """``1`` not ``1.0``; ``3.5`` stays ``3.5``."""
    return str(int(value)) if value == int(value) else str(value)


def _plain(value: float) -> float | int:
    return int(value) if value == int(value) else value


def make_listing(market: Market, index: int) -> Listing:
    rng = random.Random(f"{market.seed}:{market.name}:{index}")
    vendor = market.vendors[market.listing_vendor[index]]
    product = vocab.PRODUCTS[market.listing_product[index]]
    value, unit = rng.choice(product.amounts)
    quantity = Amount(_plain(value), unit)
    strength = None
    if product.strengths:
        s_value, s_unit = rng.choice(product.strengths)
        strength = Amount(_plain(s_value), s_unit)
    name, tag = rng.choice(product.names), rng.choice(product.tags)
    q_text, st_text = _quantity_text(rng, quantity), _strength_text(rng, strength)
    if unit in _WEIGHT_UNITS:
        kind = "weight"
    elif unit == "tab":
        kind = "tab"
    else:
        kind = "count" if strength else "count_plain"
    title = rng.choice(vocab.TEMPLATES[kind]).format(
        name=name, q=q_text, n=format_number(value), st=st_text, tag=tag)
    title = " ".join(title.split())

    usd = _price(rng, product, vendor, quantity, strength)
    btc = f"{usd / market.btc_usd:.8f}"
    xmr = f"{usd / market.xmr_usd:.6f}"
    ships_from, ships_to = _ships(rng, vendor.home)
    from_text = _spell(rng, ships_from)
    to_text = ", ".join(_spell(rng, code) for code in ships_to)
    roll = rng.random()
    escrow, finalize_early = (True, False) if roll < 0.7 else (False, True) if roll < 0.95 else (
        True, True)
    paragraphs = _description(rng, product, vendor, name, kind, q_text, st_text, value, from_text)
    if index == market.hostile_index:
        paragraphs.insert(1, vocab.HOSTILE_PARAGRAPH)
    category = market.categories[market.listing_category[index]]
    return Listing(
        index=index, listing_id=market.listing_id(index), vendor=vendor.handle, category=category,
        product=product.key, drug=product.drug, drug_class=product.drug_class, form=product.form,
        title=title, quantity=quantity, strength=strength,
        price_usd=usd, price_text=f"${usd:,.2f}",
        price_btc=float(btc), price_btc_text=f"{btc} BTC",
        price_xmr=float(xmr), price_xmr_text=f"{xmr} XMR",
        ships_from=ships_from, ships_from_text=from_text, ships_to=ships_to,
        ships_to_text=to_text, escrow=escrow, finalize_early=finalize_early,
        paragraphs=tuple(paragraphs),
    )


def _quantity_text(rng: random.Random, quantity: Amount) -> str:
    if quantity.unit not in vocab.QTY_FORMATS:
        return format_number(quantity.value)
    value = format_number(quantity.value)
    if quantity.unit == "oz" and quantity.value in _FRACTIONS and rng.random() < 0.5:
        value = _FRACTIONS[quantity.value]
    plural = "" if quantity.value == 1 else "s"
    return rng.choice(vocab.QTY_FORMATS[quantity.unit]).format(v=value, s=plural)


def _strength_text(rng: random.Random, strength: Amount | None) -> str:
    if strength is None:
        return ""
    return rng.choice(vocab.STRENGTH_FORMATS[strength.unit]).format(v=format_number(strength.value))


def _price(rng: random.Random, product: vocab.Product, vendor: Vendor, quantity: Amount,
           strength: Amount | None) -> float:
    """USD with a bulk discount, the vendor's markup and some noise; round figures when large."""
    units = quantity.value * vocab.GRAMS_PER_UNIT.get(quantity.unit, 1.0)
    usd = product.usd * units ** 0.85 * vendor.markup * rng.uniform(0.92, 1.08)
    if strength is not None:
        usd *= (strength.value / product.strengths[0][0]) ** 0.6
    usd = max(usd, 5.0)
    if usd >= 50:
        return float(round(round(usd) - rng.choice((0, 0, 0.01, 0.05)), 2))
    return round(usd, 2)


def _ships(rng: random.Random, home: str) -> tuple[str, tuple[str, ...]]:
    ships_from = "EU" if home in EU_CODES and rng.random() < 0.08 else home
    roll = rng.random()
    if roll < 0.35:
        return ships_from, ("WW",)
    if roll < 0.55:
        return ships_from, (home,)
    if roll < 0.75 and home in EU_CODES:
        return ships_from, ("EU",)
    if roll < 0.9:
        near = vocab.NEIGHBOURS.get(home) or tuple(
            sorted((EU_CODES if home in EU_CODES else {"US", "CA", "GB", "AU"}) - {home}))
        return ships_from, (home,) + tuple(rng.sample(near, min(len(near), rng.randint(1, 2))))
    return ships_from, ("WW",)


def _spell(rng: random.Random, code: str) -> str:
    variants = vocab.COUNTRIES.get(code) or vocab.REGIONS[code]
    return variants[0] if rng.random() < 0.6 else rng.choice(variants)


def _description(rng: random.Random, product: vocab.Product, vendor: Vendor, name: str,
                 kind: str, q_text: str, st_text: str, value: float,
                 from_text: str) -> list[str]:
    if kind == "weight":
        amount = q_text
    else:
        noun = "tabs" if kind == "tab" else "pills"
        amount = f"{format_number(value)} {noun}" + (f" of {st_text}" if st_text else "")
    first = f"{name}, {amount} per order. " + rng.choice(vocab.QUALITY_LINES).format(
        sales=vendor.sales)
    if product.form == "pressed_pill":
        first += " Pressed pills, not pharmacy made."
    facts = {"ships_from": from_text}
    second = (rng.choice(vocab.SHIPPING_LINES).format(**facts) + " "
              + rng.choice(vocab.STEALTH_LINES))
    third = " ".join(rng.sample(vocab.POLICY_LINES, rng.randint(1, 2)))
    return [first, second, third]
