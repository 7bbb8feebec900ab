"""Wait out an onion service that is not there yet, or is restarting; fail the market when it stays away.

A downloader middleware (priority 700: it sees a failed download before the session middleware's
mirror failover and Scrapy's immediate retries). Tor fails a CONNECT to an onion service for
reasons that pass with time: the descriptor is not published yet (SOCKS 0xF0), the introduction or
rendezvous failed while the service restarts (0xF2, 0xF3, 0xF7), the circuit could not be built
within ``ONIONWATCH_CONNECT_TIMEOUT``, a connection closed under a response. For those:

- the request is put back in the frontier after a backoff (1 s, doubling, at most
  ``ONIONWATCH_RETRY_BACKOFF_MAX``), by a timer: it holds no download slot while it waits, and
  other requests carry on;
- when any request of the market gets through again, every waiting retry is sent at once (the
  market is back: no need to sit out the rest of the backoff);
- a market with mirrors (the profile's, or ones its pages list) is left to the session
  middleware's failover, which marks it down when every address fails;
- when nothing of the market got through for ``ONIONWATCH_UNREACHABLE_AFTER`` seconds, the crawl
  stops with the reason ``market_down`` and a message that says what happened and how to resume
  (the failed requests stay in the crawl's frontier, so ``--resume`` fetches them).

Errors that will not pass (0xF6 bad address, 0xF4/0xF5 client authorization) stop the crawl at
once with the same reason and a message naming the error. A crawl that ends having fetched
nothing after failed downloads also stops as ``market_down`` instead of ``finished``: an empty
crawl is never a success.

Stats: ``onionwatch/unreachable_retries``, ``onionwatch/socks_error/0xNN``,
``onionwatch/unreachable_seconds`` (the longest outage waited out).
"""
from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import (CloseSpider, DontCloseSpider, DownloadConnectionRefusedError, DownloadFailedError,
                               DownloadTimeoutError, IgnoreRequest, ResponseDataLossError)

from crawlers.downloader.socks import DirectConnectionRefused
from crawlers.downloader.tor_socks import OnionConnectTimeout, TorSocksError
from crawlers.middlewares.session import INTERNAL_META_KEY
from crawlers.photos import PHOTO_META_KEY
from crawlers.tor import ProxyUnreachable, check_proxy, parse_proxy

__all__ = ["UnreachableMiddleware", "RETRIES_META_KEY"]

logger = logging.getLogger(__name__)

RETRIES_META_KEY = "onionwatch_unreachable_tries"
STOP_REASON = "market_down"
#: The failures worth waiting out (the Tor ones, and connections that dropped under a response).
TRANSIENT = (OnionConnectTimeout, DownloadTimeoutError, DownloadConnectionRefusedError, DownloadFailedError,
             ResponseDataLossError, ConnectionError, TimeoutError)


