"""A small case folder made by the project's own writer: generated listing pages kept as WARC
evidence, the crawl's records file pointing at them, as a crawl writes them. No market data.

``legacy=True`` writes the evidence pointers as crawls did before pointers were portable:
``onionwatch-data/warc/<file>``, relative to the folder the crawl ran in.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from onionwatch.core.models import Listing, VendorAccount
from onionwatch.evidence import EvidenceWriter

MARKET, CRAWL = "testmarket", "20260101T000000Z-case01"
COUNTRIES = ["Germany", "Netherlands", "France", "Spain", "Poland", "Belgium"]
DESTINATIONS = ["Worldwide", "Germany", "Europe", "Germany, Austria", "United States", "Germany"]


def page(i: int, *, title: str | None = None, vendor: str | None = None) -> tuple[str, str, bytes]:
    """(title, vendor, HTML) of a generated listing page."""
    title = title or f"Test powder sample {i} - {i + 1}g"
    vendor = vendor or f"vendor_{i % 3}"
    html = (f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f"<p>Vendor: {vendor}</p><p>Price: ${40 + 5 * i}</p>"
            f"<p>Ships from: {COUNTRIES[i % len(COUNTRIES)]}</p><p>Ships to: {DESTINATIONS[i % len(DESTINATIONS)]}</p>"
            f"<p>{i + 1}g of test powder, escrow accepted.</p></body></html>")
    return title, vendor, html.encode("utf-8")


def make_case(root: Path, *, listings: int = 12, legacy: bool = False, titles: dict[int, str] | None = None,
              vendors: dict[int, str] | None = None) -> Path:
    """Write a case folder ``root/onionwatch-data`` and return it."""
    data = root / "onionwatch-data"
    warc = data / "warc" / f"{MARKET}-{CRAWL}-00000.warc.gz"
    records = []
    with EvidenceWriter(warc, info={"onionwatch-market": MARKET, "onionwatch-crawl-id": CRAWL}) as writer:
        for i in range(listings):
            title, vendor, html = page(i, title=(titles or {}).get(i), vendor=(vendors or {}).get(i))
            url = f"http://{MARKET}.onion/listing/{i}"
            evidence = writer.write_response(url, 200, [("Content-Type", "text/html; charset=utf-8")], html,
                                             fetched_at=f"2026-01-01T00:{i:02d}:00Z")
            writer.write_request(url, "GET", [], concurrent_to=evidence.record_id)
            writer.write_metadata(url, {"onionwatch-crawl-id": CRAWL, "onionwatch-market": MARKET},
                                  concurrent_to=evidence.record_id)
            if legacy:
                evidence = replace(evidence, warc_file=f"onionwatch-data/warc/{warc.name}")
            records.append(Listing(market=MARKET, listing_id=str(i), url=url, title=title, vendor=vendor,
                                   description=f"{i + 1}g of test powder", evidence=evidence).to_dict())
            if i < 3:
                records.append(VendorAccount(market=MARKET, handle=vendor, url=f"http://{MARKET}.onion/v/{vendor}",
                                             profile_text=f"Vendor {vendor}", evidence=evidence).to_dict())
    items = data / "items" / f"{MARKET}-{CRAWL}.jsonl"
    items.parent.mkdir(parents=True, exist_ok=True)
    items.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return data


def onionwatch(*args: str, cwd: Path | None = None, timeout: float = 300, stdin=None) -> subprocess.CompletedProcess:
    """Run the real command in a new process (no ONIONWATCH_DATA_DIR or Elasticsearch from outside)."""
    env = {k: v for k, v in os.environ.items() if k not in ("ONIONWATCH_DATA_DIR", "ONIONWATCH_ES_URL")}
    return subprocess.run([sys.executable, "-m", "onionwatch.app.cli", *args], capture_output=True, cwd=cwd,
                          timeout=timeout, env=env, stdin=stdin)
