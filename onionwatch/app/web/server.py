"""Serving the search page: 127.0.0.1 only, a thread a request, the token on every request, the
security headers on every answer.

The token comes once as ``?token=`` (which sets a same-site, HTTP-only cookie and drops it from the
address bar) or as an ``Authorization: Bearer`` header. Every answer carries
:data:`SECURITY_HEADERS`: the Content-Security-Policy lets scripts come only from the page's own
``/static/`` files (``script-src 'self'``: no inline script, no ``eval``) and data only from its own
address (``connect-src 'self'``), so market text that slipped into a page could neither run nor
phone home. The page takes no writes: anything but GET (and HEAD) is refused.
"""
from __future__ import annotations

import secrets
import sys
import threading
from contextlib import contextmanager
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

from search_index.query import MAX_QUERY_CHARS

from .app import QUERY_TIMEOUT, Response, SearchApp

__all__ = ["serve", "HOST", "COOKIE", "CSP", "SECURITY_HEADERS"]

HOST = "127.0.0.1"
COOKIE = "onionwatch_token"
CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline';"
       " img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_FORBIDDEN = ("<!doctype html><title>Forbidden</title><h1>Forbidden</h1><p>This page needs the token that"
              " <code>onionwatch serve</code> printed when it started.</p>")
_ERROR = ("<!doctype html><title>Error</title><h1>Something went wrong</h1>"
          "<p>See the terminal running <code>onionwatch serve</code>.</p>")


def _handler(app: SearchApp):
    class Handler(BaseHTTPRequestHandler):
        server_version = "onionwatch"
        sys_version = ""

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            from_query = params.pop("token", None)
            cookie = SimpleCookie(self.headers.get("Cookie", ""))
            bearer = self.headers.get("Authorization", "")
            presented = (from_query or (cookie[COOKIE].value if COOKIE in cookie else None)
                         or (bearer[7:] if bearer.startswith("Bearer ") else None))
            if not app.authorised(presented):
                self._send(Response(HTTPStatus.FORBIDDEN, _FORBIDDEN))
                return
            if from_query:  # set the cookie and drop the token from the address bar
                rest = urlencode(params)
                self.send_response(HTTPStatus.SEE_OTHER)
                self.send_header("Location", url.path + ("?" + rest if rest else ""))
                self.send_header("Set-Cookie", f"{COOKIE}={app.token}; HttpOnly; SameSite=Strict; Path=/")
                self._headers()
                self.end_headers()
                return
            try:
                response = app.handle(url.path, params)
            except Exception as exc:  # noqa: BLE001 - the analyst sees a message, the log the detail
                self.log_error("error on %s: %r", url.path, exc)
                response = Response(500, _ERROR)
            self._send(response)

        def do_POST(self) -> None:
            self._send(Response(HTTPStatus.METHOD_NOT_ALLOWED, "read-only", "text/plain; charset=utf-8"))

        do_PUT = do_DELETE = do_PATCH = do_POST

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """Errors http.server raises itself (an address past 64 KiB, a malformed request) as our
            page, with the security headers, saying what to do."""
            if code == HTTPStatus.REQUEST_URI_TOO_LONG:
                text = (f"The address is too long. A search may have at most {MAX_QUERY_CHARS:,} characters:"
                        " shorten it (repeated words add nothing).")
            else:
                text = "The request could not be read."
            self.close_connection = True
            self._send(Response(code, f"<!doctype html><title>Error {int(code)}</title><h1>Error {int(code)}</h1>"
                                      f"<p>{text}</p>"))

        def _headers(self) -> None:
            for name, value in SECURITY_HEADERS.items():
                self.send_header(name, value)

        def _send(self, response: Response) -> None:
            data = response.body if isinstance(response.body, bytes) else response.body.encode("utf-8")
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self._headers()
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # keep tokens out of logs
            print(f"{self.address_string()} {format % args}".replace(app.token, "<token>"), file=sys.stderr)

    return Handler


@contextmanager
def serve(store, *, port: int = 8600, token: str | None = None, query_timeout: float | None = QUERY_TIMEOUT,
          config=None) -> Iterator[tuple[str, str]]:
    """Serve the search page on 127.0.0.1 in a background thread, a thread a request; yield
    (base URL, token). ``query_timeout`` stops a search that runs longer (seconds; None: never).
    ``config`` (the data directory's :class:`~onionwatch.core.config.Config`) opens the desk's
    views: the vendor graph, aliases and their evidence, archived pages, saved searches."""
    token = token or secrets.token_urlsafe(24)
    app = SearchApp(store, token, query_timeout=query_timeout, config=config)
    app.warm()
    server = ThreadingHTTPServer((HOST, port), _handler(app))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="onionwatch-serve", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}", token
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
