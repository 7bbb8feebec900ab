"""Connections whose facts are read once: httpcore2's network streams, without a system call a question.

Before it reuses a kept-alive connection, httpcore2 asks each idle connection of the pool whether
the server closed it (``get_extra_info("is_readable")``), and Scrapy's handler asks every response's
connection for its address and TLS object. On anyio's streams each such question builds anyio's
whole table of socket attributes, calling ``getpeername()`` on the way: a pool of 16 connections
asked twice a request made that a noticeable share of a crawl's CPU.

:class:`QuickInfoBackend` wraps httpcore2's network backend (its documented extension point, also
used by :class:`~crawlers.downloader.tor_socks.TorNetworkBackend`); its streams read the socket,
the addresses and the TLS object once, when the connection is made (or upgraded to TLS), and
answer ``is_readable`` with a zero-timeout poll of that socket, as httpcore2 itself does. Every
other call goes to the wrapped stream unchanged.
"""
from __future__ import annotations

import select
from typing import Any

import httpcore2
from httpcore2 import AsyncNetworkBackend, AsyncNetworkStream

__all__ = ["QuickInfoBackend", "QuickInfoStream", "socket_readable"]

#: The questions answered from the values read when the stream was made.
_CACHED = ("socket", "client_addr", "server_addr", "ssl_object")


def socket_readable(sock) -> bool:
    """Whether ``sock`` has something to read, or is closed: httpcore2's test (``is_socket_readable``)
    that an idle kept-alive connection was closed by the server (it then has EOF to read).

    >>> import socket
    >>> a, b = socket.socketpair()
    >>> socket_readable(a), b.send(b"x"), socket_readable(a), socket_readable(None)
    (False, 1, True, True)
    >>> a.close(); b.close()
    """
    if sock is None or sock.fileno() == -1:
        return True
    if not hasattr(select, "poll"):  # (Windows)
        return bool(select.select([sock], [], [], 0)[0])
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    return bool(poll.poll(0))


class QuickInfoStream(AsyncNetworkStream):
    """A network stream answering ``get_extra_info`` from values read once (see the module)."""

    def __init__(self, stream: AsyncNetworkStream) -> None:
        self._stream = stream
        self._info: dict[str, Any] = {name: stream.get_extra_info(name) for name in _CACHED}

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> AsyncNetworkStream:
        return QuickInfoStream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return socket_readable(self._info["socket"])
        if info in self._info:
            return self._info[info]
        return self._stream.get_extra_info(info)


class QuickInfoBackend(AsyncNetworkBackend):
    """httpcore2's network backend (anyio's by default) whose TCP streams are :class:`QuickInfoStream`."""

    def __init__(self, backend: AsyncNetworkBackend | None = None) -> None:
        self._backend = backend or httpcore2.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return QuickInfoStream(await self._backend.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options))

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return await self._backend.connect_unix_socket(path, timeout=timeout, socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)
