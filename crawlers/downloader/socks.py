"""The HTTP(S) download handler: Scrapy's httpx handler, speaking SOCKS5 to Tor, and nothing else.

Why this one. Scrapy's default handler (Twisted's HTTP/1.1 agent) has no SOCKS support, and
txtorcon's Twisted SOCKS client cannot send a username and password, which Tor's
``IsolateSOCKSAuth`` needs to give each market its own circuits. Scrapy (2.19+) ships
``HttpxDownloadHandler`` over httpx2, whose SOCKS5 client (httpcore2 + socksio) sends host names to
the proxy (remote DNS: ``ATYP=3``), authenticates with a username and password (RFC 1929) and keeps
one connection pool a proxy URL, that is one pool a circuit. This subclass adds the guarantee the
crawler needs, whatever the middleware order or the settings say: a request is only sent

- through the configured proxy (``meta["proxy"]`` must name it), or
- directly to a loopback address (the sandbox), when ``ONIONWATCH_DIRECT_LOOPBACK`` allows it.

Anything else fails with :class:`DirectConnectionRefused` before a socket is opened. FTP and S3
handlers are switched off in :mod:`crawlers.settings`, so no other scheme can go around it.

Connections to the proxy go through :class:`~crawlers.downloader.tor_socks.TorNetworkBackend`:
the SOCKS handshake (for an onion service: the descriptor fetch and the rendezvous) is bounded by
``ONIONWATCH_CONNECT_TIMEOUT`` (default 30 s; ``DOWNLOAD_TIMEOUT`` stays the read timeout), a
timeout there raises :class:`~crawlers.downloader.tor_socks.OnionConnectTimeout`, and Tor's
refusals, its extended error codes included, raise
:class:`~crawlers.downloader.tor_socks.TorSocksError` with the code and whether it is transient.

httpx2 and httpcore2 log every request (INFO) and trace every step of it (DEBUG). Their loggers are
set to the crawl's ``LOG_LEVEL`` (unless something configured them already), so a crawl at the usual
WARNING does not build, and then drop, a dozen log records a page (:func:`quiet_client_loggers`).
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers._httpx import HttpxDownloadHandler
from scrapy.core.downloader.handlers._httpx import httpx
from scrapy.exceptions import DownloadFailedError, DownloadTimeoutError

from crawlers.downloader.streams import QuickInfoBackend
from crawlers.downloader.tor_socks import OnionConnectTimeout, TorNetworkBackend
from crawlers.middlewares.tor import routes_direct
from crawlers.tor import DEFAULT_PROXY, SocksProxy, parse_proxy

__all__ = ["SocksDownloadHandler", "DirectConnectionRefused", "check_route", "quiet_client_loggers",
           "DEFAULT_CONNECT_TIMEOUT"]

#: Seconds to get a connection through Tor (an onion circuit takes a few): ``ONIONWATCH_CONNECT_TIMEOUT``.
DEFAULT_CONNECT_TIMEOUT = 30.0


class DirectConnectionRefused(DownloadFailedError):
    """A request would have left the machine without the proxy: refused, never sent."""


def check_route(request, proxy: SocksProxy, direct_loopback: bool) -> None:
    """Raise :class:`DirectConnectionRefused` unless the request goes through ``proxy`` or is a
    loopback request that may go direct."""
    host = urlsplit(request.url).hostname
    via = request.meta.get("proxy")
    if via:
        parts = urlsplit(via)
        if parts.scheme in ("socks5h", "socks5") and (parts.hostname, parts.port) == (proxy.host, proxy.port):
            return
        raise DirectConnectionRefused(
            f"refused {request.url}: proxy {parts.scheme}://{parts.hostname}:{parts.port} is not the"
            f" configured {proxy}")
    if routes_direct(host, direct_loopback):
        return
    raise DirectConnectionRefused(
        f"refused {request.url}: it has no proxy set and {host} is not a loopback address;"
        " onionwatch never connects to a market directly")


#: The HTTP client's loggers (httpx2 logs each request, httpcore2 traces each step when DEBUG is on).
CLIENT_LOGGERS = ("httpx2", "httpcore2")
_SET_BY_US: dict[str, int] = {}  # logger -> the level quiet_client_loggers gave it


def quiet_client_loggers(settings) -> int:
    """Set the HTTP client's loggers to the crawl's log level (``LOG_LEVEL``; nothing at all when
    ``LOG_ENABLED`` is false), leaving alone a logger someone else has set a level on; return the level.

    httpcore2 checks its logger once a request and, below DEBUG, skips its tracing altogether.

    >>> from scrapy.settings import Settings
    >>> quiet_client_loggers(Settings({"LOG_LEVEL": "WARNING"})) == logging.WARNING
    True
    >>> logging.getLogger("httpcore2").isEnabledFor(logging.DEBUG)
    False
    >>> for name in CLIENT_LOGGERS: logging.getLogger(name).setLevel(logging.NOTSET)
    """
    level = settings.get("LOG_LEVEL") or "DEBUG"
    level = logging.getLevelName(level.upper()) if isinstance(level, str) else int(level)
    if not isinstance(level, int):  # an unknown name: Scrapy's own handler will complain about it
        level = logging.DEBUG
    if not settings.getbool("LOG_ENABLED", True):
        level = logging.CRITICAL + 1
    for name in CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or _SET_BY_US.get(name) == logger.level:
            logger.setLevel(level)
            _SET_BY_US[name] = level
    return level


class SocksDownloadHandler(HttpxDownloadHandler):
    #: Scrapy's httpx handler warns that it is experimental; onionwatch pins the Scrapy version
    #: it is tested with (see setup.cfg) and tests it through a real SOCKS5 server.
    experimental = False

    def __init__(self, crawler):
        self._connect_timeout = crawler.settings.getfloat("ONIONWATCH_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT)
        super().__init__(crawler)
        self._proxy = parse_proxy(crawler.settings.get("ONIONWATCH_PROXY") or DEFAULT_PROXY)
        self._direct_loopback = crawler.settings.getbool("ONIONWATCH_DIRECT_LOOPBACK", True)
        quiet_client_loggers(crawler.settings)

    @asynccontextmanager
    async def _make_request(self, request, timeout):
        check_route(request, self._proxy, self._direct_loopback)
        try:
            async with super()._make_request(request, timeout) as response:
                yield response
        except DownloadTimeoutError as exc:
            if isinstance(exc.__cause__, httpx.ConnectTimeout):
                raise OnionConnectTimeout(
                    f"no connection to {urlsplit(request.url).hostname} through the proxy within"
                    f" {self._connect_timeout:g}s (ONIONWATCH_CONNECT_TIMEOUT): {exc.__cause__}") from exc
            raise

    def _make_client(self, proxy_url=None):
        client = super()._make_client(proxy_url)
        # httpcore2's pools take a network backend (its extension point); httpx2's transport does
        # not pass one through, so it is set on the pool it built. Streams answer questions about
        # their connection from values read once (crawlers.downloader.streams).
        pool = client._transport._pool
        if proxy_url:
            pool._network_backend = TorNetworkBackend(self._connect_timeout, QuickInfoBackend())
        else:
            pool._network_backend = QuickInfoBackend(pool._network_backend)
        return client
