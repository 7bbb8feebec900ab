"""Connections answering httpcore2's questions from values read once (crawlers.downloader.streams),
over real loopback connections: the same answers as anyio's stream, and a closed connection seen."""
from __future__ import annotations

import asyncio

import httpcore2

from crawlers.downloader.streams import QuickInfoBackend, QuickInfoStream


async def _serve(closing: asyncio.Event):
    async def handle(reader, writer):
        await closing.wait()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_answers_match_anyio_and_a_server_close_is_seen():
    async def scenario():
        closing = asyncio.Event()
        server, port = await _serve(closing)
        plain = await httpcore2.AnyIOBackend().connect_tcp("127.0.0.1", port)
        quick = await QuickInfoBackend().connect_tcp("127.0.0.1", port)
        assert isinstance(quick, QuickInfoStream)
        for name in ("server_addr", "ssl_object"):
            assert quick.get_extra_info(name) == plain.get_extra_info(name)
        assert quick.get_extra_info("server_addr")[1] == port
        assert quick.get_extra_info("client_addr") is not None
        assert quick.get_extra_info("is_readable") is False  # idle and open: reusable
        closing.set()
        for _ in range(100):  # the server closes both; EOF makes the socket readable
            if quick.get_extra_info("is_readable"):
                break
            await asyncio.sleep(0.01)
        assert quick.get_extra_info("is_readable") is True
        assert plain.get_extra_info("is_readable") is True
        await quick.aclose()
        await plain.aclose()
        assert quick.get_extra_info("is_readable") is True  # a closed socket counts as readable
        server.close()
        await server.wait_closed()

    asyncio.run(asyncio.wait_for(scenario(), timeout=30))


def test_bytes_pass_through_unchanged():
    async def scenario():
        async def echo(reader, writer):
            writer.write(await reader.readexactly(5))
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(echo, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        stream = await QuickInfoBackend().connect_tcp("127.0.0.1", port)
        await stream.write(b"hello")
        assert await stream.read(5) == b"hello"
        await stream.aclose()
        server.close()
        await server.wait_closed()

    asyncio.run(asyncio.wait_for(scenario(), timeout=30))
