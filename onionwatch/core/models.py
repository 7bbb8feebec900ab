"""The data model every stage shares: plain dataclasses, no stage imports.

Records flow one way: the crawler makes :class:`Listing` and :class:`VendorAccount` records that
point to their :class:`Evidence`; extraction fills ``Listing.extracted``; the index stores them and
an :class:`Observation` per listing per crawl. Every record round-trips through ``to_dict`` /
``from_dict`` as JSON-safe values, which is how stages hand data forward (JSON Lines files).

>>> ev = Evidence("crawl.warc.gz", "<urn:uuid:1>", "sha256:ab", "2026-01-01T00:00:00Z", "http://m/x")
>>> acct = VendorAccount(market="empire", handle="DrWhite")
>>> acct.key
('empire', 'DrWhite')
>>> VendorAccount.from_dict(acct.to_dict()) == acct
True
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = ["Evidence", "Market", "VendorAccount", "Listing", "Observation", "record_from_dict"]


class _Record:
    """JSON round trip shared by every record type."""

    kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)  # type: ignore[call-overload]
        data["kind"] = self.kind
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        values = {k: v for k, v in data.items() if k in names}
        if isinstance(values.get("evidence"), dict):
            values["evidence"] = Evidence.from_dict(values["evidence"])
        return cls(**values)


@dataclass(frozen=True)
class Evidence(_Record):
    """Where a fact came from: one WARC response record and its SHA-256 payload digest.

    ``digest`` is the record's ``WARC-Payload-Digest`` header (``sha256:`` and base32, as warcio
    writes it); ``offset`` is the record's byte offset in the (gzipped) WARC file, for direct reads.
    """

    warc_file: str
    record_id: str
    digest: str
    fetched_at: str
    url: str
    offset: int | None = None
    kind = "evidence"


@dataclass
class Market(_Record):
    """A marketplace as the crawler knows it: a name and the addresses it answers on."""

    name: str
    base_urls: list[str] = field(default_factory=list)
    family: str | None = None
    kind = "market"


@dataclass
class VendorAccount(_Record):
    """One vendor account on one market.

    Accounts are keyed by ``(market, handle)``: two markets' accounts are never merged by name;
    linking them is the graph's job, with evidence.
    """

    market: str
    handle: str
    url: str | None = None
    pgp_key: str | None = None
    btc_addresses: list[str] = field(default_factory=list)
    xmr_addresses: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    profile_text: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    extracted: dict[str, Any] = field(default_factory=dict)
    evidence: Evidence | None = None
    kind = "vendor"

    @property
    def key(self) -> tuple[str, str]:
        return (self.market, self.handle)


@dataclass
class Listing(_Record):
    """One product listing as seen on one page fetch.

    ``fields`` holds the raw strings the market profile's selectors read; ``extracted`` holds what
    the extraction pipeline found (drugs, quantities, normalised price, ISO country codes, ...).
    """

    market: str
    listing_id: str
    url: str
    title: str = ""
    vendor: str | None = None
    description: str = ""
    category: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    extracted: dict[str, Any] = field(default_factory=dict)
    evidence: Evidence | None = None
    kind = "listing"

    @property
    def key(self) -> tuple[str, str]:
        return (self.market, self.listing_id)

    @property
    def vendor_key(self) -> tuple[str, str] | None:
        return (self.market, self.vendor) if self.vendor else None


@dataclass
class Observation(_Record):
    """A listing's changing state at one crawl: price, stock, feedback, availability."""

    market: str
    listing_id: str
    observed_at: str
    price_usd: float | None = None
    stock: int | None = None
    feedback_count: int | None = None
    available: bool = True
    evidence: Evidence | None = None
    kind = "observation"


_KINDS = {cls.kind: cls for cls in (Evidence, Market, VendorAccount, Listing, Observation)}


def record_from_dict(data: dict[str, Any]):
    """Rebuild a record from its ``to_dict`` form, choosing the class by its ``kind`` key.

    >>> record_from_dict({"kind": "market", "name": "empire"})
    Market(name='empire', base_urls=[], family=None)
    """
    try:
        cls = _KINDS[data["kind"]]
    except KeyError as exc:
        raise ValueError(f"not an onionwatch record (kind={data.get('kind')!r})") from exc
    return cls.from_dict(data)
