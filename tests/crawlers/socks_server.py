"""A real SOCKS5 server on loopback for the tests: pproxy, recording every request it is asked.

pproxy parses the SOCKS5 handshake (RFC 1928/1929) and relays the bytes; this harness only adds
what the tests need around it: a map from ``.onion``-style names to sandbox ports on 127.0.0.1
(the only place those names resolve, like Tor's hidden-service directory), the set of accepted
username/password pairs, and a log of (credentials, host, port) for every CONNECT.
"""
from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

import pproxy
from pproxy.server import ProxyDirect

__all__ = ["RecordingSocksServer", "Connect"]


@dataclass(frozen=True)
class Connect:
    credentials: str | None
    host: str
    port: int


class _OnionRoutes(ProxyDirect):
    """pproxy's direct route, except that names are looked up in the map and nowhere else."""

    def __init__(self, names: dict[str, int], log: list) -> None:
        super().__init__()
        self.names = names
        self.log = log

    def wait_open_connection(self, host, port, local_addr, family):
        self.log.append(("connect", host, port))
        if host not in self.names:
            raise ConnectionRefusedError(f"{host} is not a name this proxy knows")
        return asyncio.open_connection(host="127.0.0.1", port=self.names[host])


@dataclass
class RecordingSocksServer:
    names: dict[str, int]
    users: list[str]
    connects: list[Connect] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._raw: list = []
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server = None

    def _modstat(self, user, remote_ip, host_name):
        pending = next((r for r in self._raw if r[0] == "connect" and r[1] == host_name), None)
        port = pending[2] if pending else 0
        if pending:
            self._raw.remove(pending)
        self.connects.append(Connect(user.decode() if user else None, host_name, port))
        return lambda kind: (lambda n: None)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        server = pproxy.Server("socks5://127.0.0.1:0#placeholder:placeholder")
        server.users = [u.encode() for u in self.users]  # (a URL cannot carry pproxy's newline-separated list)
        self._server = self._loop.run_until_complete(server.start_server({
            "rserver": [_OnionRoutes(self.names, self._raw)], "verbose": lambda text: None,
            "modstat": self._modstat}))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def __enter__(self) -> "RecordingSocksServer":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    @property
    def url(self) -> str:
        return f"socks5h://127.0.0.1:{self.port}"
