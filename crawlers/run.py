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

from crawlers.accounts import find_account
from crawlers.middlewares.tor import routes_direct
from crawlers.sessions import down_until
from crawlers.profile import MarketProfile
from crawlers.settings import crawl_settings
from crawlers.spiders.market import MarketSpider
from crawlers.tor import DEFAULT_PROXY, check_proxy, is_loopback_host, parse_proxy
from onionwatch.core import layout
from onionwatch.core.exits import MARKET_DOWN
from onionwatch.core.layout import warc_glob

__all__ = ["CrawlReport", "summarize", "run_crawl", "resume_job", "new_crawl_id", "check_oracle", "MarketDown"]


class MarketDown(RuntimeError):
    """The market was marked down by an earlier crawl and its wait is not over."""

    #: How ``onionwatch crawl`` ends then (the scheduler records such a run as ``down``).
    exit_status = MARKET_DOWN


def check_oracle(url: str | None) -> str | None:
    """The sandbox CAPTCHA oracle URL, refused unless it is on loopback (never a real market)."""
    if url is None:
        return None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname
    if urlsplit(url).scheme != "http" or not is_loopback_host(host):
        raise ValueError(f"the CAPTCHA oracle {url!r} is not on loopback: only the sandbox's oracle "
                         "(http://127.0.0.1:PORT) may answer CAPTCHAs; a person answers real ones")
    return url


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
        return sorted(self.warc_dir.glob(warc_glob(self.market, self.crawl_id)))

    @property
    def warc_path(self) -> Path:
        """The crawl's WARC files, as a glob pattern (for messages)."""
        return self.warc_dir / warc_glob(self.market, self.crawl_id)

    @property
    def pages(self) -> int:
        return int(self.stats.get("response_received_count", 0))

    @property
    def parse_errors(self) -> int:
        return int(self.stats.get("onionwatch/parse_errors", 0))

    @property
    def finish_reason(self) -> str:
        return str(self.stats.get("finish_reason", "unknown"))


def summarize(report: CrawlReport) -> dict[str, Any]:
    """A crawl's summary for run reports: where its output is, and what it met on the way."""
    stats = report.stats
    count = lambda key: int(stats.get(key, 0) or 0)  # noqa: E731
    return {
        "crawl_id": report.crawl_id, "market": report.market, "finish_reason": report.finish_reason,
        "items_path": str(report.items_path), "warc_files": [str(p) for p in report.warc_paths],
        "pages": report.pages, "listings": count("onionwatch/records/listing"),
        "vendors": count("onionwatch/records/vendor"), "parse_errors": report.parse_errors,
        "errors": count("log_count/ERROR") + count("downloader/exception_count"),
        "bans": count("onionwatch/bans") + count("downloader/response_status_count/403"),
        "rate_limited": count("onionwatch/rate_limited"),
        "captchas": count("onionwatch/captchas"), "logins": count("onionwatch/logins"),
        "queue_pages": count("onionwatch/queue_pages"), "server_errors": count("onionwatch/server_errors"),
        "mirror_failovers": count("onionwatch/mirror_failovers"),
        "message": stats.get("onionwatch/stop_message"),
        "seconds": float(stats.get("elapsed_time_seconds", 0) or 0),
    }


