"""The one adapter between the insights and the rest of onionwatch: store, evidence, graph.

Every other insights module reads data through :class:`Data`, never through ``search_index``,
``graph`` or ``extract`` directly, so when those packages change only this module follows them.
:class:`Data` turns the store's listing documents, vendor documents and observations into pandas
tables with the columns the analyses need (unit prices, crawl ids, watch flags), once, and caches
them.

>>> import tempfile
>>> data = Data.open(tempfile.mkdtemp())
>>> len(data.listings()), list(data.listings().columns)[:4]
(0, ['market', 'listing_id', 'vendor', 'title'])
"""
from __future__ import annotations

import hashlib
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from onionwatch.config import Config, load_config

__all__ = ["Data", "WATCH_CLASSES", "LISTING_COLUMNS", "crawl_of", "identifiers_of", "GraphNotReady"]

#: Drug classes the fentanyl watch follows: fentanyl and analogues, nitazenes, counterfeit pills.
WATCH_CLASSES = ("fentanyl", "nitazene", "pressed_pill")

LISTING_COLUMNS = [
    "market", "listing_id", "vendor", "title", "description", "category", "drugs", "drug_classes",
    "price_usd", "ships_from", "ships_to", "quantity", "unit", "unit_price_usd", "watch", "crawl",
    "fetched_at", "url", "evidence",
]
OBSERVATION_COLUMNS = ["market", "listing_id", "observed_at", "price_usd", "available", "crawl"]
VENDOR_COLUMNS = ["market", "handle", "pgp_fingerprints", "btc_addresses", "xmr_addresses",
                  "contacts", "profile_text", "url", "evidence", "identifiers"]

_WARC_SUFFIX = re.compile(r"(-\d{5})?\.warc(\.gz)?$")  # a crawl's WARC files roll over: -00000, -00001


class GraphNotReady(RuntimeError):
    """The vendor-link graph (``graph`` package) does not offer what was asked for yet."""


def crawl_of(evidence: dict[str, Any] | None) -> str | None:
    """The crawl a record came from: its WARC file name without the extension.

    >>> crawl_of({"warc_file": "/d/warc/empire-20260101T000000Z-ab12cd.warc.gz"})
    'empire-20260101T000000Z-ab12cd'
    >>> crawl_of({"warc_file": "empire-20260101T000000Z-ab12cd-00003.warc.gz"})
    'empire-20260101T000000Z-ab12cd'
    """
    if not evidence or not evidence.get("warc_file"):
        return None
    return _WARC_SUFFIX.sub("", Path(evidence["warc_file"]).name)


def _unit_price(doc: dict[str, Any]) -> tuple[float | None, str | None, float | None]:
    """(amount, unit, USD per unit) of a listing: grams for weights, pills for counts."""
    amount, unit = None, None
    for quantity in doc.get("quantities") or []:  # extraction may hand them over one day
        amount, unit = quantity.get("value"), quantity.get("unit")
        break
    if amount is None:
        from extract.lexicons.units import to_grams, unit_kind
        from extract.parsers.quantities import parse_quantities

        found = parse_quantities(doc.get("title") or "")
        if not found:
            return None, None, None
        amount, unit = found[0].value, found[0].unit
    else:
        from extract.lexicons.units import to_grams, unit_kind
    kind = unit_kind(unit) if unit else None
    if kind == "mass":
        amount, unit = to_grams(amount, unit), "g"
    elif kind != "count":
        return amount, unit, None
    price = doc.get("price_usd")
    per_unit = round(price / amount, 4) if price is not None and amount else None
    return amount, unit, per_unit


def _fingerprints(armored: str | None) -> list[str]:
    if not armored:
        return []
    try:
        from extract.validators.pgp import parse_key_block

        return [key.fingerprint for key in parse_key_block(armored)]
    except Exception:  # an unreadable key is still an identifier: hash what was shown
        body = "".join(armored.split())
        return ["unparsed-" + hashlib.sha256(body.encode()).hexdigest()[:16]]


