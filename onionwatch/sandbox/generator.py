"""Build a deterministic sandbox World: markets, their vendors and the layout of their listings.

Everything comes from ``random.Random`` instances seeded with derived strings
(``f"{seed}:{market}:vendors"``, ``f"{seed}:{market}:layout"``, ``f"{seed}:{market}:{i}"``), never the
global generator and never the clock, so a seed always gives the same world. Vendors and the
compact layout (which vendor, product and category each listing has) are made up front; listing
details are made lazily by :func:`onionwatch.sandbox.listings.make_listing`.

>>> world = build_world(7, vendors=5, listings=30)
>>> market = world.markets[0]
>>> len(market.listings), len(market.vendors)
(30, 5)
>>> build_world(7, vendors=5, listings=30).markets[0].listings[3] == market.listings[3]
True
"""
from __future__ import annotations

import random
from array import array
from dataclasses import replace

from . import vocab
from .addresses import btc_p2pkh, btc_p2wpkh, xmr_standard
from .listings import make_listing
from .model import Category, Contact, Market, Vendor, World
from .pgp import load_pgp_keys

__all__ = ["DEFAULT_MARKET", "PAGE_SIZE", "build_world", "build_market", "make_vendors"]

DEFAULT_MARKET = "empire-sandbox"
PAGE_SIZE = 20
#: Share of vendor accounts that are a second handle of an actor who already has one.
ALIAS_RATE = 0.1
#: How often vendors specialise in each category (the toolkit's focus is opioids).
CATEGORY_WEIGHTS = {"opioids": 5, "stimulants": 3, "ecstasy": 2, "cannabis": 3, "benzos": 2,
                    "dissociatives": 1, "psychedelics": 1, "prescription": 2}
_PRODUCT_INDEX = {p.key: i for i, p in enumerate(vocab.PRODUCTS)}


def build_world(seed: int, *, vendors: int = 40, listings: int = 400) -> World:
    """A world of one table-layout market with ``vendors`` vendors and ``listings`` listings."""
    return World(seed=seed, markets=(build_market(seed, DEFAULT_MARKET, vendors=vendors,
                                                  listings=listings),))


def build_market(seed: int, name: str, *, family: str = "table", vendors: int = 40,
                 listings: int = 400, page_size: int = PAGE_SIZE) -> Market:
    if vendors < 1 or listings < 0 or page_size < 1:
        raise ValueError("need vendors >= 1, listings >= 0 and page_size >= 1")
    rng = random.Random(f"{seed}:{name}:market")
    btc_usd = round(rng.uniform(38_000, 72_000), 2)
    xmr_usd = round(rng.uniform(110, 260), 2)
    id_offset = rng.randrange(10_000, 90_000)
    categories = tuple(Category(slug, label) for slug, label in vocab.CATEGORIES.items())
    vendor_list = make_vendors(seed, name, vendors)
    by_vendor, by_product, by_category, hostile = _layout(seed, name, vendor_list, categories,
                                                          listings)
    return Market(name=name, family=family, seed=seed, btc_usd=btc_usd, xmr_usd=xmr_usd,
                  categories=categories, vendors=vendor_list, listing_vendor=by_vendor,
                  listing_product=by_product, listing_category=by_category, id_offset=id_offset,
                  page_size=page_size, hostile_index=hostile, make_listing=make_listing)


def _layout(seed: int, market: str, vendors: tuple[Vendor, ...], categories: tuple[Category, ...],
            count: int) -> tuple[array, array, array, int | None]:
    """Which vendor, product and category each listing has. Every vendor gets at least one
    listing when there are enough; the rest follow a long-tailed share, as on real markets."""
    rng = random.Random(f"{seed}:{market}:layout")
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(vendors))]
    rng.shuffle(weights)
    first = list(range(len(vendors)))
    rng.shuffle(first)
    assign = first[:count] + rng.choices(range(len(vendors)), weights, k=max(0, count - len(first)))
    rng.shuffle(assign)
    cat_index = {c.slug: i for i, c in enumerate(categories)}
    products = [_PRODUCT_INDEX[rng.choice(vendors[v].products)] for v in assign]
    cats = [cat_index[vocab.PRODUCTS[p].category] for p in products]
    hostile = rng.randrange(count) if count else None
    return array("I", assign), array("H", products), array("H", cats), hostile


