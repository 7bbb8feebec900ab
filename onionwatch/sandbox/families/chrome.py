"""Page chrome: what real markets wrap around every page, and that is never a listing's fact.

A category menu naming every class and drug (fentanyl included) with listing counts, a search
box whose category list names them again, a "featured listings" box of other vendors' listings
with their prices and origins, a per-category "top in ..." box, a warning notice that names
fentanyl and countries, and a footer. Each family lays these out in its own markup; the class
names are neutral or obfuscated (``c-7f``, ``box2``), as on real markets, so nothing in the markup
says "this is navigation".

Everything is deterministic: the featured listings are drawn from ``f"{seed}:{market}:featured:
{day}"`` and a category's top listings from ``f"{seed}:{market}:top:{slug}:{day}"``, so every page
of a day shows the same boxes (as a real market's sidebar does) and a seed always gives the same
pages. ``market.chrome`` switches it all off (the pages are then as before the chrome existed).

>>> from onionwatch.sandbox import build_world
>>> market = build_world(3, vendors=4, listings=20).markets[0]
>>> featured(market) == featured(market), len(featured(market))
(True, 4)
>>> "Fentanyl" in [label for _, subs in menu(market) for label, _, _ in subs]
True
"""
from __future__ import annotations

import random
from functools import lru_cache

from .. import vocab, vocab_de
from ..model import Listing, Market
from .base import esc

__all__ = ["FEATURED", "TOP", "menu", "featured", "top_in_category", "words", "on",
           "menu_label"]

#: Listings in the featured box, and in a category's "top in" box.
FEATURED = 4
TOP = 3


def on(market: Market) -> bool:
    """Whether ``market`` serves its chrome (the ``chrome`` switch; on unless switched off)."""
    return bool(getattr(market, "chrome", True))


def words(market: Market) -> dict[str, str]:
    """The chrome's wording in the market's language."""
    if market.language == "de":
        return {**vocab.CHROME_WORDS, **vocab_de.CHROME_WORDS}
    return vocab.CHROME_WORDS


def menu_label(market: Market, label: str) -> str:
    return vocab_de.MENU_LABELS.get(label, label) if market.language == "de" else label


@lru_cache(maxsize=32)
def _product_counts(market: Market, day: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for i in market.live():
        key = vocab.PRODUCTS[market.listing_product[i]].key
        counts[key] = counts.get(key, 0) + 1
    return counts


def menu(market: Market) -> list[tuple[object, list[tuple[str, str, int]]]]:
    """``(category, [(label, search words, live listings), ...])`` per category, in menu order."""
    counts = _product_counts(market, market.clock.day)
    out = []
    for category in market.categories:
        subs = [(menu_label(market, label), label.lower(), sum(counts.get(k, 0) for k in keys))
                for label, keys in vocab.MENU[category.slug]]
        out.append((category, subs))
    return out


@lru_cache(maxsize=32)
def _featured(market: Market, day: int) -> tuple[int, ...]:
    live = market.live()
    rng = random.Random(f"{market.seed}:{market.name}:featured:{day}")
    return tuple(rng.sample(live, min(FEATURED, len(live))))


def featured(market: Market) -> list[Listing]:
    """The day's featured listings (the same on every page of the day)."""
    return [market.listing_at(i) for i in _featured(market, market.clock.day)]


@lru_cache(maxsize=256)
def _top(market: Market, slug: str, day: int) -> tuple[int, ...]:
    indices = market.category_indices(slug)
    rng = random.Random(f"{market.seed}:{market.name}:top:{slug}:{day}")
    return tuple(rng.sample(indices, min(TOP, len(indices))))


def top_in_category(market: Market, slug: str) -> list[Listing]:
    """The day's top listings of category ``slug`` (the same on every page of that category)."""
    return [market.listing_at(i) for i in _top(market, slug, market.clock.day)]


def item_line(market: Market, item: Listing, link: str, cls: str) -> str:
    """One listing as a chrome box shows it: linked title, price, vendor, origin (spans with
    the box's own class prefix ``cls``)."""
    w = words(market)
    return (f'<div class="{cls}i"><a class="{cls}a" href="{esc(link)}">{esc(item.title)}</a> '
            f'<span class="{cls}p">{esc(item.price_text)}</span> '
            f'<span class="{cls}v">{w["by"]} {esc(item.vendor)}</span> '
            f'<span class="{cls}s">{esc(w["from"].format(place=item.ships_from_text))}</span>'
            "</div>")