def new_crawl_id() -> str:
    """A sortable, unique crawl id: UTC time and a random suffix."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def run_crawl(profile: MarketProfile, *, warc_dir: Path, items_dir: Path, crawl_id: str | None = None,
              jobs_dir: Path | None = None, resume: bool = False, proxy: str | None = None,
              account: str | None = None, settings: dict[str, Any] | None = None,
              progress_interval: float = 5.0, log_level: str = "WARNING", credentials: Path | str | None = None,
              session_dir: Path | None = None, captcha_oracle: str | None = None,
              ignore_down: bool = False, distributed: str | None = None,
              frontier: str | None = None, direct_loopback: bool | None = None) -> CrawlReport:
    """Crawl one market as its profile says; WARC evidence and records go to the given folders.

    ``proxy`` is the SOCKS5 URL (default: ``$ONIONWATCH_PROXY``, else Tor's 127.0.0.1:9050). When a
    proxy is given, every host, loopback included, goes through it; otherwise loopback hosts (the
    sandbox) are fetched directly and everything else through Tor. Before anything is fetched
    through the proxy, the proxy is checked: :class:`~crawlers.tor.ProxyUnreachable` if it does
    not answer. ``settings`` are extra Scrapy settings (concurrency, delays) for this run.

    ``account`` names the account alias in ``credentials`` (a file, or ``$ONIONWATCH_CREDENTIALS``,
    or the environment: see :mod:`crawlers.accounts`); ``session_dir`` keeps session cookies and
    market state between runs; a market marked down there raises :class:`MarketDown` until its
    wait is over (unless ``ignore_down``). ``captcha_oracle`` is the sandbox oracle's URL
    (loopback only); without it CAPTCHAs pause the crawl for a person.

    ``distributed`` is a Redis URL: the crawl shares the frontier named ``frontier`` with every
    other process given the same (see :mod:`crawlers.distributed`); it has no job folder of its own.

    ``direct_loopback`` True fetches loopback hosts directly even when ``$ONIONWATCH_PROXY`` is set
    (a saved site served on 127.0.0.1: :mod:`crawlers.saved_site`); default: direct only without a proxy.
    """
    if distributed and (jobs_dir is not None and resume):
        raise ValueError("a distributed crawl keeps its frontier in Redis: it is not resumed from a job folder")
    captcha_oracle = check_oracle(captcha_oracle)
    if session_dir is not None and not ignore_down and (until := down_until(session_dir, profile.name)):
        raise MarketDown(f"{profile.name} was marked down until "
                         f"{datetime.fromtimestamp(until, timezone.utc):%Y-%m-%d %H:%M:%S} UTC; it will be "
                         "tried again then (or crawl with --ignore-down)")
    login = find_account(profile.name, account, path=credentials)
    if login is not None:
        account = login.alias
    if resume and not crawl_id:
        raise ValueError("resuming a crawl needs its crawl id")
    crawl_id = crawl_id or new_crawl_id()
    chosen = proxy or os.environ.get("ONIONWATCH_PROXY") or DEFAULT_PROXY
    socks = parse_proxy(chosen)
    if direct_loopback is None:
        direct_loopback = not (proxy or os.environ.get("ONIONWATCH_PROXY"))
    if not all(routes_direct(host, direct_loopback) for host in profile.hosts):
        check_proxy(socks)
    job_dir = layout.job_dir(jobs_dir, profile.name, crawl_id) if jobs_dir and not distributed else None
    overrides: dict[str, Any] = {}
    if job_dir is not None:
        if job_dir.exists() and not resume:
            raise FileExistsError(f"crawl {crawl_id} of {profile.name} already exists: resume it or use a new id")
        if resume and not job_dir.exists():
            raise FileNotFoundError(f"no crawl {crawl_id} of {profile.name} to resume in {jobs_dir}")
        _write_job(job_dir, profile, crawl_id, state="running", account=account,
                   run={"proxy": proxy, "settings": settings or {}, "captcha_oracle": captcha_oracle,
                        "credentials": str(credentials) if credentials else None,
                        "session_dir": str(session_dir) if session_dir else None,
                        "warc_dir": str(warc_dir), "items_dir": str(items_dir)})
        overrides.update({
            "ONIONWATCH_JOB_DIR": str(job_dir),
            "SCHEDULER": "crawlers.frontier.SqliteFrontier",
            "SPIDER_MIDDLEWARES": {"crawlers.frontier.FrontierSpiderMiddleware": 10},
        })
    run_values: dict[str, Any] = {
        "ONIONWATCH_MARKET": profile.name,
        "ONIONWATCH_CRAWL_ID": crawl_id,
        "ONIONWATCH_WARC_DIR": str(warc_dir),
        "ONIONWATCH_ITEMS_DIR": str(items_dir),
        "ONIONWATCH_PROGRESS_INTERVAL": progress_interval,
        "ONIONWATCH_PROXY": str(socks),
        "ONIONWATCH_DIRECT_LOOPBACK": direct_loopback,
        "ONIONWATCH_ALLOWED_HOSTS": sorted(profile.hosts),
        "ONIONWATCH_ACCOUNT": account,
        "ONIONWATCH_SESSION_DIR": str(session_dir) if session_dir else None,
        "ONIONWATCH_CAPTCHA_ORACLE": captcha_oracle,
        "LOG_LEVEL": log_level,
        **overrides,
    }
    if distributed:
        from crawlers.distributed import distributed_settings

        run_values.update(distributed_settings(distributed, market=profile.name, frontier=frontier or "default"))
    # the run's values and flags (``settings``) beat the profile's, which beat the defaults
    run_settings = crawl_settings(profile.settings, {**run_values, **(settings or {})})
    process = CrawlerProcess(run_settings)
    crawler = process.create_crawler(MarketSpider)
    process.crawl(crawler, profile=profile, login=login)
    process.start()
    report = CrawlReport(
        crawl_id=crawl_id,
        market=profile.name,
        items_path=Path(items_dir) / layout.records_file_name(profile.name, crawl_id),
        warc_dir=Path(warc_dir),
        job_dir=job_dir,
        stats=dict(crawler.stats.get_stats()),
    )
    if job_dir is not None:
        _write_job(job_dir, profile, crawl_id, account=account,
                   state="finished" if report.finish_reason == "finished" else report.finish_reason)
    return report


def _write_job(job_dir: Path, profile: MarketProfile, crawl_id: str, *, state: str, account: str | None,
               run: dict | None = None) -> None:
    job_dir.mkdir(parents=True, exist_ok=True)
    path = job_dir / "job.json"
    job = json.loads(path.read_text()) if path.exists() else {
        "crawl_id": crawl_id, "market": profile.name, "profile": profile.source, "base_url": profile.base_url,
        "account": account, "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "runs": 0}
    job["state"] = state
    if run is not None:
        job["run"] = run  # how to resume it (no secrets: the credentials file's path only)
    if state == "running":
        job["runs"] += 1
    else:
        job["ended_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(job, indent=2) + "\n")
    os.replace(tmp, path)


def resume_job(job_dir: Path, *, log_level: str = "WARNING", progress_interval: float = 5.0) -> CrawlReport:
    """Carry on the crawl of ``job_dir`` with the options it was started with (after a CAPTCHA
    answer, a kill or a stop)."""
    from crawlers.profile import load_profile

    job = json.loads((Path(job_dir) / "job.json").read_text())
    run = job.get("run") or {}
    if not run.get("warc_dir"):
        raise ValueError(f"{job_dir}: this job does not record how it was run; resume it with `onionwatch crawl --resume`")
    profile = load_profile(job["profile"]).with_base_url(job["base_url"])
    return run_crawl(profile, warc_dir=Path(run["warc_dir"]), items_dir=Path(run["items_dir"]),
                     crawl_id=job["crawl_id"], jobs_dir=Path(job_dir).parent, resume=True,
                     proxy=run.get("proxy"), account=job.get("account"), settings=run.get("settings"),
                     credentials=run.get("credentials"),
                     session_dir=Path(run["session_dir"]) if run.get("session_dir") else None,
                     captcha_oracle=run.get("captcha_oracle"), ignore_down=True,
                     log_level=log_level, progress_interval=progress_interval)
