"""A small, read-only web app for analysts: search with facets, a listing page (price history and
evidence pointer) and a vendor page.

Safety: it binds to 127.0.0.1 only; every request needs the token (``?token=`` once, which sets a
same-site, HTTP-only cookie, or an ``Authorization: Bearer`` header); every listing text is
HTML-escaped by Jinja2's autoescaping, and a Content-Security-Policy forbids all scripts, so hostile
market text can never run in the analyst's browser.

Requests are served concurrently (a thread each; the store lends each search its own connection),
a query longer than :data:`search_index.query.MAX_QUERY_CHARS` is refused with 400, and each search
stops at a time limit (``query_timeout``, 503 with the reason) instead of holding the page up. The
vendor page looks its listings up by exact market and handle, never through the query language.
"""
from __future__ import annotations

import hmac
import secrets
import sys
import threading
from contextlib import contextmanager
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from search_index.base import SearchResult
from search_index.query import MAX_QUERY_CHARS

__all__ = ["SearchApp", "serve", "HOST"]

HOST = "127.0.0.1"
COOKIE = "onionwatch_token"
PAGE_SIZE = 25
#: Seconds a search may run before it is stopped with a clear error.
QUERY_TIMEOUT = 10.0
#: Listings shown on a vendor page.
VENDOR_LISTINGS = 100
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self';"
                               " base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class SearchApp:
    """Renders the pages of one store; :meth:`handle` maps (path, query, token) to a response."""

    def __init__(self, store, token: str, *, query_timeout: float | None = QUERY_TIMEOUT) -> None:
        if len(token) < 16:
            raise ValueError("the token must be at least 16 characters")
        self.store = store
        self.token = token
        self.query_timeout = query_timeout
        self.templates = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                                     autoescape=select_autoescape(default=True, default_for_string=True))
        self.templates.filters["price"] = lambda v: "?" if v is None else f"${v:,.2f}"
        self.templates.filters["yes_no"] = yes_no
        self.templates.filters["stock"] = stock_text

    def authorised(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(presented.encode(), self.token.encode())

    def handle(self, path: str, params: dict[str, str]) -> tuple[int, str]:
        if path == "/":
            return self.search_page(params.get("q", "").strip())
        if path == "/listing":
            doc = self.store.get_listing(params.get("market", ""), params.get("id", ""))
            if doc is None:
                return 404, self.render("missing.html", what="listing")
            history = self.store.price_history(doc["market"], doc["listing_id"])
            return 200, self.render("listing.html", doc=doc, history=history)
        if path == "/vendor":
            return self.vendor_page(params.get("market", ""), params.get("handle", ""))
        return 404, self.render("missing.html", what="page")

    def search_page(self, query: str) -> tuple[int, str]:
        """The search form and, for a query, its hits: 400 for a query that cannot be run, 503 when
        the search reaches its time limit."""
        from search_index import QueryError, SearchTimeout

        status, result, error = 200, None, None
        if query:
            try:
                result = self.store.search(query, limit=PAGE_SIZE, timeout=self.query_timeout)
            except QueryError as exc:
                status, error = 400, str(exc)
            except SearchTimeout as exc:
                status, error = 503, str(exc)
        shown = query if len(query) <= MAX_QUERY_CHARS else query[:MAX_QUERY_CHARS]
        return status, self.render("search.html", query=shown, result=result, error=error,
                                   refine=lambda name, value: "/?" + urlencode({"q": _refine(shown, name, value)}))

    def vendor_page(self, market: str, handle: str) -> tuple[int, str]:
        """One vendor account and its listings, matched on the exact market and handle."""
        vendor = self.store.get_vendor(market, handle) if market and handle else None
        listings = self.store.vendor_listings(market, handle, limit=VENDOR_LISTINGS) if market and handle else None
        listings = listings or SearchResult(0)
        if vendor is None and not listings.total:
            return 404, self.render("missing.html", what="vendor")
        return 200, self.render("vendor.html", market=market, handle=handle, vendor=vendor, listings=listings)

    def render(self, name: str, **context: Any) -> str:
        return self.templates.get_template(name).render(listing_url=_listing_url, vendor_url=_vendor_url, **context)


def yes_no(value: bool | None) -> str:
    """A payment term as shown: yes, no, or ? when the listing does not say."""
    return "?" if value is None else ("yes" if value else "no")


def stock_text(doc: dict[str, Any]) -> str:
    """A listing's stock as shown: the count, "in stock" without one, "sold out", or ?.

    >>> stock_text({"stock": 12, "in_stock": True}), stock_text({"in_stock": True}), stock_text({"stock": 0})
    ('12', 'in stock', 'sold out')
    """
    count, available = doc.get("stock"), doc.get("in_stock")
    if count == 0 or available is False:
        return "sold out"
    if count is not None:
        return str(count)
    return "in stock" if available else "?"


def _quote_value(value: str) -> str:
    return '"' + value.replace('"', " ") + '"' if any(c.isspace() or c in ',"' for c in value) else value


def _refine(query: str, facet: str, value: str) -> str:
    field = {"market": "market", "vendor": "vendor", "drug": "drug", "ships_from": "from"}[facet]
    base = "" if query.strip() == "*" else query.strip()
    return f"{base} {field}:{_quote_value(value)}".strip()


def _listing_url(hit: dict[str, Any]) -> str:
    return "/listing?" + urlencode({"market": hit["market"], "id": hit["listing_id"]})


def _vendor_url(market: str, handle: str | None) -> str:
    return "/vendor?" + urlencode({"market": market, "handle": handle or ""})


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
                self._send(HTTPStatus.FORBIDDEN, "<!doctype html><title>Forbidden</title>"
                           "<h1>Forbidden</h1><p>This page needs the token that <code>onionwatch serve</code>"
                           " printed when it started.</p>")
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
                status, body = app.handle(url.path, params)
            except Exception as exc:  # noqa: BLE001 - the analyst sees a message, the log the detail
                self.log_error("error on %s: %r", url.path, exc)
                status, body = 500, "<!doctype html><title>Error</title><h1>Something went wrong</h1>" \
                                    "<p>See the terminal running <code>onionwatch serve</code>.</p>"
            self._send(status, body)

        def do_POST(self) -> None:
            self._send(HTTPStatus.METHOD_NOT_ALLOWED, "read-only")

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """Errors http.server raises itself (an address past 64 KiB, a malformed request) as our
            page, with the security headers, saying what to do."""
            if code == HTTPStatus.REQUEST_URI_TOO_LONG:
                text = (f"The address is too long. A search may have at most {MAX_QUERY_CHARS:,} characters:"
                        " shorten it (repeated words add nothing).")
            else:
                text = "The request could not be read."
            self.close_connection = True
            self._send(code, f"<!doctype html><title>Error {int(code)}</title><h1>Error {int(code)}</h1><p>{text}</p>")

        def _headers(self) -> None:
            for name, value in SECURITY_HEADERS.items():
                self.send_header(name, value)

        def _send(self, status: int, body: str) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self._headers()
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # keep tokens out of logs
            print(f"{self.address_string()} {format % args}".replace(app.token, "<token>"), file=sys.stderr)

    return Handler


@contextmanager
def serve(store, *, port: int = 8600, token: str | None = None,
          query_timeout: float | None = QUERY_TIMEOUT) -> Iterator[tuple[str, str]]:
    """Serve the search page on 127.0.0.1 in a background thread, a thread a request; yield
    (base URL, token). ``query_timeout`` stops a search that runs longer (seconds; None: never)."""
    token = token or secrets.token_urlsafe(24)
    app = SearchApp(store, token, query_timeout=query_timeout)
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
