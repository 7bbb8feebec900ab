"""Print a one-line progress report while a crawl runs, and a last line when it ends.

Setting ``ONIONWATCH_PROGRESS_INTERVAL``: seconds between lines (0 switches the extension off).
"""
from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

__all__ = ["ProgressExtension"]


class ProgressExtension:
    def __init__(self, stats, interval: float, market: str, stream=None) -> None:
        self.stats = stats
        self.interval = interval
        self.market = market
        self.stream = stream or sys.stderr
        self._loop = None
        self._started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("ONIONWATCH_PROGRESS_INTERVAL", 0)
        if interval <= 0:
            raise NotConfigured("progress output is off")
        extension = cls(crawler.stats, interval, crawler.settings.get("ONIONWATCH_MARKET") or "market")
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def line(self) -> str:
        get = self.stats.get_value
        elapsed = time.monotonic() - self._started
        pages = get("response_received_count", 0)
        return (f"[{self.market}] {elapsed:6.1f}s  {pages} pages ({pages / max(elapsed, 1e-9):.0f}/s), "
                f"{get('onionwatch/records/listing', 0)} listings, {get('onionwatch/records/vendor', 0)} vendors, "
                f"{get('onionwatch/parse_errors', 0)} parse errors")

    def report(self) -> None:
        print(self.line(), file=self.stream, flush=True)

    def spider_opened(self, spider=None):
        self._started = time.monotonic()
        self._loop = task.LoopingCall(self.report)
        self._loop.start(self.interval, now=False)

    def spider_closed(self, spider=None, reason=None):
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.report()
