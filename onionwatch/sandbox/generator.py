"""Build a deterministic sandbox World: markets of several families, their vendors, their listings.

Everything comes from ``random.Random`` instances seeded with derived strings
(``f"{seed}:{market}:layout"``, ``f"{seed}:{market}:{i}"``, ``f"{seed}:actor:{k}"``), never the
global generator and never the wall clock, so a seed always gives the same world. The account plan
(which actor stands behind which handle on which market, see ``actors``) and the compact listing
layout are made up front; vendor accounts and listings are made lazily, one at a time.

>>> world = build_world(7, vendors=5, listings=30)
>>> market = world.markets[0]
>>> len(market.live()), len(market.vendors)
(30, 5)
>>> build_world(7, vendors=5, listings=30).markets[0].listings[3] == market.listings[3]
True
>>> [m.name for m in build_world(7, vendors=3, listings=9, families=ALL_FAMILIES).markets]
['empire-sandbox', 'vitrine-sandbox', 'backroom-sandbox', 'schattenmarkt-sandbox']
"""
from __future__ import annotations

import random
from array import array
from collections.abc import Sequence
from dataclasses import replace

from . import vocab, vocab_de
from .actors import AccountPlan, account_identifiers, make_actor, plan_accounts
from .addresses import btc_p2wpkh, xmr_standard
from .clock import Clock
from .listings import make_listing
from .model import Category, LazySequence, Market, Vendor, World

__all__ = ["DEFAULT_MARKET", "PAGE_SIZE", "FAMILY_MARKETS", "ALL_FAMILIES", "build_world",
           "build_market", "make_vendor"]

DEFAULT_MARKET = "empire-sandbox"
PAGE_SIZE = 20
#: Family -> the market the sandbox serves in that family's layout.
FAMILY_MARKETS = {"table": "empire-sandbox", "grid": "vitrine-sandbox",
                  "forum": "backroom-sandbox", "markt": "schattenmarkt-sandbox"}
ALL_FAMILIES = tuple(FAMILY_MARKETS)
_CURRENCY = {"table": "USD", "grid": "EUR", "forum": "USD", "markt": "EUR"}
_LANGUAGE = {"table": "en", "grid": "en", "forum": "en", "markt": "de"}
#: Listings that appear after day 0, as a share of the initial ones; and the share that vanish.
NEW_LISTING_RATE = 0.125
GONE_LISTING_RATE = 0.1
_PRODUCT_INDEX = {p.key: i for i, p in enumerate(vocab.PRODUCTS)}


def build_world(seed: int, *, vendors: int = 40, listings: int = 400,
                families: Sequence[str] = ("table",)) -> World:
    """A world of one market per family in ``families`` (default: the table market only), each
    with ``vendors`` vendor accounts and ``listings`` listings live on day 0. Actors sell on
    several markets; all markets share one clock."""
    unknown = [f for f in families if f not in FAMILY_MARKETS]
    if unknown or not families:
        raise ValueError(f"unknown market families {unknown}; known: {list(FAMILY_MARKETS)}")
    if vendors < 1 or listings < 0:
        raise ValueError("need vendors >= 1 and listings >= 0")
    clock = Clock()
    plans = plan_accounts(seed, markets=len(families), vendors=vendors)
    first_handles: dict[int, str] = {}
    for market_plans in plans:
        for plan in market_plans:
            first_handles.setdefault(plan.actor, plan.handle)
    markets = tuple(
        build_market(seed, FAMILY_MARKETS[family], family=family, vendors=vendors,
                     listings=listings, plans=plans[k], actor_handles=first_handles, clock=clock)
        for k, family in enumerate(families))
    return World(seed=seed, markets=markets, clock=clock, actors=(tuple(map(tuple, plans)),
                                                                  first_handles))


def build_market(seed: int, name: str, *, family: str = "table", vendors: int = 40,
                 listings: int = 400, page_size: int = PAGE_SIZE,
                 plans: list[AccountPlan] | None = None,
                 actor_handles: dict[int, str] | None = None, clock: Clock | None = None) -> Market:
    if vendors < 1 or listings < 0 or page_size < 1:
        raise ValueError("need vendors >= 1, listings >= 0 and page_size >= 1")
    if plans is None:
        plans = plan_accounts(seed, markets=1, vendors=vendors)[0]
        actor_handles = {}
        for plan in plans:
            actor_handles.setdefault(plan.actor, plan.handle)
    rng = random.Random(f"{seed}:{name}:market")
    btc_usd = round(rng.uniform(38_000, 72_000), 2)
    xmr_usd = round(rng.uniform(110, 260), 2)
    id_offset = rng.randrange(10_000, 90_000)
    eur_usd = round(rng.uniform(1.04, 1.12), 4)
    escrow_btc, escrow_xmr = btc_p2wpkh(rng), xmr_standard(rng)
    down_start = rng.randint(4, 20)
    down_days = tuple(range(down_start, down_start + rng.randint(1, 2)))
    names = {"markt": vocab_de.CATEGORIES, "forum": vocab.FORUM_BOARDS}.get(family,
                                                                            vocab.CATEGORIES)
    categories = tuple(Category(slug, names[slug]) for slug in vocab.CATEGORIES)
    market = Market(
        name=name, family=family, seed=seed, btc_usd=btc_usd, xmr_usd=xmr_usd,
        categories=categories, vendors=(), listing_vendor=array("I"),
        listing_product=array("H"), listing_category=array("H"), id_offset=id_offset,
        page_size=page_size, hostile_index=None, make_listing=make_listing,
        vendors_handles=tuple(p.handle for p in plans), currency=_CURRENCY[family],
        language=_LANGUAGE[family], eur_usd=eur_usd, escrow_btc=escrow_btc,
        escrow_xmr=escrow_xmr, down_days=down_days, clock=clock or Clock())
    market.vendors = LazySequence(len(plans), lambda i: make_vendor(
        market, i, plans[i], (actor_handles or {}).get(plans[i].actor, plans[i].handle)))
    _layout(market, plans, listings)
    return market


