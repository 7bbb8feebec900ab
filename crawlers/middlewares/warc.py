"""Keep every response as evidence: a downloader middleware writing WARC records with custody.

It sits next to the downloader (priority 950), so it archives the bytes exactly as they arrived
(before decompression) and also the responses that retries later replace. For each fetch it writes
the response, the request that fetched it and a metadata record (crawl id, market, account alias,
proxy circuit, tool version), each flushed with its digests to the digest log. The evidence
pointer of each response is put in ``request.meta["onionwatch_evidence"]`` for the spider's items.

Settings:

- ``ONIONWATCH_WARC_DIR``: folder of the WARC files (required; the middleware is off without it).
- ``ONIONWATCH_CRAWL_ID``: the crawl's id, part of the WARC file names.
- ``ONIONWATCH_WARC_MAX_BYTES``: start a new WARC file past this size (default 1 GiB).
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from scrapy import signals
from scrapy.exceptions import NotConfigured

import onionwatch
from onionwatch.core.layout import crawl_stem
from onionwatch.evidence import RotatingEvidenceWriter

__all__ = ["WarcEvidenceMiddleware", "EVIDENCE_META_KEY", "REDACT_META_KEY"]

EVIDENCE_META_KEY = "onionwatch_evidence"
#: ``meta`` key listing form fields whose values never go into the archive (the login password).
REDACT_META_KEY = "onionwatch_redact"


class WarcEvidenceMiddleware:
    def __init__(self, folder: Path, crawl_id: str, market: str, *, account: str | None = None,
                 max_bytes: int = 1024 ** 3, stats=None) -> None:
        self.crawl_id = crawl_id
        self.market = market
        self.account = account
        self.stats = stats
        self.archive = RotatingEvidenceWriter(folder, crawl_stem(market, crawl_id), max_bytes=max_bytes, info={
            "software": f"onionwatch/{onionwatch.__version__}",
            "format": "WARC File Format 1.1",
            "onionwatch-crawl-id": crawl_id,
            "onionwatch-market": market,
        })

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        folder = settings.get("ONIONWATCH_WARC_DIR")
        if not folder:
            raise NotConfigured("ONIONWATCH_WARC_DIR is not set")
        middleware = cls(Path(folder), settings.get("ONIONWATCH_CRAWL_ID") or "crawl",
                         settings.get("ONIONWATCH_MARKET") or "market",
                         account=settings.get("ONIONWATCH_ACCOUNT") or None,
                         max_bytes=settings.getint("ONIONWATCH_WARC_MAX_BYTES", 1024 ** 3), stats=crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request, response, spider=None):
        fetched_at = datetime.now(timezone.utc).isoformat(timespec="microseconds")[:-6] + "Z"  # ...:05.123456Z
        writer = self.archive.begin_fetch()
        evidence = writer.write_response(
            response.url, response.status, _headers(response.headers), response.body,
            fetched_at=fetched_at,
        )
        redact = request.meta.get(REDACT_META_KEY) or ()
        writer.write_request(
            request.url, request.method, _headers(request.headers), _redacted(request.body or b"", redact),
            concurrent_to=evidence.record_id,
        )
        writer.write_metadata(response.url, {
            "onionwatch-crawl-id": self.crawl_id,
            "onionwatch-market": self.market,
            "onionwatch-account": request.meta.get("onionwatch_account") or self.account or "public",
            "onionwatch-circuit": request.meta.get("onionwatch_circuit") or "unknown",
            "software": f"onionwatch/{onionwatch.__version__}",
            "fetched-at": fetched_at,
            "download-latency": f"{request.meta.get('download_latency', 0):.3f}",
            **({"onionwatch-redacted": ", ".join(redact)} if redact else {}),
        }, concurrent_to=evidence.record_id)
        request.meta[EVIDENCE_META_KEY] = evidence
        if self.stats is not None:
            self.stats.inc_value("onionwatch/warc_records", 3)
            self.stats.inc_value("onionwatch/warc_bytes", len(response.body))
        return response

    def spider_closed(self, spider=None):
        self.archive.close()


def _redacted(body: bytes, fields) -> bytes:
    """A form body with the values of ``fields`` replaced by ``REDACTED``.

    >>> _redacted(b"username=a&password=s%3Dcret&cid=1", ["password"])
    b'username=a&password=REDACTED&cid=1'
    """
    if not fields:
        return body
    pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return urlencode([(k, "REDACTED" if k in fields else v) for k, v in pairs]).encode("utf-8")


def _headers(headers) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        if name.lower() == b"proxy-authorization":
            continue
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs
