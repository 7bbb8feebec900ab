"""Serve sandbox markets over HTTP on loopback, each in background threads, plus the oracle.

The server speaks HTTP only; the market's family renders pages and ``runtime`` applies defences,
``faults`` the fault switches. It binds to 127.0.0.1 and refuses any other host: the sandbox is
never exposed to a network. One DEBUG log line per request.

- ``serve(world)`` serves one market (the only one, or ``market=``) on one port (plus its mirror
  ports when ``defences.mirrors`` is on);
- ``serve_world(world)`` serves every market, one port each, and the **oracle**: a separate
  server that answers ``GET /captcha?market=NAME&id=CID`` (the CAPTCHA's answer, JSON),
  ``GET /mirrors?market=NAME`` (live mirror URLs), ``GET /clock`` and
  ``POST /clock/advance?seconds=S`` (move the world clock). Tests and the demo use it; a crawler
  uses it only when told to, and never against a real market.

>>> from onionwatch.sandbox import build_world
>>> with serve(build_world(1, vendors=2, listings=3)) as server:
...     server.url.startswith("http://127.0.0.1:")
True
"""
from __future__ import annotations

import json
import logging
import threading
import time
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from .faults import apply_faults
from .families.base import HTML_TYPE, Request, Response
from .model import Market, World
from .runtime import DROP, MarketRuntime

__all__ = ["SandboxServer", "SandboxWorld", "OracleServer", "serve", "serve_world",
           "LOOPBACK_HOSTS"]

logger = logging.getLogger(__name__)

#: Host names ``serve`` accepts; all of them bind 127.0.0.1.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
#: Seconds an idle keep-alive connection is held open.
IDLE_TIMEOUT = 30
#: Seconds between checks for shutdown in the serving thread.
POLL_INTERVAL = 0.1
#: Largest request body read (login and registration forms).
MAX_FORM = 16_384


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server_version = "nginx"  # what markets behind Tor usually claim
    sys_version = ""
    timeout = IDLE_TIMEOUT
    server: _HTTPServer

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def do_POST(self) -> None:
        self._respond(send_body=True)

    def _request(self) -> Request:
        split = urlsplit(self.path)
        form: dict[str, list[str]] = {}
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(min(length, MAX_FORM)).decode("utf-8", "replace")
            form = parse_qs(raw, keep_blank_values=True)
        cookies: dict[str, str] = {}
        try:
            jar = SimpleCookie(self.headers.get("Cookie") or "")
            cookies = {k: m.value for k, m in jar.items()}
        except CookieError:
            pass
        return Request(method=self.command, path=unquote(split.path),
                       query=parse_qs(split.query, keep_blank_values=True),
                       headers=dict(self.headers.items()), form=form, cookies=cookies,
                       client=self.client_address[0], target=self.path)

    def _respond(self, send_body: bool) -> None:
        request = self._request()
        runtime = self.server.runtime
        try:
            response = runtime.respond(request, self.server.server_address[1])
        except Exception:  # a rendering bug must not kill the connection silently
            logger.exception("sandbox failed to render %s", self.path)
            response = Response(500, b"<h1>500 Internal Server Error</h1>", HTML_TYPE)
        if response is DROP:
            self.close_connection = True
            return
        with runtime.lock:
            response, delay, cut = apply_faults(response, runtime.market.faults, runtime.dice,
                                                runtime.burst)
        if delay:
            time.sleep(delay)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body if cut is None else response.body[:cut])
        if cut is not None:
            self.close_connection = True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        logger.debug("%s %s %s %s", self.command, self.path, code, self.server.runtime.market.name)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("sandbox http: " + format, *args)


class _Quiet:
    """Clients that hang up mid-answer (crawlers time out, tests close) are logged, not printed."""

    def handle_error(self, request: object, client_address: object) -> None:
        logger.debug("sandbox connection from %s ended abruptly", client_address, exc_info=True)


class _HTTPServer(_Quiet, ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], runtime: MarketRuntime) -> None:
        self.runtime = runtime
        super().__init__(address, _Handler)


class _Threaded:
    """Start ``httpd`` in a daemon thread; shut it down once."""

    def __init__(self, httpd: ThreadingHTTPServer, name: str) -> None:
        self.httpd = httpd
        self.thread = threading.Thread(target=httpd.serve_forever, args=(POLL_INTERVAL,),
                                       daemon=True, name=name)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


