"""A Twisted client endpoint through a SOCKS5 proxy: host names sent to the proxy, a circuit's credentials.

:class:`SocksClientEndpoint` connects to the proxy over TCP and asks it for a stream to a host and
port (RFC 1928 CONNECT). The host is sent as it is written in the URL: a name goes to the proxy as
a name (``ATYP=3``, remote DNS, what ``socks5h`` means) and is never looked up on this machine.
With credentials it authenticates with a username and password (RFC 1929) and accepts no other
method, so Tor (``IsolateSOCKSAuth``) gives each market and account circuits of their own; without
them it offers "no authentication" only. Once the proxy says "succeeded", the protocol of the
factory given to :meth:`~SocksClientEndpoint.connect` is connected to the same TCP transport and
gets the bytes as they arrive; for HTTPS, wrap the endpoint in
:func:`twisted.internet.endpoints.wrapClientTLS`.

The messages are socksio's (the sans-I/O SOCKS library httpx uses); the reply to the CONNECT is
read here, because Tor answers with codes RFC 1928 does not list (its ``ExtendedErrors``) and those
must reach the crawl as :class:`~crawlers.downloader.tor_socks.TorSocksError` with their code.

Everything up to that reply (the TCP connection, the methods, the authentication, the CONNECT,
which for an onion service waits for the descriptor and the rendezvous) is bounded by one connect
timeout: past it the attempt is dropped with :class:`~crawlers.downloader.tor_socks.OnionConnectTimeout`.
A proxy that closes the connection or answers something that is not SOCKS5 fails the attempt with
:class:`SocksProtocolError`.

>>> connect_reply_length(b"\\x05\\x00\\x00\\x01\\x7f\\x00\\x00\\x01\\x00\\x50")
10
>>> connect_reply_length(b"\\x05\\x00\\x00\\x03\\x05")  # a name of 5 bytes, then the port
12
>>> connect_reply_length(b"\\x05\\x00\\x00")  # not enough yet
"""
from __future__ import annotations

from socksio.socks5 import (SOCKS5AuthMethod, SOCKS5AuthMethodsRequest, SOCKS5Command, SOCKS5CommandRequest,
                            SOCKS5UsernamePasswordRequest)
from scrapy.exceptions import DownloadConnectionRefusedError
from twisted.internet.defer import Deferred
from twisted.internet.endpoints import TCP4ClientEndpoint
from twisted.internet.interfaces import IStreamClientEndpoint
from twisted.internet.protocol import Factory, Protocol
from twisted.python.failure import Failure
from zope.interface import implementer

from crawlers.downloader.tor_socks import OnionConnectTimeout, TorSocksError

__all__ = ["SocksClientEndpoint", "SocksProtocolError", "connect_reply_length"]


class SocksProtocolError(DownloadConnectionRefusedError):
    """The proxy closed the connection, or answered something that is not SOCKS5, before the stream
    was open."""


#: Bytes of a CONNECT reply after its 4-byte head, by address type (a name: 1 length byte first).
_ADDRESS_BYTES = {1: 4 + 2, 4: 16 + 2}


def connect_reply_length(data: bytes) -> int | None:
    """The length of the successful CONNECT reply at the start of ``data``, or ``None`` while
    ``data`` is too short to tell (the reply ends with the address the proxy bound, of a size its
    type gives)."""
    if len(data) < 5:
        return None
    atype = data[3]
    if atype == 3:
        return 4 + 1 + data[4] + 2
    if atype in _ADDRESS_BYTES:
        return 4 + _ADDRESS_BYTES[atype]
    raise SocksProtocolError(f"the SOCKS proxy answered the CONNECT with address type {atype}")


