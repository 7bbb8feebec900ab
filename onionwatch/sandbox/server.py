"""Serve a sandbox market over HTTP on loopback, in a background thread.

The server speaks HTTP only; the market's family renders pages. It binds to 127.0.0.1 and refuses
any other host: the sandbox is never exposed to a network. One DEBUG log line per request.

>>> from onionwatch.sandbox import build_world
>>> with serve(build_world(1, vendors=2, listings=3)) as server:
...     server.url.startswith("http://127.0.0.1:")
True
"""
from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from .families import Request, Response, get_family
from .families.base import HTML_TYPE
from .model import Market, World

__all__ = ["SandboxServer", "serve", "LOOPBACK_HOSTS"]

logger = logging.getLogger(__name__)

#: Host names ``serve`` accepts; all of them bind 127.0.0.1.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
#: Seconds an idle keep-alive connection is held open.
IDLE_TIMEOUT = 30
#: Seconds between checks for shutdown in the serving thread.
POLL_INTERVAL = 0.1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server_version = "nginx"  # what markets behind Tor usually claim
    sys_version = ""
    timeout = IDLE_TIMEOUT
    server: _HTTPServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        split = urlsplit(self.path)
        request = Request(method=self.command, path=unquote(split.path),
                          query=parse_qs(split.query, keep_blank_values=True),
                          headers=dict(self.headers.items()))
        try:
            response = self.server.family(self.server.market, request)
        except Exception:  # a rendering bug must not kill the connection silently
            logger.exception("sandbox failed to render %s", self.path)
            response = Response(500, b"<h1>500 Internal Server Error</h1>", HTML_TYPE)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        logger.debug("%s %s %s %s", self.command, self.path, code, self.server.market.name)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        logger.debug("sandbox http: " + format, *args)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], market: Market) -> None:
        self.market = market
        self.family = get_family(market.family)
        super().__init__(address, _Handler)


class SandboxServer:
    """A running sandbox market. Use as a context manager, or call ``shutdown()``.

    ``wait()`` blocks until another thread calls ``shutdown()`` (or the process is interrupted),
    which is what a command-line ``serve`` needs.
    """

    def __init__(self, market: Market, port: int = 0) -> None:
        self.market = market
        self._httpd = _HTTPServer(("127.0.0.1", port), market)
        self.host, self.port = self._httpd.server_address[:2]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(POLL_INTERVAL,),
                                        daemon=True, name=f"sandbox-{market.name}")
        self._thread.start()
        logger.debug("sandbox market %s serving at %s", market.name, self.url)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def shutdown(self) -> None:
        if self._stopped.is_set():
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
        self._stopped.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until shut down; True if it was (False if ``timeout`` passed first)."""
        return self._stopped.wait(timeout)

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.shutdown()

    def __repr__(self) -> str:
        return f"<SandboxServer {self.market.name} at {self.url}>"


def serve(world: World, host: str = "127.0.0.1", port: int = 0, *,
          market: str | None = None) -> SandboxServer:
    """Start serving one market of ``world`` (the only one, or ``market`` by name) on loopback.

    ``port=0`` picks a free port; read it back from ``.port`` / ``.url``.
    """
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"the sandbox serves on loopback only (127.0.0.1), not {host!r}")
    if market is None:
        if len(world.markets) != 1:
            raise ValueError(f"world has {len(world.markets)} markets; name one with market=")
        chosen = world.markets[0]
    else:
        chosen = world.market(market)
    return SandboxServer(chosen, port)
