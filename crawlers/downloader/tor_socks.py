"""What Tor's SOCKS port answers, read before the HTTP client sees it, and how long to wait for it.

Two gaps of the SOCKS5 client under Scrapy's httpx handler (httpcore2 + socksio) matter for Tor:

- **Tor's extended errors.** With ``ExtendedErrors`` on its SocksPort, Tor answers a failed
  ``.onion`` CONNECT with codes RFC 1928 does not list (0xF0 "descriptor can not be found", 0xF2
  "introduction failed", 0xF6 "bad address", ...). socksio reads those as "Malformed reply", so a
  crawl could not tell "not published yet, wait" from "this address is wrong, stop".
- **The connect phase.** The SOCKS CONNECT reply arrives only once Tor has fetched the descriptor
  and built the rendezvous circuit (seconds, or never when the service is gone), and httpcore2
  waits for it with the *read* timeout: a gone service costs the whole download timeout.

:class:`TorNetworkBackend` wraps httpcore2's network backend (its documented extension point):
the streams it opens bound every read of the SOCKS handshake by the connect timeout, and read the
reply code of the CONNECT answer themselves, raising :class:`TorSocksError` (which says whether the
failure is transient) for anything but success. After the handshake they pass bytes through.

>>> error = TorSocksError(0xF0, "abc.onion")
>>> error.transient, error.reason
(True, 'onion service descriptor can not be found')
>>> TorSocksError(0xF6, "abc.onion").transient
False
"""
from __future__ import annotations

import httpcore2
from httpcore2 import AsyncNetworkBackend, AsyncNetworkStream
from scrapy.exceptions import DownloadConnectionRefusedError, DownloadTimeoutError

__all__ = ["SOCKS_REPLIES", "TRANSIENT_REPLIES", "TorSocksError", "OnionConnectTimeout", "TorNetworkBackend"]

#: SOCKS5 reply codes: RFC 1928's, then Tor's ExtendedErrors (tor's doc/socks-extensions, prop 304).
SOCKS_REPLIES: dict[int, str] = {
    0x01: "general SOCKS server failure",
    0x02: "connection not allowed by ruleset",
    0x03: "network unreachable",
    0x04: "host unreachable",
    0x05: "connection refused",
    0x06: "TTL expired",
    0x07: "command not supported",
    0x08: "address type not supported",
    0xF0: "onion service descriptor can not be found",
    0xF1: "onion service descriptor is invalid",
    0xF2: "onion service introduction failed",
    0xF3: "onion service rendezvous failed",
    0xF4: "onion service missing client authorization",
    0xF5: "onion service wrong client authorization",
    0xF6: "onion service invalid address",
    0xF7: "onion service introduction timed out",
}

#: Failures that pass with time: a descriptor not (yet) published, intro/rendezvous failures while a
#: service restarts, circuits that time out. Tor without ExtendedErrors reports these as 0x01/0x04/0x06.
TRANSIENT_REPLIES = frozenset({0x01, 0x03, 0x04, 0x05, 0x06, 0xF0, 0xF2, 0xF3, 0xF7})

_CONNECT = b"\x05\x01\x00"  # version 5, CONNECT, reserved: the request whose answer we read


class TorSocksError(DownloadConnectionRefusedError):
    """The SOCKS proxy (Tor) refused a CONNECT with ``code``; ``transient`` says whether to retry."""

    def __init__(self, code: int, host: str = "") -> None:
        self.code = code
        self.host = host
        self.reason = SOCKS_REPLIES.get(code, "unknown SOCKS reply")
        self.transient = code in TRANSIENT_REPLIES
        super().__init__(f"SOCKS reply 0x{code:02X} ({self.reason}) for {host or 'the request'}")


class OnionConnectTimeout(DownloadTimeoutError):
    """No connection through the proxy within the connect timeout (Tor could not build the circuit)."""


class _HandshakeStream(AsyncNetworkStream):
    """A stream to the SOCKS proxy: reads bounded by ``connect_timeout`` and the CONNECT reply code
    checked until the handshake is over; a plain pass-through afterwards."""

    def __init__(self, stream: AsyncNetworkStream, connect_timeout: float) -> None:
        self._stream = stream
        self._connect_timeout = connect_timeout
        self._handshake = True
        self._connect_sent = False
        self._host = ""

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if not self._handshake:
            return await self._stream.read(max_bytes, timeout)
        bounded = self._connect_timeout if timeout is None else min(timeout, self._connect_timeout)
        try:
            data = await self._stream.read(max_bytes, bounded)
        except httpcore2.ReadTimeout as exc:
            raise httpcore2.ConnectTimeout(
                f"the SOCKS proxy did not connect to {self._host or 'the host'} within {bounded:g}s") from exc
        if self._connect_sent:
            self._handshake = False
            if len(data) >= 2 and data[0] == 5 and data[1] != 0:
                raise TorSocksError(data[1], self._host)
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self._handshake and buffer.startswith(_CONNECT) and len(buffer) > 6:
            self._connect_sent = True
            if buffer[3] == 3:  # a host name: length-prefixed
                self._host = buffer[5:5 + buffer[4]].decode("ascii", "replace")
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> AsyncNetworkStream:
        self._handshake = False
        return await self._stream.start_tls(ssl_context, server_hostname, timeout)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class TorNetworkBackend(AsyncNetworkBackend):
    """httpcore2's backend for connections to the SOCKS proxy, with :class:`_HandshakeStream`."""

    def __init__(self, connect_timeout: float, backend: AsyncNetworkBackend | None = None) -> None:
        self.connect_timeout = connect_timeout
        self._backend = backend or httpcore2.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        bounded = self.connect_timeout if timeout is None else min(timeout, self.connect_timeout)
        stream = await self._backend.connect_tcp(host, port, timeout=bounded, local_address=local_address,
                                                 socket_options=socket_options)
        return _HandshakeStream(stream, self.connect_timeout)

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return await self._backend.connect_unix_socket(path, timeout=timeout, socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)
