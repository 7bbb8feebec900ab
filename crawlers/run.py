"""Run one market crawl in this process and report what it collected.

Twisted's reactor starts once per process, so a program runs one :func:`run_crawl`; the CLI and
the tests start a process per crawl.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawlers.profile import MarketProfile
from crawlers.settings import crawl_settings
from crawlers.spiders.market import MarketSpider

__all__ = ["CrawlReport", "run_crawl", "new_crawl_id"]


@dataclass
class CrawlReport:
    crawl_id: str
    market: str
    items_path: Path
    warc_path: Path
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return int(self.stats.get("response_received_count", 0))

    @property
    def parse_errors(self) -> int:
        return int(self.stats.get("onionwatch/parse_errors", 0))

    @property
    def finish_reason(self) -> str:
        return str(self.stats.get("finish_reason", "unknown"))


def new_crawl_id() -> str:
    """A sortable, unique crawl id: UTC time and a random suffix."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def run_crawl(profile: MarketProfile, *, warc_dir: Path, items_dir: Path, crawl_id: str | None = None,
              progress_interval: float = 5.0, log_level: str = "WARNING") -> CrawlReport:
    """Crawl one market as its profile says; WARC evidence and records go to the given folders."""
    crawl_id = crawl_id or new_crawl_id()
    settings = crawl_settings(
        profile.settings,
        ONIONWATCH_MARKET=profile.name,
        ONIONWATCH_CRAWL_ID=crawl_id,
        ONIONWATCH_WARC_DIR=str(warc_dir),
        ONIONWATCH_ITEMS_DIR=str(items_dir),
        ONIONWATCH_PROGRESS_INTERVAL=progress_interval,
        LOG_LEVEL=log_level,
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(MarketSpider)
    process.crawl(crawler, profile=profile)
    process.start()
    return CrawlReport(
        crawl_id=crawl_id,
        market=profile.name,
        items_path=Path(items_dir) / f"{profile.name}-{crawl_id}.jsonl",
        warc_path=Path(warc_dir) / f"{profile.name}-{crawl_id}.warc.gz",
        stats=dict(crawler.stats.get_stats()),
    )
