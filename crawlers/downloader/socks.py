"""The HTTP(S) download handler: Scrapy's own (Twisted) HTTP/1.1 handler, speaking SOCKS5 to Tor, and nothing else.

Scrapy's default handler (``HTTP11DownloadHandler``: Twisted's HTTP/1.1 client, its connection
pool, ``DOWNLOAD_MAXSIZE``/``DOWNLOAD_WARNSIZE``, the download timeout, data-loss checks) has no
SOCKS support, and txtorcon's Twisted SOCKS client cannot send a username and password, which Tor's
``IsolateSOCKSAuth`` needs to give each market its own circuits. So this subclass gives it, for the
requests whose ``meta["proxy"]`` names the SOCKS proxy, the endpoint of
:mod:`crawlers.downloader.socks_endpoint`: the host name goes to the proxy (remote DNS: ``ATYP=3``),
the circuit's username and password (RFC 1929) come from the proxy URL, and each circuit (proxy URL)
has a connection pool of its own, so a kept-alive connection is never reused on another circuit.

The guarantee the crawler needs holds whatever the middleware order or the settings say: a request
is only sent

- through the configured proxy (``meta["proxy"]`` must name it), or
- directly to a loopback address (the sandbox), when ``ONIONWATCH_DIRECT_LOOPBACK`` allows it
  (those go through Scrapy's handler unchanged).

Anything else fails with :class:`DirectConnectionRefused` before a socket is opened. FTP and S3
handlers are switched off in :mod:`crawlers.settings`, so no other scheme can go around it.

The SOCKS handshake (for an onion service: the descriptor fetch and the rendezvous) is bounded by
``ONIONWATCH_CONNECT_TIMEOUT`` (default 30 s; ``DOWNLOAD_TIMEOUT`` still bounds the whole download):
a timeout there raises :class:`~crawlers.downloader.tor_socks.OnionConnectTimeout`, and Tor's
refusals, its extended error codes included, raise
:class:`~crawlers.downloader.tor_socks.TorSocksError` with the code and whether it is transient.

Two things differ from Scrapy's handler, for the evidence and for the market:

- a response's headers are the header lines the server sent, in their order (Scrapy's handler drops
  Transfer-Encoding and Connection and puts a Content-Length of its own first; the WARC records are
  made from these headers): :class:`_ReceivedHeadersParser`;
- at most ``CONCURRENT_REQUESTS`` connections are open at once on a circuit (and direct), as with
  the httpx handler this one replaced: Scrapy's downloader can start more downloads of a slot than
  its concurrency when its queue is long, and Twisted's pool would open, then close, a connection
  for each extra one. The extra downloads wait for a connection instead, and every connection is
  kept alive.
"""
from __future__ import annotations

import logging
from urllib.parse import unquote, urlsplit

from scrapy.core.downloader.handlers.http11 import (HTTP11DownloadHandler, _LenientHTTP11ClientFactory,
                                                    _LenientHTTP11ClientProtocol, _LenientHTTPClientParser,
                                                    _ScrapyAgent)
from scrapy.exceptions import DownloadFailedError, ResponseDataLossError
from scrapy.http import Headers
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred, DeferredList, DeferredSemaphore
from twisted.internet.endpoints import wrapClientTLS
from twisted.web.client import Agent, HTTPConnectionPool
from twisted.web.error import SchemeNotSupported
from twisted.web.iweb import IAgentEndpointFactory
from zope.interface import implementer

from crawlers.downloader.socks_endpoint import SocksClientEndpoint
from crawlers.middlewares.tor import routes_direct
from crawlers.tor import DEFAULT_PROXY, SocksProxy, parse_proxy

__all__ = ["SocksDownloadHandler", "DirectConnectionRefused", "check_route", "circuit_credentials_of",
           "DEFAULT_CONNECT_TIMEOUT"]

logger = logging.getLogger(__name__)

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


class _ReceivedHeadersParser(_LenientHTTPClientParser):
    """Scrapy's lenient response parser, keeping every header line as it came, in order, on the
    response (``_received_headers``). Twisted files some (Content-Length, Transfer-Encoding,
    Connection...) apart as connection headers, and Scrapy's handler then puts back a Content-Length
    of its own making, first: the evidence must hold the headers the server sent, as it sent them."""

    def headerReceived(self, name: bytes, value: bytes) -> None:
        super().headerReceived(name, value)
        self.response.__dict__.setdefault("_received_headers", []).append((name, value))


class _ReceivedHeadersProtocol(_LenientHTTP11ClientProtocol):
    def request(self, request):
        answer = super().request(request)
        self._parser.__class__ = _ReceivedHeadersParser  # (as Scrapy's own protocol does: no state added)
        return answer


class _ReceivedHeadersFactory(_LenientHTTP11ClientFactory):
    def buildProtocol(self, addr):
        return _ReceivedHeadersProtocol(self._quiescentCallback)


def received_headers(txresponse) -> Headers:
    """A Twisted response's headers as the server sent them (see :class:`_ReceivedHeadersParser`)."""
    headers = Headers()
    for name, value in getattr(txresponse, "_received_headers", ()):
        headers.appendlist(name, value)
    return headers


