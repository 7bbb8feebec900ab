"""The embedded backend: one SQLite file with an FTS5 full-text index, the default on one machine.

Queries are compiled and run by :mod:`search_index.sqlite_search` with bound parameters; the
full-text part is an FTS5 expression in which every word is a quoted FTS5 string, so user text never
reaches FTS5's query syntax (or SQL) unescaped. A new keyword or number field is one entry in
:data:`~search_index.sqlite_search.COLUMNS` (or :data:`~search_index.sqlite_search.LIST_FIELDS`)
and one in :data:`search_index.query.FIELDS`.

>>> from onionwatch.core.models import Listing
>>> store = SqliteStore(":memory:")
>>> store.add_listings([Listing("m", "1", "http://m/1", title="Fentanyl powder 1g", vendor="v")])
1
>>> store.search("fentanyl").total
1
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from onionwatch.core.models import Listing, Observation, VendorAccount

from .base import (COUNT_UP_TO, TEXT_FIELDS, SchemaError, SearchResult, SearchTimeout, Store, hit_of,
                   listing_document, search_fields)
from .query import Query, parse
from .text import fold
from .sqlite_search import COLUMNS, FACTS, LIST_FIELDS, facts_row, fts_phrase, run_search

__all__ = ["SqliteStore", "fts_phrase", "SchemaError", "FTS_PREFIXES"]

#: SQLite virtual-machine steps between two looks at a search's deadline.
_PROGRESS_STEPS = 100
#: Set on every read connection: the file is read through a memory map (pages shared with the OS
#: cache, no copy a connection; SQLite caps it at 2 GiB unless built otherwise), a page cache of
#: 64 MiB for what the map does not cover (the WAL), temporary tables and sorts in memory.
READ_PRAGMAS = ("PRAGMA mmap_size = 2147418112", "PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY")

#: 3: listing_facts, the narrow rows searches test and count; escrow/fe/stock flags.
#: 4: the currencies a listing accepts (currency:, and its facet) in listing_facts and listing_terms.
#: 5: FTS5 prefix indexes (:data:`FTS_PREFIXES`).
SCHEMA_VERSION = 5
#: The prefix lengths FTS5 keeps an index of: a two- or three-letter prefix query (``ke*``) reads one
#: doclist instead of merging those of every word that starts so (406 ms for ``ke*`` at 1M listings
#: without; see docs/scaling.md). Longer prefixes match few words and need none.
FTS_PREFIXES = "2 3"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS listings (
    id INTEGER PRIMARY KEY,
    market TEXT NOT NULL, listing_id TEXT NOT NULL, vendor TEXT,
    {", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())},
    doc TEXT NOT NULL,
    UNIQUE (market, listing_id)
);
CREATE TABLE IF NOT EXISTS listing_terms (listing INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS listing_terms_cover ON listing_terms (listing, field, value);
DROP INDEX IF EXISTS listing_terms_value;
CREATE INDEX IF NOT EXISTS listing_terms_ids ON listing_terms (field, value, listing);
CREATE INDEX IF NOT EXISTS listings_market_key ON listings (market_key);
CREATE INDEX IF NOT EXISTS listings_vendor_key ON listings (vendor_key);
CREATE TABLE IF NOT EXISTS listing_facts (id INTEGER PRIMARY KEY, {", ".join(f"{name} {kind}" for name, kind in FACTS.items())});
{"".join(f"CREATE INDEX IF NOT EXISTS listing_facts_{name} ON listing_facts ({name});" for name in COLUMNS)}
CREATE VIRTUAL TABLE IF NOT EXISTS listings_fts USING fts5 (
    {", ".join(TEXT_FIELDS)}, tokenize = 'unicode61 remove_diacritics 2', prefix = '{FTS_PREFIXES}'
);
CREATE TABLE IF NOT EXISTS vendors (
    market TEXT NOT NULL, handle TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (market, handle)
);
CREATE TABLE IF NOT EXISTS observations (
    market TEXT NOT NULL, listing_id TEXT NOT NULL, observed_at TEXT NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (market, listing_id, observed_at)
);
"""


