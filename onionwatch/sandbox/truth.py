"""Ground truth as JSON Lines, written from the generator's own state (never from its HTML).

One object a line, in this order: the market record, its vendors, its listings (by index).
Every ``*_text`` field is exactly the text a CSS selector gives for that field after
whitespace-stripping; the other fields are normalised values (ISO 3166-1 alpha-2 codes or
``"WW"``/``"EU"``, numbers, booleans). See ``vendor_record`` and ``listing_record`` for the fields.

>>> from onionwatch.sandbox import build_world
>>> recs = list(truth_records(build_world(1, vendors=3, listings=5)))
>>> [r["type"] for r in recs][:2], len(recs)
(['market', 'vendor'], 9)
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from .model import Listing, Market, Vendor, World

__all__ = ["truth_records", "write_truth", "market_record", "vendor_record", "listing_record"]


def market_record(market: Market) -> dict[str, Any]:
    return {
        "type": "market", "market": market.name, "family": market.family,
        "listings": len(market.listings), "vendors": len(market.vendors),
        "categories": [c.name for c in market.categories],
        "category_paths": [c.url_path for c in market.categories],
        "btc_usd": market.btc_usd, "xmr_usd": market.xmr_usd, "page_size": market.page_size,
    }


def vendor_record(market: Market, vendor: Vendor) -> dict[str, Any]:
    return {
        "type": "vendor", "market": market.name, "handle": vendor.handle,
        "url_path": vendor.url_path, "actor_id": vendor.actor_id,
        "pgp_fingerprint": vendor.pgp.fingerprint if vendor.pgp else None,
        "pgp_uid": vendor.pgp.uid if vendor.pgp else None,
        "pgp_key": vendor.pgp.armored if vendor.pgp else None,
        "btc": list(vendor.btc), "xmr": list(vendor.xmr),
        "contacts": [{"kind": c.kind, "value": c.value} for c in vendor.contacts],
        "profile": vendor.profile, "member_since": vendor.since, "sales": vendor.sales,
        "rating": vendor.rating,
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
        "price_usd": listing.price_usd, "price_text": listing.price_text,
        "price_btc": listing.price_btc, "price_btc_text": listing.price_btc_text,
        "price_xmr": listing.price_xmr, "price_xmr_text": listing.price_xmr_text,
        "ships_from": listing.ships_from, "ships_from_text": listing.ships_from_text,
        "ships_to": list(listing.ships_to), "ships_to_text": listing.ships_to_text,
        "escrow": listing.escrow, "finalize_early": listing.finalize_early,
        "description": listing.description, "description_paragraphs": list(listing.paragraphs),
    }


def truth_records(world: World) -> Iterator[dict[str, Any]]:
    """Yield every truth record of ``world``; listings are made one at a time (streamable)."""
    for market in world.markets:
        yield market_record(market)
        for vendor in market.vendors:
            yield vendor_record(market, vendor)
        for listing in market.listings:
            yield listing_record(market, listing)


def write_truth(world: World, path: str | os.PathLike[str]) -> int:
    """Write ``world``'s ground truth to ``path`` as JSON Lines; return the number of records."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for record in truth_records(world):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
