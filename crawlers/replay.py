"""Records from the WARC archive alone: re-read a crawl's responses, re-apply the profile's rules.

The archive is the source of truth: :func:`replay_records` turns the response records of a
crawl's WARC files back into the :class:`~onionwatch.core.models.Listing` and
:class:`~onionwatch.core.models.VendorAccount` records the spider made from them, with the same
evidence pointers, so every index can be rebuilt without the crawl's records files (and a profile
fixed later can be re-applied to pages fetched earlier).

It keeps to what the spider saw: ``2xx`` HTML responses that were not a defence page (login
form, queue, maintenance), in the order they were archived; a record already produced (same kind
and key, as the records pipeline dedupes) is not produced again. A listing's photos (the profile's
``photos`` selector) point to the first ``2xx`` response for each photo's URL archived after the
listing page, as the spider fetched them right after it; a photo not archived has no evidence.
A later page that adds to a record already produced (another rule of its kind: a vendor's PGP
tab) gives the merged record, as the records pipeline writes it.

>>> import tempfile, pathlib
>>> from onionwatch.evidence import EvidenceWriter
>>> from crawlers.profile import parse_profile
>>> profile = parse_profile({"name": "m", "base_url": "http://127.0.0.1:8800", "pages": {"listing": {
...     "url": "^/item/(?P<listing_id>\\\\d+)$", "fields": {"title": "h1"}}}})
>>> path = pathlib.Path(tempfile.mkdtemp()) / "c.warc.gz"
>>> with EvidenceWriter(path) as w:
...     ev = w.write_response("http://127.0.0.1:8800/item/7", 200, [("Content-Type", "text/html")], b"<h1>Pills</h1>",
...                           fetched_at="2026-01-01T00:00:00Z")
>>> [(r.listing_id, r.title, r.evidence == ev) for r in replay_records([path], profile)]
[('7', 'Pills', True)]
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from scrapy.http import Request, TextResponse
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator

from crawlers import defences
from crawlers.pages import match_page, merge_records, page_path, read_page
from crawlers.photos import photo_entry, photo_urls
from crawlers.pipelines.jsonl import record_dict, record_key
from crawlers.profile import MarketProfile
from onionwatch.core.layout import evidence_pointer, warc_glob
from onionwatch.core.models import Evidence, record_from_dict
from onionwatch.evidence import decode_content

__all__ = ["replay_records", "archived_responses", "crawl_warcs"]


def crawl_warcs(warc_dir: Path, market: str, crawl_id: str) -> list[Path]:
    """A crawl's WARC files, in the order they were written."""
    return sorted(Path(warc_dir).glob(warc_glob(market, crawl_id)))


def archived_responses(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Any, Evidence]]:
    """``(scrapy response, evidence)`` for every response record of the WARC files, in order.

    A file cut off by a crash yields its records up to the last complete one.
    """
    for path in paths:
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh)
            try:
                for record in iterator:
                    if record.rec_type != "response":
                        continue
                    headers = record.rec_headers
                    payload = record.raw_stream.read()
                    offset = iterator.get_record_offset()
                    http = list(record.http_headers.headers) if record.http_headers else []
                    status = int(record.http_headers.get_statuscode()) if record.http_headers else 0
                    url = headers.get_header("WARC-Target-URI")
                    body = decode_content(payload, http)
                    cls = responsetypes.from_args(headers={k.encode("latin-1"): v.encode("latin-1")
                                                           for k, v in http}, url=url, body=body)
                    response = cls(url=url, status=status, headers=[(k, v) for k, v in http
                                                                    if k.lower() != "content-encoding"],
                                   body=body, request=Request(url))
                    yield response, Evidence(
                        warc_file=evidence_pointer(path), record_id=headers.get_header("WARC-Record-ID"),
                        digest=headers.get_header("WARC-Payload-Digest"),
                        fetched_at=headers.get_header("WARC-Date"), url=url, offset=offset)
            except (EOFError, OSError, ValueError):  # a file cut off mid-record: stop at its end
                continue


def replay_records(paths: Iterable[str | os.PathLike], profile: MarketProfile, *,
                   photos_per_listing: int | None = None) -> Iterator[Any]:
    """The records the spider made from these WARC files' pages, rebuilt with ``profile``."""
    from crawlers.photos import DEFAULT_PHOTOS_PER_LISTING

    paths = list(paths)
    photos = _archived_photos(paths) if any(rule.photos for rule in profile.rules) else {}
    seen: dict[tuple, dict] = {}  # key -> the record as written so far (for merging later pages)
    for position, (response, evidence) in enumerate(archived_responses(paths)):
        if not (200 <= response.status < 300) or not isinstance(response, TextResponse):
            continue
        if defences.classify(response, profile.session) != defences.OK:
            continue
        found = match_page(profile, response, page_path(response.url))
        if found is None:
            continue
        rule, groups = found
        for record in read_page(profile.name, rule, groups, response, evidence):
            if rule.photos and getattr(record, "kind", "") == "listing":
                record.fields["photos"] = [
                    photo_entry(url, next((ev for at, ev in photos.get(url, ()) if at > position), None))
                    for url in photo_urls(response, rule.photos,
                                          limit=photos_per_listing or DEFAULT_PHOTOS_PER_LISTING)]
            data = json.loads(json.dumps(record_dict(record)))
            key = record_key(data)
            if key not in seen:
                seen[key] = data
                yield record
            elif (merged := merge_records(seen[key], data)) is not None:
                seen[key] = merged
                yield record_from_dict(merged)


def _archived_photos(paths: list) -> dict[str, list[tuple[int, Evidence]]]:
    """``url -> [(position, evidence)]`` of the archive's ``2xx`` non-HTML responses."""
    found: dict[str, list[tuple[int, Evidence]]] = {}
    for position, (response, evidence) in enumerate(archived_responses(paths)):
        if 200 <= response.status < 300 and not isinstance(response, TextResponse):
            found.setdefault(response.url, []).append((position, evidence))
    return found
