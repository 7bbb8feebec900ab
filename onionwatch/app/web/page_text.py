"""The archived page as extraction read it, and where each extracted fact sits in it.

Extraction ran on the listing's archived page (the profile's content area), with the market's chrome
(menus, footers shared by many vendors' pages) removed, turned into visible text and prefixed with
the title (:func:`extract.api.build_text`). A fact read from that text keeps its ``span`` in it
(``sources[fact] = {"source": "text", "span": [start, end]}``); a fact read from a profile field
keeps the field's name, and the field's raw text is found in the same text. So the page rebuilds
that text the way indexing does (:mod:`onionwatch.pipeline.indexing`: chrome learned from the
market's pages, a page's own field texts kept) and marks each fact's source in it.

Everything here is text: the page never renders archived HTML, and the marks are (start, end)
offsets a template wraps in ``<mark>`` around escaped text.

>>> [(s.text, s.fact) for s in segments("Fent 1g for 20 USD", [("price", 12, 18), ("title", 0, 7)])]
[('Fent 1g', 'title'), (' for ', None), ('20 USD', 'price')]
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Iterable

__all__ = ["Segment", "segments", "ChromeCache", "extraction_text", "fact_spans"]


@dataclass(frozen=True)
class Segment:
    """A piece of the page text; ``fact`` names the fact it is the source of (None: plain text)."""

    text: str
    fact: str | None = None


def segments(text: str, spans: Iterable[tuple[str, int, int]]) -> list[Segment]:
    """``text`` cut into plain and marked pieces; a span overlapping an earlier one is left out."""
    out, at = [], 0
    for fact, start, end in sorted(spans, key=lambda s: (s[1], s[2])):
        if start < at or end <= start or end > len(text):
            continue
        if start > at:
            out.append(Segment(text[at:start]))
        out.append(Segment(text[start:end], fact))
        at = end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out


def _field_texts(doc: dict[str, Any]) -> list[str]:
    """The texts the profile read for a listing: chrome stripping keeps them (as indexing does)."""
    texts = [doc.get("title"), doc.get("vendor")]
    for value in (doc.get("fields") or {}).values():
        texts += [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
    return [t for t in texts if t]


def _content(data, doc: dict[str, Any]) -> str | None:
    from extract.crawl_records import content_area

    if not doc.get("evidence"):
        return None
    page = data.raw_page(doc["evidence"])
    return content_area(page["html"], (doc.get("fields") or {}).get("content"), url=doc.get("url"))


class ChromeCache:
    """Each market's chrome, learned once from its archived listing pages (thread-safe: one lock a
    market, so learning one market never holds up another's pages). :meth:`warm` learns them all
    in a background thread, so the first listing of a market opens without the wait."""

    def __init__(self, data) -> None:
        self.data = data
        self.models: dict[str, Any] = {}
        self.locks: dict[str, threading.Lock] = {}
        self.lock = threading.Lock()

    def warm(self, markets: Iterable[str]) -> threading.Thread:
        def learn_all() -> None:
            for market in markets:
                try:
                    self.model(market)
                except Exception:  # noqa: BLE001 - warming is a courtesy: the page learns it again when asked
                    pass

        thread = threading.Thread(target=learn_all, name="onionwatch-chrome", daemon=True)
        thread.start()
        return thread

    def model(self, market: str):
        from extract.chrome import learn_chrome

        with self.lock:
            lock = self.locks.setdefault(market, threading.Lock())
        with lock:
            if market not in self.models:
                pages = []
                for doc in self.data.store.iter_listings():
                    if doc.get("market") == market and doc.get("vendor"):
                        try:
                            html = _content(self.data, doc)
                        except (OSError, LookupError, ValueError):  # an unreadable page teaches nothing
                            html = None
                        if html:
                            pages.append((html, doc["vendor"]))
                self.models[market] = learn_chrome(pages)
            return self.models[market]


def extraction_text(data, doc: dict[str, Any], chrome: ChromeCache) -> tuple[str, dict[str, Any]]:
    """(the text extraction read, the archived page: url, status, record id, digest, html)."""
    from extract.api import build_text
    from extract.chrome import strip_chrome
    from extract.crawl_records import content_area
    from extract.html import html_to_text

    page = data.raw_page(doc["evidence"])
    html = content_area(page["html"], (doc.get("fields") or {}).get("content"), url=doc.get("url"))
    model = chrome.model(doc["market"])
    if model.learned:
        html = strip_chrome(html, model, keep=_field_texts(doc)).html
    return build_text(doc.get("title"), html_to_text(html)), page


def fact_spans(text: str, doc: dict[str, Any]) -> dict[str, tuple[int, int] | None]:
    """fact -> (start, end) of its source in ``text``: the span extraction kept, or the first place
    the profile field's text appears; None where neither is known or found."""
    found: dict[str, tuple[int, int] | None] = {}
    for fact, source in (doc.get("sources") or {}).items():
        where = None
        if source.get("source") == "text" and source.get("span"):
            start, end = source["span"]
            where = (start, end) if 0 <= start < end <= len(text) else None
        elif source.get("source") == "profile":
            raw = (doc.get("fields") or {}).get(source.get("field"))
            for piece in raw if isinstance(raw, list) else [raw]:
                if isinstance(piece, str) and piece.strip() and (at := text.find(piece.strip())) >= 0:
                    where = (at, at + len(piece.strip()))
                    break
        found[fact] = where
    return found