class _SocksHandshake(Protocol):
    """Speaks SOCKS5 on a fresh connection to the proxy, then hands the connection to ``wrapped``'s
    protocol and passes every byte and the connection's end to it."""

    def __init__(self, endpoint: SocksClientEndpoint, factory: Factory, done: Deferred) -> None:
        self._endpoint = endpoint
        self._factory = factory
        self._done = done
        self._buffer = b""
        self._state = "methods"
        self.wrapped: Protocol | None = None

    # -- the handshake ----------------------------------------------------------------------
    def connectionMade(self) -> None:
        method = SOCKS5AuthMethod.USERNAME_PASSWORD if self._endpoint.credentials else SOCKS5AuthMethod.NO_AUTH_REQUIRED
        self._method = method[0]
        self.transport.write(SOCKS5AuthMethodsRequest([method]).dumps())

    def dataReceived(self, data: bytes) -> None:
        if self.wrapped is not None:
            self.wrapped.dataReceived(data)
            return
        self._buffer += data
        try:
            self._advance()
        except (SocksProtocolError, TorSocksError) as exc:
            self._fail(exc)

    def _advance(self) -> None:
        endpoint = self._endpoint
        if self._state == "methods" and len(self._buffer) >= 2:
            reply, self._buffer = self._buffer[:2], self._buffer[2:]
            if reply[0] != 5:
                raise SocksProtocolError(f"{endpoint.proxy_name} does not speak SOCKS5 (it answered {reply!r})")
            if reply[1] != self._method:
                raise SocksProtocolError(f"{endpoint.proxy_name} refused the authentication method"
                                         f" 0x{self._method:02X} (it chose 0x{reply[1]:02X})")
            if self._method == SOCKS5AuthMethod.USERNAME_PASSWORD[0]:
                user, password = endpoint.credentials
                self.transport.write(SOCKS5UsernamePasswordRequest(user.encode(), password.encode()).dumps())
                self._state = "auth"
            else:
                self._send_connect()
        if self._state == "auth" and len(self._buffer) >= 2:
            reply, self._buffer = self._buffer[:2], self._buffer[2:]
            if reply != b"\x01\x00":
                raise SocksProtocolError(f"{endpoint.proxy_name} refused the circuit's credentials ({reply!r})")
            self._send_connect()
        if self._state == "connect" and len(self._buffer) >= 2:
            if self._buffer[0] != 5:
                raise SocksProtocolError(f"{endpoint.proxy_name} answered the CONNECT with {self._buffer[:4]!r}")
            if self._buffer[1] != 0:
                raise TorSocksError(self._buffer[1], endpoint.host)
            length = connect_reply_length(self._buffer)
            if length is not None and len(self._buffer) >= length:
                self._open(self._buffer[length:])

    def _send_connect(self) -> None:
        request = SOCKS5CommandRequest.from_address(SOCKS5Command.CONNECT, (self._endpoint.host, self._endpoint.port))
        self.transport.write(request.dumps())
        self._state = "connect"

    # -- the outcomes -----------------------------------------------------------------------
    def _open(self, early: bytes) -> None:
        self._buffer = b""
        self._state = "open"
        self.wrapped = self._factory.buildProtocol(self.transport.getPeer())
        if self.wrapped is None:
            self._fail(SocksProtocolError(f"nothing to speak over the stream to {self._endpoint.host}"))
            return
        self.wrapped.makeConnection(self.transport)
        if not self._done.called:
            self._done.callback(self.wrapped)
        if early:
            self.wrapped.dataReceived(early)

    def _fail(self, exc: Exception) -> None:
        self._state = "failed"
        if not self._done.called:
            self._done.errback(Failure(exc))
        self.transport.abortConnection()

    def connectionLost(self, reason: Failure) -> None:
        if self.wrapped is not None:
            self.wrapped.connectionLost(reason)
        elif not self._done.called:
            self._done.errback(Failure(SocksProtocolError(
                f"{self._endpoint.proxy_name} closed the connection before the stream to"
                f" {self._endpoint.host} was open ({reason.getErrorMessage()})")))


class _HandshakeFactory(Factory):
    noisy = False

    def __init__(self, endpoint: SocksClientEndpoint, factory: Factory, done: Deferred) -> None:
        self.endpoint = endpoint
        self.factory = factory
        self.done = done
        self.protocol_made: _SocksHandshake | None = None

    def buildProtocol(self, addr) -> _SocksHandshake:
        self.protocol_made = _SocksHandshake(self.endpoint, self.factory, self.done)
        return self.protocol_made


@implementer(IStreamClientEndpoint)
class SocksClientEndpoint:
    """A stream to ``host:port`` through the SOCKS5 proxy at ``proxy_host:proxy_port``.

    ``credentials`` is the (username, password) pair of the circuit, or ``None``; ``connect_timeout``
    bounds everything until the proxy answers the CONNECT.
    """

    def __init__(self, reactor, proxy_host: str, proxy_port: int, host: str, port: int, *,
                 credentials: tuple[str, str] | None, connect_timeout: float) -> None:
        self._reactor = reactor
        self.proxy_host = proxy_host
        self.proxy_port = proxy_port
        self.host = host
        self.port = port
        self.credentials = credentials
        self.connect_timeout = connect_timeout

    @property
    def proxy_name(self) -> str:
        return f"the SOCKS proxy {self.proxy_host}:{self.proxy_port}"

    def __repr__(self) -> str:
        return f"<SocksClientEndpoint {self.host}:{self.port} via {self.proxy_host}:{self.proxy_port}>"

    def connect(self, protocolFactory: Factory) -> Deferred:
        return _Attempt(self, protocolFactory).done


class _Attempt:
    """One :meth:`SocksClientEndpoint.connect`: the TCP connection, the handshake, the timer."""

    def __init__(self, endpoint: SocksClientEndpoint, factory: Factory) -> None:
        self.endpoint = endpoint
        self.done: Deferred = Deferred(self._cancel)
        self.handshake = _HandshakeFactory(endpoint, factory, self.done)
        reactor = endpoint._reactor
        self.timer = reactor.callLater(endpoint.connect_timeout, self._timed_out)
        self.done.addBoth(self._settled)
        # the TCP attempt gets no timeout of its own: the timer above bounds it with the rest
        self.tcp = TCP4ClientEndpoint(reactor, endpoint.proxy_host, endpoint.proxy_port,
                                      timeout=endpoint.connect_timeout + 60).connect(self.handshake)
        self.tcp.addErrback(self._tcp_failed)

    def _settled(self, result):
        if self.timer.active():
            self.timer.cancel()
        return result

    def _stop(self) -> None:
        """Drop the attempt: close the connection to the proxy, or stop making it."""
        made = self.handshake.protocol_made
        if made is not None and made.transport is not None:
            made.transport.abortConnection()
        elif not self.tcp.called:
            self.tcp.cancel()

    def _cancel(self, _: Deferred) -> None:
        self._stop()

    def _timed_out(self) -> None:
        if not self.done.called:
            self.done.errback(Failure(OnionConnectTimeout(
                f"no connection to {self.endpoint.host} through the proxy within"
                f" {self.endpoint.connect_timeout:g}s (ONIONWATCH_CONNECT_TIMEOUT)")))
        self._stop()

    def _tcp_failed(self, failure: Failure) -> None:
        if not self.done.called:
            self.done.errback(failure)
