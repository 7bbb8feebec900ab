"""Make one listing of a market from its own derived seed ``f"{seed}:{market}:{index}"``.

The generator decides each listing's vendor and product up front (cheap arrays); everything else
(amount, strength, title phrasing, price, shipping, payment terms, photos, description) is decided
here, so listing ``i`` costs nothing until it is asked for and never depends on the others. The
displayed strings are recorded as made, in the market's own wording (``wording``), so ground truth
never has to re-parse a page.

The clock's day changes only what changes on real markets: the price is re-drawn every few days
(from its own seed, so the title and text stay put), stock runs down and is restocked, feedback
accumulates.
"""
from __future__ import annotations

import random

from . import vocab
from .model import Amount, Listing, Market, Photo, Vendor
from .wording import WORDINGS, Facts

__all__ = ["make_listing", "EU_CODES"]

#: Countries whose vendors may say they ship from, or to, "Europe".
EU_CODES = frozenset({"NL", "DE", "FR", "ES", "BE", "PL", "CZ", "IT", "SE", "AT", "IE", "DK", "PT"})
_WEIGHT_UNITS = frozenset(vocab.GRAMS_PER_UNIT)
#: Share of photos that are the market's shared stock pictures rather than the actor's own.
STOCK_PHOTO_RATE = 0.2
TRANSFORMS = {"original": 5, "reencoded": 3, "cropped": 2}


def _plain(value: float) -> float | int:
    return int(value) if value == int(value) else value


def make_listing(market: Market, index: int, day: int = 0) -> Listing:
    rng = random.Random(f"{market.seed}:{market.name}:{index}")
    vendor = market.vendors[market.listing_vendor[index]]
    product = vocab.PRODUCTS[market.listing_product[index]]
    value, unit = rng.choice(product.amounts)
    quantity = Amount(_plain(value), unit)
    strength = None
    if product.strengths:
        s_value, s_unit = rng.choice(product.strengths)
        strength = Amount(_plain(s_value), s_unit)
    if unit in _WEIGHT_UNITS:
        kind = "weight"
    elif unit == "tab":
        kind = "tab"
    else:
        kind = "count" if strength else "count_plain"
    base_usd = _price(rng, product, vendor, quantity, strength)
    ships_from, ships_to = _ships(rng, vendor.home)
    roll = rng.random()
    escrow, finalize_early = (True, False) if roll < 0.7 else (False, True) if roll < 0.95 else (
        True, True)
    photos = tuple(_photo(rng, vendor) for _ in range(rng.randint(1, 3)))
    stock0, sells, feedback0 = rng.randint(5, 400), rng.uniform(0.2, 6), rng.randint(0, 120)
    period = rng.randint(3, 9)
    usd = base_usd
    if day // period:
        drift = random.Random(f"{market.seed}:{market.name}:{index}:price:{day // period}")
        usd = float(round(base_usd * drift.uniform(0.85, 1.15), 2))
    stock = int(stock0 - sells * day) % (stock0 + 1)
    category = market.categories[market.listing_category[index]]
    listing_id = market.listing_id(index)
    facts = Facts(product=product, quantity=quantity, strength=strength, kind=kind, usd=usd,
                  ships_from=ships_from, ships_to=ships_to, escrow=escrow,
                  finalize_early=finalize_early, vendor=vendor,
                  hostile=index == market.hostile_index, listing_id=listing_id,
                  category=category)
    words = WORDINGS[market.family](market, rng, facts)
    return Listing(
        index=index, listing_id=listing_id, vendor=vendor.handle, category=category,
        product=product.key, drug=product.drug, drug_class=product.drug_class, form=product.form,
        title=words.title, quantity=quantity, strength=strength,
        price_usd=usd, price_text=words.price_text,
        price_btc=float(f"{usd / market.btc_usd:.8f}"), price_btc_text=words.price_btc_text,
        price_xmr=float(f"{usd / market.xmr_usd:.6f}"), price_xmr_text=words.price_xmr_text,
        ships_from=ships_from, ships_from_text=words.ships_from_text, ships_to=ships_to,
        ships_to_text=words.ships_to_text, escrow=escrow, finalize_early=finalize_early,
        paragraphs=words.paragraphs, currency=market.currency, price=words.price,
        escrow_text=words.escrow_text, finalize_early_text=words.finalize_early_text,
        tiers=words.tiers, photos=photos, stock=stock,
        feedback=feedback0 + int(day * sells * 0.6), day=day, labelled=words.labelled,
        url=words.url,
    )


def _photo(rng: random.Random, vendor: Vendor) -> Photo:
    if rng.random() < STOCK_PHOTO_RATE or not vendor.photos:
        source = f"stock/{rng.randrange(vocab.STOCK_PHOTOS)}"
    else:
        source = rng.choice(vendor.photos)
    transform = rng.choices(list(TRANSFORMS), list(TRANSFORMS.values()))[0]
    return Photo(source, transform)


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
