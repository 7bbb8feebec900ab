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
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers._httpx import HttpxDownloadHandler
from scrapy.exceptions import DownloadFailedError

from crawlers.middlewares.tor import routes_direct
from crawlers.tor import DEFAULT_PROXY, SocksProxy, parse_proxy

__all__ = ["SocksDownloadHandler", "DirectConnectionRefused", "check_route"]


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


class SocksDownloadHandler(HttpxDownloadHandler):
    #: Scrapy's httpx handler warns that it is experimental; onionwatch pins the Scrapy version
    #: it is tested with (see setup.cfg) and tests it through a real SOCKS5 server.
    experimental = False

    def __init__(self, crawler):
        super().__init__(crawler)
        self._proxy = parse_proxy(crawler.settings.get("ONIONWATCH_PROXY") or DEFAULT_PROXY)
        self._direct_loopback = crawler.settings.getbool("ONIONWATCH_DIRECT_LOOPBACK", True)

    @asynccontextmanager
    async def _make_request(self, request, timeout):
        check_route(request, self._proxy, self._direct_loopback)
        async with super()._make_request(request, timeout) as response:
            yield response
