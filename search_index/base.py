"""The one interface both search backends implement, and the flat document they store.

A listing is indexed as one flat document built by :func:`listing_document` from a
:class:`~onionwatch.core.models.Listing` whose ``extracted`` dict holds the extraction pipeline's output.
The document keeps the evidence pointer so every hit traces back to its WARC record.
"""
from __future__ import annotations

import abc
from datetime import datetime, timezone
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from onionwatch.core.models import Listing, Observation, VendorAccount

from .text import fold, fold_all

if TYPE_CHECKING:
    from .query import Query

__all__ = ["Store", "SearchResult", "SearchTimeout", "SchemaError", "listing_document", "search_fields", "hit_of", "utc_iso", "FACETS",
           "FACET_SIZE", "TEXT_FIELDS", "HIT_KEYS", "COUNT_UP_TO"]

#: Facets every backend counts for a search, by name (``drug`` counts the ``drugs`` field, ``currency``
#: the ``currencies`` a listing accepts).
FACETS = ("market", "vendor", "drug", "ships_from", "currency")
#: How many values each facet lists (most frequent first, ties by name).
FACET_SIZE = 25
#: Matches a search counts exactly by default; past it the total reads "10,000+" (as search engines do).
COUNT_UP_TO = 10_000
#: The folded full-text fields both backends search (see :mod:`search_index.text`).
TEXT_FIELDS = ("q_title", "q_description", "q_vendor", "q_drugs", "q_category", "q_market")
#: The keys of a hit.
HIT_KEYS = ("market", "listing_id", "vendor", "title", "price_usd", "price_amount", "price_currency",
            "ships_from", "ships_to", "drugs", "seen_at", "url", "evidence",
            "escrow", "finalize_early", "stock", "in_stock", "category", "currencies")


class SearchTimeout(RuntimeError):
    """A search stopped at its time limit (``timeout=``); the message says how to narrow it."""


class SchemaError(RuntimeError):
    """A store written by another version of onionwatch (a SQLite schema, an Elasticsearch mapping
    version); the message says to rebuild it with ``onionwatch reindex``."""


@dataclass
class SearchResult:
    """Hits of one search (best first), the total number matching, and facet counts.

    ``approximate`` is True when more listings match than the search counted (``count_up_to``):
    ``total`` is then a lower bound, shown as "10,000+". Elasticsearch still counts facets over
    every match and ranks every match; the embedded store counts facets over, and ranks, the
    ``total`` most recently indexed matches.

    >>> SearchResult(10_000, approximate=True).total_text(), SearchResult(1234).total_text()
    ('10,000+', '1,234')
    """

    total: int
    hits: list[dict[str, Any]] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    approximate: bool = False

    def total_text(self) -> str:
        """The total as people read it: ``1,234``, or ``10,000+`` when approximate."""
        return f"{self.total:,}" + ("+" if self.approximate else "")

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "approximate": self.approximate, "hits": self.hits, "facets": self.facets}


def listing_document(listing: Listing) -> dict[str, Any]:
    """Flatten a listing and its extracted facts into the document a backend stores.

    >>> from onionwatch.core.models import Listing
    >>> doc = listing_document(Listing("m", "7", "http://m/l/7", title="Fent 1g",
    ...     extracted={"drugs": [{"name": "fentanyl", "class": "opioid"}],
    ...                "price": {"amount": 90.0, "currency": "USD", "usd": 90.0}, "ships_from": "NL"}))
    >>> doc["drugs"], doc["price_usd"], doc["ships_from"], doc["vendor_key"], doc["escrow"], doc["currencies"]
    (['fentanyl'], 90.0, 'NL', None, None, [])

    ``drug_classes`` is the extraction's final class list (``facts["drug_classes"]``: the lexicon's,
    and the trained classifier's where it was adopted) when there is one, else the classes of the
    drugs found. ``currencies`` are the coins the listing says it accepts (extraction's
    ``currencies``, read from labelled fields: ``["BTC", "XMR"]``), not the price's currency.
    Payment terms, stock and feedback are the record's facts (a profile field's, else
    extraction's: :mod:`onionwatch.pipeline.facts`), and ``sources`` says where each fact came from.
    """
    facts = listing.extracted or {}
    price = facts.get("price") or {}
    stock = facts.get("stock") if isinstance(facts.get("stock"), dict) else {}
    drugs = _unique(d.get("name") for d in facts.get("drugs") or [])
    classes = _unique(facts["drug_classes"] if facts.get("drug_classes") is not None
                      else (d.get("class") for d in facts.get("drugs") or []))
    evidence = listing.evidence.to_dict() if listing.evidence else None
    if evidence:
        evidence.pop("kind", None)
    return {
        "market": listing.market,
        "listing_id": listing.listing_id,
        "url": listing.url,
        "title": listing.title,
        "vendor": listing.vendor or facts.get("vendor"),
        "description": listing.description,
        "category": listing.category or facts.get("category"),
        "drugs": drugs,
        "drug_classes": classes,
        "price_amount": price.get("amount"),
        "price_currency": price.get("currency"),
        "price_usd": price.get("usd"),
        "ships_from": facts.get("ships_from"),
        "ships_to": _unique(facts.get("ships_to") or []),
        "currencies": _unique(str(c).strip().upper() for c in facts.get("currencies") or []),
        "entities": [{"type": "drug", "name": d.get("name"), "class": d.get("class"), "text": d.get("text")}
                     for d in facts.get("drugs") or [] if d.get("name")],
        "drug_keys": _unique(fold(d) for d in drugs),
        "class_keys": _unique(fold(c) for c in classes),
        "market_key": fold(listing.market) or None,
        "vendor_key": fold(listing.vendor or facts.get("vendor")) or None,
        "category_key": fold(listing.category or facts.get("category")) or None,
        "seen_at": utc_iso(listing.evidence.fetched_at) if listing.evidence else None,
        "fields": dict(listing.fields),
        "evidence": evidence,
        # payment terms, stock and feedback, and where every fact came from
        "escrow": facts.get("escrow"),
        "finalize_early": facts.get("finalize_early"),
        "stock": stock.get("count"),
        "in_stock": stock.get("available"),
        "feedback_count": facts.get("feedback_count"),
        "sources": facts.get("sources") or {},
    }


