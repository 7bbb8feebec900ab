"""Distributed crawling: several crawler processes (on one machine or many) share one frontier in
Redis, through scrapy-redis (its scheduler and duplicate filter; a maintained engine, not ours).

Each process is an ordinary ``onionwatch crawl`` with ``--distributed redis://HOST:PORT/DB`` and
the same ``--frontier NAME``: the queue of requests and the set of fingerprints already seen are
Redis keys named after the market and ``NAME``, so a page is fetched by one process only. A
process takes each request under a lease (:mod:`crawlers.leases`): if it is killed, a live peer
queues what it held again, so a page is fetched twice only when its worker died holding it. Each
process keeps its own WARC files and records file (its own crawl id), so evidence never
interleaves. A process whose share of the queue is empty waits ``ONIONWATCH_DISTRIBUTED_IDLE``
seconds (default 5) for the others to add more before it closes.

Checked with scrapy-redis 0.9.1 on Scrapy 2.19: its ``Scheduler`` (subclassed for the leases) and
``RFPDupeFilter`` work unchanged (requests are stored with ``Request.to_dict``); its ``RedisSpider``
is not used.

>>> s = distributed_settings("redis://127.0.0.1:6379/0", market="m", frontier="f1")
>>> s["SCHEDULER"], s["SCHEDULER_QUEUE_KEY"]
('crawlers.leases.LeasingScheduler', 'onionwatch:m:f1:requests')
"""
from __future__ import annotations

import time
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

__all__ = ["distributed_settings", "WaitForPeers"]


def distributed_settings(redis_url: str, *, market: str, frontier: str) -> dict[str, Any]:
    """Scrapy settings that put a crawl's frontier in Redis, shared by every process using them."""
    prefix = f"onionwatch:{market}:{frontier}"
    return {
        "SCHEDULER": "crawlers.leases.LeasingScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": redis_url,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "SCHEDULER_PERSIST": True,  # the first process to finish must not drop the others' queue
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "ONIONWATCH_REDIS_URL": redis_url,
        "ONIONWATCH_FRONTIER_PREFIX": prefix,
        "SPIDER_MIDDLEWARES": {"crawlers.leases.ReleaseLeases": 5},
        "EXTENSIONS": {"crawlers.extensions.progress.ProgressExtension": 500,
                       "crawlers.distributed.WaitForPeers": 510},
    }


class WaitForPeers:
    """Keep an idle process open while peers may still add requests to the shared queue."""

    def __init__(self, crawler, idle: float) -> None:
        self.crawler = crawler
        self.idle = idle
        self.idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("ONIONWATCH_REDIS_URL"):
            raise NotConfigured("not a distributed crawl")
        extension = cls(crawler, crawler.settings.getfloat("ONIONWATCH_DISTRIBUTED_IDLE", 5.0))
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        return extension

    def response_received(self, **kwargs) -> None:
        self.idle_since = None

    def spider_idle(self, spider=None) -> None:
        scheduler = getattr(self.crawler.engine._slot, "scheduler", None)
        if hasattr(scheduler, "peers_holding") and scheduler.peers_holding():
            self.idle_since = None  # a peer may still add pages, or die and leave its pages to us
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle:
            raise DontCloseSpider
