"""Run one market crawl in this process and report what it collected.

Twisted's reactor starts once per process, so a program runs one :func:`run_crawl`; the CLI and
the tests start a process per crawl.

Every crawl has a job folder (``<data>/jobs/<market>-<crawl id>/``) holding its frontier and a
``job.json``; :func:`run_crawl` with ``resume=True`` and the same crawl id carries on a crawl that
was killed, writing to the same records file and to new WARC files.
"""
from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawlers.middlewares.tor import routes_direct
from crawlers.middlewares.warc import warc_prefix
from crawlers.profile import MarketProfile
from crawlers.settings import crawl_settings
from crawlers.spiders.market import MarketSpider
from crawlers.tor import DEFAULT_PROXY, check_proxy, parse_proxy

__all__ = ["CrawlReport", "run_crawl", "new_crawl_id", "job_dir_for"]


@dataclass
class CrawlReport:
    crawl_id: str
    market: str
    items_path: Path
    warc_dir: Path
    job_dir: Path | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def warc_paths(self) -> list[Path]:
        return sorted(self.warc_dir.glob(f"{warc_prefix(self.market, self.crawl_id)}-*.warc.gz"))

    @property
    def warc_path(self) -> Path:
        """The crawl's WARC files, as a glob pattern (for messages)."""
        return self.warc_dir / f"{warc_prefix(self.market, self.crawl_id)}-*.warc.gz"

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


def job_dir_for(jobs_dir: Path, market: str, crawl_id: str) -> Path:
    return Path(jobs_dir) / f"{market}-{crawl_id}"


def run_crawl(profile: MarketProfile, *, warc_dir: Path, items_dir: Path, crawl_id: str | None = None,
              jobs_dir: Path | None = None, resume: bool = False, proxy: str | None = None,
              account: str | None = None, settings: dict[str, Any] | None = None,
              progress_interval: float = 5.0, log_level: str = "WARNING") -> CrawlReport:
    """Crawl one market as its profile says; WARC evidence and records go to the given folders.

    ``proxy`` is the SOCKS5 URL (default: ``$ONIONWATCH_PROXY``, else Tor's 127.0.0.1:9050). When a
    proxy is given, every host, loopback included, goes through it; otherwise loopback hosts (the
    sandbox) are fetched directly and everything else through Tor. Before anything is fetched
    through the proxy, the proxy is checked: :class:`~crawlers.tor.ProxyUnreachable` if it does
    not answer. ``settings`` are extra Scrapy settings (concurrency, delays) for this run.
    """
    if resume and not crawl_id:
        raise ValueError("resuming a crawl needs its crawl id")
    crawl_id = crawl_id or new_crawl_id()
    chosen = proxy or os.environ.get("ONIONWATCH_PROXY") or DEFAULT_PROXY
    socks = parse_proxy(chosen)
    direct_loopback = not (proxy or os.environ.get("ONIONWATCH_PROXY"))
    if not all(routes_direct(host, direct_loopback) for host in profile.hosts):
        check_proxy(socks)
    job_dir = job_dir_for(jobs_dir, profile.name, crawl_id) if jobs_dir else None
    overrides: dict[str, Any] = {}
    if job_dir is not None:
        if job_dir.exists() and not resume:
            raise FileExistsError(f"crawl {crawl_id} of {profile.name} already exists: resume it or use a new id")
        if resume and not job_dir.exists():
            raise FileNotFoundError(f"no crawl {crawl_id} of {profile.name} to resume in {jobs_dir}")
        _write_job(job_dir, profile, crawl_id, state="running", account=account)
        overrides.update({
            "ONIONWATCH_JOB_DIR": str(job_dir),
            "SCHEDULER": "crawlers.frontier.SqliteFrontier",
            "SPIDER_MIDDLEWARES": {"crawlers.frontier.FrontierSpiderMiddleware": 10},
        })
    run_settings = crawl_settings(
        profile.settings,
        ONIONWATCH_MARKET=profile.name,
        ONIONWATCH_CRAWL_ID=crawl_id,
        ONIONWATCH_WARC_DIR=str(warc_dir),
        ONIONWATCH_ITEMS_DIR=str(items_dir),
        ONIONWATCH_PROGRESS_INTERVAL=progress_interval,
        ONIONWATCH_PROXY=str(socks),
        ONIONWATCH_DIRECT_LOOPBACK=direct_loopback,
        ONIONWATCH_ALLOWED_HOSTS=sorted(profile.hosts),
        ONIONWATCH_ACCOUNT=account,
        LOG_LEVEL=log_level,
        **overrides,
    )
    run_settings.update(settings or {})
    process = CrawlerProcess(run_settings)
    crawler = process.create_crawler(MarketSpider)
    process.crawl(crawler, profile=profile)
    process.start()
    report = CrawlReport(
        crawl_id=crawl_id,
        market=profile.name,
        items_path=Path(items_dir) / f"{profile.name}-{crawl_id}.jsonl",
        warc_dir=Path(warc_dir),
        job_dir=job_dir,
        stats=dict(crawler.stats.get_stats()),
    )
    if job_dir is not None:
        _write_job(job_dir, profile, crawl_id, account=account,
                   state="finished" if report.finish_reason == "finished" else report.finish_reason)
    return report


def _write_job(job_dir: Path, profile: MarketProfile, crawl_id: str, *, state: str, account: str | None) -> None:
    job_dir.mkdir(parents=True, exist_ok=True)
    path = job_dir / "job.json"
    job = json.loads(path.read_text()) if path.exists() else {
        "crawl_id": crawl_id, "market": profile.name, "profile": profile.source, "base_url": profile.base_url,
        "account": account, "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "runs": 0}
    job["state"] = state
    if state == "running":
        job["runs"] += 1
    else:
        job["ended_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(job, indent=2) + "\n")
    os.replace(tmp, path)
