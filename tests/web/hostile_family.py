"""A hostile vendor family for the desk's browser test: one actor with an account on each of two
markets, whose handles and titles carry script tags, event attributes and a right-to-left override.

The pages are written as a crawl writes them (WARC evidence through the project's own writer, and a
records file pointing at it), then indexed and linked by the real commands. Every payload sets
``window.__pwned`` if it ever runs. The markup is the project's own; no market data.
"""
from __future__ import annotations

import html
import json
from dataclasses import replace
from pathlib import Path

from onionwatch.core.models import Listing, VendorAccount
from onionwatch.evidence import EvidenceWriter

MARKETS = ("hostile-one", "hostile-two")
CRAWL = "20260102T000000Z-hostile"
HANDLES = {
    "hostile-one": "<script>window.__pwned=1</script>Dr\u202eWhite",
    "hostile-two": '<img src=x onerror="window.__pwned=2">Dr\u202eWhite',
}
TITLES = {
    "hostile-one": 'Fentanyl 10 pills <script>window.__pwned=3</script><b onmouseover="window.__pwned=4">hot</b>',
    "hostile-two": "Fentanyl 1g \u202egnp.exe <svg onload=window.__pwned=5>",
}
#: What links the two accounts: a published BIP173 test-vector address and two contacts.
BTC = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
CONTACTS = ["Wickr: hostile_white", "Telegram: @hostile_white"]


def _listing_page(market: str) -> bytes:
    # The market's own page: the payloads are live markup here, as a hostile market would serve them.
    return (f"<html><head><title>{TITLES[market]}</title></head><body><h1>{TITLES[market]}</h1>"
            f"<p>Vendor: {HANDLES[market]}</p><p>Price: $95</p><p>Ships from: Netherlands</p>"
            f"<p>Ships to: United States</p><p>Fentanyl, escrow accepted. <script>window.__pwned=6</script></p>"
            "</body></html>").encode("utf-8")


def _vendor_page(market: str) -> bytes:
    return (f"<html><body><h1>{HANDLES[market]}</h1><p>BTC: {BTC}</p>"
            + "".join(f"<p>{html.escape(c)}</p>" for c in CONTACTS)
            + '<p>Trusted <img src=x onerror="window.__pwned=7"></p></body></html>').encode("utf-8")


def write_family(data_dir: Path) -> list[Path]:
    """Write both markets' pages and records into ``data_dir``; return the records files."""
    files = []
    for market in MARKETS:
        name = f"{market}-{CRAWL}-00000.warc.gz"
        records = []
        with EvidenceWriter(data_dir / "warc" / name, info={"onionwatch-market": market,
                                                             "onionwatch-crawl-id": CRAWL}) as writer:
            vendor_url = f"http://{market}.onion/vendor/1"
            vendor_ev = writer.write_response(vendor_url, 200, [("Content-Type", "text/html; charset=utf-8")],
                                              _vendor_page(market), fetched_at="2026-01-02T00:00:00Z")
            url = f"http://{market}.onion/listing/1"
            listing_ev = writer.write_response(url, 200, [("Content-Type", "text/html; charset=utf-8")],
                                               _listing_page(market), fetched_at="2026-01-02T00:01:00Z")
        relative = {"warc_file": f"warc/{name}"}  # pointers relative to the data directory, as crawls write them
        records.append(VendorAccount(market=market, handle=HANDLES[market], url=vendor_url, btc_addresses=[BTC],
                                     contacts=list(CONTACTS), profile_text=f"Trusted {HANDLES[market]}",
                                     evidence=replace(vendor_ev, **relative)).to_dict())
        records.append(Listing(market=market, listing_id="1", url=url, title=TITLES[market], vendor=HANDLES[market],
                               description="Fentanyl, escrow accepted. <script>window.__pwned=6</script>",
                               evidence=replace(listing_ev, **relative)).to_dict())
        path = data_dir / "items" / f"{market}-{CRAWL}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        files.append(path)
    return files
