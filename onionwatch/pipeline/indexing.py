"""Index crawled records: read them, run extraction on each page's archived HTML, write the store.

Extraction reads the page as the WARC archive holds it (the source of truth), so an index rebuilt
from the archive holds the same facts as the one written right after the crawl; only the listing's
own area when the profile gave a ``content`` selector. The profile's own fields, read by the same
parsers, win over extraction's readings (:mod:`onionwatch.pipeline.facts`).

Page chrome (menus, featured and related boxes, notices) is not the listing's: before extraction,
each market's chrome is learned from its first :data:`CHROME_SAMPLE` archived pages
(:func:`extract.chrome.learn_chrome`: blocks repeated on pages of many different vendors) and
stripped from every page of that market, its profile fields always kept. The records of a market
wait, in memory, until its sample is read; records without an archived page go straight through.
The same records in the same order give the same chrome, so a rebuild agrees with the crawl.
"""
from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from onionwatch.core.jsonl import BadLine, numbered_jsonl
from onionwatch.core.models import Listing, Observation, VendorAccount, record_from_dict
from onionwatch.evidence import DigestMismatch, portable_pointer, read_response
from onionwatch.pipeline.facts import merge, parse_profile_fields

__all__ = ["IndexReport", "CHROME_SAMPLE", "read_records", "index_records", "index_paths", "observe_gone"]

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
    unreadable_files: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    #: Market -> what its chrome model learned (or why it learned nothing).
    chrome: dict[str, str] = field(default_factory=dict)
    #: Chrome blocks removed before extraction, and on how many pages.
    chrome_blocks_removed: int = 0
    chrome_pages: int = 0

    @property
    def failed(self) -> int:
        """Inputs that could not be indexed as they are: bad lines, unreadable files and evidence,
        failed extractions (parse errors are the crawl's own record of a page, indexed as such)."""
        return self.bad_lines + self.unreadable_files + self.evidence_errors + self.extraction_errors


#: Pages a market's chrome is learned from (the first ones of the market in the records).
CHROME_SAMPLE = 2000



def read_records(paths: Iterable[Path], report: IndexReport) -> Iterator[Any]:
    """Records from crawl JSON Lines files; a broken line is counted and reported, not fatal."""
    def bad_line(bad: BadLine) -> None:
        report.bad_lines += 1
        report.problems.append(str(bad))

    for path in paths:
        yield from _records_of(path, report, bad_line)


def _records_of(path: Path, report: IndexReport, bad_line: Callable[[BadLine], None]) -> Iterator[Any]:
    """The records of one file; a file that cannot be read (missing, a named pipe) is one problem."""
    try:
        for number, data in numbered_jsonl(path, on_error=bad_line):
            if data.get("kind") == "parse_error":
                report.parse_errors += 1
                report.problems.append(f"{path}:{number}: parse error on {data.get('url')}")
                continue
            try:
                record = record_from_dict(data)
            except (ValueError, TypeError) as exc:
                bad_line(BadLine(str(path), number, str(exc)))
                continue
            yield record
    except OSError as exc:
        report.unreadable_files += 1
        report.problems.append(f"{path}: cannot be read ({exc})")


def _page_html(record: Listing | VendorAccount, report: IndexReport, data_dir: Path | None = None) -> str | None:
    if record.evidence is None:
        return None
    try:
        stored = read_response(record.evidence, data_dir=data_dir)
    except (OSError, LookupError, DigestMismatch) as exc:
        report.evidence_errors += 1
        report.problems.append(f"{record.evidence.url}: evidence unreadable ({exc})")
        return None
    from extract.crawl_records import content_area  # the profile's content area, when it gave one

    return content_area(stored.text, record.fields.get("content"), url=record.url)


def _portable_evidence(record: Listing | VendorAccount, data_dir: Path | None) -> None:
    """Migrate an older evidence pointer (relative to where the crawl ran, or absolute) to today's
    form, relative to the data directory, so the store written now travels with its case folder."""
    if record.evidence is not None:
        pointer = portable_pointer(record.evidence.warc_file, data_dir)
        if pointer != record.evidence.warc_file:
            record.evidence = replace(record.evidence, warc_file=pointer)