def identifiers_of(vendor: dict[str, Any]) -> list[tuple[str, str]]:
    """The (kind, value) identifiers a stored vendor document shows: PGP fingerprints, wallets,
    contacts. The graph package's normalising reader is used when it is there.

    >>> sorted(identifiers_of({"btc_addresses": ["1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"]}))
    [('btc', '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH')]
    """
    try:
        from graph.identifiers import vendor_identifiers
    except ImportError:
        vendor_identifiers = None
    if vendor_identifiers is not None:
        return [(i.kind, i.value) for i in vendor_identifiers(vendor)]
    found = [("pgp", fp) for fp in _fingerprints(vendor.get("pgp_key"))]
    found += [("btc", a) for a in vendor.get("btc_addresses") or []]
    found += [("xmr", a) for a in vendor.get("xmr_addresses") or []]
    found += [("contact", c.strip().lower()) for c in vendor.get("contacts") or []]
    return found


class Data:
    """Read-only access to one onionwatch data directory (or Elasticsearch) for analysis."""

    def __init__(self, config: Config, store=None) -> None:
        self.config = config
        self._store = store

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, es_url: str | None = None) -> "Data":
        """Connect to a data directory (default ``$ONIONWATCH_DATA_DIR`` or ./onionwatch-data)."""
        config = load_config(data_dir, es_url)
        if not config.es_url and not config.store_path.exists():
            Path(config.data_dir).mkdir(parents=True, exist_ok=True)
        return cls(config)

    @property
    def store(self):
        if self._store is None:
            from search_index import open_store

            self._store = open_store(self.config)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> "Data":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Data({self.config.es_url or str(self.config.data_dir)!r})"

    # -- raw documents ------------------------------------------------------------------------
    def _listing_docs(self) -> Iterable[dict[str, Any]]:
        iterate = getattr(self.store, "iter_listings", None)
        if iterate is not None:
            return iterate()
        total = self.store.search("*", limit=0).total
        return self.store.search("*", limit=max(total, 1)).hits

    def _observation_docs(self) -> Iterable[dict[str, Any]]:
        iterate = getattr(self.store, "iter_observations", None)
        if iterate is not None:
            return iterate()
        history = getattr(self.store, "price_history", None)
        if history is None:
            return []
        keys = self.listings()[["market", "listing_id"]].itertuples(index=False)
        return [obs for market, listing_id in keys for obs in history(market, listing_id)]

    # -- tables -------------------------------------------------------------------------------
    @cached_property
    def _listings(self) -> pd.DataFrame:
        rows = []
        for doc in self._listing_docs():
            quantity, unit, per_unit = _unit_price(doc)
            evidence = doc.get("evidence") or {}
            classes = list(doc.get("drug_classes") or [])
            rows.append({
                "market": doc.get("market"), "listing_id": str(doc.get("listing_id")),
                "vendor": doc.get("vendor"), "title": doc.get("title") or "",
                "description": doc.get("description") or "", "category": doc.get("category"),
                "drugs": list(doc.get("drugs") or []), "drug_classes": classes,
                "price_usd": doc.get("price_usd"), "ships_from": doc.get("ships_from"),
                "ships_to": list(doc.get("ships_to") or []), "quantity": quantity, "unit": unit,
                "unit_price_usd": per_unit, "watch": any(c in WATCH_CLASSES for c in classes),
                "crawl": crawl_of(evidence), "fetched_at": evidence.get("fetched_at"),
                "url": doc.get("url"), "evidence": evidence or None,
            })
        frame = pd.DataFrame(rows, columns=LISTING_COLUMNS)
        return frame.astype({"price_usd": "float64", "unit_price_usd": "float64", "quantity": "float64"})

    def listings(self) -> pd.DataFrame:
        """One row a listing (its latest state), with unit prices, crawl and evidence."""
        return self._listings

    @cached_property
    def _observations(self) -> pd.DataFrame:
        rows = [{"market": o.get("market"), "listing_id": str(o.get("listing_id")),
                 "observed_at": o.get("observed_at"), "price_usd": o.get("price_usd"),
                 "available": o.get("available", True), "crawl": crawl_of(o.get("evidence"))}
                for o in self._observation_docs()]
        frame = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS).astype({"price_usd": "float64"})
        return frame.sort_values(["observed_at", "market", "listing_id"], ignore_index=True)

    def observations(self) -> pd.DataFrame:
        """One row a listing a crawl: what it cost and whether it was up when crawled."""
        return self._observations

    @cached_property
    def _vendors(self) -> pd.DataFrame:
        rows = []
        accounts = self.listings()[["market", "vendor"]].dropna().drop_duplicates()
        for market, handle in accounts.itertuples(index=False):
            doc = self.store.get_vendor(market, handle)
            if doc is None:
                doc = {"market": market, "handle": handle}
            rows.append({
                "market": market, "handle": handle,
                "pgp_fingerprints": _fingerprints(doc.get("pgp_key")),
                "btc_addresses": list(doc.get("btc_addresses") or []),
                "xmr_addresses": list(doc.get("xmr_addresses") or []),
                "contacts": list(doc.get("contacts") or []),
                "profile_text": doc.get("profile_text") or "", "url": doc.get("url"),
                "evidence": doc.get("evidence"), "identifiers": identifiers_of(doc),
            })
        return pd.DataFrame(rows, columns=VENDOR_COLUMNS)

    def vendors(self) -> pd.DataFrame:
        """One row a vendor account that has listings, with its identifiers."""
        return self._vendors

    def price_history(self, market: str, listing_id: str) -> pd.DataFrame:
        """Every observation of one listing, oldest first."""
        observations = self.observations()
        mine = observations[(observations["market"] == market)
                            & (observations["listing_id"] == str(listing_id))]
        return mine.reset_index(drop=True)

    def listing(self, market: str, listing_id: str) -> dict[str, Any]:
        """The stored document of one listing; KeyError with a hint when it is not there."""
        doc = self.store.get_listing(market, str(listing_id))
        if doc is None:
            raise KeyError(f"no listing {market}/{listing_id} in {self!r}: check the market and id"
                           " (`onionwatch search` shows both)")
        return doc

    def raw_page(self, evidence: dict[str, Any]) -> dict[str, Any]:
        """The archived response an evidence pointer names, digest checked, as text."""
        from onionwatch.evidence import read_response
        from onionwatch.models import Evidence

        stored = read_response(Evidence.from_dict(evidence))
        return {"url": stored.url, "status": stored.status, "record_id": stored.record_id,
                "digest": stored.digest, "headers": stored.headers,
                "html": stored.body.decode("utf-8", errors="replace")}

    def crawl_files(self) -> list[Path]:
        """The crawl record files (one per crawl) in the data directory, oldest first."""
        folder = self.config.items_dir
        return sorted(folder.glob("*.jsonl")) if folder.exists() else []

    # -- the vendor-link graph (issue 7) ------------------------------------------------------
    def graph_api(self):
        """The ``graph`` package's alias API, or raise :class:`GraphNotReady`."""
        try:
            import graph
        except ImportError as exc:  # pragma: no cover - graph is part of the project
            raise GraphNotReady(f"the graph package cannot be imported: {exc}") from exc
        wanted = ("build_graph", "resolve_aliases")
        missing = [name for name in wanted if not hasattr(graph, name)]
        if missing:
            raise GraphNotReady("the vendor-link graph does not offer " + ", ".join(missing)
                                + " yet (issue 7): alias scores are not available")
        return graph

    def aliases(self, market: str, handle: str) -> pd.DataFrame:
        """Scored aliases of one account from the vendor-link graph (issue 7).

        Raises :class:`GraphNotReady` until the graph package offers alias resolution; this is
        the one place that will call it."""
        api = self.graph_api()
        raise GraphNotReady(f"the graph package now offers {api.__name__}.resolve_aliases: connect it"
                            " here (onionwatch/insights/source.py, Data.aliases)")
