"""What Tor's SOCKS port answers when it cannot give a stream, and how long to wait for it.

- **Tor's extended errors.** With ``ExtendedErrors`` on its SocksPort, Tor answers a failed
  ``.onion`` CONNECT with codes RFC 1928 does not list (0xF0 "descriptor can not be found", 0xF2
  "introduction failed", 0xF6 "bad address", ...). A crawl must tell "not published yet, wait"
  from "this address is wrong, stop": :class:`TorSocksError` carries the code and says whether the
  failure is transient.
- **The connect phase.** The SOCKS CONNECT reply arrives only once Tor has fetched the descriptor
  and built the rendezvous circuit (seconds, or never when the service is gone): it is bounded by
  the connect timeout, not the download timeout, and :class:`OnionConnectTimeout` says so.

The SOCKS client that raises them is :mod:`crawlers.downloader.socks_endpoint`.

>>> error = TorSocksError(0xF0, "abc.onion")
>>> error.transient, error.reason
(True, 'onion service descriptor can not be found')
>>> TorSocksError(0xF6, "abc.onion").transient
False
"""
from __future__ import annotations

from scrapy.exceptions import DownloadConnectionRefusedError, DownloadTimeoutError

__all__ = ["SOCKS_REPLIES", "TRANSIENT_REPLIES", "TorSocksError", "OnionConnectTimeout"]

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
