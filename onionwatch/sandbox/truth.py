"""Ground truth as JSON Lines, written from the generator's own state (never from its HTML).

Records, in this order: for each market, the ``market`` record, its ``vendor`` accounts and its
``listing`` records (the listings live on the clock's current day); then one ``actor`` record per
actor (which accounts are the same real-world actor, and which identifiers two or more of them
share) and one ``negatives`` record (the hard negatives: look-alike handles of different actors,
markets' own escrow addresses, stock photos, stock phrases).

Every ``*_text`` field is the text as displayed (``price_text`` in the market's currency; on the
forum market, as written in the post); ``labelled`` maps the field names the family labels to the
exact text a selector gives for them (whitespace-stripped), so the end-to-end test and profiles
can be checked family by family. Other fields are normalised values (ISO 3166-1 alpha-2 codes or
``"WW"``/``"EU"``, numbers, booleans).

>>> from onionwatch.sandbox import build_world
>>> recs = list(truth_records(build_world(1, vendors=3, listings=5)))
>>> [r["type"] for r in recs][:2], [r["type"] for r in recs][-1]
(['market', 'vendor'], 'negatives')
"""
from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from . import vocab
from .families import category_path
from .families.base import is_injected
from .model import Listing, Market, Vendor, World

__all__ = ["truth_records", "write_truth", "market_record", "vendor_record", "listing_record",
           "actor_records"]


def market_record(market: Market) -> dict[str, Any]:
    return {
        "type": "market", "market": market.name, "family": market.family,
        "language": market.language, "currency": market.currency,
        "listings": len(market.live()), "vendors": len(market.vendors),
        "categories": [c.name for c in market.categories],
        "category_paths": [category_path(market, c.slug) for c in market.categories],
        "btc_usd": market.btc_usd, "xmr_usd": market.xmr_usd, "eur_usd": market.eur_usd,
        "page_size": market.page_size, "escrow_btc": market.escrow_btc,
        "escrow_xmr": market.escrow_xmr, "down_days": list(market.down_days),
        "day": market.clock.day, "clock": market.clock.now,
    }


def vendor_record(market: Market, vendor: Vendor) -> dict[str, Any]:
    return {
        "type": "vendor", "market": market.name, "handle": vendor.handle,
        "url_path": vendor.url_path, "actor_id": vendor.actor_id,
        "handle_kind": vendor.handle_kind, "lookalike_of": vendor.lookalike_of,
        "pgp_fingerprint": vendor.pgp.fingerprint if vendor.pgp else None,
        "pgp_uid": vendor.pgp.uid if vendor.pgp else None,
        "pgp_key": vendor.pgp.armored if vendor.pgp else None,
        "btc": list(vendor.btc), "xmr": list(vendor.xmr),
        "contacts": [{"kind": c.kind, "value": c.value} for c in vendor.contacts],
        "profile": vendor.profile, "profile_paragraphs": list(vendor.profile_paragraphs),
        "signoff": vendor.signoff, "photos": list(vendor.photos),
        "member_since": vendor.since, "sales": vendor.sales, "rating": vendor.rating,
        "home": vendor.home, "labelled": vendor.labelled,
        "listings": [market.listing_id(i) for i in market.vendor_indices(vendor.handle)],
    }


def listing_record(market: Market, listing: Listing) -> dict[str, Any]:
    return {
        "type": "listing", "market": market.name, "listing_id": listing.listing_id,
        "url_path": listing.url_path, "title": listing.title, "vendor": listing.vendor,
        "category": listing.category.name, "category_slug": listing.category.slug,
        "drug": listing.drug, "drug_class": listing.drug_class, "form": listing.form,
        "product": listing.product,
        "quantity": listing.quantity.to_dict(),
        "strength": listing.strength.to_dict() if listing.strength else None,
        "currency": listing.currency, "price": listing.price,
        "price_usd": listing.price_usd, "price_text": listing.price_text,
        "price_btc": listing.price_btc, "price_btc_text": listing.price_btc_text,
        "price_xmr": listing.price_xmr, "price_xmr_text": listing.price_xmr_text,
        "tiers": [{"quantity": t.quantity.to_dict(), "price": t.price, "text": t.text}
                  for t in listing.tiers],
        "ships_from": listing.ships_from, "ships_from_text": listing.ships_from_text,
        "ships_to": list(listing.ships_to), "ships_to_text": listing.ships_to_text,
        "escrow": listing.escrow, "finalize_early": listing.finalize_early,
        "escrow_text": listing.escrow_text, "finalize_early_text": listing.finalize_early_text,
        "photos": [{"source": p.source, "transform": p.transform, "stock": p.stock}
                   for p in listing.photos],
        "stock": listing.stock, "feedback": listing.feedback, "day": listing.day,
        "injected": is_injected(market, listing.index),
        "labelled": listing.labelled,
        "description": listing.description, "description_paragraphs": list(listing.paragraphs),
    }


def actor_records(world: World) -> Iterator[dict[str, Any]]:
    """One record per actor: its accounts and the identifiers shared by two or more of them."""
    accounts: dict[str, list[Vendor]] = defaultdict(list)
    markets: dict[str, list[str]] = defaultdict(list)
    for market in world.markets:
        for vendor in market.vendors:
            accounts[vendor.actor_id].append(vendor)
            markets[vendor.actor_id].append(market.name)
    for actor_id in sorted(accounts):
        vendors = accounts[actor_id]
        seen: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for v in vendors:
            values = {"pgp_fingerprint": {v.pgp.fingerprint} if v.pgp else set(),
                      "btc": set(v.btc), "xmr": set(v.xmr),
                      "contacts": {f"{c.kind}:{c.value}" for c in v.contacts},
                      "photos": set(v.photos), "signoff": {v.signoff} if v.signoff else set()}
            for kind, found in values.items():
                for value in found:
                    seen[kind][value] += 1
        shared = {kind: sorted(v for v, n in counts.items() if n > 1)
                  for kind, counts in seen.items()}
        yield {"type": "actor", "actor_id": actor_id,
               "accounts": [{"market": m, "handle": v.handle, "handle_kind": v.handle_kind}
                            for m, v in zip(markets[actor_id], vendors)],
               "shared": {k: v for k, v in shared.items() if v}}


def negatives_record(world: World) -> dict[str, Any]:
    lookalikes = [{"market": m.name, "handle": v.handle, "actor_id": v.actor_id,
                   "imitates_actor": v.lookalike_of}
                  for m in world.markets for v in m.vendors if v.lookalike_of]
    return {"type": "negatives", "lookalike_handles": lookalikes,
            "market_addresses": [{"market": m.name, "btc": m.escrow_btc, "xmr": m.escrow_xmr}
                                 for m in world.markets],
            "stock_photos": [f"stock/{k}" for k in range(vocab.STOCK_PHOTOS)],
            "stock_phrases": list(vocab.QUALITY_LINES + vocab.STEALTH_LINES + vocab.POLICY_LINES
                                  + vocab.PROFILE_LINES)}


def truth_records(world: World) -> Iterator[dict[str, Any]]:
    """Yield every truth record of ``world`` at its clock's current day; listings are made one
    at a time (streamable)."""
    for market in world.markets:
        yield market_record(market)
        for vendor in market.vendors:
            yield vendor_record(market, vendor)
        for index in market.live():
            yield listing_record(market, market.listing_at(index))
    yield from actor_records(world)
    yield negatives_record(world)


def write_truth(world: World, path: str | os.PathLike[str]) -> int:
    """Write ``world``'s ground truth to ``path`` as JSON Lines; return the number of records."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for record in truth_records(world):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
