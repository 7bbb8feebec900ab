"""Write crawled records (listings, vendor accounts, parse errors) to one JSON Lines file a crawl.

Each line is a record's ``to_dict()``; the file is flushed line by line so a killed crawl keeps
what it had. Settings: ``ONIONWATCH_ITEMS_DIR`` (required; off without it), ``ONIONWATCH_CRAWL_ID``.
"""
from __future__ import annotations

import json
from pathlib import Path

from scrapy.exceptions import NotConfigured

__all__ = ["JsonLinesRecordsPipeline"]


class JsonLinesRecordsPipeline:
    def __init__(self, path: Path, stats=None) -> None:
        self.path = path
        self.stats = stats
        self._file = None

    @classmethod
    def from_crawler(cls, crawler):
        folder = crawler.settings.get("ONIONWATCH_ITEMS_DIR")
        if not folder:
            raise NotConfigured("ONIONWATCH_ITEMS_DIR is not set")
        crawl_id = crawler.settings.get("ONIONWATCH_CRAWL_ID") or "crawl"
        market = crawler.settings.get("ONIONWATCH_MARKET") or "market"
        return cls(Path(folder) / f"{market}-{crawl_id}.jsonl", crawler.stats)

    def open_spider(self, spider=None):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a", encoding="utf-8")

    def process_item(self, item, spider=None):
        record = item.to_dict() if hasattr(item, "to_dict") else dict(item)
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._file.flush()
        if self.stats is not None:
            self.stats.inc_value(f"onionwatch/records/{record.get('kind', 'other')}")
        return item

    def close_spider(self, spider=None):
        if self._file is not None:
            self._file.close()