def search_fields(doc: dict[str, Any]) -> dict[str, str]:
    """The folded full-text fields of a listing document (:data:`TEXT_FIELDS`).

    >>> search_fields({"title": "Fentanyl Café", "drugs": ["fentanyl"], "drug_classes": ["opioid"]})["q_drugs"]
    'fentanyl opioid'
    """
    return {
        "q_title": fold(doc.get("title")),
        "q_description": fold(doc.get("description")),
        "q_vendor": fold(doc.get("vendor")),
        "q_drugs": fold_all([*(doc.get("drugs") or []), *(doc.get("drug_classes") or [])]),
        "q_category": fold(doc.get("category")),
        "q_market": fold(doc.get("market")),
    }


def hit_of(doc: dict[str, Any]) -> dict[str, Any]:
    """The part of a stored document a search hit shows."""
    return {key: doc.get(key) for key in HIT_KEYS}


def utc_iso(value: str | None) -> str | None:
    """An ISO 8601 time as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC (what both backends compare), else None.

    >>> utc_iso("2026-01-02T03:04:05+02:00"), utc_iso("2026-01-02"), utc_iso("yesterday")
    ('2026-01-02T01:04:05Z', '2026-01-02T00:00:00Z', None)
    """
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _unique(values: Iterable[Any]) -> list[Any]:
    seen: dict[Any, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


class Store(abc.ABC):
    """A search backend: listings, vendor accounts and observations in; hits and facets out.

    Writes are idempotent: a listing is keyed by (market, listing_id), a vendor account by
    (market, handle), so indexing the same crawl twice leaves one copy of each.
    """

    @abc.abstractmethod
    def add_listings(self, listings: Iterable[Listing]) -> int:
        """Store (insert or replace) listings; return how many were written."""

    @abc.abstractmethod
    def add_vendors(self, vendors: Iterable[VendorAccount]) -> int:
        """Store (insert or replace) vendor accounts; return how many were written."""

    @abc.abstractmethod
    def add_observations(self, observations: Iterable[Observation]) -> int:
        """Append observations (a listing's state at one crawl); return how many were written."""

    @abc.abstractmethod
    def search(self, query: str | Query, *, limit: int = 20, count_up_to: int | None = COUNT_UP_TO,
               timeout: float | None = None) -> SearchResult:
        """Run an analyst query (see :mod:`search_index.query`; ``*`` matches everything) and count facets.

        Matches are counted up to ``count_up_to`` (at least ``limit``); past it the result is flagged
        :attr:`SearchResult.approximate`. ``None`` counts, and ranks, every match exactly (slower
        for broad queries on large stores).

        Raises :class:`~search_index.query.QueryError` for a query that cannot be understood, and
        :class:`SearchTimeout` when ``timeout`` (seconds) is given and the search takes longer.
        """

    @abc.abstractmethod
    def get_listing(self, market: str, listing_id: str) -> dict[str, Any] | None:
        """The stored document of one listing, or None."""

    @abc.abstractmethod
    def get_vendor(self, market: str, handle: str) -> dict[str, Any] | None:
        """The stored document of one vendor account, or None."""

    @abc.abstractmethod
    def vendor_listings(self, market: str, handle: str, *, limit: int = 100) -> SearchResult:
        """The listings of exactly one vendor account (market and handle compared as stored, never
        read as query syntax), most recently indexed first; ``total`` counts them all."""

    @abc.abstractmethod
    def price_history(self, market: str, listing_id: str) -> list[dict[str, Any]]:
        """A listing's observations, oldest first."""

    @abc.abstractmethod
    def iter_listings(self) -> Iterator[dict[str, Any]]:
        """Every stored listing document."""

    @abc.abstractmethod
    def iter_vendors(self) -> Iterator[dict[str, Any]]:
        """Every stored vendor account document."""

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Numbers of stored listings, vendors, observations and markets."""

    def flush(self) -> int:
        """Make every accepted write durable and searchable; return how many writes still wait
        (a backend with a disk spool keeps them there until the server takes them)."""
        return 0

    @property
    def description(self) -> str:
        """Where this store keeps its data, for messages."""
        return type(self).__name__

    def close(self) -> None:
        """Release the backend's resources."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