class SandboxServer:
    """A running sandbox market. Use as a context manager, or call ``shutdown()``.

    ``url`` is its main address; with mirrors on, ``urls`` lists every address it listens on
    (``runtime.live_ports()`` says which answer now). ``wait()`` blocks until another thread
    calls ``shutdown()`` (or the process is interrupted), which a command-line ``serve`` needs.
    """

    def __init__(self, market: Market, port: int = 0) -> None:
        self.market = market
        self.runtime = MarketRuntime(market)
        main = _HTTPServer(("127.0.0.1", port), self.runtime)
        servers = [main] + [_HTTPServer(("127.0.0.1", 0), self.runtime)
                            for _ in range(market.defences.mirrors)]
        self.runtime.ports = [s.server_address[1] for s in servers]
        self.host, self.port = main.server_address[:2]
        self._stopped = threading.Event()
        self._threads = [_Threaded(s, f"sandbox-{market.name}-{k}")
                         for k, s in enumerate(servers)]
        logger.debug("sandbox market %s serving at %s", market.name, self.url)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.runtime.ports]

    def shutdown(self) -> None:
        if self._stopped.is_set():
            return
        for threaded in self._threads:
            threaded.stop()
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


class _OracleHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _OracleHTTP

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        split = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        status, data = self.server.oracle.answer(self.command, split.path, query)
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("sandbox oracle: " + format, *args)


class _OracleHTTP(_Quiet, ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], oracle: OracleServer) -> None:
        self.oracle = oracle
        super().__init__(address, _OracleHandler)


class OracleServer:
    """The sandbox's answer key over HTTP (CAPTCHA answers, mirrors, the clock). Loopback only."""

    def __init__(self, world: World, servers: dict[str, SandboxServer], port: int = 0) -> None:
        self.world, self.servers = world, servers
        self._threaded = _Threaded(_OracleHTTP(("127.0.0.1", port), self), "sandbox-oracle")
        self.port = self._threaded.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, method: str, path: str, query: dict[str, str]) -> tuple[int, dict]:
        server = self.servers.get(query.get("market", ""))
        if path == "/captcha" and server is not None:
            answer = server.runtime.captcha_answer(query.get("id", ""))
            return (200, {"answer": answer}) if answer else (404, {"error": "unknown captcha"})
        if path == "/mirrors" and server is not None:
            return 200, {"mirrors": [f"http://127.0.0.1:{p}" for p in server.runtime.live_ports()]}
        if path == "/clock":
            return 200, {"now": self.world.clock.now, "day": self.world.clock.day}
        if path == "/clock/advance" and method == "POST":
            try:
                self.world.clock.advance(float(query.get("seconds", "0")))
            except ValueError as exc:
                return 400, {"error": str(exc)}
            return 200, {"now": self.world.clock.now, "day": self.world.clock.day}
        return 404, {"error": "unknown oracle request or market",
                     "markets": sorted(self.servers)}

    def shutdown(self) -> None:
        self._threaded.stop()


class SandboxWorld:
    """Every market of a world served at once (one port each) and the oracle."""

    def __init__(self, world: World, ports: dict[str, int] | None = None,
                 oracle_port: int = 0) -> None:
        self.world = world
        self.servers: dict[str, SandboxServer] = {}
        try:
            for market in world.markets:
                self.servers[market.name] = SandboxServer(market, (ports or {}).get(market.name, 0))
            self.oracle = OracleServer(world, self.servers, oracle_port)
        except BaseException:
            for server in self.servers.values():
                server.shutdown()
            raise
        self._stopped = threading.Event()

    @property
    def urls(self) -> dict[str, str]:
        return {name: server.url for name, server in self.servers.items()}

    def shutdown(self) -> None:
        if self._stopped.is_set():
            return
        for server in self.servers.values():
            server.shutdown()
        self.oracle.shutdown()
        self._stopped.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._stopped.wait(timeout)

    def __enter__(self) -> SandboxWorld:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def _check_host(host: str) -> None:
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"the sandbox serves on loopback only (127.0.0.1), not {host!r}")


def serve(world: World, host: str = "127.0.0.1", port: int = 0, *,
          market: str | None = None) -> SandboxServer:
    """Start serving one market of ``world`` (the only one, or ``market`` by name) on loopback.

    ``port=0`` picks a free port; read it back from ``.port`` / ``.url``.
    """
    _check_host(host)
    if market is None:
        if len(world.markets) != 1:
            raise ValueError(f"world has {len(world.markets)} markets; name one with market= "
                             "or use serve_world()")
        chosen = world.markets[0]
    else:
        chosen = world.market(market)
    return SandboxServer(chosen, port)


def serve_world(world: World, host: str = "127.0.0.1", *, ports: dict[str, int] | None = None,
                oracle_port: int = 0) -> SandboxWorld:
    """Serve every market of ``world`` (free ports unless ``ports`` names them) and the oracle."""
    _check_host(host)
    return SandboxWorld(world, ports, oracle_port)
