"""How each market family words a listing: title, prices, shipping, terms and description.

A wording takes the listing's facts (product, amount, USD price, ship-from/-to codes, payment terms,
vendor) and the listing's own random generator, and returns every displayed string plus
``labelled``: the field name -> text a profile's selector reads on the listing page. The forum
family labels only title, vendor and board: its price and shipping are written into the post.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import vocab, vocab_de
from .model import Amount, Category, Market, Tier, Vendor

__all__ = ["Facts", "Words", "WORDINGS", "money"]

_FRACTIONS = {0.25: "1/4", 0.5: "1/2"}


@dataclass(frozen=True)
class Facts:
    product: vocab.Product
    quantity: Amount
    strength: Amount | None
    kind: str  # weight, count, count_plain, tab
    usd: float
    ships_from: str
    ships_to: tuple[str, ...]
    escrow: bool
    finalize_early: bool
    vendor: Vendor
    hostile: bool
    listing_id: str = ""
    category: Category | None = None


@dataclass(frozen=True)
class Words:
    title: str
    url: str
    price: float
    price_text: str
    price_btc_text: str
    price_xmr_text: str
    ships_from_text: str
    ships_to_text: str
    escrow_text: str
    finalize_early_text: str
    paragraphs: tuple[str, ...]
    labelled: dict = field(default_factory=dict)
    tiers: tuple[Tier, ...] = ()


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def money(value: float, style: str) -> str:
    """A price as a market shows it: ``usd`` $1,234.50, ``eur`` €1,234.50, ``de`` 1.234,50 €."""
    if style == "usd":
        return f"${value:,.2f}"
    if style == "eur":
        return f"\u20ac{value:,.2f}"
    grouped = f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{grouped} \u20ac"


def _qty(rng: random.Random, q: Amount, formats: dict[str, tuple[str, ...]]) -> str:
    if q.unit not in formats:
        return _num(q.value)
    value = _num(q.value)
    if q.unit == "oz" and q.value in _FRACTIONS and rng.random() < 0.5:
        value = _FRACTIONS[q.value]
    return rng.choice(formats[q.unit]).format(v=value, s="" if q.value == 1 else "s")


def _strength(rng: random.Random, s: Amount | None) -> str:
    return "" if s is None else rng.choice(vocab.STRENGTH_FORMATS[s.unit]).format(v=_num(s.value))


def _spell(rng: random.Random, code: str, countries: dict, regions: dict) -> str:
    variants = countries.get(code) or regions[code]
    return variants[0] if rng.random() < 0.6 else rng.choice(variants)


def _english_core(rng: random.Random, f: Facts, names: tuple[str, ...] | None = None,
                  templates: dict | None = None, tags: tuple[str, ...] | None = None,
                  qty_formats: dict | None = None) -> tuple[str, str, str, str]:
    name = rng.choice(names or f.product.names)
    tag = rng.choice(tags or f.product.tags)
    q_text = _qty(rng, f.quantity, qty_formats or vocab.QTY_FORMATS)
    st_text = _strength(rng, f.strength)
    title = rng.choice((templates or vocab.TEMPLATES)[f.kind]).format(
        name=name, q=q_text, n=_num(f.quantity.value), st=st_text, tag=tag)
    return " ".join(title.split()), name, q_text, st_text


def _amount_words(f: Facts, q_text: str, st_text: str, pills: str = "pills",
                  tabs: str = "tabs", of: str = "of") -> str:
    if f.kind == "weight":
        return q_text
    noun = tabs if f.kind == "tab" else pills
    return f"{_num(f.quantity.value)} {noun}" + (f" {of} {st_text}" if st_text else "")


def _english_paragraphs(rng: random.Random, f: Facts, name: str, amount: str,
                        from_text: str) -> list[str]:
    first = f"{name}, {amount} per order. " + rng.choice(vocab.QUALITY_LINES).format(
        sales=f.vendor.sales)
    if f.product.form == "pressed_pill":
        first += " Pressed pills, not pharmacy made."
    second = (rng.choice(vocab.SHIPPING_LINES).format(ships_from=from_text) + " "
              + rng.choice(vocab.STEALTH_LINES))
    third = " ".join(rng.sample(vocab.POLICY_LINES, rng.randint(1, 2)))
    paragraphs = [first, second, third]
    if f.hostile:
        paragraphs.insert(1, vocab.HOSTILE_PARAGRAPH)
    if f.vendor.signoff:
        paragraphs.append(f.vendor.signoff)
    return paragraphs


def _crypto(market: Market, usd: float) -> tuple[str, str]:
    return f"{usd / market.btc_usd:.8f} BTC", f"{usd / market.xmr_usd:.6f} XMR"


def _table(market: Market, rng: random.Random, f: Facts) -> Words:
    title, name, q_text, st_text = _english_core(rng, f)
    btc, xmr = _crypto(market, f.usd)
    from_text = _spell(rng, f.ships_from, vocab.COUNTRIES, vocab.REGIONS)
    to_text = ", ".join(_spell(rng, c, vocab.COUNTRIES, vocab.REGIONS) for c in f.ships_to)
    paragraphs = _english_paragraphs(rng, f, name, _amount_words(f, q_text, st_text), from_text)
    yes = {True: "Yes", False: "No"}
    price_text = money(f.usd, "usd")
    labelled = {"title": title, "vendor": f.vendor.handle, "category": f.category.name,
                "price": price_text, "price_btc": btc, "price_xmr": xmr, "ships_from": from_text,
                "ships_to": to_text, "escrow": yes[f.escrow],
                "finalize_early": yes[f.finalize_early]}
    return Words(title, f"/listing/{f.listing_id}", f.usd, price_text, btc, xmr, from_text,
                 to_text, yes[f.escrow], yes[f.finalize_early], tuple(paragraphs), labelled)


def _tiers(f: Facts, eur: float, style: str) -> tuple[Tier, ...]:
    out = []
    for mult, discount in ((1, 1.0), (2, 0.93), (5, 0.85), (10, 0.78)):
        q = Amount(_plain(round(f.quantity.value * mult, 4)), f.quantity.unit)
        price = round(eur * mult * discount, 2)
        unit = {"pill": " pills", "tab": " tabs"}.get(q.unit, q.unit)
        out.append(Tier(q, price, money(price, style), f"{_num(q.value)}{unit}"))
    return tuple(out)


def _plain(value: float) -> float | int:
    return int(value) if value == int(value) else value


def _payment(escrow: bool, fe: bool, words: tuple[str, str, str]) -> str:
    return words[2] if escrow and fe else words[0] if escrow else words[1]


def _grid(market: Market, rng: random.Random, f: Facts) -> Words:
    title, name, q_text, st_text = _english_core(rng, f)
    eur = round(f.usd / market.eur_usd, 2)
    btc, xmr = _crypto(market, f.usd)
    from_text = _spell(rng, f.ships_from, vocab.COUNTRIES, vocab.REGIONS)
    to_text = ", ".join(_spell(rng, c, vocab.COUNTRIES, vocab.REGIONS) for c in f.ships_to)
    paragraphs = _english_paragraphs(rng, f, name, _amount_words(f, q_text, st_text), from_text)
    tiers = _tiers(f, eur, "eur")
    price_text = money(eur, "eur")
    payment = _payment(f.escrow, f.finalize_early, ("Escrow", "FE", "Escrow / FE"))
    labelled = {"title": title, "vendor": f.vendor.handle, "category": f.category.name,
                "price": price_text, "price_btc": btc, "ships_from": from_text,
                "ships_to": to_text, "payment": payment,
                "tiers": [t.text for t in tiers]}
    return Words(title, f"/item/{f.listing_id}", eur, price_text, btc, xmr, from_text, to_text,
                 "Escrow" if f.escrow else "", "FE" if f.finalize_early else "",
                 tuple(paragraphs), labelled, tiers)


def _forum(market: Market, rng: random.Random, f: Facts) -> Words:
    core, name, q_text, st_text = _english_core(rng, f)
    amount = _amount_words(f, q_text, st_text)
    from_text = rng.choice((f"the {f.ships_from}" if f.ships_from in ("NL", "US", "UK") else
                            f.ships_from, _spell(rng, f.ships_from, vocab.COUNTRIES,
                                                 vocab.REGIONS)))
    to_text = " and ".join(_spell(rng, c, vocab.COUNTRIES, vocab.REGIONS) for c in f.ships_to)
    if f.ships_to == ("WW",):
        to_text = rng.choice(("worldwide", "WW", "anywhere"))
    price_text = rng.choice((money(f.usd, "usd"), f"{f.usd:.2f} USD", f"{_num(f.usd)}$",
                             f"{_num(f.usd)} usd"))
    btc, xmr = _crypto(market, f.usd)
    subject = rng.choice(vocab.FORUM_SUBJECTS).format(
        title=core, from_code=f.ships_from,
        to_short=f.ships_to[0] if len(f.ships_to) == 1 else f.ships_to[0] + "+")
    lines = [
        f"hey all, {name.lower() if rng.random() < 0.5 else name} back in stock. "
        + rng.choice(vocab.FORUM_PRICE_LINES).format(price=price_text, amount=amount)
        + f" (or {btc}).",
        rng.choice(vocab.FORUM_SHIP_LINES).format(from_text=from_text, to_text=to_text) + ". "
        + rng.choice(vocab.FORUM_TERMS[(f.escrow, f.finalize_early)]) + ".",
        rng.choice(vocab.STEALTH_LINES) + " " + rng.choice(vocab.QUALITY_LINES).format(
            sales=f.vendor.sales),
        "PM me here or " + _first_contact(f.vendor) + " for bulk.",
    ]
    if f.hostile:
        lines.insert(1, vocab.HOSTILE_PARAGRAPH)
    if f.vendor.signoff:
        lines.append(f.vendor.signoff)
    labelled = {"title": subject, "vendor": f.vendor.handle, "category": f.category.name}
    return Words(subject, f"/viewtopic.php?t={f.listing_id}", f.usd, price_text, btc, xmr,
                 from_text, to_text, "", "", tuple(lines), labelled)


def _first_contact(vendor: Vendor) -> str:
    c = vendor.contacts[0]
    return f"{vocab.CONTACT_KINDS[c.kind].lower()} {c.value}"


def _markt(market: Market, rng: random.Random, f: Facts) -> Words:
    names = vocab_de.PRODUCT_NAMES.get(f.product.key)
    title, name, q_text, st_text = _english_core(rng, f, names, vocab_de.TEMPLATES, vocab_de.TAGS,
                                                 vocab_de.QTY_FORMATS)
    eur = round(f.usd / market.eur_usd, 2)
    btc, xmr = _crypto(market, f.usd)
    from_text = _spell(rng, f.ships_from, vocab_de.COUNTRIES, vocab_de.REGIONS)
    to_text = ", ".join(_spell(rng, c, vocab_de.COUNTRIES, vocab_de.REGIONS) for c in f.ships_to)
    amount = _amount_words(f, q_text, st_text, "Pillen", "Pappen", "zu je")
    paragraphs = [
        f"{name}, {amount} pro Bestellung. " + rng.choice(vocab_de.QUALITY_LINES),
        rng.choice(vocab_de.SHIPPING_LINES).format(ships_from=from_text) + " "
        + rng.choice(vocab_de.STEALTH_LINES),
        " ".join(rng.sample(vocab_de.POLICY_LINES, rng.randint(1, 2))),
    ]
    if f.hostile:
        paragraphs.insert(1, vocab.HOSTILE_PARAGRAPH)
    if f.vendor.signoff:
        paragraphs.append(f.vendor.signoff)
    yes = {True: vocab_de.YES, False: vocab_de.NO}
    price_text = money(eur, "de")
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in name.lower()).strip("-")
    labelled = {"title": title, "vendor": f.vendor.handle, "category": f.category.name,
                "price": price_text, "price_xmr": xmr, "ships_from": from_text,
                "ships_to": to_text, "escrow": yes[f.escrow],
                "finalize_early": yes[f.finalize_early]}
    return Words(title, f"/angebot/{f.listing_id}-{slug}", eur, price_text, btc, xmr, from_text,
                 to_text, yes[f.escrow], yes[f.finalize_early], tuple(paragraphs), labelled)


WORDINGS = {"table": _table, "grid": _grid, "forum": _forum, "markt": _markt}
