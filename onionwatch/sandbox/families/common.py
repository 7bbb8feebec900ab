"""Helpers every family uses: paging, search, feedback, photos and the deposit-address footer.

The families word and lay these out differently; the data behind them is the same.
"""
from __future__ import annotations

import random

from .. import vocab
from ..clock import EPOCH
from ..model import Market, Vendor
from ..photos import jpeg
from .base import Response, esc

__all__ = ["page_number", "search_indices", "feedback_entries", "photo_response",
           "JPEG_TYPE"]

JPEG_TYPE = "image/jpeg"
FEEDBACK_PAGE = 15
_FEEDBACK_EN = ("Great stealth, fast delivery.", "As described, will order again.",
                "Took a while but arrived.", "Weight was spot on.", "A+++ vendor",
                "Good communication, product ok.", "Never arrived, vendor reshipped.")
_FEEDBACK_DE = ("Schneller Versand, top Ware.", "Wie beschrieben, gerne wieder.",
                "Hat gedauert, kam aber an.", "Gewicht passt genau.", "Alles bestens!")


def page_number(raw: str | None, pages: int) -> int | None:
    """A 1-based page number from its query value, or None when absent-invalid or out of range."""
    raw = "1" if raw is None else raw
    if not raw.isdigit() or raw != str(int(raw)):
        return None
    number = int(raw)
    return number if 1 <= number <= pages else None


def pages_of(count: int, size: int) -> int:
    return max(1, -(-count // size))


def search_indices(market: Market, query: str) -> list[int]:
    """Live listings whose product matches ``query`` (any of its names, its drug or its key)."""
    words = query.lower().split()
    if not words:
        return []
    wanted = {i for i, p in enumerate(vocab.PRODUCTS)
              if all(any(w in text.lower() for text in p.names + (p.drug, p.key)) for w in words)}
    return [i for i in market.live() if market.listing_product[i] in wanted]


def feedback_entries(market: Market, vendor: Vendor) -> list[tuple[str, int, str, str]]:
    """``(date, stars, text, item)`` newest first; more of them as the clock runs."""
    rng = random.Random(f"{market.seed}:{market.name}:feedback:{vendor.index}")
    count = min(200, vendor.sales // 3 + 2) + market.clock.day * rng.randint(0, 3)
    texts = _FEEDBACK_DE if market.language == "de" else _FEEDBACK_EN
    mine = market.vendor_indices(vendor.handle) or [0]
    out = []
    for k in range(count):
        r = random.Random(f"{market.seed}:{market.name}:feedback:{vendor.index}:{k}")
        when = EPOCH.timestamp() + market.clock.now - (count - k) * r.uniform(3_000, 90_000)
        from datetime import datetime, timezone
        date = datetime.fromtimestamp(when, timezone.utc).strftime("%Y-%m-%d")
        stars = 5 if r.random() < 0.8 else r.randint(1, 4)
        item = market.listing_id(r.choice(mine))
        out.append((date, stars, r.choice(texts), item))
    return out[::-1]


def photo_response(market: Market, listing_id: str, number: str) -> Response | None:
    """The JPEG of photo ``number`` (1-based) of a live listing, or None."""
    listing = market.listing_by_id(listing_id)
    if listing is None or not number.isdigit() or not 1 <= int(number) <= len(listing.photos):
        return None
    photo = listing.photos[int(number) - 1]
    return Response(200, jpeg(photo.source, photo.transform), JPEG_TYPE)


def deposit_line(market: Market) -> str:
    """The market's own escrow deposit addresses, shown on every page (the same for everyone)."""
    label = "Treuhand-Einzahlungsadresse" if market.language == "de" else "Escrow deposit address"
    return (f'<p class="deposit">{label}: <code>{esc(market.escrow_btc)}</code> (BTC) '
            f'<code>{esc(market.escrow_xmr)}</code> (XMR)</p>')
