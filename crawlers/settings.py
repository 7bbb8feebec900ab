"""Scrapy settings every onionwatch crawl starts from; a market profile may override a few.

A crawl's settings come from three sources, each put in at its own Scrapy priority, so which one
wins is data, not the order of the calls (as ``scrapy crawl`` does with its project, spider and
``-s`` settings): onionwatch's defaults (:data:`BASE_SETTINGS`, priority ``default``), the market
profile's ``settings:`` block (``spider``) and the run's own values and command-line flags
(``cmdline``). See :data:`PRIORITIES` and :func:`add_settings`.

Headers are those of Tor Browser, so nothing identifies the tool or the investigator. HTTP(S) is
fetched by :class:`~crawlers.downloader.socks.SocksDownloadHandler` through Tor's SOCKS port (FTP and
S3 are off: they could not go through it); Scrapy's ``HttpProxyMiddleware`` is off so that no
``http_proxy`` environment variable can change the route.
"""
from __future__ import annotations

from typing import Any, Mapping

from scrapy.settings import Settings

__all__ = ["BASE_SETTINGS", "PROFILE_SETTABLE", "PROFILE_SETTING_TYPES", "PRIORITIES", "add_settings",
           "crawl_settings", "check_profile_settings"]

#: Tor Browser 14 (Firefox 128 ESR) on Windows, as Tor Browser reports itself on every platform.
TOR_BROWSER_USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0"

BASE_SETTINGS: dict[str, Any] = {
    "BOT_NAME": "browser",
    "USER_AGENT": TOR_BROWSER_USER_AGENT,
    "DEFAULT_REQUEST_HEADERS": {
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language": "en-US,en;q=0.5",
    },
    "ROBOTSTXT_OBEY": False,
    "TELNETCONSOLE_ENABLED": False,
    "COOKIES_ENABLED": True,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    # Outputs of one page handled at once. Scrapy starts this many tasks for every page parsed
    # (default 100); the records pipeline writes synchronously, so more than a few buys nothing.
    "CONCURRENT_ITEMS": 8,
    "DOWNLOAD_DELAY": 0.0,
    "DOWNLOAD_TIMEOUT": 60,
    "DOWNLOAD_MAXSIZE": 32 * 1024 * 1024,
    "RETRY_TIMES": 3,
    # 429 and 5xx are waited out by crawlers.middlewares.session (Retry-After, backoff, queues)
    "RETRY_HTTP_CODES": [408, 522, 524],
    "DOWNLOAD_HANDLERS": {
        "http": "crawlers.downloader.socks.SocksDownloadHandler",
        "https": "crawlers.downloader.socks.SocksDownloadHandler",
        "ftp": None,
        "s3": None,
    },
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "DOWNLOADER_MIDDLEWARES": {
        "crawlers.middlewares.tor.TorRoutingMiddleware": 60,
        "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,
        "crawlers.middlewares.session.SessionMiddleware": 650,
        "crawlers.middlewares.unreachable.UnreachableMiddleware": 700,
        "crawlers.middlewares.warc.WarcEvidenceMiddleware": 950,
    },
    "ITEM_PIPELINES": {"crawlers.pipelines.jsonl.JsonLinesRecordsPipeline": 800},
    "EXTENSIONS": {"crawlers.extensions.progress.ProgressExtension": 500},
    "LOG_LEVEL": "WARNING",
    "ONIONWATCH_PROGRESS_INTERVAL": 5.0,
    # Tor's SocksPort; see crawlers.tor and crawlers.middlewares.tor.
    "ONIONWATCH_PROXY": "socks5h://127.0.0.1:9050",
    "ONIONWATCH_DIRECT_LOOPBACK": True,
    # Seconds to get a connection through Tor: the SOCKS handshake, which for an onion service
    # includes the descriptor fetch and the rendezvous (DOWNLOAD_TIMEOUT is the read timeout).
    "ONIONWATCH_CONNECT_TIMEOUT": 30.0,
    # A market none of whose requests got through for this long is failed (reason market_down,
    # resumable); until then failed connections are retried with a backoff of at most
    # ONIONWATCH_RETRY_BACKOFF_MAX seconds. See crawlers.middlewares.unreachable.
    "ONIONWATCH_UNREACHABLE_AFTER": 300.0,
    "ONIONWATCH_RETRY_BACKOFF_MAX": 8.0,
    # Listing photos (a profile's `photos` selector): bytes a photo may have, photos a listing.
    "ONIONWATCH_PHOTO_MAXSIZE": 2 * 1024 * 1024,
    "ONIONWATCH_PHOTOS_PER_LISTING": 8,
}