def make_vendors(seed: int, market: str, count: int) -> tuple[Vendor, ...]:
    """``count`` vendor accounts; about ``ALIAS_RATE`` of them are extra handles of one actor,
    sharing that actor's PGP key, home country and one contact. Actors beyond the key pool
    publish no key (a reused key would falsely link two actors)."""
    rng = random.Random(f"{seed}:{market}:vendors")
    keys = list(load_pgp_keys())
    rng.shuffle(keys)
    taken: set[str] = set()
    primaries: list[Vendor] = []
    vendors: list[Vendor] = []
    for i in range(count):
        primary = rng.choice(primaries) if primaries and rng.random() < ALIAS_RATE else None
        vr = random.Random(f"{seed}:{market}:vendor:{i}")
        handle = _handle(vr, taken)
        if primary is None:
            actor = len(primaries)
            pgp = keys[actor] if actor < len(keys) else None
            home = vr.choices(list(vocab.COUNTRY_WEIGHTS), list(vocab.COUNTRY_WEIGHTS.values()))[0]
            actor_id, shared = f"actor-{actor:04d}", None
        else:
            pgp, home, actor_id = primary.pgp, primary.home, primary.actor_id
            shared = vr.choice(primary.contacts)
        contacts = _contacts(vr, handle, shared)
        vendor = Vendor(
            index=i, handle=handle, actor_id=actor_id, pgp=pgp,
            btc=tuple(btc_p2wpkh(vr) if vr.random() < 0.6 else btc_p2pkh(vr)
                      for _ in range(1 if vr.random() < 0.6 else 2)),
            xmr=(xmr_standard(vr),), contacts=contacts, profile="", home=home,
            since=vr.randint(2015, 2023), sales=int(vr.paretovariate(1.2) * 40),
            rating=f"{vr.uniform(4.3, 5.0):.2f}", products=_products(vr),
            markup=round(vr.uniform(0.85, 1.3), 3),
        )
        vendor = _with_profile(vr, vendor)
        vendors.append(vendor)
        if primary is None:
            primaries.append(vendor)
    return tuple(vendors)


def _handle(rng: random.Random, taken: set[str]) -> str:
    while True:
        pre, core = rng.choice(vocab.HANDLE_PREFIXES), rng.choice(vocab.HANDLE_CORES)
        suf = rng.choice(vocab.HANDLE_SUFFIXES)
        style = rng.randrange(4)
        if style == 0:
            handle = f"{pre}{core}{suf}"
        elif style == 1:
            handle = f"{pre.capitalize()}{core.capitalize()}{suf}"
        elif style == 2:
            handle = f"{pre}_{core}{suf}"
        else:
            handle = f"{core.capitalize()}{pre.capitalize()}{suf}"
        if handle.lower() not in taken:
            taken.add(handle.lower())
            return handle


def _contacts(rng: random.Random, handle: str, shared: Contact | None) -> tuple[Contact, ...]:
    kinds = rng.sample(list(vocab.CONTACT_KINDS), rng.randint(1, 3))
    found = {kind: _contact_value(rng, kind, handle) for kind in kinds}
    if shared is not None:
        found[shared.kind] = shared.value
    return tuple(Contact(kind, value) for kind, value in found.items())


def _contact_value(rng: random.Random, kind: str, handle: str) -> str:
    base = handle.lower()
    if kind == "wickr":
        return base + rng.choice(("", "_", "420", "2", "x"))
    if kind == "telegram":
        return "@" + base + rng.choice(("", "_shop", "_plug", "bot", "_official"))
    if kind == "session":
        return "05" + rng.randbytes(32).hex()
    return f"{base}@{rng.choice(vocab.JABBER_DOMAINS)}"


def _products(rng: random.Random) -> tuple[str, ...]:
    slugs = list(CATEGORY_WEIGHTS)
    chosen = set(rng.choices(slugs, [CATEGORY_WEIGHTS[s] for s in slugs], k=rng.randint(1, 2)))
    pool = [p.key for p in vocab.PRODUCTS if p.category in chosen]
    return tuple(rng.sample(pool, rng.randint(1, min(4, len(pool)))))


def _with_profile(rng: random.Random, vendor: Vendor) -> Vendor:
    facts = {"handle": vendor.handle, "year": vendor.since, "sales": vendor.sales,
             "contact_kind": vocab.CONTACT_KINDS[vendor.contacts[0].kind]}
    lines = [rng.choice(vocab.PROFILE_OPENERS)] + rng.sample(vocab.PROFILE_LINES, rng.randint(1, 3))
    profile = " ".join(line.format(**facts) for line in lines)
    return replace(vendor, profile=profile)
