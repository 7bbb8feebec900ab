"""The one interface both search backends implement, and the flat document they store.

A listing is indexed as one flat document built by :func:`listing_document` from a
:class:`~onionwatch.models.Listing` whose ``extracted`` dict holds the extraction pipeline's output.
The document keeps the evidence pointer so every hit traces back to its WARC record.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, Iterable

from onionwatch.models import Listing, Observation, VendorAccount

__all__ = ["Store", "SearchResult", "listing_document", "FACETS"]

#: Facets every backend counts for a search: document field -> facet name.
FACETS = ("market", "vendor", "drug", "ships_from")


@dataclass
class SearchResult:
    """Hits of one search (best first), the total number matching, and facet counts."""

    total: int
    hits: list[dict[str, Any]] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "hits": self.hits, "facets": self.facets}


def listing_document(listing: Listing) -> dict[str, Any]:
    """Flatten a listing and its extracted facts into the document a backend stores.

    >>> from onionwatch.models import Listing
    >>> doc = listing_document(Listing("m", "7", "http://m/l/7", title="Fent 1g",
    ...     extracted={"drugs": [{"name": "fentanyl", "class": "opioid"}],
    ...                "price": {"amount": 90.0, "currency": "USD", "usd": 90.0}, "ships_from": "NL"}))
    >>> doc["drugs"], doc["price_usd"], doc["ships_from"]
    (['fentanyl'], 90.0, 'NL')
    """
    facts = listing.extracted or {}
    price = facts.get("price") or {}
    drugs = _unique(d.get("name") for d in facts.get("drugs") or [])
    classes = _unique(d.get("class") for d in facts.get("drugs") or [])
    evidence = listing.evidence.to_dict() if listing.evidence else None
    if evidence:
        evidence.pop("kind", None)
    return {
        "market": listing.market,
        "listing_id": listing.listing_id,
        "url": listing.url,
        "title": listing.title,
        "vendor": listing.vendor,
        "description": listing.description,
        "category": listing.category,
        "drugs": drugs,
        "drug_classes": classes,
        "price_amount": price.get("amount"),
        "price_currency": price.get("currency"),
        "price_usd": price.get("usd"),
        "ships_from": facts.get("ships_from"),
        "ships_to": list(facts.get("ships_to") or []),
        "fields": dict(listing.fields),
        "evidence": evidence,
    }


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
    def search(self, query: str, *, limit: int = 20) -> SearchResult:
        """Run an analyst query (free text; ``*`` matches everything) and count facets."""

    @abc.abstractmethod
    def get_listing(self, market: str, listing_id: str) -> dict[str, Any] | None:
        """The stored document of one listing, or None."""

    @abc.abstractmethod
    def get_vendor(self, market: str, handle: str) -> dict[str, Any] | None:
        """The stored document of one vendor account, or None."""

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Numbers of stored listings, vendors, observations and markets."""

    def close(self) -> None:
        """Release the backend's resources."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