#: The settings a market profile's ``settings:`` block may change (politeness, mostly), and the kind
#: of value each takes: ``count`` a whole number >= 0, ``seconds`` a number >= 0, ``yes/no`` a boolean.
PROFILE_SETTING_TYPES: dict[str, str] = {
    "CONCURRENT_REQUESTS_PER_DOMAIN": "count", "DOWNLOAD_DELAY": "seconds", "RANDOMIZE_DOWNLOAD_DELAY": "yes/no",
    "DOWNLOAD_TIMEOUT": "seconds", "RETRY_TIMES": "count", "AUTOTHROTTLE_ENABLED": "yes/no",
    "AUTOTHROTTLE_TARGET_CONCURRENCY": "seconds", "DOWNLOAD_MAXSIZE": "count",
    "ONIONWATCH_CONNECT_TIMEOUT": "seconds", "ONIONWATCH_UNREACHABLE_AFTER": "seconds",
    "ONIONWATCH_RETRY_BACKOFF_MAX": "seconds", "ONIONWATCH_PHOTO_MAXSIZE": "count",
    "ONIONWATCH_PHOTOS_PER_LISTING": "count",
}
PROFILE_SETTABLE = frozenset(PROFILE_SETTING_TYPES)
_EXPECTED = {"count": "a whole number (0 or more)", "seconds": "a number of seconds (0 or more)",
             "yes/no": "true or false"}


def check_profile_settings(values: Mapping[str, Any]) -> list[str]:
    """What is wrong with a profile's ``settings:`` block, one message a key (empty when all is well).

    >>> check_profile_settings({"DOWNLOAD_DELAY": "abc", "RETRY_TIMES": 2, "AUTOTHROTTLE_ENABLED": "yes"})
    ["DOWNLOAD_DELAY: expected a number of seconds (0 or more), got 'abc'", "AUTOTHROTTLE_ENABLED: expected true or false, got 'yes'"]
    """
    problems = []
    for key, value in values.items():
        kind = PROFILE_SETTING_TYPES.get(key)
        if kind is None:
            problems.append(f"{key}: not a setting a profile may change (allowed: {', '.join(sorted(PROFILE_SETTABLE))})")
        elif not _fits(kind, value):
            problems.append(f"{key}: expected {_EXPECTED[kind]}, got {value!r}")
    return problems


def _fits(kind: str, value: Any) -> bool:
    if kind == "yes/no":
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if kind == "count":
        return isinstance(value, int) and value >= 0
    return value >= 0 and value != float("inf")


#: Each source of settings and its Scrapy priority: a run's flags beat the profile, which beats
#: the defaults (``scrapy.settings.SETTINGS_PRIORITIES``: default 0, spider 30, cmdline 40).
PRIORITIES: dict[str, str] = {"defaults": "default", "profile": "spider", "run": "cmdline"}


def add_settings(settings: Settings, source: str, values: Mapping[str, Any]) -> Settings:
    """Put ``values`` into ``settings`` at the priority of ``source`` (a key of :data:`PRIORITIES`).

    A value already there from a source of higher priority stays, so sources may be added in any
    order. A profile may only set :data:`PROFILE_SETTABLE`: anything else is a ValueError.

    >>> s = Settings()
    >>> _ = add_settings(s, "run", {"DOWNLOAD_DELAY": 5})
    >>> _ = add_settings(s, "profile", {"DOWNLOAD_DELAY": 2})
    >>> s.getfloat("DOWNLOAD_DELAY"), s.getpriority("DOWNLOAD_DELAY")
    (5.0, 40)
    """
    if source not in PRIORITIES:
        raise ValueError(f"unknown settings source {source!r} (known: {', '.join(PRIORITIES)})")
    if source == "profile":
        unknown = set(values) - PROFILE_SETTABLE
        if unknown:
            raise ValueError(f"profile settings not allowed: {sorted(unknown)} (allowed: {sorted(PROFILE_SETTABLE)})")
    settings.setdict(dict(values), priority=PRIORITIES[source])
    return settings


def crawl_settings(profile_settings: Mapping[str, Any], run: Mapping[str, Any] | None = None) -> Settings:
    """Scrapy's settings, then onionwatch's defaults, the profile's politeness settings and the
    run's values (``ONIONWATCH_*``, and flags such as ``--concurrency``), each at its priority.

    >>> s = crawl_settings({"DOWNLOAD_DELAY": 2}, {"ONIONWATCH_MARKET": "m"})
    >>> s["DOWNLOAD_DELAY"], s["ONIONWATCH_MARKET"], s["USER_AGENT"] == TOR_BROWSER_USER_AGENT
    (2, 'm', True)
    """
    settings = Settings()
    add_settings(settings, "defaults", BASE_SETTINGS)
    add_settings(settings, "profile", profile_settings)
    add_settings(settings, "run", run or {})
    return settings
