"""Search: one interface (:class:`Store`), an embedded SQLite FTS5 backend and an Elasticsearch backend.

Both backends answer the same query language (:mod:`search_index.query`) with the same hits,
totals and facet counts; ranking may differ.
"""
from __future__ import annotations

from .base import FACETS, SearchResult, SearchTimeout, Store, listing_document
from .query import Query, QueryError, parse
from .sqlite_store import SchemaError, SqliteStore

__all__ = ["FACETS", "SearchResult", "SearchTimeout", "Store", "SqliteStore", "Query", "QueryError", "SchemaError", "parse",
           "listing_document", "open_store", "store_exists"]


def open_store(config) -> Store:
    """The store a configuration asks for: Elasticsearch when ``es_url`` is set, else the embedded
    SQLite file in the data directory.

    >>> from onionwatch.core.config import Config
    >>> import pathlib, tempfile; store = open_store(Config(pathlib.Path(tempfile.mkdtemp())))
    >>> store.counts()["listings"]
    0
    """
    if config.es_url:
        from .es_store import ElasticsearchStore  # elasticsearch-py is imported only when used

        return ElasticsearchStore.from_config(config)
    return SqliteStore(config.store_path)


def store_exists(config) -> bool:
    """Whether there is anything to search: the SQLite file exists, or an Elasticsearch URL is set."""
    return bool(config.es_url) or config.store_path.exists()
