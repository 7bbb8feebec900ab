"""The sandbox's own data model: World -> Market -> Vendor, Listing (plain dataclasses).

Deliberately separate from ``onionwatch.core.models``: the sandbox is the oracle the pipeline is judged
against, so it shares no code with it. Listings and vendor accounts are made on demand:
``Market.listings`` and ``Market.vendors`` are lazy sequences that build item ``i`` from its own
derived seed (and, for listings, the clock's day), so a market of a million listings costs only its
compact layout arrays until pages are asked for.

Listing indices cover every listing the market ever has: the first ``initial`` exist on day 0,
later ones appear on their ``born`` day, and some disappear on their ``dies`` day. ``live()``
gives the indices on the market today.
"""
from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import overload

from .clock import Clock
from .switches import Defences, Faults

__all__ = ["Amount", "Category", "Contact", "PgpKey", "Photo", "Tier", "Vendor", "Listing",
           "LazyListings", "LazySequence", "Market", "World"]


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
class Photo:
    """A product photo: which picture it shows (``source``: ``actor-0007/2`` or ``stock/3``) and
    how this copy was made from it (``original``, ``reencoded`` at a lower JPEG quality, or
    ``cropped``). Served at the listing's photo URL; the bytes are made from ``source`` only."""

    source: str
    transform: str

    @property
    def stock(self) -> bool:
        return self.source.startswith("stock/")


