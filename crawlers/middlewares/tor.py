"""Route every request through the market's Tor circuit, keep to the market's hosts, fail closed.

A downloader middleware (priority 60, right after Scrapy's offsite filter), so it also sees the
requests that redirects and retries make:

- a request to a host that is not one of the market's (its base URL, mirrors and ``allow_hosts``)
  is dropped and counted (``onionwatch/refused_offsite``): a redirect to a clearnet host is not
  followed unless the profile allows that host;
- every other request gets ``meta["proxy"]`` with the SOCKS credentials of its market and account
  (``meta["onionwatch_account"]``, else the crawl's account), so Tor isolates it on its own circuit,
  and ``meta["onionwatch_circuit"]`` names that circuit for the evidence;
- when a connection fails and the proxy no longer answers, the crawl is closed with the reason
  ``proxy_unreachable`` instead of carrying on.

Settings: ``ONIONWATCH_PROXY`` (SOCKS5 URL, default Tor's ``socks5h://127.0.0.1:9050``),
``ONIONWATCH_DIRECT_LOOPBACK`` (default True: loopback hosts such as the sandbox are fetched without
the proxy; set False to send them through it too), ``ONIONWATCH_ALLOWED_HOSTS`` (the market's
hosts), ``ONIONWATCH_MARKET``, ``ONIONWATCH_ACCOUNT``.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import deferred_from_coro

from crawlers.tor import (DEFAULT_PROXY, PUBLIC_ACCOUNT, ProxyUnreachable, SocksProxy, check_proxy,
                          circuit_credentials, is_loopback_host, parse_proxy)

__all__ = ["TorRoutingMiddleware", "ACCOUNT_META_KEY", "CIRCUIT_META_KEY", "routes_direct"]

logger = logging.getLogger(__name__)

ACCOUNT_META_KEY = "onionwatch_account"
CIRCUIT_META_KEY = "onionwatch_circuit"


def routes_direct(host: str | None, direct_loopback: bool) -> bool:
    """Whether a host is fetched without the proxy: loopback only, and only when allowed."""
    return direct_loopback and is_loopback_host(host)


class TorRoutingMiddleware:
    def __init__(self, proxy: SocksProxy, market: str, allowed_hosts: frozenset[str], *,
                 account: str | None = None, direct_loopback: bool = True, crawler=None) -> None:
        self.proxy = proxy
        self.market = market
        self.allowed_hosts = allowed_hosts
        self.account = account
        self.direct_loopback = direct_loopback
        self.crawler = crawler
        self.stats = crawler.stats if crawler is not None else None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        market = settings.get("ONIONWATCH_MARKET") or "market"
        hosts = frozenset(h.lower() for h in settings.getlist("ONIONWATCH_ALLOWED_HOSTS"))
        return cls(parse_proxy(settings.get("ONIONWATCH_PROXY") or DEFAULT_PROXY), market, hosts,
                   account=settings.get("ONIONWATCH_ACCOUNT") or None,
                   direct_loopback=settings.getbool("ONIONWATCH_DIRECT_LOOPBACK", True), crawler=crawler)

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def process_request(self, request, spider=None):
        host = (urlsplit(request.url).hostname or "").lower()
        if self.allowed_hosts and host not in self.allowed_hosts:
            self._inc("onionwatch/refused_offsite")
            logger.warning("not following %s: %s is not a host of market %s (add it to the profile's"
                           " allow_hosts to allow it)", request.url, host, self.market)
            raise IgnoreRequest(f"{host} is not a host of market {self.market}")
        account = request.meta.get(ACCOUNT_META_KEY) or self.account
        if routes_direct(host, self.direct_loopback):
            request.meta.pop("proxy", None)
            request.meta[CIRCUIT_META_KEY] = "direct-loopback"
            return None
        request.meta["proxy"] = self.proxy.url_for(circuit_credentials(self.market, account))
        request.meta[CIRCUIT_META_KEY] = f"{self.market}/{account or PUBLIC_ACCOUNT}"
        return None

    def process_exception(self, request, exception, spider=None):
        if not request.meta.get("proxy") or self.crawler is None or self.crawler.engine is None:
            return None
        try:
            check_proxy(self.proxy, timeout=5.0)
        except ProxyUnreachable as exc:
            self._inc("onionwatch/proxy_unreachable")
            logger.error("%s", exc)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="proxy_unreachable"))
        return None