def _field_texts(record: Listing | VendorAccount) -> list[str]:
    """The texts the profile read for a record: what chrome stripping must never remove."""
    texts = [record.title, record.vendor] if isinstance(record, Listing) else [record.handle]
    for value in (record.fields or {}).values():
        texts += [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
    return [t for t in texts if t]


def _extraction_input(record: Listing | VendorAccount, report: IndexReport, chrome=None,
                      data_dir: Path | None = None) -> dict[str, Any]:
    """What extraction reads for a record: its archived page (without the market's ``chrome``),
    else the text its selectors read."""
    if isinstance(record, Listing):
        page = {"id": f"{record.market}/{record.listing_id}", "source": record.url, "title": record.title}
        fallback = {"description": record.description}
    else:
        page = {"id": f"{record.market}/vendor/{record.handle}", "source": record.url, "title": record.handle}
        fallback = {"description": "\n".join(filter(None, [record.profile_text, record.pgp_key or "",
                                                            *record.btc_addresses, *record.xmr_addresses,
                                                            *record.contacts]))}
    html = _page_html(record, report, data_dir)
    if html and chrome is not None and chrome.learned:
        from extract.chrome import strip_chrome

        stripped = strip_chrome(html, chrome, keep=_field_texts(record))
        html = stripped.html
        report.chrome_blocks_removed += len(stripped.removed)
        report.chrome_pages += bool(stripped.removed)
    page.update({"html": html} if html else fallback)
    return page


def _page_vendor(record: Listing | VendorAccount) -> str | None:
    return record.vendor if isinstance(record, Listing) else record.handle


def index_records(records: Iterable[Any], store, nlp, *, batch_size: int = 64,
                  report: IndexReport | None = None,
                  progress: Callable[[IndexReport], None] | None = None,
                  chrome_sample: int = CHROME_SAMPLE, data_dir: str | Path | None = None) -> IndexReport:
    """Extract facts for every listing and vendor page, and write listings, vendor accounts and
    observations to ``store``. Records are handled ``batch_size`` at a time, through ``nlp.pipe``.
    Evidence pointers are resolved against ``data_dir`` (default: the configured data directory).

    Each market's page chrome is learned from its first ``chrome_sample`` archived pages and
    removed before extraction (0: no chrome learning)."""
    from extract import extract_many  # extraction is this step's library; imported when used
    from extract.chrome import learn_chrome

    report = report or IndexReport()
    started = time.monotonic()
    batch: list[tuple[Listing | VendorAccount, Any]] = []
    models: dict[str, Any] = {}  # market -> its chrome model, once learned
    waiting: dict[str, list[Listing | VendorAccount]] = {}  # market -> records before that

    def flush() -> None:
        inputs = [_extraction_input(record, report, chrome, data_dir) for record, chrome in batch]
        records = [record for record, _ in batch]
        for record, facts in zip(records, extract_many(nlp, inputs, batch_size=batch_size)):
            if "error" in facts:
                report.extraction_errors += 1
                report.problems.append(f"{facts['id']}: extraction failed: {facts['error']}")
            record.extracted = merge(facts, parse_profile_fields(record.fields))  # profile fields win
        listings = [r for r in records if isinstance(r, Listing)]
        vendors = [r for r in records if isinstance(r, VendorAccount)]
        report.listings += store.add_listings(listings)
        report.observations += store.add_observations(_observation(l) for l in listings)
        report.vendors += store.add_vendors(vendors)
        batch.clear()
        if progress:
            progress(report)

    def add(record, chrome) -> None:
        batch.append((record, chrome))
        if len(batch) >= batch_size:
            flush()

    def learn(market: str) -> None:
        held = waiting.pop(market)
        pages = ((html, _page_vendor(r)) for r in held if (html := _page_html(r, IndexReport(), data_dir)))
        model = models[market] = learn_chrome(pages)
        report.chrome[market] = model.note
        log.info("chrome of %s: %s", market, model.note)
        for record in held:
            add(record, model)

    for record in records:
        if not isinstance(record, (Listing, VendorAccount)):
            continue
        _portable_evidence(record, data_dir)
        market = record.market
        if record.evidence is None or chrome_sample <= 0 or market in models:
            add(record, models.get(market))
            continue
        waiting.setdefault(market, []).append(record)
        if len(waiting[market]) >= chrome_sample:
            learn(market)
    for market in list(waiting):
        learn(market)
    if batch:
        flush()
    report.seconds = time.monotonic() - started
    return report


def _observation(listing: Listing) -> Observation:
    """The listing's state at this crawl: extracted price, and stock, feedback count and
    availability read by the profile's selectors (see :func:`crawlers.changes.listing_state`)."""
    from crawlers.changes import listing_state  # the crawl's own reading of its fields

    price = (listing.extracted or {}).get("price") or {}
    state = listing_state({"fields": listing.fields})
    observed_at = listing.evidence.fetched_at if listing.evidence else ""
    return Observation(market=listing.market, listing_id=listing.listing_id, observed_at=observed_at,
                       price_usd=price.get("usd"), stock=state["stock"],
                       feedback_count=state["feedback_count"], available=state["available"],
                       evidence=listing.evidence)


def observe_gone(store, market: str, listing_ids: Iterable[str], observed_at: str) -> int:
    """Record that listings seen by an earlier crawl were not found by this one (``available``
    False, no price): the end of their price history. Returns how many were written."""
    return store.add_observations(Observation(market=market, listing_id=lid, observed_at=observed_at,
                                              available=False) for lid in listing_ids)


def index_paths(paths: Iterable[Path], store, nlp, *, quiet: bool = False,
                data_dir: str | Path | None = None) -> IndexReport:
    """Index crawl record files, printing progress to stderr unless ``quiet``; evidence is read
    from ``data_dir`` (default: the configured data directory)."""
    report = IndexReport()

    last = [0.0]

    def progress(r: IndexReport) -> None:
        if not quiet and time.monotonic() - last[0] >= 2.0:
            last[0] = time.monotonic()
            print(f"  indexed {r.listings} listings, {r.vendors} vendors", file=sys.stderr, flush=True)

    report = index_records(read_records(paths, report), store, nlp, report=report, progress=progress,
                           data_dir=data_dir)
    if not quiet:
        for market, note in report.chrome.items():
            print(f"  chrome of {market}: {note}", file=sys.stderr, flush=True)
    return report