class SqliteStore(Store):
    """Listings, vendor accounts and observations in one SQLite file (``:memory:`` for tests).

    One store may be shared by threads (the web page does): writes are serialised by a lock on one
    connection; reads (search, listing, vendor, price history) of a file store each borrow a read-only
    connection from a pool, so one slow search does not hold up the others. ``timeout=``
    on :meth:`search` interrupts a search that runs too long (:class:`SearchTimeout`).
    """

    def __init__(self, path: str | os.PathLike) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA temp_store = MEMORY")
        found = self._schema_version()
        if found is not None and found != SCHEMA_VERSION:
            self._db.close()
            raise SchemaError(f"{self.path} was written by another onionwatch version (store schema {found},"
                              f" this one reads {SCHEMA_VERSION}): rebuild it from the evidence with"
                              " `onionwatch reindex`")
        self._db.executescript(_SCHEMA)
        self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        self._db.commit()
        self._idle: list[sqlite3.Connection] = []
        self._closed = False

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read connection for the time of one read: a file store lends an idle read-only
        connection from its pool (opening one when all are busy); a ``:memory:`` store has only its
        one connection, used under the store's lock."""
        if self.path == ":memory:":
            with self._lock:
                yield self._db
            return
        with self._lock:
            db = self._idle.pop() if self._idle else None
        if db is None:
            db = sqlite3.connect(Path(self.path).resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
            for pragma in READ_PRAGMAS:
                db.execute(pragma)
        try:
            yield db
        finally:
            with self._lock:
                if self._closed:
                    db.close()
                else:
                    self._idle.append(db)

    def _schema_version(self) -> int | None:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:
            return None
        return int(row[0]) if row else None

    @property
    def description(self) -> str:
        return f"SQLite store {self.path}"

    # --- writes ---------------------------------------------------------------------------
    def add_listings(self, listings: Iterable[Listing]) -> int:
        return self.add_documents(listing_document(listing) for listing in listings)

    def add_documents(self, docs: Iterable[dict[str, Any]]) -> int:
        """Store (insert or replace) listing documents as :func:`listing_document` makes them."""
        written = 0
        with self._lock, self._db:
            for doc in docs:
                self._put_listing(doc)
                written += 1
        return written

    def _put_listing(self, doc: dict[str, Any]) -> None:
        db = self._db
        old = db.execute("SELECT id FROM listings WHERE market = ? AND listing_id = ?",
                         (doc["market"], doc["listing_id"])).fetchone()
        if old:
            db.execute("DELETE FROM listings WHERE id = ?", old)
            db.execute("DELETE FROM listings_fts WHERE rowid = ?", old)
            db.execute("DELETE FROM listing_terms WHERE listing = ?", old)
            db.execute("DELETE FROM listing_facts WHERE id = ?", old)
        cursor = db.execute(
            f"INSERT INTO listings (market, listing_id, vendor, {', '.join(COLUMNS)}, doc)"
            f" VALUES (?, ?, ?, {', '.join('?' * len(COLUMNS))}, ?)",
            (doc["market"], doc["listing_id"], doc.get("vendor"), *(doc.get(c) for c in COLUMNS),
             json.dumps(doc, ensure_ascii=False)))
        rowid = cursor.lastrowid
        db.execute(f"INSERT INTO listing_facts VALUES (?, {', '.join('?' * len(FACTS))})", (rowid, *facts_row(doc)))
        text = search_fields(doc)
        db.execute(f"INSERT INTO listings_fts (rowid, {', '.join(TEXT_FIELDS)})"
                   f" VALUES (?, {', '.join('?' * len(TEXT_FIELDS))})", (rowid, *(text[f] for f in TEXT_FIELDS)))
        db.executemany("INSERT INTO listing_terms VALUES (?, ?, ?)",
                       [(rowid, field, value) for field in LIST_FIELDS for value in doc.get(field) or []])

    def add_vendors(self, vendors: Iterable[VendorAccount]) -> int:
        rows = [(v.market, v.handle, json.dumps(plain(v), ensure_ascii=False)) for v in vendors]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vendors VALUES (?, ?, ?)", rows)
        return len(rows)

    def add_observations(self, observations: Iterable[Observation]) -> int:
        rows = [(o.market, o.listing_id, o.observed_at, json.dumps(plain(o), ensure_ascii=False))
                for o in observations]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO observations VALUES (?, ?, ?, ?)", rows)
        return len(rows)

    # --- reads ----------------------------------------------------------------------------
    def search(self, query: str | Query, *, limit: int = 20, count_up_to: int | None = COUNT_UP_TO,
               timeout: float | None = None) -> SearchResult:
        """Search from the narrowest condition, collecting the matches once (see
        :mod:`search_index.sqlite_search`); past ``count_up_to`` matches the result is approximate."""
        parsed = parse(query) if isinstance(query, str) else query
        with self._reading() as db:
            if timeout is None:
                return run_search(db, parsed, limit=limit, cap=count_up_to)
            deadline = time.monotonic() + timeout
            db.set_progress_handler(lambda: time.monotonic() > deadline, _PROGRESS_STEPS)
            try:
                return run_search(db, parsed, limit=limit, cap=count_up_to)
            except sqlite3.OperationalError as exc:
                if "interrupt" not in str(exc):
                    raise
                raise SearchTimeout(f"the search took longer than {timeout:g} s and was stopped:"
                                    " narrow it (fewer words, a market:, vendor: or drug: field)") from None
            finally:
                db.set_progress_handler(None, 0)

    def get_listing(self, market: str, listing_id: str) -> dict[str, Any] | None:
        with self._reading() as db:
            row = db.execute("SELECT doc FROM listings WHERE market = ? AND listing_id = ?",
                                   (market, listing_id)).fetchone()
        return json.loads(row[0]) if row else None

    def get_vendor(self, market: str, handle: str) -> dict[str, Any] | None:
        with self._reading() as db:
            row = db.execute("SELECT doc FROM vendors WHERE market = ? AND handle = ?",
                                   (market, handle)).fetchone()
        return json.loads(row[0]) if row else None

    def vendor_listings(self, market: str, handle: str, *, limit: int = 100) -> SearchResult:
        where = "vendor_key IS ? AND market = ? AND vendor = ?"  # the key finds the rows by its index
        params = (fold(handle) or None, market, handle)
        with self._reading() as db:
            total = db.execute(f"SELECT count(*) FROM listings WHERE {where}", params).fetchone()[0]
            rows = db.execute(f"SELECT doc FROM listings WHERE {where} ORDER BY id DESC LIMIT ?",
                              (*params, limit)).fetchall()
        return SearchResult(total, [hit_of(json.loads(doc)) for (doc,) in rows])

    def price_history(self, market: str, listing_id: str) -> list[dict[str, Any]]:
        with self._reading() as db:
            rows = db.execute("SELECT doc FROM observations WHERE market = ? AND listing_id = ?"
                                    " ORDER BY observed_at", (market, listing_id)).fetchall()
        return [json.loads(doc) for (doc,) in rows]

    def iter_listings(self) -> Iterator[dict[str, Any]]:
        """Every stored listing document, in insertion order, read a page at a time."""
        yield from self._pages("SELECT rowid, doc FROM listings WHERE rowid > ? ORDER BY rowid LIMIT ?")

    def iter_vendors(self) -> Iterator[dict[str, Any]]:
        """Every stored vendor account document, read a page at a time."""
        yield from self._pages("SELECT rowid, doc FROM vendors WHERE rowid > ? ORDER BY rowid LIMIT ?")

    def _pages(self, sql: str, size: int = 1000) -> Iterator[dict[str, Any]]:
        last = 0
        while True:
            with self._lock:
                rows = self._db.execute(sql, (last, size)).fetchall()
            for last, doc in rows:
                yield json.loads(doc)
            if len(rows) < size:
                return

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            return self._db.execute(sql).fetchone()[0]

        with self._lock:
            return {
                "listings": one("SELECT count(*) FROM listings"),
                "vendors": one("SELECT count(*) FROM vendors"),
                "observations": one("SELECT count(*) FROM observations"),
                "markets": one("SELECT count(DISTINCT market) FROM listings"),
            }

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for reader in self._idle:
                reader.close()
            self._idle.clear()
            self._db.close()


def plain(record: VendorAccount | Observation) -> dict[str, Any]:
    """A vendor account or observation as the JSON document a backend stores."""
    data = record.to_dict()
    data.pop("kind", None)
    if isinstance(data.get("evidence"), dict):
        data["evidence"].pop("kind", None)
    return data
