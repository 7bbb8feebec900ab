"""Write crawled records (listings, vendor accounts, parse errors) to one JSON Lines file a crawl.

Each line is a record's ``to_dict()`` (:func:`record_dict`: a listing's photos are also given
top-level as ``photos``, the shape the graph's photo signal reads); the file is flushed line by line so a killed crawl keeps
what it had. A record already in the file (same kind and key) is not written again: a resumed
crawl re-fetches the pages that were in flight when it was killed, and a market may show one
listing under two URLs. When the later page adds values the record lacks (a vendor's PGP tab
after its profile tab: a profile may give a kind several rules), the merged record
(:func:`crawlers.pages.merge_records`) is written as a new line: the last line of a key is the
whole record. On opening an existing file, a last line cut off mid-write is removed.

Settings: ``ONIONWATCH_ITEMS_DIR`` (required; off without it), ``ONIONWATCH_CRAWL_ID``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from scrapy.exceptions import NotConfigured

from crawlers.pages import merge_records
from onionwatch.core.layout import records_file_name

__all__ = ["JsonLinesRecordsPipeline", "record_key", "record_dict"]


def record_dict(item) -> dict:
    """A record as the records file holds it: ``to_dict()``, and a listing's ``fields["photos"]``
    (``[{"url", "evidence"}]``, see :mod:`crawlers.photos`) repeated as ``photos``.

    >>> record_dict({"kind": "listing", "fields": {"photos": [{"url": "u", "evidence": None}]}})["photos"]
    [{'url': 'u', 'evidence': None}]
    """
    record = item.to_dict() if hasattr(item, "to_dict") else dict(item)
    photos = (record.get("fields") or {}).get("photos")
    if record.get("kind") == "listing" and isinstance(photos, list):
        record["photos"] = photos
    return record


def record_key(record: dict) -> tuple:
    """What makes a record the same record: its kind and market, and its listing id, handle or URL.

    >>> record_key({"kind": "listing", "market": "m", "listing_id": "7", "url": "http://m/7"})
    ('listing', 'm', '7')
    """
    kind = record.get("kind")
    ident = {"listing": "listing_id", "vendor": "handle"}.get(kind, "url")
    return (kind, record.get("market"), record.get(ident))


def _repair_and_read_keys(path: Path) -> dict[tuple, int]:
    """Keys of the records already in ``path``, each with the offset of its last line; a trailing
    partial line is truncated away."""
    keys: dict[tuple, int] = {}
    if not path.exists():
        return keys
    good_end = 0
    with open(path, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break
            try:
                keys[record_key(json.loads(line))] = good_end
            except ValueError:
                break
            good_end += len(line)
    if good_end != path.stat().st_size:
        with open(path, "r+b") as fh:
            fh.truncate(good_end)
    return keys


class JsonLinesRecordsPipeline:
    def __init__(self, path: Path, stats=None) -> None:
        self.path = path
        self.stats = stats
        self._file = None
        self._seen: dict[tuple, int] = {}  # key -> offset of its last line

    @classmethod
    def from_crawler(cls, crawler):
        folder = crawler.settings.get("ONIONWATCH_ITEMS_DIR")
        if not folder:
            raise NotConfigured("ONIONWATCH_ITEMS_DIR is not set")
        crawl_id = crawler.settings.get("ONIONWATCH_CRAWL_ID") or "crawl"
        market = crawler.settings.get("ONIONWATCH_MARKET") or "market"
        return cls(Path(folder) / records_file_name(market, crawl_id), crawler.stats)

    def open_spider(self, spider=None):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._seen = _repair_and_read_keys(self.path)
        self._file = open(self.path, "a", encoding="utf-8")

    def process_item(self, item, spider=None):
        record = record_dict(item)
        key = record_key(record)
        if key in self._seen:
            merged = merge_records(self._read_line(self._seen[key]), json.loads(json.dumps(record)))
            if merged is None:
                if self.stats is not None:
                    self.stats.inc_value("onionwatch/records_already_written")
                return item
            record = merged
            if self.stats is not None:
                self.stats.inc_value("onionwatch/records_merged")
        else:
            if self.stats is not None:
                self.stats.inc_value(f"onionwatch/records/{record.get('kind', 'other')}")
        self._seen[key] = os.fstat(self._file.fileno()).st_size
        # one write of one whole line, so a kill leaves at most one partial line at the end
        os.write(self._file.fileno(), (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        return item

    def _read_line(self, offset: int) -> dict:
        with open(self.path, "rb") as fh:
            fh.seek(offset)
            return json.loads(fh.readline())

    def close_spider(self, spider=None):
        if self._file is not None:
            self._file.close()
