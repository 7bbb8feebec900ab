"""The one adapter between the insights and the rest of onionwatch: store, evidence, graph.

Every other insights module reads data through :class:`Data`, never through ``search_index`` or
``extract`` directly; the vendor-link graph comes from :meth:`Data.vendor_graph` (the ``graph``
package's saved graph, or one it builds from the store), and the other modules use the ``graph``
package's analytics on it.
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

from graph.identifiers import account_id
from onionwatch.core.config import Config, load_config

__all__ = ["Data", "WATCH_CLASSES", "LISTING_COLUMNS", "ALIAS_COLUMNS", "crawl_of", "identifiers_of"]

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

ALIAS_COLUMNS = ["account", "market", "handle", "actor", "score", "direct", "signals", "evidence"]

_WARC_SUFFIX = re.compile(r"(-\d{5})?\.warc(\.gz)?$")  # a crawl's WARC files roll over: -00000, -00001


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
    except Exception:  # noqa: BLE001 - an unreadable key is still an identifier: hash what was shown
        body = "".join(armored.split())
        return ["unparsed-" + hashlib.sha256(body.encode()).hexdigest()[:16]]


def identifiers_of(vendor: dict[str, Any]) -> list[tuple[str, str]]:
    """The (kind, value) identifiers a stored vendor document shows: PGP fingerprints, wallets,
    contacts, as the graph package reads them.

    >>> sorted(identifiers_of({"btc_addresses": ["1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"]}))
    [('btc', '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH')]
    """
    from graph.identifiers import vendor_identifiers

    return [(i.kind, i.value) for i in vendor_identifiers(vendor)]


class Data:
    """Read-only access to one onionwatch data directory (or Elasticsearch) for analysis."""

    def __init__(self, config: Config, store=None) -> None:
        self.config = config
        self._store = store
        self.graph_source: str | None = None  # where vendor_graph() came from, once asked
        self.graph_problem: str | None = None

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, es_url: str | None = None) -> "Data":
        """Connect to a data directory; by default the one :func:`~onionwatch.core.datadir.find_data_dir`
        finds from any working directory (``$ONIONWATCH_DATA_DIR``, else the data the last demo made,
        else an ``onionwatch-data`` folder here or above). Raises ``NoDataError`` (saying what to do)
        when there is none, and ``FileNotFoundError`` for a ``data_dir`` that does not exist: it
        never creates a folder."""
        from onionwatch.core.datadir import NoDataError, find_data_dir

        es = es_url or os.environ.get("ONIONWATCH_ES_URL")
        if data_dir is None:
            try:
                data_dir = find_data_dir()
            except NoDataError:
                if not es:
                    raise
        elif not es and not Path(data_dir).expanduser().is_dir():
            raise FileNotFoundError(f"no data directory {str(data_dir)!r}: run `make demo`, or give the folder"
                                    " a crawl wrote (its onionwatch-data)")
        return cls(load_config(data_dir, es_url))

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
        from onionwatch.core.models import Evidence

        stored = read_response(Evidence.from_dict(evidence), data_dir=self.config.data_dir)
        return {"url": stored.url, "status": stored.status, "record_id": stored.record_id,
                "digest": stored.digest, "headers": stored.headers, "html": stored.text}

    def crawl_files(self) -> list[Path]:
        """The crawl record files (one per crawl) in the data directory, oldest first."""
        folder = self.config.items_dir
        return sorted(folder.glob("*.jsonl")) if folder.exists() else []

    # -- the vendor-link graph (the graph package) -------------------------------------------
    @property
    def graph_path(self) -> Path:
        """Where ``onionwatch graph build`` (and the demo) save the vendor-link graph."""
        from graph.pipeline import GRAPH_FILE

        return Path(self.config.data_dir) / GRAPH_FILE

    def _store_fingerprint(self) -> dict[str, tuple[int, str | None]]:
        """``account -> (listings, vendor page digest)`` as the store holds them now."""
        counts = self.listings().dropna(subset=["vendor"]).groupby(["market", "vendor"]).size()
        found = {account_id(m, v): (int(n), None) for (m, v), n in counts.items()}
        for doc in self.store.iter_vendors():
            if doc.get("market") and doc.get("handle"):
                key = account_id(doc["market"], doc["handle"])
                found[key] = (found.get(key, (0, None))[0], (doc.get("evidence") or {}).get("digest"))
        return found

    def graph_is_current(self, G) -> bool:
        """Whether a saved graph was built from what the store holds now: the same accounts, the
        same number of listings each and the same vendor pages (by evidence digest)."""
        have = {n: (int(d.get("listings", 0)), (d.get("evidence") or {}).get("digest"))
                for n, d in G.nodes(data=True) if d.get("type") == "account"}
        return have == self._store_fingerprint()

    @cached_property
    def _vendor_graph(self):
        from graph.pipeline import actor_map, build_vendor_graph, load_graph, records_from_store

        saved = None
        if self.graph_path.exists():
            try:
                saved = load_graph(self.graph_path)
            except (OSError, ValueError, KeyError) as exc:  # a damaged file is rebuilt, not fatal
                self.graph_problem = f"the saved graph {self.graph_path} is unreadable ({exc}): rebuilt"
        if saved is not None and self.graph_is_current(saved):
            self.graph_source = f"saved graph {self.graph_path}"
            return saved
        # The photo signal hashes the archived photos, read from this data directory (not the
        # configured default, which may be another folder or none at all).
        G, _result = build_vendor_graph(records_from_store(self.store), data_dir=self.config.data_dir,
                                        previous=actor_map(saved) if saved is not None else None)
        self.graph_source = ("built from the store (the saved graph does not match the store: run "
                             "`onionwatch graph build` to save a new one)" if saved is not None
                             else "built from the store (no saved graph: `onionwatch graph build` saves one)")
        return G

    def vendor_graph(self):
        """The vendor-link graph (accounts, identifiers, products; ``alias`` edges with a score and
        evidence; each account's ``actor``): the saved one when it matches the store, else built
        from the store with the saved actor ids kept. Built once per :class:`Data`;
        ``graph_source`` says which."""
        return self._vendor_graph

    def account(self, market: str, handle: str) -> str:
        """The graph node of an account (handle matched case-insensitively when needed);
        KeyError saying what to do when the graph has no such account."""
        from graph.report import find_account

        try:
            return find_account(self.vendor_graph(), account_id(market, handle))
        except KeyError:
            raise KeyError(f"no vendor account {market}/{handle} in {self!r}: pick one from"
                           " top_vendors() or watch_vendors()") from None

    def aliases(self, market: str, handle: str) -> pd.DataFrame:
        """The other accounts of this account's actor, best link first: ``score`` and ``signals``
        of a direct link (None for accounts joined through other aliases), and its ``evidence``
        (one dict an item: the signal, the shared identifier or the similar values, the WARC
        pointers of both sides)."""
        from graph.analytics import aliases_of

        G = self.vendor_graph()
        me = self.account(market, handle)
        rows = [{"account": a["account"], "market": a["market"], "handle": a["handle"],
                 "actor": G.nodes[me].get("actor"), "score": a["score"], "direct": a["direct"],
                 "signals": a["signals"], "evidence": a["evidence"]}
                for a in aliases_of(G, me)]
        return pd.DataFrame(rows, columns=ALIAS_COLUMNS).astype({"score": "float64"})
