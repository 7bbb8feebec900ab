"""Index crawled records: read them, run extraction on each page's archived HTML, write the store.

Extraction reads the page as the WARC archive holds it (the source of truth), so an index rebuilt
from the archive holds the same facts as the one written right after the crawl.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .evidence import DigestMismatch, read_response
from .models import Listing, Observation, VendorAccount, record_from_dict

__all__ = ["IndexReport", "read_records", "index_records", "index_paths"]

log = logging.getLogger(__name__)


@dataclass
class IndexReport:
    listings: int = 0
    vendors: int = 0
    observations: int = 0
    parse_errors: int = 0
    extraction_errors: int = 0
    evidence_errors: int = 0
    bad_lines: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def read_records(paths: Iterable[Path], report: IndexReport) -> Iterator[Any]:
    """Records from crawl JSON Lines files; a broken line is counted and reported, not fatal."""
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    if data.get("kind") == "parse_error":
                        report.parse_errors += 1
                        report.problems.append(f"{path}:{number}: parse error on {data.get('url')}")
                        continue
                    yield record_from_dict(data)
                except (ValueError, TypeError) as exc:
                    report.bad_lines += 1
                    report.problems.append(f"{path}:{number}: unreadable record ({exc})")


def _page_html(listing: Listing, report: IndexReport) -> str | None:
    if listing.evidence is None:
        return None
    try:
        stored = read_response(listing.evidence)
    except (OSError, LookupError, DigestMismatch) as exc:
        report.evidence_errors += 1
        report.problems.append(f"{listing.market}/{listing.listing_id}: evidence unreadable ({exc})")
        return None
    return stored.body.decode("utf-8", errors="replace")


def index_records(records: Iterable[Any], store, nlp, *, batch_size: int = 64,
                  report: IndexReport | None = None,
                  progress: Callable[[IndexReport], None] | None = None) -> IndexReport:
    """Extract facts for every listing and write listings, vendors and observations to ``store``."""
    from extract import extract_many  # extraction is this step's library; imported when used

    report = report or IndexReport()
    started = time.monotonic()
    batch: list[Listing] = []

    def flush() -> None:
        inputs = []
        for listing in batch:
            page = {"id": f"{listing.market}/{listing.listing_id}", "source": listing.url, "title": listing.title}
            html = _page_html(listing, report)
            page.update({"html": html} if html else {"description": listing.description})
            inputs.append(page)
        for listing, facts in zip(batch, extract_many(nlp, inputs)):
            if "error" in facts:
                report.extraction_errors += 1
                report.problems.append(f"{facts['id']}: extraction failed: {facts['error']}")
            listing.extracted = facts
        report.listings += store.add_listings(batch)
        report.observations += store.add_observations(_observation(l) for l in batch)
        batch.clear()
        if progress:
            progress(report)

    for record in records:
        if isinstance(record, Listing):
            batch.append(record)
            if len(batch) >= batch_size:
                flush()
        elif isinstance(record, VendorAccount):
            report.vendors += store.add_vendors([record])
    if batch:
        flush()
    report.seconds = time.monotonic() - started
    return report


def _observation(listing: Listing) -> Observation:
    price = (listing.extracted or {}).get("price") or {}
    observed_at = listing.evidence.fetched_at if listing.evidence else ""
    return Observation(market=listing.market, listing_id=listing.listing_id, observed_at=observed_at,
                       price_usd=price.get("usd"), evidence=listing.evidence)


def index_paths(paths: Iterable[Path], store, nlp, *, quiet: bool = False) -> IndexReport:
    """Index crawl record files, printing progress to stderr unless ``quiet``."""
    report = IndexReport()

    def progress(r: IndexReport) -> None:
        if not quiet:
            print(f"  indexed {r.listings} listings, {r.vendors} vendors", file=sys.stderr, flush=True)

    return index_records(read_records(paths, report), store, nlp, report=report, progress=progress)
