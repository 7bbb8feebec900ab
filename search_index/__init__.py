"""Search: one interface (:class:`Store`), an embedded SQLite FTS5 backend, Elasticsearch later."""
from __future__ import annotations

from .base import FACETS, SearchResult, Store, listing_document
from .sqlite_store import SqliteStore, fts_query

__all__ = ["FACETS", "SearchResult", "Store", "SqliteStore", "fts_query", "listing_document", "open_store"]


def open_store(config) -> Store:
    """The store a configuration asks for: the embedded SQLite file in the data directory.

    >>> from onionwatch.config import load_config
    >>> import tempfile; store = open_store(load_config(tempfile.mkdtemp()))
    >>> store.counts()["listings"]
    0
    """
    if config.es_url:
        raise NotImplementedError(
            "the Elasticsearch backend is not built yet: unset ONIONWATCH_ES_URL to use the embedded store"
        )
    return SqliteStore(config.store_path)