def _layout(market: Market, plans: list[AccountPlan], count: int) -> None:
    """Which vendor, product and category each listing has, and the days it is on the market.
    Every vendor gets at least one listing when there are enough; the rest follow a long-tailed
    share, as on real markets."""
    rng = random.Random(f"{market.seed}:{market.name}:layout")
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(plans))]
    rng.shuffle(weights)
    first = list(range(len(plans)))
    rng.shuffle(first)
    extra = int(count * NEW_LISTING_RATE)
    assign = first[:count] + rng.choices(range(len(plans)), weights,
                                         k=max(0, count - len(first)))
    rng.shuffle(assign)
    assign += rng.choices(range(len(plans)), weights, k=extra)
    cat_index = {c.slug: i for i, c in enumerate(market.categories)}
    products_of = {}
    product, category = array("H"), array("H")
    for v in assign:
        actor = plans[v].actor
        if actor not in products_of:
            products_of[actor] = _products_cheap(market.seed, actor)
        p = _PRODUCT_INDEX[rng.choice(products_of[actor])]
        product.append(p)
        category.append(cat_index[vocab.PRODUCTS[p].category])
    born = array("H", [0] * count + [rng.randint(1, 30) for _ in range(extra)])
    dies = array("H", [rng.randint(2, 40) if rng.random() < GONE_LISTING_RATE else 0
                       for _ in range(count + extra)])
    market.listing_vendor, market.listing_product, market.listing_category = (
        array("I", assign), product, category)
    market.listing_born, market.listing_dies = born, dies
    market.hostile_index = rng.randrange(count) if count else None


def _products_cheap(seed: int, actor: int) -> tuple[str, ...]:
    """What an actor sells, without making the whole actor (its addresses cost more)."""
    rng = random.Random(f"{seed}:actor:{actor}:products")
    weights = _CATEGORY_WEIGHTS
    slugs = list(weights)
    chosen = set(rng.choices(slugs, [weights[s] for s in slugs], k=rng.randint(1, 2)))
    pool = [p.key for p in vocab.PRODUCTS if p.category in chosen]
    return tuple(rng.sample(pool, rng.randint(1, min(4, len(pool)))))


_CATEGORY_WEIGHTS = {"opioids": 5, "stimulants": 3, "ecstasy": 2, "cannabis": 3, "benzos": 2,
                     "dissociatives": 1, "psychedelics": 1, "prescription": 2}


def make_vendor(market: Market, index: int, plan: AccountPlan, actor_handle: str) -> Vendor:
    """Vendor account ``index`` of ``market``: the actor's identifiers as this account shows them,
    a profile in the market's language and the actor's writing habit."""
    actor = make_actor(market.seed, plan.actor, actor_handle)
    rng = random.Random(f"{market.seed}:{market.name}:vendor:{index}")
    pgp, btc, xmr, contacts = account_identifiers(actor, rng, plan.handle)
    since = max(actor.since, rng.randint(2017, 2024)) if plan.kind != "primary" else actor.since
    sales = int(rng.paretovariate(1.2) * 40)
    german = market.language == "de"
    facts = {"handle": plan.handle, "year": since, "sales": sales,
             "contact_kind": vocab.CONTACT_KINDS[contacts[0].kind]}
    openers = vocab_de.PROFILE_OPENERS if german else vocab.PROFILE_OPENERS
    lines = vocab_de.PROFILE_LINES if german else vocab.PROFILE_LINES
    chosen = [rng.choice(openers)] + rng.sample(lines, rng.randint(1, 3))
    text = " ".join(line.format(**facts) for line in chosen)
    if rng.random() < 0.7:
        text += f" {actor.motto.capitalize()}."
    paragraphs = (text, actor.signoff)
    photos = tuple(p for p in actor.photos if rng.random() < 0.8) or actor.photos[:1]
    vendor = Vendor(
        index=index, handle=plan.handle,
        actor_id=actor.actor_id, pgp=pgp, btc=btc, xmr=xmr, contacts=contacts,
        profile=" ".join(paragraphs), home=actor.home, since=since, sales=sales,
        rating=f"{rng.uniform(4.3, 5.0):.2f}", products=_products_cheap(market.seed, plan.actor),
        markup=actor.markup, handle_kind=plan.kind,
        lookalike_of=f"actor-{plan.lookalike_of:05d}" if plan.lookalike_of is not None else None,
        signoff=actor.signoff, photos=photos, profile_paragraphs=paragraphs,
        publishes_key=pgp is not None,
    )
    from .families import vendor_path, vendor_labelled  # the family owns URLs and labels

    vendor = replace(vendor, url=vendor_path(market, vendor.handle))
    return replace(vendor, labelled=vendor_labelled(market, vendor))
