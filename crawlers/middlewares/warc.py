"""Keep every response as evidence: a downloader middleware writing request and response to WARC.

It sits next to the downloader (priority 950), so it archives the bytes exactly as they arrived
(before decompression) and also the responses that retries later replace. The evidence pointer
of each response is put in ``request.meta["onionwatch_evidence"]`` for the spider's items.

Settings:

- ``ONIONWATCH_WARC_DIR``: folder of the WARC files (required; the middleware is off without it).
- ``ONIONWATCH_CRAWL_ID``: the crawl's id, part of the WARC file name.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

import onionwatch
from onionwatch.evidence import EvidenceWriter

__all__ = ["WarcEvidenceMiddleware", "EVIDENCE_META_KEY"]

EVIDENCE_META_KEY = "onionwatch_evidence"


class WarcEvidenceMiddleware:
    def __init__(self, warc_path: Path, crawl_id: str, stats=None) -> None:
        self.warc_path = warc_path
        self.crawl_id = crawl_id
        self.stats = stats
        self._writer: EvidenceWriter | None = None

    @classmethod
    def from_crawler(cls, crawler):
        folder = crawler.settings.get("ONIONWATCH_WARC_DIR")
        if not folder:
            raise NotConfigured("ONIONWATCH_WARC_DIR is not set")
        crawl_id = crawler.settings.get("ONIONWATCH_CRAWL_ID") or "crawl"
        market = crawler.settings.get("ONIONWATCH_MARKET") or "market"
        path = Path(folder) / f"{market}-{crawl_id}.warc.gz"
        middleware = cls(path, crawl_id, crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    @property
    def writer(self) -> EvidenceWriter:
        if self._writer is None:
            self._writer = EvidenceWriter(self.warc_path, info={
                "software": f"onionwatch/{onionwatch.__version__}",
                "format": "WARC File Format 1.1",
                "onionwatch-crawl-id": self.crawl_id,
            })
        return self._writer

    def process_response(self, request, response, spider=None):
        fetched_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        evidence = self.writer.write_response(
            response.url, response.status, _headers(response.headers), response.body,
            fetched_at=fetched_at,
        )
        self.writer.write_request(
            request.url, request.method, _headers(request.headers), request.body or b"",
            concurrent_to=evidence.record_id,
        )
        request.meta[EVIDENCE_META_KEY] = evidence
        if self.stats is not None:
            self.stats.inc_value("onionwatch/warc_records")
            self.stats.inc_value("onionwatch/warc_bytes", len(response.body))
        return response

    def spider_closed(self, spider=None):
        if self._writer is not None:
            self._writer.close()


def _headers(headers) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs
