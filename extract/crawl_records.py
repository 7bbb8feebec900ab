"""The crawler's own records as extraction input, and a listing's stock.

``onionwatch extract`` reads the records files a crawl writes (JSON Lines of ``listing`` and
``vendor`` records, :mod:`onionwatch.core.models`) as well as plain pages. A crawl record becomes an
extraction record: its id (``market/listing_id``, ``market/vendor/handle``), its URL as source,
its title, its ``stock`` field, and its page as the WARC archive holds it (the evidence the record
points to, checked against its digest), narrowed to the listing's own area when the profile
gave a ``content`` selector (``fields["content"]["xpath"]``). When the archive cannot be read, the
text the profile's selectors read is used instead.

A listing's stock comes from the profile's ``stock`` field when there is one, else from a
labelled field of the text ("Stock: 12", "Quantity : 97 Available", "In stock\\tYes").

>>> from_crawl_record({"kind": "listing", "market": "m", "listing_id": "7", "url": "http://m/7",
...                    "title": "Pills", "description": "10 pills", "fields": {"stock": "12 left"}})
{'id': 'm/7', 'source': 'http://m/7', 'title': 'Pills', 'stock': '12 left', 'description': '10 pills'}
>>> parse_stock("97 Available"), parse_stock("Unlimited Available"), parse_stock("Sold out")
({'count': 97, 'available': True}, {'count': None, 'available': True}, {'count': 0, 'available': False})
"""
from __future__ import annotations

import logging
import re
from typing import Any

from extract.parsers.fields import labelled_fields

__all__ = ["is_crawl_record", "from_crawl_record", "content_area", "parse_stock", "stock_from_text", "stock_fact",
           "html_title", "STOCK_LABELS"]

log = logging.getLogger(__name__)

#: Labels of a listing's stock (regular expressions, matched at the start of a line).
STOCK_LABELS = (r"stock", r"in[ \t]+stock", r"quantity(?:[ \t]+(?:left|available|in[ \t]+stock))?", r"qty",
                r"available", r"availability", r"items?[ \t]+left", r"bestand", r"verf[üu]gbar", r"lager")
_COUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[,.' ]\d{3})+|\d+)(?![\d.,]?\d)")
_NONE_LEFT = re.compile(r"sold[ \t]*out|out[ \t]+of[ \t]+stock|unavailable|not[ \t]+available|ausverkauft|"
                        r"nicht[ \t]+verf|\bnone\b|^no$", re.IGNORECASE)
_UNLIMITED = re.compile(r"unlimited|infinite|∞|in[ \t]+stock|^yes$|^available$", re.IGNORECASE)


def parse_stock(text: str) -> dict[str, Any] | None:
    """``{"count", "available"}`` from a stock value ("12 left", "Unlimited", "Sold out"); None
    when the text says nothing about stock."""
    text = text.strip()
    if _NONE_LEFT.search(text):
        return {"count": 0, "available": False}
    found = _COUNT.search(text)
    if found:
        count = int(re.sub(r"\D", "", found.group(1)))
        return {"count": count, "available": count > 0}
    if _UNLIMITED.search(text):
        return {"count": None, "available": True}
    return None


def stock_from_text(text: str) -> dict[str, Any] | None:
    """The stock a labelled field of ``text`` gives, with the value's span; None without one."""
    for found in labelled_fields(text, STOCK_LABELS, next_line=False):
        stock = parse_stock(found.value)
        if stock is not None:
            return {**stock, "span": [found.start, found.end]}
    return None


def stock_fact(given: Any, text: str) -> dict[str, Any] | None:
    """A result's ``stock``: from the record's own ``stock`` (a profile field; ``source`` "field"),
    else from a labelled field of the text (``source`` "label", with its span); None without either."""
    if isinstance(given, list):
        given = " ".join(str(g) for g in given)
    if isinstance(given, str) and given.strip() and (stock := parse_stock(given)) is not None:
        return {**stock, "source": "field", "span": None}
    found = stock_from_text(text)
    return {**found, "source": "label"} if found else None


_TITLE = re.compile(r"<title\b[^>]*>([^<]{1,500})</title>", re.IGNORECASE)


def html_title(html: str) -> str | None:
    """A page's ``<title>``, unescaped and with its whitespace collapsed (first 64 KiB only).

    >>> html_title("<html><head><title> Pills &amp; more </title>")
    'Pills & more'
    """
    from html import unescape

    found = _TITLE.search(html[:65536])
    title = " ".join(unescape(found.group(1)).split()) if found else ""
    return title or None


def is_crawl_record(record: Any) -> bool:
    """A listing or vendor record from a crawl's records file (not an extraction record)."""
    return isinstance(record, dict) and record.get("kind") in ("listing", "vendor") and "id" not in record \
        and "market" in record


def _archived_html(record: dict, data_dir: Any = None) -> str | None:
    evidence = record.get("evidence")
    if not isinstance(evidence, dict):
        return None
    from onionwatch.evidence import DigestMismatch, read_response
    from onionwatch.core.models import Evidence

    try:
        stored = read_response(Evidence.from_dict(evidence), data_dir=data_dir)
    except (OSError, LookupError, DigestMismatch, TypeError, ValueError) as exc:
        log.warning("%s: archived page unreadable (%s); using the text the profile read", record.get("url"), exc)
        return None
    html = stored.text
    return content_area(html, (record.get("fields") or {}).get("content"), url=record.get("url"))


def content_area(html: str, content: Any, *, url: Any = None) -> str:
    """The listing's own area of a page: what the profile's ``content`` locator (a record's
    ``fields["content"]``, ``{"xpath": ...}``) selects, its parts joined by newlines; the whole
    page without a locator, or when it selects nothing or fails (logged, naming ``url``).

    >>> content_area("<div id=menu>Fentanyl</div><main><p>MDMA 1g</p></main>", {"xpath": "//main"})
    '<main><p>MDMA 1g</p></main>'
    >>> content_area("<p>all</p>", None)
    '<p>all</p>'
    """
    xpath = content.get("xpath") if isinstance(content, dict) else None
    if not xpath:
        return html
    from parsel import Selector

    try:
        area = Selector(text=html).xpath(xpath).getall()
    except ValueError as exc:
        log.warning("%s: content selector failed (%s); reading the whole page", url, exc)
        return html
    return "\n".join(area) if area else html


def from_crawl_record(record: dict, *, read_archive: bool = True, data_dir: Any = None) -> dict[str, Any]:
    """The extraction record of a crawl record (see the module docstring); its evidence pointer is
    resolved against ``data_dir`` (default: the configured data directory)."""
    fields = record.get("fields") or {}
    if record["kind"] == "listing":
        out: dict[str, Any] = {"id": f"{record['market']}/{record.get('listing_id')}", "source": record.get("url"),
               "title": record.get("title") or None, "stock": fields.get("stock")}
        fallback = record.get("description") or ""
    else:
        out = {"id": f"{record['market']}/vendor/{record.get('handle')}", "source": record.get("url"),
               "title": record.get("handle")}
        fallback = "\n".join(filter(None, [record.get("profile_text"), record.get("pgp_key"),
                                           *(record.get("btc_addresses") or []),
                                           *(record.get("xmr_addresses") or []), *(record.get("contacts") or [])]))
    html = _archived_html(record, data_dir) if read_archive else None
    if html:
        out["html"] = html
    else:
        out["description"] = fallback
    return out
