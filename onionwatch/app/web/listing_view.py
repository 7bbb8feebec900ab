"""The listing view: every extracted fact with where it was read, marked in the archived page.

The archived page is shown as the text extraction read (escaped, with each fact's source span in a
``<mark>``), and its HTML source as escaped text on request: never rendered, so nothing in it can run
or load. Beside it: the WARC file, record id and digest (checked when the page was read), the price
history, and a link to the vendor.
"""
from __future__ import annotations

from typing import Any

from .app import Response
from .page_text import ChromeCache, extraction_text, fact_spans, segments

__all__ = ["page", "FACTS", "chrome_cache"]

#: The facts shown, in order: (fact name in ``sources``, label).
FACTS = [("title", "title"), ("vendor", "vendor"), ("price", "price"), ("ships_from", "ships from"),
         ("ships_to", "ships to"), ("category", "category"), ("escrow", "escrow"),
         ("finalize_early", "finalize early"), ("stock", "stock"), ("feedback_count", "feedback"),
         ("contacts", "contacts"), ("currencies", "currencies accepted"), ("description", "description")]


def _value(doc: dict[str, Any], fact: str) -> str:
    from .app import stock_text, yes_no

    if fact == "price":
        usd = "?" if doc.get("price_usd") is None else f"${doc['price_usd']:,.2f}"
        shown = doc.get("price_currency") and doc["price_currency"] != "USD"
        return usd + (f" ({doc.get('price_amount')} {doc['price_currency']})" if shown else "")
    if fact in ("escrow", "finalize_early"):
        return yes_no(doc.get(fact))
    if fact == "stock":
        return stock_text(doc)
    if fact in ("ships_to", "currencies"):
        return ", ".join(doc.get(fact) or []) or "?"
    if fact == "description":
        text = doc.get("description") or ""
        return text if len(text) <= 160 else text[:157] + "..."
    value = doc.get(fact)
    return "?" if value is None else str(value)


def _source(source: dict[str, Any] | None) -> str:
    if not source:
        return "not found on the page"
    if source.get("source") == "profile":
        return f"profile field {source.get('field')}"
    return "page text" + ("" if source.get("span") else " (no span kept)")


def chrome_cache(app) -> ChromeCache:
    """The app's chrome models (made on first use)."""
    if getattr(app, "_chrome", None) is None:
        app._chrome = ChromeCache(app.data)
    return app._chrome


def page(app, params: dict[str, str]) -> Response:
    """``/listing?market=&id=``."""
    doc = app.store.get_listing(params.get("market", ""), params.get("id", ""))
    if doc is None:
        return app.missing("listing")
    history = app.store.price_history(doc["market"], doc["listing_id"])
    sources = doc.get("sources") or {}
    text, archived, problem, spans = None, None, None, {}
    if app.data is not None and doc.get("evidence"):
        try:
            text, archived = extraction_text(app.data, doc, chrome_cache(app))
            spans = fact_spans(text, doc)
        except (OSError, LookupError, ValueError) as exc:  # a missing or damaged WARC: say so, show the rest
            problem = f"the archived page cannot be read: {exc}"
    elif app.data is None:
        problem = "serve a data directory (onionwatch serve --data-dir) to see the archived page"
    facts = [{"name": name, "label": label, "value": _value(doc, name), "source": _source(sources.get(name)),
              "marked": bool(spans.get(name))} for name, label in FACTS if name in sources or doc.get(name) is not None]
    marks = [(name, *where) for name, where in spans.items() if where]
    return app.page(200, "listing.html", doc=doc, history=history, facts=facts, archived=archived,
                    pieces=segments(text, marks) if text is not None else None, problem=problem)
