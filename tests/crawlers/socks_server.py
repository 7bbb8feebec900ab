"""A real SOCKS5 server on loopback for the tests: pproxy, recording every request it is asked.

pproxy parses the SOCKS5 handshake (RFC 1928/1929) and relays the bytes; this harness only adds
what the tests need around it: a map from ``.onion``-style names to sandbox ports on 127.0.0.1
(the only place those names resolve, like Tor's hidden-service directory), the set of accepted
username/password pairs, and a log of (credentials, host, port) for every CONNECT.

It can also answer like Tor does when an onion service is not there: :meth:`RecordingSocksServer.script`
queues, per host name, the answers to its next CONNECTs: a SOCKS reply code (Tor's ExtendedErrors
such as 0xF0 "descriptor can not be found", 0xF2 "introduction failed", 0xF6 "bad address"), or
``HANG`` (no answer at all, as while Tor waits for a rendezvous). pproxy itself replies "succeeded"
before it connects, so those answers are written by a thin wrapper of its SOCKS5 ``accept``.
"""
from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

import pproxy
from pproxy.server import ProxyDirect

__all__ = ["RecordingSocksServer", "Connect", "HANG"]

#: A scripted answer: read the CONNECT and say nothing until the client gives up.
HANG = "hang"


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
        self._scripted: dict[str, list] = {}
        self.refused: list[tuple[str, int | str]] = []

    def script(self, host: str, *answers: int | str) -> None:
        """Answer the next CONNECTs to ``host`` with these reply codes (or :data:`HANG`), in order;
        after them, connect as usual."""
        self._loop.call_soon_threadsafe(self._scripted.setdefault(host, []).extend, answers)

    def clear_script(self, host: str) -> None:
        done = threading.Event()
        self._loop.call_soon_threadsafe(lambda: (self._scripted.pop(host, None), done.set()))
        done.wait(5)

    def scripted_left(self, host: str) -> int:
        return len(self._scripted.get(host, []))

    def _wrap_accept(self, proto) -> None:
        from pproxy.proto import socks_address_stream

        accept = proto.accept

        async def scripted_accept(reader, user, writer, users, authtable, **kw):
            # the same as pproxy's Socks5.accept up to the CONNECT, then the scripted answer, if any
            methods = await reader.read_n((await reader.read_n(1))[0])
            name = None
            if users:
                if b"\x02" not in methods:
                    raise Exception("Unauthorized SOCKS")
                writer.write(b"\x05\x02")
                assert (await reader.read_n(1))[0] == 1, "Unknown SOCKS auth"
                u = await reader.read_n((await reader.read_n(1))[0])
                p = await reader.read_n((await reader.read_n(1))[0])
                name = u + b":" + p
                if name not in users:
                    raise Exception(f"Unauthorized SOCKS {u}:{p}")
                writer.write(b"\x01\x00")
                authtable.set_authed(name)
            else:
                writer.write(b"\x05\x00")
            assert await reader.read_n(3) == b"\x05\x01\x00", "Unknown SOCKS protocol"
            header = await reader.read_n(1)
            host_name, port, data = await socks_address_stream(reader, header[0])
            answers = self._scripted.get(host_name)
            if answers:
                answer = answers.pop(0)
                self.connects.append(Connect(name.decode() if name else None, host_name, port))
                self.refused.append((host_name, answer))
                if answer == HANG:
                    await reader.read_n(1)  # until the client closes
                    raise Exception("client gave up")
                writer.write(bytes([5, answer, 0, 1, 0, 0, 0, 0, 0, 0]))
                await writer.drain()
                raise Exception(f"refused {host_name} with 0x{answer:02X}")
            writer.write(b"\x05\x00\x00" + header + data)
            return name, host_name, port

        del accept
        proto.accept = scripted_accept

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
        for proto in server.protos:
            self._wrap_accept(proto)
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
