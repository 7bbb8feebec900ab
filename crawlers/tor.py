"""Routing through Tor: the SOCKS5 proxy, per-market circuit credentials, and the fail-closed check.

Every request to a market goes through a SOCKS5 proxy with remote DNS (``socks5h``): the crawler
sends the host name to the proxy and never looks it up itself. By default that proxy is Tor's
``127.0.0.1:9050``. The only connections made without the proxy go to loopback addresses
(the sandbox on 127.0.0.1), and only when no proxy was asked for explicitly.

Circuit isolation: each market (and each account on it) gets its own SOCKS username and password.
Tor, with ``IsolateSOCKSAuth`` (on by default on its SocksPort), never puts streams with different
credentials on the same circuit, so two markets cannot correlate the crawler's requests.

>>> proxy = parse_proxy("socks5h://127.0.0.1:9050")
>>> proxy.url_for(circuit_credentials("empire", "buyer1"))
'socks5h://empire:buyer1@127.0.0.1:9050'
>>> is_loopback_host("127.0.0.1"), is_loopback_host("abc.onion")
(True, False)
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

__all__ = ["DEFAULT_PROXY", "SocksProxy", "ProxyUnreachable", "parse_proxy", "circuit_credentials",
           "check_proxy", "is_loopback_host"]

#: Tor's own SOCKS port, used unless another proxy is given.
DEFAULT_PROXY = "socks5h://127.0.0.1:9050"
#: The password of the public (logged-out) circuit of a market.
PUBLIC_ACCOUNT = "public"


class ProxyUnreachable(ConnectionError):
    """The configured SOCKS5 proxy does not answer: the crawl stops instead of going direct."""


@dataclass(frozen=True)
class SocksProxy:
    """A SOCKS5 proxy with remote name resolution, e.g. Tor's SocksPort."""

    host: str
    port: int

    def url_for(self, credentials: tuple[str, str]) -> str:
        """The proxy URL carrying a circuit's credentials, as Scrapy's ``meta["proxy"]``."""
        user, password = credentials
        return f"socks5h://{quote(user, safe='')}:{quote(password, safe='')}@{self.host}:{self.port}"

    def __str__(self) -> str:
        return f"socks5h://{self.host}:{self.port}"


def parse_proxy(url: str) -> SocksProxy:
    """Read a proxy URL; only ``socks5h://`` (or ``socks5://``, treated alike: names are never
    resolved locally) is accepted, so no setting can make the crawler talk to a market directly.

    >>> parse_proxy("http://127.0.0.1:8118")
    Traceback (most recent call last):
    ...
    ValueError: proxy 'http://127.0.0.1:8118': use a SOCKS5 URL like socks5h://127.0.0.1:9050 (Tor's SocksPort)
    """
    parts = urlsplit(url if "://" in url else f"socks5h://{url}")
    if parts.scheme not in ("socks5h", "socks5") or not parts.hostname or not parts.port:
        raise ValueError(f"proxy {url!r}: use a SOCKS5 URL like socks5h://127.0.0.1:9050 (Tor's SocksPort)")
    if parts.username or parts.password:
        raise ValueError(f"proxy {url!r}: leave the credentials out; onionwatch sets them per market and account")
    return SocksProxy(parts.hostname, parts.port)


def circuit_credentials(market: str, account: str | None = None) -> tuple[str, str]:
    """SOCKS username and password that give a market (and an account on it) circuits of its own.

    Tor sees them only on the local SocksPort; markets never see them.
    """
    return (market, account or PUBLIC_ACCOUNT)


def is_loopback_host(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: the only hosts reached without the proxy."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_proxy(proxy: SocksProxy, timeout: float = 10.0) -> None:
    """Fail closed before a crawl: the proxy must accept a TCP connection and speak SOCKS5.

    Sends only the SOCKS5 greeting (no request), so nothing leaves the machine.
    """
    hint = (f"no SOCKS5 proxy answers at {proxy}: start Tor (its SocksPort) or give the right address"
            " with --proxy / ONIONWATCH_PROXY. onionwatch never falls back to a direct connection.")
    try:
        with socket.create_connection((proxy.host, proxy.port), timeout=timeout) as sock:
            sock.sendall(b"\x05\x02\x00\x02")  # version 5, offering "no auth" and "username/password"
            reply = sock.recv(2)
    except OSError as exc:
        raise ProxyUnreachable(f"{hint} ({exc})") from exc
    if len(reply) != 2 or reply[0] != 5:
        raise ProxyUnreachable(f"{hint} (it answered {reply!r}, not SOCKS5)")
