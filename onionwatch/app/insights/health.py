"""Crawl health: per crawl, what was fetched and what failed; per market, what extraction found.

>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "m-20260101T000000Z-aa.jsonl").write_text(
...     json.dumps({"kind": "listing"}) + "\\n" + json.dumps({"kind": "parse_error"}) + "\\n")
>>> crawl_record_counts([folder / "m-20260101T000000Z-aa.jsonl"])[["crawl", "listing_pages", "parse_errors"]].values.tolist()
[['m-20260101T000000Z-aa', 1, 1]]
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd

from onionwatch.core.jsonl import BadLine, read_jsonl

__all__ = ["crawl_record_counts", "crawl_health", "extraction_coverage", "markup_listings"]

_COUNTS = ["market", "crawl", "listing_pages", "vendor_pages", "parse_errors", "unreadable_lines"]


def crawl_record_counts(paths: Iterable[Path]) -> pd.DataFrame:
    """Count the records of crawl files (``<market>-<crawl id>.jsonl``) by kind."""
    rows = []
    for path in paths:
        counts = {"listing": 0, "vendor": 0, "parse_error": 0, "bad": 0}
        market = None
        bad: list[BadLine] = []
        for record in read_jsonl(path, on_error=bad):
            kind = record.get("kind")
            counts[kind if kind in counts else "bad"] += 1
            market = market or record.get("market")
        counts["bad"] += len(bad)
        rows.append({"market": market, "crawl": Path(path).stem, "listing_pages": counts["listing"],
                     "vendor_pages": counts["vendor"], "parse_errors": counts["parse_error"],
                     "unreadable_lines": counts["bad"]})
    return pd.DataFrame(rows, columns=_COUNTS)


def extraction_coverage(data) -> pd.DataFrame:
    """Per market, the share of listings where extraction found a drug, a price, an origin."""
    listings = data.listings()
    rows = []
    for market, group in listings.groupby("market"):
        n = len(group)
        rows.append({
            "market": market, "listings": n,
            "drug_found": round(group["drugs"].map(bool).mean(), 3),
            "price_found": round(group["price_usd"].notna().mean(), 3),
            "origin_found": round(group["ships_from"].notna().mean(), 3),
            "unit_price_found": round(group["unit_price_usd"].notna().mean(), 3),
        })
    return pd.DataFrame(rows, columns=["market", "listings", "drug_found", "price_found",
                                       "origin_found", "unit_price_found"])


def crawl_health(data) -> pd.DataFrame:
    """One row a crawl: when it ran, pages it turned into records, parse errors, and how many of
    its listings are in the index."""
    counts = crawl_record_counts(data.crawl_files())
    observations = data.observations()
    seen = observations.groupby("crawl").agg(started=("observed_at", "min"),
                                             indexed=("listing_id", "nunique"))
    table = counts.merge(seen, left_on="crawl", right_index=True, how="left")
    table["indexed"] = table["indexed"].fillna(0).astype(int)
    return table[["market", "crawl", "started", "listing_pages", "vendor_pages", "parse_errors",
                  "unreadable_lines", "indexed"]].sort_values(["market", "crawl"], ignore_index=True)


_MARKUP = r"<\s*/?\s*[a-zA-Z][^>]*>|javascript:|on[a-z]+\s*="


def markup_listings(data) -> pd.DataFrame:
    """Listings whose title or description carries HTML markup or script: hostile content an
    analyst should know about (shown escaped, never run)."""
    listings = data.listings()
    text = listings["title"].fillna("") + "\n" + listings["description"].fillna("")
    hits = listings[text.str.contains(_MARKUP, regex=True)]
    return hits[["market", "listing_id", "vendor", "title", "description"]].reset_index(drop=True)