class UnreachableMiddleware:
    def __init__(self, crawler, *, unreachable_after: float = 300.0, backoff_max: float = 8.0,
                 backoff_base: float = 1.0) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.market = crawler.settings.get("ONIONWATCH_MARKET") or "market"
        self.crawl_id = crawler.settings.get("ONIONWATCH_CRAWL_ID") or ""
        self.unreachable_after = unreachable_after
        self.backoff_max = backoff_max
        self.backoff_base = backoff_base
        self.last_success = time.monotonic()
        self.failing_since: float | None = None
        self.waiting: dict[int, object] = {}  # id(request) -> twisted DelayedCall
        self.last_error = ""
        self.stopping = False
        self.proxy = parse_proxy(crawler.settings["ONIONWATCH_PROXY"]) if crawler.settings.get("ONIONWATCH_PROXY") else None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        mw = cls(crawler, unreachable_after=s.getfloat("ONIONWATCH_UNREACHABLE_AFTER", 300.0),
                 backoff_max=s.getfloat("ONIONWATCH_RETRY_BACKOFF_MAX", 8.0))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_opened(self, spider=None) -> None:
        self.last_success = time.monotonic()
        from crawlers.middlewares.session import SessionMiddleware

        for mw in self.crawler.engine.downloader.middleware.middlewares:
            if isinstance(mw, SessionMiddleware):
                self.session = mw

    def _has_mirrors(self) -> bool:
        """A market with other addresses fails over to them first (the session middleware)."""
        session = getattr(self, "session", None)
        return session is not None and len(session.origins) > 1

    # --- responses: the market is there ---------------------------------------------------
    def process_response(self, request, response, spider=None):
        self.last_success = time.monotonic()
        if self.failing_since is not None:
            outage = self.last_success - self.failing_since
            self.failing_since = None
            if outage > (self.stats.get_value("onionwatch/unreachable_seconds") or 0):
                self.stats.set_value("onionwatch/unreachable_seconds", round(outage, 1))
            logger.warning("%s: reachable again after %.1fs; sending %d waiting request(s) now",
                           self.market, outage, len(self.waiting))
        for call in list(self.waiting.values()):
            if call.active():
                call.reset(0)
        return response

    # --- failures ---------------------------------------------------------------------------
    def process_exception(self, request, exception, spider=None):
        if self.stopping or isinstance(exception, (IgnoreRequest, DirectConnectionRefused)) \
                or request.meta.get(INTERNAL_META_KEY) or request.meta.get(PHOTO_META_KEY):
            return None  # (logins and photos are fetched by their callers, who handle failures)
        if request.meta.get("proxy") and self.proxy is not None and not isinstance(exception, TorSocksError):
            try:
                check_proxy(self.proxy, timeout=5.0)
            except ProxyUnreachable:
                return None  # Tor itself is gone: the routing middleware stops the crawl
        if isinstance(exception, TorSocksError):
            self.stats.inc_value(f"onionwatch/socks_error/0x{exception.code:02X}")
            if not exception.transient:
                self._stop(f"{self.market}: Tor refused {request.url}: {exception}. Check the market's"
                           " address in its profile (and client authorization, if it needs one).")
                raise IgnoreRequest(str(exception)) from exception
        elif not isinstance(exception, TRANSIENT):
            return None
        if self._has_mirrors():
            return None
        now = time.monotonic()
        self.last_error = f"{type(exception).__name__}: {exception}"
        if self.failing_since is None:
            self.failing_since = now
            logger.warning("%s: %s failed (%s); retrying with backoff, for up to %.0fs without an answer",
                           self.market, request.url, self.last_error, self.unreachable_after)
        if now - self.last_success >= self.unreachable_after:
            self._stop(self._unreachable_message(now))
            raise IgnoreRequest("market unreachable") from exception
        tries = request.meta.get(RETRIES_META_KEY, 0) + 1
        delay = min(self.backoff_base * 2 ** (tries - 1), self.backoff_max,
                    max(0.0, self.unreachable_after - (now - self.last_success)))
        again = request.replace(dont_filter=True)
        again.meta[RETRIES_META_KEY] = tries
        for key in ("download_slot", "download_latency", "retry_times"):
            again.meta.pop(key, None)
        self.stats.inc_value("onionwatch/unreachable_retries")
        logger.info("%s: %s failed (%s); retrying in %.1fs", self.market, request.url, self.last_error, delay)
        from twisted.internet import reactor  # (the installed one: importing it earlier would install one)

        self.waiting[id(again)] = reactor.callLater(delay, self._send, again)
        raise IgnoreRequest(f"retrying {request.url} in {delay:.1f}s") from exception

    def _send(self, request) -> None:
        self.waiting.pop(id(request), None)
        engine = self.crawler.engine
        if self.stopping or engine is None or engine.spider is None:
            return
        engine.crawl(request)

    def _unreachable_message(self, now: float) -> str:
        resume = f" --resume {self.crawl_id}" if self.crawl_id else ""
        return (f"{self.market} could not be reached through the proxy for {now - self.last_success:.0f}s"
                f" (last error: {self.last_error}). If the onion service is new or restarting, its"
                f" descriptor may not be published yet: try again later with `onionwatch crawl{resume}`"
                " (nothing fetched so far is lost); check that Tor is connected (its log says"
                " 'Bootstrapped 100%') and that the address in the profile is right.")

    # --- ending -------------------------------------------------------------------------------
    def spider_idle(self, spider=None) -> None:
        if self.stopping:
            return
        if self.waiting:
            raise DontCloseSpider
        pages = self.stats.get_value("response_received_count") or 0
        failed = self.stats.get_value("downloader/exception_count") or 0
        if pages == 0 and failed:
            self._stop(f"{self.market}: the crawl fetched nothing: every one of {failed} download(s) failed"
                       f" (last error: {self.last_error or self.stats.get_value('onionwatch/last_error')}). Check"
                       " the proxy (--proxy, Tor's SocksPort) and the market's address, then try again.",
                       close=False)
            raise CloseSpider(STOP_REASON)

    def spider_closed(self, spider=None) -> None:
        for call in self.waiting.values():
            if call.active():
                call.cancel()
        self.waiting.clear()

    def _stop(self, message: str, close: bool = True) -> None:
        if self.stopping:
            return
        self.stopping = True
        logger.error("%s", message)
        self.stats.set_value("onionwatch/stop_message", message)
        for call in self.waiting.values():
            if call.active():
                call.cancel()
        self.waiting.clear()
        engine = self.crawler.engine
        if close and engine is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason=STOP_REASON))
