"""A plain HTTP GET through a Tor client's SOCKS5 port, by host name (Tor resolves it).

An independent client (PySocks + ``http.client``), used to check the network and onion services
apart from the crawler. SOCKS credentials pick the circuit when the port has ``IsolateSOCKSAuth``.
Only 127.0.0.1 proxies are accepted.
"""
from __future__ import annotations

import http.client

__all__ = ["http_get", "SocksHTTPConnection"]


class SocksHTTPConnection(http.client.HTTPConnection):
    """``HTTPConnection`` whose socket is a SOCKS5 tunnel with remote name resolution."""

    def __init__(self, host: str, port: int = 80, *, socks_port: int, username: str | None = None,
                 password: str | None = None, timeout: float = 60.0) -> None:
        super().__init__(host, port, timeout=timeout)
        self._proxy = ("127.0.0.1", socks_port, username, password)

    def connect(self) -> None:
        import socks  # PySocks, imported on use: the module imports without it

        proxy_host, proxy_port, username, password = self._proxy
        sock = socks.socksocket()
        sock.set_proxy(socks.SOCKS5, proxy_host, proxy_port, rdns=True, username=username,
                       password=password)
        sock.settimeout(self.timeout)
        sock.connect((self.host, self.port))
        self.sock = sock


def http_get(socks_port: int, host: str, path: str = "/", *, port: int = 80, timeout: float = 60.0,
             username: str | None = None, password: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET ``http://host:port/path`` through the SOCKS port; ``(status, headers, body)``.

    Raises ``OSError`` (``socks.ProxyError`` and friends) when Tor cannot reach the host, e.g.
    ``0xF0`` "onion service descriptor can not be found" before the descriptor is published.
    """
    conn = SocksHTTPConnection(host, port, socks_port=socks_port, username=username,
                               password=password, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()