@dataclass(frozen=True)
class Tier:
    """A bulk price tier: ``quantity`` for ``price`` in the market's currency, as displayed."""

    quantity: Amount
    price: float
    text: str
    quantity_text: str


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
    #: How this handle relates to the actor's others: primary, same, variant, unrelated, and
    #: lookalike (a *different* actor's handle imitated: a hard negative).
    handle_kind: str = "primary"
    lookalike_of: str | None = None  # actor id whose handle this one imitates
    signoff: str = ""  # the actor's writing habit, on every market
    photos: tuple[str, ...] = ()  # photo sources this account uses
    profile_paragraphs: tuple[str, ...] = ()
    publishes_key: bool = True
    url: str = ""
    #: Field name -> displayed text(s) under the family's labelled selectors (see Listing).
    labelled: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def url_path(self) -> str:
        return self.url or f"/vendor/{self.handle}"


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
    currency: str = "USD"
    price: float = 0.0  # in ``currency``, as displayed
    escrow_text: str = ""
    finalize_early_text: str = ""
    tiers: tuple[Tier, ...] = ()
    photos: tuple[Photo, ...] = ()
    stock: int = 0
    feedback: int = 0
    day: int = 0
    injected: bool = False
    #: Field name -> exact displayed text (or list of texts) under the family's labelled
    #: selectors; the fields a profile reads. Facts written only in free text are not here.
    labelled: dict = field(default_factory=dict, compare=False, hash=False)
    url: str = ""

    @property
    def url_path(self) -> str:
        return self.url or f"/listing/{self.listing_id}"

    @property
    def description(self) -> str:
        """The description as one string: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)


class LazySequence(Sequence):
    """A read-only sequence whose items are built by ``make(i)`` on first use (LRU-cached)."""

    def __init__(self, length: int, make: Callable[[int], object], cache: int = 4096) -> None:
        self._length = length
        self._get = lru_cache(maxsize=cache)(make)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, i: int) -> object: ...
    @overload
    def __getitem__(self, i: slice) -> list: ...

    def __getitem__(self, i: int | slice) -> object:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._length))]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(i)
        return self._get(i)

    def __iter__(self) -> Iterator:
        return (self[i] for i in range(self._length))


LazyListings = LazySequence


@dataclass(eq=False)
class Market:
    """One simulated market.

    The layout arrays hold, for listing ``i``, the index of its vendor in ``vendors``, of its
    product in the vocabulary's ``PRODUCTS``, of its category in ``categories``, and the days it
    appears (``listing_born``) and disappears (``listing_dies``, 0 = never);
    ``make_listing(market, i, day)`` builds the full listing from its derived seed.
    """

    name: str
    family: str
    seed: int
    btc_usd: float
    xmr_usd: float
    categories: tuple[Category, ...]
    vendors: Sequence[Vendor]
    listing_vendor: array
    listing_product: array
    listing_category: array
    id_offset: int
    page_size: int
    hostile_index: int | None
    make_listing: Callable[[Market, int, int], Listing] = field(repr=False)
    vendors_handles: tuple[str, ...] = ()
    listing_born: array = field(default_factory=lambda: array("H"))
    listing_dies: array = field(default_factory=lambda: array("H"))
    currency: str = "USD"
    language: str = "en"
    eur_usd: float = 1.08  # US dollars per euro
    escrow_btc: str = ""  # the market's own deposit address, on every page (a hard negative)
    escrow_xmr: str = ""
    down_days: tuple[int, ...] = ()  # days the market is down for maintenance
    clock: Clock = field(default_factory=Clock, repr=False)
    defences: Defences = field(default_factory=Defences)
    faults: Faults = field(default_factory=Faults)
    #: Whether pages carry the market's chrome: menus, featured and "top in" boxes, notices
    #: (see ``families.chrome``). On by default, as on every real market.
    chrome: bool = True

    def __post_init__(self) -> None:
        self._cached = lru_cache(maxsize=4096)(lambda i, day: self.make_listing(self, i, day))
        self._live_cache: dict[int, tuple[list[int], dict[str, list[int]], list[list[int]]]] = {}

    @property
    def listings(self) -> LazySequence:
        """Every listing index the market ever has, as the listing looks on today's clock."""
        day = self.clock.day
        return LazySequence(len(self.listing_vendor), lambda i: self._cached(i, day), cache=0)

    def listing_at(self, index: int, day: int | None = None) -> Listing:
        return self._cached(index, self.clock.day if day is None else day)

    def listing_id(self, index: int) -> str:
        return str(self.id_offset + index)

    def index_of(self, listing_id: str) -> int | None:
        """The listing index behind a displayed id, or None (non-canonical ids included)."""
        if not listing_id.isdigit() or listing_id != str(int(listing_id)):
            return None
        index = int(listing_id) - self.id_offset
        return index if 0 <= index < len(self.listing_vendor) else None

    def is_live(self, index: int, day: int | None = None) -> bool:
        day = self.clock.day if day is None else day
        dies = self.listing_dies[index] if self.listing_dies else 0
        born = self.listing_born[index] if self.listing_born else 0
        return born <= day and (dies == 0 or day < dies)

    def listing_by_id(self, listing_id: str) -> Listing | None:
        """The live listing shown for ``listing_id`` today, or None."""
        index = self.index_of(listing_id)
        return self.listing_at(index) if index is not None and self.is_live(index) else None

    def is_down(self) -> bool:
        return self.clock.day in self.down_days

    @cached_property
    def _vendors_by_handle(self) -> dict[str, int]:
        return {h: i for i, h in enumerate(self.vendors_handles)}

    def vendor(self, handle: str) -> Vendor | None:
        index = self._vendors_by_handle.get(handle)
        return None if index is None else self.vendors[index]

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def _live(self) -> tuple[list[int], dict[str, list[int]], list[list[int]]]:
        day = self.clock.day
        found = self._live_cache.get(day)
        if found is None:
            live = [i for i in range(len(self.listing_vendor)) if self.is_live(i, day)]
            by_cat: dict[str, list[int]] = {c.slug: [] for c in self.categories}
            by_vendor: list[list[int]] = [[] for _ in range(len(self.vendors_handles))]
            for i in live:
                by_cat[self.categories[self.listing_category[i]].slug].append(i)
                by_vendor[self.listing_vendor[i]].append(i)
            found = (live, by_cat, by_vendor)
            self._live_cache = {day: found}
        return found

    def live(self) -> list[int]:
        """Indices of the listings on the market today, in page order."""
        return self._live()[0]

    def category_indices(self, slug: str) -> list[int]:
        """Live listing indices in category ``slug``, in page order."""
        return self._live()[1].get(slug, [])

    def vendor_indices(self, handle: str) -> list[int]:
        """Live listing indices of vendor ``handle``, in page order."""
        index = self._vendors_by_handle.get(handle)
        return self._live()[2][index] if index is not None else []


@dataclass(eq=False)
class World:
    seed: int
    markets: tuple[Market, ...]
    clock: Clock = field(default_factory=Clock, repr=False)
    actors: tuple = field(default=(), repr=False)  # the generator's actor plan (see ``actors``)

    def market(self, name: str) -> Market:
        for market in self.markets:
            if market.name == name:
                return market
        raise KeyError(f"no market {name!r}; have {[m.name for m in self.markets]}")
