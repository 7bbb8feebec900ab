"""Crawl-shaped records straight from the generator, for index and graph benchmarks at scale.

``write_records`` streams every vendor account and live listing of a world to JSON Lines in the
shape the crawler writes (``onionwatch.core.models`` ``VendorAccount.to_dict()`` /
``Listing.to_dict()``: the same keys, ``kind`` last, ``evidence`` null because nothing was
fetched). The sandbox does not import the models (it is the oracle); a test in the project's
suite checks that the models read these records back. A million listings never sit in memory:
each is made, written and dropped.

>>> import io, json
>>> from onionwatch.sandbox import build_world
>>> out = io.StringIO()
>>> listing_records_count = write_listing_lines(build_world(1, vendors=2, listings=3), out)
>>> sorted(json.loads(out.getvalue().splitlines()[0]))[:4]
['category', 'description', 'evidence', 'extracted']
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import IO, Any

from .model import Listing, Market, Vendor, World
from .vocab import CONTACT_KINDS

__all__ = ["write_records", "listing_dict", "vendor_dict", "write_listing_lines",
           "DEFAULT_BASE_URL"]

DEFAULT_BASE_URL = "http://127.0.0.1:8800"


def listing_dict(market: Market, listing: Listing, base_url: str) -> dict[str, Any]:
    fields = dict(listing.labelled)
    fields["description"] = list(listing.paragraphs)
    return {"market": market.name, "listing_id": listing.listing_id,
            "url": base_url + listing.url_path, "title": listing.title, "vendor": listing.vendor,
            "description": listing.description, "category": listing.category.name,
            "fields": fields, "extracted": {}, "evidence": None, "kind": "listing"}


def vendor_dict(market: Market, vendor: Vendor, base_url: str) -> dict[str, Any]:
    contacts = [f"{CONTACT_KINDS[c.kind]}: {c.value}" for c in vendor.contacts]
    fields = dict(vendor.labelled)
    return {"market": market.name, "handle": vendor.handle, "url": base_url + vendor.url_path,
            "pgp_key": vendor.pgp.armored if vendor.pgp else None,
            "btc_addresses": list(vendor.btc), "xmr_addresses": list(vendor.xmr),
            "contacts": contacts, "profile_text": vendor.profile, "fields": fields,
            "extracted": {}, "evidence": None, "kind": "vendor"}


def write_listing_lines(world: World, fh: IO[str], base_url: str = DEFAULT_BASE_URL,
                        progress: Callable[[int], None] | None = None) -> int:
    count = 0
    for market in world.markets:
        for index in market.live():
            fh.write(json.dumps(listing_dict(market, market.listing_at(index), base_url),
                                ensure_ascii=False) + "\n")
            count += 1
            if progress and count % 50_000 == 0:
                progress(count)
    return count


def write_records(world: World, listings_path: str | os.PathLike[str],
                  vendors_path: str | os.PathLike[str], *, base_url: str = DEFAULT_BASE_URL,
                  progress: Callable[[str, int], None] | None = None) -> tuple[int, int]:
    """Write vendor and listing records of ``world``; return ``(listings, vendors)`` written."""
    vendors = 0
    with open(vendors_path, "w", encoding="utf-8", newline="\n") as fh:
        for market in world.markets:
            for vendor in market.vendors:
                fh.write(json.dumps(vendor_dict(market, vendor, base_url), ensure_ascii=False)
                         + "\n")
                vendors += 1
                if progress and vendors % 10_000 == 0:
                    progress("vendors", vendors)
    with open(listings_path, "w", encoding="utf-8", newline="\n") as fh:
        listings = write_listing_lines(world, fh, base_url,
                                       (lambda n: progress("listings", n)) if progress else None)
    return listings, vendors