@implementer(IAgentEndpointFactory)
class _CircuitEndpoints:
    """Twisted's Agent asks this for the endpoint of each URL: a SOCKS stream on one circuit."""

    def __init__(self, reactor, proxy: SocksProxy, credentials: tuple[str, str] | None, connect_timeout: float,
                 tls_policy) -> None:
        self._reactor = reactor
        self._proxy = proxy
        self._credentials = credentials
        self._connect_timeout = connect_timeout
        self._tls_policy = tls_policy

    def endpointForURI(self, uri):
        if uri.scheme not in (b"http", b"https"):
            raise SchemeNotSupported(f"unsupported scheme: {uri.scheme!r}")
        endpoint = SocksClientEndpoint(self._reactor, self._proxy.host, self._proxy.port,
                                       uri.host.decode("ascii"), uri.port, credentials=self._credentials,
                                       connect_timeout=self._connect_timeout)
        if uri.scheme == b"https":
            endpoint = wrapClientTLS(self._tls_policy.creatorForNetloc(uri.host, uri.port), endpoint)
        return endpoint


def circuit_credentials_of(proxy_url: str) -> tuple[str, str] | None:
    """The SOCKS username and password a proxy URL carries (``meta["proxy"]``), or ``None``.

    >>> circuit_credentials_of("socks5h://alpha%20market:public@127.0.0.1:9050")
    ('alpha market', 'public')
    >>> circuit_credentials_of("socks5h://127.0.0.1:9050") is None
    True
    """
    parts = urlsplit(proxy_url)
    if parts.username is None:
        return None
    return unquote(parts.username), unquote(parts.password or "")


class _RoutedAgent(_ScrapyAgent):
    """Scrapy's agent for one request: through the proxy on the circuit of ``credentials`` when
    ``via_proxy``, else (a loopback request check_route let go direct) Scrapy's own agent."""

    def __init__(self, *, via_proxy: bool, credentials: tuple[str, str] | None, proxy: SocksProxy,
                 connect_timeout: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self._via_proxy = via_proxy
        self._credentials = credentials
        self._proxy = proxy
        self._socks_connect_timeout = connect_timeout

    _headers_from_twisted_response = staticmethod(received_headers)

    def _get_agent(self, request, timeout):
        if not self._via_proxy:
            return super()._get_agent(request, timeout)
        from twisted.internet import reactor

        endpoints = _CircuitEndpoints(reactor, self._proxy, self._credentials,
                                      min(timeout, self._socks_connect_timeout), self._contextFactory)
        return Agent.usingEndpointFactory(reactor, endpoints, self._pool)


class SocksDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, sending only through the SOCKS proxy or directly to loopback."""

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.connect_timeout = settings.getfloat("ONIONWATCH_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT)
        self.proxy = parse_proxy(settings.get("ONIONWATCH_PROXY") or DEFAULT_PROXY)
        self._direct_loopback = settings.getbool("ONIONWATCH_DIRECT_LOOPBACK", True)
        # connections open at once on a circuit (or direct), all kept alive (see the module)
        self._connections = settings.getint("CONCURRENT_REQUESTS")
        self._pool.maxPersistentPerHost = max(self._connections, self._pool.maxPersistentPerHost)
        self._pool._factory = _ReceivedHeadersFactory
        self._circuit_pools: dict[tuple[str, str] | None, HTTPConnectionPool] = {}
        self._gates: dict[object, DeferredSemaphore] = {}

    def circuit_pool(self, credentials: tuple[str, str] | None) -> HTTPConnectionPool:
        """The kept-alive connections of one circuit (its SOCKS credentials): a pool of its own, so
        a connection is never reused on another circuit."""
        pool = self._circuit_pools.get(credentials)
        if pool is None:
            from twisted.internet import reactor

            pool = self._circuit_pools[credentials] = HTTPConnectionPool(reactor, persistent=True)
            pool.maxPersistentPerHost = self._pool.maxPersistentPerHost
            pool._factory = _ReceivedHeadersFactory
        return pool

    def _gate(self, key) -> DeferredSemaphore | None:
        if self._connections <= 0:  # CONCURRENT_REQUESTS 0: no limit
            return None
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = DeferredSemaphore(self._connections)
        return gate

    async def download_request(self, request):
        check_route(request, self.proxy, self._direct_loopback)
        via = request.meta.get("proxy")
        credentials = circuit_credentials_of(via) if via else None
        agent = _RoutedAgent(
            via_proxy=bool(via), credentials=credentials, proxy=self.proxy, connect_timeout=self.connect_timeout,
            contextFactory=self._contextFactory, bindAddress=self._bind_address,
            pool=self.circuit_pool(credentials) if via else self._pool,
            maxsize=self._default_maxsize, warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss, crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging)
        gate = self._gate(("socks", credentials) if via else "direct")
        if gate is not None:
            taken: list = []
            try:
                await maybe_deferred_to_future(gate.acquire().addCallback(taken.append))
            except BaseException:  # cancelled while waiting (or just after its turn came)
                if taken:
                    gate.release()
                raise
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise
        finally:
            if gate is not None:
                gate.release()
    async def close(self) -> None:
        from twisted.internet import reactor

        if self._circuit_pools:
            # as Scrapy's own pool: closing cached connections may hang on a dead peer, so it is
            # waited for at most the handler's disconnect timeout
            closed: Deferred = Deferred()
            DeferredList([pool.closeCachedConnections() for pool in self._circuit_pools.values()]).addBoth(
                lambda _: closed.called or closed.callback(None))
            timer = reactor.callLater(self._disconnect_timeout, lambda: closed.called or closed.callback(None))
            await maybe_deferred_to_future(closed)
            if timer.active():
                timer.cancel()
        await super().close()
