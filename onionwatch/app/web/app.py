"""The investigator's desk: a small, read-only web app over a search store and its data directory.

Views, each linking to the next (hit -> listing -> vendor -> alias -> evidence):

- ``/``: search with facets (:mod:`search_index.query`'s language);
- ``/listing``: a listing's facts, each with where it was read (the source span highlighted in the
  archived page, shown as escaped text), its price history and its WARC record (:mod:`.listing_view`);
- ``/vendor``: the account, the actor behind it and all its accounts on every market, each alias link
  with its score and evidence, the ego graph (``/vendor/graph.json``), the listings' prices over
  time and the actor's STIX 2.1 bundle (``/vendor/stix.json``) (:mod:`.vendor_view`);
- ``/link``: the evidence behind one alias link, with the archived pages it cites (:mod:`.link_view`);
- ``/watches``: the saved searches and the hits they have not reported yet, read-only (:mod:`.watch_view`).

Safety: the server binds to 127.0.0.1 only and needs the token (:mod:`.server`); every market text
is HTML-escaped by Jinja2's autoescaping or set as text by the page's script. Every text a template
prints first goes through :func:`onionwatch.app.terminal.inert` (the filter the terminal and the
notebook widget use): a right-to-left override or an invisible character shows as its ``\\uXXXX``
escape, so a handle or title cannot display in an order or a shape the market chose (the ego graph's
labels, ``/vendor/graph.json``, are made inert the same way). The analyst's own query is the one
text kept exactly as typed (``|verbatim``), so the search box resubmits what was asked. The
Content-Security-Policy allows scripts only from ``/static/`` (the pinned graph library and
``desk.js``), so hostile market text can never run in the analyst's browser.

Searches run concurrently (a thread each; the store lends each its own connection), a query longer
than :data:`search_index.query.MAX_QUERY_CHARS` is refused with 400, and each search stops at a time
limit (503 with the reason). The vendor page looks accounts up by exact market and handle, never
through the query language.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from onionwatch.app.terminal import inert
from search_index.query import MAX_QUERY_CHARS

from .assets import asset

__all__ = ["SearchApp", "Response", "PAGE_SIZE", "QUERY_TIMEOUT", "listing_url", "vendor_url", "link_url",
           "isolate", "shown"]

PAGE_SIZE = 25
#: Seconds a search may run before it is stopped with a clear error.
QUERY_TIMEOUT = 10.0


@dataclass
class Response:
    """One answer: status, body (text or bytes), content type and extra headers."""

    status: int
    body: str | bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class SearchApp:
    """Renders the pages of one store; :meth:`handle` maps (path, query parameters) to a
    :class:`Response`. ``config`` (a data directory) opens the desk: graph, evidence, watches."""

    def __init__(self, store, token: str, *, query_timeout: float | None = QUERY_TIMEOUT, config=None) -> None:
        if len(token) < 16:
            raise ValueError("the token must be at least 16 characters")
        self.store = store
        self.token = token
        self.query_timeout = query_timeout
        self.config = config
        self.data = None
        if config is not None:
            from onionwatch.app.insights.source import Data

            self.data = Data(config, store=store)
        self._chrome = None
        self.templates = _environment()

    def warm(self) -> None:
        """Learn every market's chrome in the background (the listing view marks facts with it), so
        the first listing of a market opens at once. Needs a data directory; does nothing without."""
        from .listing_view import chrome_cache

        if self.data is not None:
            markets = list((self.store.search("*", limit=0).facets or {}).get("market", {}))
            chrome_cache(self).warm(markets)

    def authorised(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(presented.encode(), self.token.encode())

    def handle(self, path: str, params: dict[str, str]) -> Response:
        from . import link_view, listing_view, vendor_view, watch_view

        routes = {"/": lambda: self.search_page(params.get("q", "").strip()),
                  "/listing": lambda: listing_view.page(self, params),
                  "/vendor": lambda: vendor_view.page(self, params),
                  "/vendor/graph.json": lambda: vendor_view.graph_json(self, params),
                  "/vendor/stix.json": lambda: vendor_view.stix_json(self, params),
                  "/link": lambda: link_view.page(self, params),
                  "/watches": lambda: watch_view.page(self, params)}
        if path in routes:
            return routes[path]()
        if path.startswith("/static/") and (found := asset(path[len("/static/"):])) is not None:
            content_type, body = found
            return Response(200, body, content_type)
        return self.missing("page")

    def search_page(self, query: str) -> Response:
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
        return self.page(status, "search.html", query=shown, result=result, error=error,
                         refine=lambda name, value: "/?" + urlencode({"q": _refine(shown, name, value)}))

    def page(self, status: int, template: str, **context: Any) -> Response:
        return Response(status, self.templates.get_template(template).render(desk=self.data is not None, **context))

    def missing(self, what: str) -> Response:
        return self.page(404, "missing.html", what=what)


def _environment() -> Environment:
    """The templates, autoescaped, every printed text made :func:`shown`, with the page's filters and
    link builders."""
    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True), finalize=shown)
    env.filters["price"] = lambda v: "?" if v is None else f"${v:,.2f}"
    env.filters["yes_no"] = yes_no
    env.filters["stock"] = stock_text
    env.filters["iso"] = isolate
    env.filters["verbatim"] = lambda value: escape("" if value is None else value)
    env.filters["isojoin"] = lambda values, sep=", ": Markup(escape(sep)).join(map(isolate, values or []))
    env.globals.update(listing_url=listing_url, vendor_url=vendor_url, link_url=link_url)
    return env


def shown(value: Any) -> Any:
    """What a template prints of ``value``: text made :func:`~onionwatch.app.terminal.inert` (a bidi
    control or an invisible character becomes its visible ``\\uXXXX`` escape; autoescaping follows);
    markup the page built itself (:func:`isolate`, ``|verbatim``) and other values unchanged.

    >>> shown("\u202egnp.exe"), shown(12)
    ('\\\\u202egnp.exe', 12)
    """
    return inert(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def isolate(value: Any) -> Markup:
    """Market text as an isolated, escaped run: its bidi and invisible controls shown as escapes
    (:func:`shown`), so a right-to-left override in a handle displays neither the handle reversed
    nor the text around it reordered (and ``<bdi>`` keeps the run apart), and markup in it is text.

    >>> str(isolate('<b>\u202eDr</b>'))
    '<bdi>&lt;b&gt;\\\\u202eDr&lt;/b&gt;</bdi>'
    """
    return Markup("<bdi>%s</bdi>") % shown("" if value is None else str(value))


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
    field = {"market": "market", "vendor": "vendor", "drug": "drug", "ships_from": "from", "currency": "currency"}[facet]
    base = "" if query.strip() == "*" else query.strip()
    return f"{base} {field}:{_quote_value(value)}".strip()


def listing_url(hit: dict[str, Any]) -> str:
    return "/listing?" + urlencode({"market": hit["market"], "id": hit["listing_id"]})


def vendor_url(market: str, handle: str | None) -> str:
    return "/vendor?" + urlencode({"market": market, "handle": handle or ""})


def link_url(market: str, handle: str, other_market: str, other_handle: str) -> str:
    """The evidence page of the alias link between two accounts."""
    return "/link?" + urlencode({"market": market, "handle": handle, "other_market": other_market,
                                 "other_handle": other_handle})
