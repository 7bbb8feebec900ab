"""The Elasticsearch backend: the same :class:`~search_index.base.Store` on a real cluster.

Documents go in through :func:`elasticsearch.helpers.streaming_bulk` under idempotent ids
(``market/listing_id``, ``market/handle``, ``market/listing_id/observed_at``) with an external
version taken from the time the indexer accepted them, so a late replay never overwrites a newer
copy. The actions come from the pure producer :func:`search_index.es_actions.bulk_actions`; the
store reads its clock (``clock``, nanoseconds) once a chunk and passes the time and versions in. Whatever Elasticsearch does not take (unreachable, overloaded, a failing shard) is spooled to
disk (:mod:`search_index.spool`) and replayed on the next write or :meth:`ElasticsearchStore.flush`;
what it refuses for good (a document the mapping rejects) is kept in the spool's ``rejected.jsonl``
with the reason. Nothing is dropped.

An index behind an alias that holds an older mapping version (:data:`search_index.es_mappings.VERSIONS`)
is not written to or searched: the first read or write raises :class:`~search_index.base.SchemaError`
saying to rebuild it with ``onionwatch reindex``, as the embedded store does for an older schema.

The client is passed in, never created at import time; :meth:`ElasticsearchStore.from_config`
builds one from the configuration. No request is made before the first read or write.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from elasticsearch import (ApiError, AuthenticationException, AuthorizationException, ConnectionTimeout,
                           Elasticsearch, NotFoundError, SSLError, TransportError, helpers)

from onionwatch.core.config import split_urls
from onionwatch.core.models import Listing, Observation, VendorAccount

from . import es_mappings
from .base import (COUNT_UP_TO, FACETS, TEXT_FIELDS, SchemaError, SearchResult, SearchTimeout, Store, hit_of,
                   listing_document)
from .es_actions import bulk_actions, doc_id, on_the_wire
from .es_query import facet_aggs, to_es
from .query import Query, parse
from .sqlite_store import plain
from .spool import Spool

__all__ = ["ElasticsearchStore", "StoreUnavailable", "doc_id", "make_client"]

log = logging.getLogger(__name__)

#: Statuses after which a bulk item is worth sending again later (others are refused for good).
RETRY_LATER = {0, 408, 429, 500, 502, 503, 504}


class StoreUnavailable(RuntimeError):
    """The search server cannot be reached; the message says what to do."""


def _kind_of(index: str) -> str | None:
    """The kind of document an alias or index name holds (``...-listings`` or ``...-listings-v2``)."""
    for kind in es_mappings.KINDS:
        if index.endswith(f"-{kind}") or f"-{kind}-v" in index:
            return kind
    return None


def _version_of(index: str) -> int | None:
    """The mapping version an index name ends with (``...-listings-v4``), or None.

    >>> _version_of("ow-r20260101-listings-v4"), _version_of("someone-elses-index")
    (4, None)
    """
    found = re.search(r"-v(\d+)$", index)
    return int(found.group(1)) if found else None


def make_client(url: str | list[str], *, username: str | None = None, password: str | None = None,
                api_key: str | None = None, ca_certs: str | None = None, request_timeout: float = 30.0,
                max_retries: int = 2) -> Elasticsearch:
    """An Elasticsearch client for one URL or a cluster's node URLs (a list, or one comma-separated
    string): a request to a node that does not answer is retried on another. Credentials only when
    given; they are never logged."""
    options: dict[str, Any] = {"request_timeout": request_timeout, "max_retries": max_retries,
                               "retry_on_timeout": True}
    if api_key:
        options["api_key"] = api_key
    elif username:
        options["basic_auth"] = (username, password or "")
    if ca_certs:
        options["ca_certs"] = ca_certs
    return Elasticsearch(split_urls(url) if isinstance(url, str) else list(url), **options)


class ElasticsearchStore(Store):
    """Listings, vendor accounts and observations in aliased, versioned Elasticsearch indices.

    ``prefix`` names every index, alias and template this store manages (tests use their own).
    ``clock`` gives the time in nanoseconds since the epoch (``indexed_at`` and external versions).
    """

    def __init__(self, client: Elasticsearch, *, prefix: str = "onionwatch", spool_dir: str | Path,
                 chunk_size: int = 500, max_retries: int = 3, pause_after_failure: float = 2.0,
                 url: str | None = None, in_flight: int = 2, clock: Callable[[], int] = time.time_ns) -> None:
        self.es = client
        self.clock = clock
        self.in_flight = max(1, in_flight)  # bulk requests sent at once (Elasticsearch indexes them in parallel)
        self._lock = threading.Lock()  # the spool, the counters and the back-off, shared by the senders
        self._setup = threading.Lock()
        self.prefix = prefix
        self.spool = Spool(spool_dir)
        self.chunk_size = chunk_size
        self.max_retries = max_retries
        self.pause_after_failure = pause_after_failure
        self.url = url or "Elasticsearch"
        self.rejected = 0
        self._ready = False
        self._down_until = 0.0
        self._last_version = 0

    @classmethod
    def from_config(cls, config, **options: Any) -> "ElasticsearchStore":
        from onionwatch.core.config import es_credentials

        client = make_client(config.es_url, **es_credentials())
        return cls(client, prefix=config.es_prefix, spool_dir=config.es_spool_dir(),
                   url=config.es_url, **options)

    @property
    def description(self) -> str:
        return f"Elasticsearch {self.url} (indices {self.prefix}-*)"

    def alias(self, kind: str) -> str:
        return es_mappings.alias_name(self.prefix, kind)

    # --- set-up ---------------------------------------------------------------------------
    def ensure_indices(self) -> None:
        """Install the index templates, and create each kind's current index and alias if missing.
        :class:`~search_index.base.SchemaError` when an alias points at another mapping version's index."""
        for kind in es_mappings.KINDS:
            self.es.indices.put_index_template(name=f"{self.prefix}-{kind}", **es_mappings.template(self.prefix, kind))
            alias = self.alias(kind)
            if self.es.indices.exists_alias(name=alias):
                self._check_version(kind, alias)
            else:
                index = es_mappings.index_name(self.prefix, kind)
                if not self.es.indices.exists(index=index):
                    self.es.indices.create(index=index, aliases={alias: {"is_write_index": True}})
                else:
                    self.es.indices.put_alias(index=index, name=alias, is_write_index=True)
        self.es.cluster.health(wait_for_status="yellow", timeout="30s")
        self._ready = True

    def _check_version(self, kind: str, alias: str) -> None:
        """SchemaError when the alias points at an index of another mapping version (the ``-v<N>``
        every index name ends with, whether made here or staged by ``reindex``)."""
        wanted = es_mappings.VERSIONS[kind]
        other = {name: version for name in self.es.indices.get_alias(name=alias).body
                 if (version := _version_of(name)) is not None and version != wanted}
        if other:
            held = ", ".join(f"{name} (mapping v{version})" for name, version in sorted(other.items()))
            raise SchemaError(f"Elasticsearch alias {alias} points at {held}, written by another onionwatch"
                              f" version; this one reads and writes {kind} mapping v{wanted}: rebuild it from"
                              " the evidence with `onionwatch reindex`")

    def _ensure(self) -> None:
        if not self._ready:
            with self._setup:  # two bulk senders must not create the same index at once
                if self._ready:
                    return
                try:
                    self.ensure_indices()
                except (TransportError, ApiError) as exc:
                    raise StoreUnavailable(self._unreachable(exc)) from exc

    def _unreachable(self, exc: Exception) -> str:
        # A secured cluster that refuses the credentials or whose certificate is not trusted answers,
        # but not to us: say which setting to fix (docs/elasticsearch.md) instead of "start it".
        causes, seen = [], exc
        while seen is not None and len(causes) < 4:  # the TLS reason is in the chained exceptions
            causes += [str(seen)] + [str(e) for e in getattr(seen, "errors", ()) or ()]
            seen = seen.__cause__
        cause = "; ".join(dict.fromkeys(c for c in causes if c))
        if isinstance(exc, SSLError):
            return (f"Elasticsearch at {self.url}: TLS failed ({cause}); if the cluster's certificate is signed "
                    "by its own CA, set ONIONWATCH_ES_CA_CERTS to that CA's PEM file")
        if isinstance(exc, AuthenticationException):
            return (f"Elasticsearch at {self.url} refused the credentials (401: {exc.message}); check "
                    "ONIONWATCH_ES_USERNAME and ONIONWATCH_ES_PASSWORD, or ONIONWATCH_ES_API_KEY")
        if isinstance(exc, AuthorizationException):
            return (f"Elasticsearch at {self.url}: the user may not do this (403: {exc.message}); it needs "
                    f"privileges on the {self.prefix}* indices and index templates")
        return (f"Elasticsearch at {self.url} did not answer ({type(exc).__name__}: {cause}); start it with "
                "`make es` (or `onionwatch es start`) or point ONIONWATCH_ES_URL at a running cluster")

    def delete_indices(self) -> None:
        """Delete every index and template with this store's prefix (for tests and rebuilds)."""
        found = self.es.indices.get(index=f"{self.prefix}-*", expand_wildcards="all", ignore_unavailable=True)
        for index in found.body:
            self.es.indices.delete(index=index, ignore_unavailable=True)
        for kind in es_mappings.KINDS:
            try:
                self.es.indices.delete_index_template(name=f"{self.prefix}-{kind}")
            except NotFoundError:
                pass
        self._ready = False

    # --- writes ---------------------------------------------------------------------------
    def actions(self, kind: str, docs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Bulk actions for documents of ``kind``, made by :func:`~search_index.es_actions.bulk_actions`
        a chunk at a time: each chunk gets the clock's time when it is made, and the next external
        versions (from that time in nanoseconds, and always above every version given before)."""
        docs = iter(docs)
        while chunk := list(islice(docs, self.chunk_size)):
            ns = self.clock()
            version = max(ns, self._last_version + 1)
            self._last_version = version + len(chunk) - 1
            now = datetime.fromtimestamp(ns // 1_000_000_000, timezone.utc).replace(microsecond=ns // 1000 % 1_000_000)
            yield from bulk_actions(kind, chunk, index=self.alias(kind), now=now, version=version)

    def add_listings(self, listings: Iterable[Listing]) -> int:
        return self.add_documents(listing_document(listing) for listing in listings)

    def add_documents(self, docs: Iterable[dict[str, Any]]) -> int:
        """Store listing documents as :func:`~search_index.base.listing_document` makes them."""
        return self.write(self.actions("listings", docs))

    def add_vendors(self, vendors: Iterable[VendorAccount]) -> int:
        return self.write(self.actions("vendors", (plain(v) for v in vendors)))

    def add_observations(self, observations: Iterable[Observation]) -> int:
        return self.write(self.actions("observations", (plain(o) for o in observations)))

    def write(self, actions: Iterable[dict[str, Any]]) -> int:
        """Send bulk actions; return how many were accepted (stored, or spooled to disk).

        Up to :attr:`in_flight` chunks are sent at once while the next is prepared (folded and
        serialised) in the calling thread. External versions make the order they land in irrelevant.
        """
        accepted = 0
        actions = iter(actions)
        try:
            self._ensure()  # an index of another mapping version: SchemaError before anything is taken
        except StoreUnavailable:
            pass  # not reachable now: the chunks go to the spool
        if self.spool.pending():
            self.replay()
        with ThreadPoolExecutor(max_workers=self.in_flight, thread_name_prefix="onionwatch-bulk") as senders:
            sending: list = []
            while True:
                chunk = [(action, on_the_wire(action)) for action in islice(actions, self.chunk_size)]
                while sending and (len(sending) >= self.in_flight or not chunk):
                    sending.pop(0).result()
                if not chunk:
                    return accepted
                sending.append(senders.submit(self._send, chunk))
                accepted += len(chunk)

    def _send(self, chunk: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
        """Send (action, action on the wire) pairs; spool what must be retried, keep what is refused."""
        if time.monotonic() < self._down_until:
            with self._lock:
                self.spool.add(action for action, _ in chunk)
            return
        by_id = {(_kind_of(a["_index"]), a["_id"]): a for a, _ in chunk}  # a repeated id is one document
        settled: set[tuple[str | None, str]] = set()
        again: list[dict[str, Any]] = []
        refused: list[tuple[dict[str, Any], str]] = []
        try:
            self._ensure()
            for ok, item in helpers.streaming_bulk(
                    self.es, [wire for _, wire in chunk], chunk_size=len(chunk), max_retries=self.max_retries,
                    initial_backoff=0.5, raise_on_error=False, raise_on_exception=False, yield_ok=True):
                info = next(iter(item.values()))
                key = (_kind_of(info.get("_index") or ""), info.get("_id"))
                action = by_id.get(key)
                if action is None:
                    continue
                settled.add(key)
                status = info.get("status") or 0
                if ok or status == 409:  # 409: this or a newer version is already stored
                    continue
                if status in RETRY_LATER or not isinstance(status, int):
                    again.append(action)
                else:
                    refused.append((action, str(info.get("error"))))
        except (TransportError, StoreUnavailable) as exc:
            log.warning("Elasticsearch unavailable (%s): spooling to %s", exc, self.spool.directory)
            self._down_until = time.monotonic() + self.pause_after_failure
            self._ready = False
        except SchemaError:  # keep the chunk for after `onionwatch reindex`, and say so
            with self._lock:
                self.spool.add(action for action, _ in chunk)
            raise
        again += [a for key, a in by_id.items() if key not in settled]
        with self._lock:
            self.spool.add(again)
            if refused:
                self.rejected += len(refused)
                self.spool.reject(refused)

    def replay(self) -> int:
        """Re-send spooled actions; return how many still wait on disk."""
        if time.monotonic() < self._down_until:
            return self.spool.pending()
        taken = self.spool.take()
        while True:
            chunk = [(action, on_the_wire(action)) for action in islice(taken, self.chunk_size)]
            if not chunk:
                break
            self._send(chunk)
        self.spool.done()
        return self.spool.pending()

    def flush(self) -> int:
        """Replay the spool and refresh, so every accepted write is searchable; return what still waits."""
        self._down_until = 0.0
        waiting = self.replay()
        try:
            self._ensure()
            self.es.indices.refresh(index=",".join(self.alias(k) for k in es_mappings.KINDS))
        except (TransportError, ApiError, StoreUnavailable) as exc:
            log.warning("refresh failed: %s", exc)
        return waiting

    def pending(self) -> int:
        """Writes waiting in the disk spool."""
        return self.spool.pending()

    # --- reads ----------------------------------------------------------------------------
    def _call(self, function, **kwargs):
        self._ensure()
        try:
            return function(**kwargs)
        except TransportError as exc:
            raise StoreUnavailable(self._unreachable(exc)) from exc

    def search(self, query: str | Query, *, limit: int = 20, count_up_to: int | None = COUNT_UP_TO,
               timeout: float | None = None) -> SearchResult:
        """Words score (``must``), everything else filters (cached, unscored); hits are counted up to
        ``count_up_to`` (``track_total_hits``), facets over every match. Ties keep Elasticsearch's
        own order (a tie-breaking sort field would compare every tied match, e.g. all of a filter-only query)."""
        parsed = parse(query) if isinstance(query, str) else query
        track = True if count_up_to is None else max(count_up_to, limit)
        limits: dict[str, Any] = {}
        client = self.es
        if timeout is not None:  # Elasticsearch stops the search at ``timeout``; the client waits a little longer
            limits["timeout"] = f"{max(1, round(timeout * 1000))}ms"
            client = self.es.options(request_timeout=timeout + 5, max_retries=0, retry_on_timeout=False)
        stopped = SearchTimeout(f"the search took longer than {timeout:g} s and was stopped:"
                                " narrow it (fewer words, a market:, vendor: or drug: field)") if timeout else None
        try:
            response = self._call(client.search, index=self.alias("listings"), query=to_es(parsed), size=limit,
                                  aggs=facet_aggs(), track_total_hits=track, source_excludes=list(TEXT_FIELDS),
                                  **limits)
        except StoreUnavailable as exc:
            if stopped and isinstance(exc.__cause__, ConnectionTimeout):
                raise stopped from None
            raise
        if stopped and response.get("timed_out"):
            raise stopped
        hits = [hit_of(hit["_source"]) for hit in response["hits"]["hits"]]
        aggs = response.get("aggregations") or {}
        facets = {name: {b["key"]: b["doc_count"] for b in aggs.get(name, {}).get("buckets", [])} for name in FACETS}
        total = response["hits"]["total"]
        return SearchResult(total=total["value"], hits=hits, facets=facets, approximate=total["relation"] == "gte")

    def _get(self, kind: str, *key: str) -> dict[str, Any] | None:
        try:
            response = self._call(self.es.get, index=self.alias(kind), id=doc_id(*key),
                                  source_excludes=list(TEXT_FIELDS) + ["indexed_at"])
        except NotFoundError:
            return None
        return response["_source"]

    def get_listing(self, market: str, listing_id: str) -> dict[str, Any] | None:
        return self._get("listings", market, listing_id)

    def get_vendor(self, market: str, handle: str) -> dict[str, Any] | None:
        return self._get("vendors", market, handle)

    def vendor_listings(self, market: str, handle: str, *, limit: int = 100) -> SearchResult:
        response = self._call(self.es.search, index=self.alias("listings"), size=limit, track_total_hits=True,
                              query={"bool": {"filter": [{"term": {"market.keyword": market}},
                                                         {"term": {"vendor.keyword": handle}}]}},
                              sort=[{"indexed_at": "desc"}], source_excludes=list(TEXT_FIELDS))
        return SearchResult(response["hits"]["total"]["value"], [hit_of(h["_source"]) for h in response["hits"]["hits"]])

    def price_history(self, market: str, listing_id: str) -> list[dict[str, Any]]:
        response = self._call(self.es.search, index=self.alias("observations"), size=1000,
                              query={"bool": {"filter": [{"term": {"market": market}},
                                                         {"term": {"listing_id": listing_id}}]}},
                              sort=[{"observed_at": "asc"}], source_excludes=["indexed_at"])
        return [hit["_source"] for hit in response["hits"]["hits"]]

    def iter_listings(self) -> Iterator[dict[str, Any]]:
        self._ensure()
        for hit in helpers.scan(self.es, index=self.alias("listings"), query={"query": {"match_all": {}}},
                                _source_excludes=list(TEXT_FIELDS) + ["indexed_at"], size=1000):
            yield hit["_source"]

    def iter_vendors(self) -> Iterator[dict[str, Any]]:
        self._ensure()
        for hit in helpers.scan(self.es, index=self.alias("vendors"), query={"query": {"match_all": {}}},
                                _source_excludes=["indexed_at"], size=1000):
            yield hit["_source"]

    def count_ids(self) -> set[str]:
        """The ids of every stored listing (for checks that nothing was lost)."""
        self._ensure()
        return {hit["_id"] for hit in helpers.scan(self.es, index=self.alias("listings"),
                                                   query={"query": {"match_all": {}}}, _source=False, size=5000)}

    def counts(self) -> dict[str, int]:
        count = {kind: self._call(self.es.count, index=self.alias(kind))["count"] for kind in es_mappings.KINDS}
        markets = self._call(self.es.search, index=self.alias("listings"), size=0,
                             aggs={"m": {"cardinality": {"field": "market.keyword"}}})
        return {"listings": count["listings"], "vendors": count["vendors"],
                "observations": count["observations"], "markets": markets["aggregations"]["m"]["value"]}

    def close(self) -> None:
        try:
            if self.spool.pending():
                self.flush()
        finally:
            self.es.close()
