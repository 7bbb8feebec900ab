"""The sandbox's own data model: World -> Market -> Vendor, Listing (plain dataclasses).

Deliberately separate from ``onionwatch.models``: the sandbox is the oracle the pipeline is judged
against, so it shares no code with it. Listings are made on demand: ``Market.listings`` is a lazy
sequence that builds listing ``i`` from its own derived seed, so a market of a million listings
costs only its compact layout arrays until pages are asked for.
"""
from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import overload

__all__ = ["Amount", "Category", "Contact", "PgpKey", "Vendor", "Listing", "LazyListings",
           "Market", "World"]


@dataclass(frozen=True)
class Amount:
    """A quantity or strength: ``value`` in ``unit`` (g kg oz lb pill tab mg ug)."""

    value: float
    unit: str

    def to_dict(self) -> dict[str, float | str]:
        return {"value": self.value, "unit": self.unit}


@dataclass(frozen=True)
class Category:
    slug: str
    name: str

    @property
    def url_path(self) -> str:
        return f"/category/{self.slug}"


@dataclass(frozen=True)
class Contact:
    kind: str  # wickr, telegram, session, jabber
    value: str  # exactly as displayed


@dataclass(frozen=True)
class PgpKey:
    uid: str
    fingerprint: str
    armored: str


@dataclass(frozen=True)
class Vendor:
    index: int
    handle: str
    actor_id: str
    pgp: PgpKey | None
    btc: tuple[str, ...]
    xmr: tuple[str, ...]
    contacts: tuple[Contact, ...]
    profile: str
    home: str  # ISO 3166-1 alpha-2
    since: int
    sales: int
    rating: str  # as displayed, e.g. "4.87"
    products: tuple[str, ...]  # product keys from the vocabulary
    markup: float = field(repr=False)

    @property
    def url_path(self) -> str:
        return f"/vendor/{self.handle}"


@dataclass(frozen=True)
class Listing:
    index: int
    listing_id: str
    vendor: str
    category: Category
    product: str
    drug: str
    drug_class: str
    form: str
    title: str
    quantity: Amount
    strength: Amount | None
    price_usd: float
    price_text: str
    price_btc: float
    price_btc_text: str
    price_xmr: float
    price_xmr_text: str
    ships_from: str
    ships_from_text: str
    ships_to: tuple[str, ...]
    ships_to_text: str
    escrow: bool
    finalize_early: bool
    paragraphs: tuple[str, ...]

    @property
    def url_path(self) -> str:
        return f"/listing/{self.listing_id}"

    @property
    def description(self) -> str:
        """The description as one string: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)


class LazyListings(Sequence[Listing]):
    """A read-only sequence whose items are built by ``make(i)`` on first use (LRU-cached)."""

    def __init__(self, length: int, make: Callable[[int], Listing], cache: int = 4096) -> None:
        self._length = length
        self._get = lru_cache(maxsize=cache)(make)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, i: int) -> Listing: ...
    @overload
    def __getitem__(self, i: slice) -> list[Listing]: ...

    def __getitem__(self, i: int | slice) -> Listing | list[Listing]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._length))]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(i)
        return self._get(i)

    def __iter__(self) -> Iterator[Listing]:
        return (self[i] for i in range(self._length))


@dataclass(eq=False)
class Market:
    """One simulated market.

    The layout arrays hold, for listing ``i``, the index of its vendor in ``vendors``, of its
    product in the vocabulary's ``PRODUCTS`` and of its category in ``categories``;
    ``make_listing(market, i)`` builds the full listing from its derived seed.
    """

    name: str
    family: str
    seed: int
    btc_usd: float
    xmr_usd: float
    categories: tuple[Category, ...]
    vendors: tuple[Vendor, ...]
    listing_vendor: array
    listing_product: array
    listing_category: array
    id_offset: int
    page_size: int
    hostile_index: int | None
    make_listing: Callable[[Market, int], Listing] = field(repr=False)

    @cached_property
    def listings(self) -> LazyListings:
        return LazyListings(len(self.listing_vendor), lambda i: self.make_listing(self, i))

    def listing_id(self, index: int) -> str:
        return str(self.id_offset + index)

    def listing_by_id(self, listing_id: str) -> Listing | None:
        """The listing shown at ``/listing/<listing_id>``, or None (non-canonical ids included)."""
        if not listing_id.isdigit() or listing_id != str(int(listing_id)):
            return None
        index = int(listing_id) - self.id_offset
        return self.listings[index] if 0 <= index < len(self.listings) else None

    @cached_property
    def _vendors_by_handle(self) -> dict[str, Vendor]:
        return {v.handle: v for v in self.vendors}

    def vendor(self, handle: str) -> Vendor | None:
        return self._vendors_by_handle.get(handle)

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)

    @cached_property
    def _by_category(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {c.slug: [] for c in self.categories}
        for i, c in enumerate(self.listing_category):
            out[self.categories[c].slug].append(i)
        return out

    @cached_property
    def _by_vendor(self) -> list[list[int]]:
        out: list[list[int]] = [[] for _ in self.vendors]
        for i, v in enumerate(self.listing_vendor):
            out[v].append(i)
        return out

    def category_indices(self, slug: str) -> list[int]:
        """Listing indices in category ``slug``, in page order."""
        return self._by_category.get(slug, [])

    def vendor_indices(self, handle: str) -> list[int]:
        """Listing indices of vendor ``handle``, in page order."""
        vendor = self.vendor(handle)
        return self._by_vendor[vendor.index] if vendor else []


@dataclass(eq=False)
class World:
    seed: int
    markets: tuple[Market, ...]

    def market(self, name: str) -> Market:
        for market in self.markets:
            if market.name == name:
                return market
        raise KeyError(f"no market {name!r}; have {[m.name for m in self.markets]}")
