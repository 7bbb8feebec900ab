"""The embedded backend: one SQLite file with an FTS5 full-text index, the default on one machine.

Queries are compiled by :func:`to_sql` into SQL with bound parameters; the full-text part is an
FTS5 expression in which every word is a quoted FTS5 string, so user text never reaches FTS5's
query syntax (or SQL) unescaped.

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
from pathlib import Path
from typing import Any, Iterable, Iterator

from onionwatch.core.models import Listing, Observation, VendorAccount

from .base import FACET_SIZE, FACETS, TEXT_FIELDS, SearchResult, Store, hit_of, listing_document, search_fields
from .query import Flag, Query, Range, Terms, Text, parse

__all__ = ["SqliteStore", "to_sql", "fts_phrase", "SchemaError"]

SCHEMA_VERSION = 3

#: Keyword fields kept as columns of ``listings``, and list fields kept as rows of ``listing_terms``.
_COLUMNS = ("market_key", "vendor_key", "category_key", "ships_from", "price_usd", "seen_at")
_LIST_FIELDS = ("drugs", "drug_keys", "class_keys", "ships_to")
#: Yes/no fields kept as INTEGER columns (1, 0 or NULL for unknown) for escrow:, fe: and instock:
#: (schema 3).
_FLAG_COLUMNS = ("escrow", "finalize_early", "in_stock")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS listings (
    id INTEGER PRIMARY KEY,
    market TEXT NOT NULL, listing_id TEXT NOT NULL, vendor TEXT,
    {", ".join(f"{c} {'REAL' if c == 'price_usd' else 'TEXT'}" for c in _COLUMNS)},
    {", ".join(f"{c} INTEGER" for c in _FLAG_COLUMNS)}, doc TEXT NOT NULL,
    UNIQUE (market, listing_id)
);
CREATE TABLE IF NOT EXISTS listing_terms (listing INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS listing_terms_cover ON listing_terms (listing, field, value);
CREATE INDEX IF NOT EXISTS listing_terms_value ON listing_terms (field, value);
CREATE INDEX IF NOT EXISTS listings_market_key ON listings (market_key);
CREATE INDEX IF NOT EXISTS listings_vendor_key ON listings (vendor_key);
CREATE VIRTUAL TABLE IF NOT EXISTS listings_fts USING fts5 (
    {", ".join(TEXT_FIELDS)}, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS vendors (
    market TEXT NOT NULL, handle TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (market, handle)
);
CREATE TABLE IF NOT EXISTS observations (
    market TEXT NOT NULL, listing_id TEXT NOT NULL, observed_at TEXT NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (market, listing_id, observed_at)
);
"""


#: A search's matching rows, computed once and read for the total, the hits and each facet.
_MATCHES_TABLE = ("CREATE TEMP TABLE IF NOT EXISTS matches (id INTEGER PRIMARY KEY, rank REAL, market TEXT,"
                  " vendor TEXT, ships_from TEXT)")


class SchemaError(RuntimeError):
    """A store file written by another version of onionwatch."""


def fts_phrase(words: Iterable[str]) -> str:
    '''One FTS5 string (a phrase when it holds several words), quotes doubled.

    >>> fts_phrase(['m30', 'or']), fts_phrase(['a"b'])
    ('"m30 or"', '"a""b"')
    '''
    return '"' + " ".join(words).replace('"', '""') + '"'


def to_sql(query: Query) -> tuple[str | None, str, list[Any]]:
    """Compile a query: (FTS5 MATCH expression of the required text or None, WHERE clause over
    ``l`` = listings, its parameters).

    >>> from search_index.query import parse
    >>> to_sql(parse('fent* "m30 pressed" -vendor:x'))
    ('"fent"* AND "m30 pressed"', "COALESCE(l.vendor_key, '') NOT IN (?)", ['x'])
    """
    match: list[str] = []
    where: list[str] = []
    params: list[Any] = []
    for clause in query.clauses:
        if isinstance(clause, Text):
            expression = fts_phrase(clause.words) + ("*" if clause.prefix else "")
            if clause.negated:
                where.append("l.id NOT IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ?)")
                params.append(expression)
            else:
                match.append(expression)
        elif isinstance(clause, Terms):
            marks = ", ".join("?" * len(clause.values))
            if clause.field in _LIST_FIELDS:
                where.append(f"l.id {'NOT IN' if clause.negated else 'IN'} (SELECT t.listing FROM listing_terms AS t"
                             f" WHERE t.field = ? AND t.value IN ({marks}))")
                params += [clause.field, *clause.values]
            elif clause.field in _COLUMNS:
                where.append(f"COALESCE(l.{clause.field}, '') NOT IN ({marks})" if clause.negated
                             else f"l.{clause.field} IN ({marks})")
                params += list(clause.values)
            else:
                raise ValueError(f"no column for field {clause.field!r}")
        elif isinstance(clause, Flag):  # escrow:yes, fe:no, instock:yes (NULL: unknown)
            if clause.field not in _FLAG_COLUMNS:
                raise ValueError(f"no column for field {clause.field!r}")
            where.append(f"l.{clause.field} IS {'NOT ' if clause.negated else ''}?")
            params.append(int(clause.value))
        elif isinstance(clause, Range):
            op = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[clause.op]
            if clause.field not in _COLUMNS:
                raise ValueError(f"no column for field {clause.field!r}")
            where.append(f"l.{clause.field} {op} ?")
            params.append(clause.value)
    return (" AND ".join(match) or None), (" AND ".join(where) or "1"), params


class SqliteStore(Store):
    """Listings, vendor accounts and observations in one SQLite file (``:memory:`` for tests).

    One store may be shared by threads (the web page does); calls are serialised by a lock.
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
        flags = [None if doc.get(c) is None else int(bool(doc[c])) for c in _FLAG_COLUMNS]
        cursor = db.execute(
            f"INSERT INTO listings (market, listing_id, vendor, {', '.join(_COLUMNS)}, {', '.join(_FLAG_COLUMNS)}, doc)"
            f" VALUES (?, ?, ?, {', '.join('?' * len(_COLUMNS))}, {', '.join('?' * len(_FLAG_COLUMNS))}, ?)",
            (doc["market"], doc["listing_id"], doc.get("vendor"), *(doc.get(c) for c in _COLUMNS), *flags,
             json.dumps(doc, ensure_ascii=False)))
        rowid = cursor.lastrowid
        text = search_fields(doc)
        db.execute(f"INSERT INTO listings_fts (rowid, {', '.join(TEXT_FIELDS)})"
                   f" VALUES (?, {', '.join('?' * len(TEXT_FIELDS))})", (rowid, *(text[f] for f in TEXT_FIELDS)))
        db.executemany("INSERT INTO listing_terms VALUES (?, ?, ?)",
                       [(rowid, field, value) for field in _LIST_FIELDS for value in doc.get(field) or []])

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
    def search(self, query: str | Query, *, limit: int = 20) -> SearchResult:
        """Run the full-text match and filters once, into a temporary table of the matching rows
        (id, rank and the facet columns); the total, the page of hits and every facet are read from it.
        A query without conditions (``*``) reads the listings table itself.
        """
        parsed = parse(query) if isinstance(query, str) else query
        match, where, params = to_sql(parsed)
        if match is None:
            source, rank = "listings AS l", "NULL"
        else:
            source, rank = "listings_fts JOIN listings AS l ON l.id = listings_fts.rowid", "bm25(listings_fts)"
            where, params = f"listings_fts MATCH ? AND {where}", [match, *params]
        everything = match is None and where == "1"
        table, order = ("listings", "m.id") if everything else ("temp.matches", "m.rank, m.id")
        with self._lock:
            db = self._db
            try:
                if not everything:
                    db.execute(_MATCHES_TABLE)
                    db.execute("DELETE FROM temp.matches")
                    db.execute(f"INSERT INTO temp.matches SELECT l.id, {rank}, l.market, l.vendor, l.ships_from"
                               f" FROM {source} WHERE {where}", params)
                total = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                rows = db.execute(f"SELECT l.doc FROM (SELECT * FROM {table} AS m ORDER BY {order} LIMIT ?) AS m"
                                  f" JOIN listings AS l ON l.id = m.id ORDER BY {order}", (limit,)).fetchall()
                facets = self._facets(table)
            finally:
                if not everything:
                    db.execute("DELETE FROM temp.matches")
        return SearchResult(total=total, hits=[hit_of(json.loads(doc)) for (doc,) in rows], facets=facets)

    def _facets(self, table: str) -> dict[str, dict[str, int]]:
        """Facet counts over the rows of ``table`` (``temp.matches``, or ``listings`` for everything)."""
        facets: dict[str, dict[str, int]] = {}
        for name in FACETS:
            if name == "drug" and table == "listings":
                sql = ("SELECT value, count(*) FROM listing_terms WHERE field = 'drugs' GROUP BY value"
                       f" ORDER BY count(*) DESC, value LIMIT {FACET_SIZE}")
            elif name == "drug":
                # CROSS JOIN: walk the matches and look each up (not every drug row of the store)
                sql = (f"SELECT t.value, count(*) FROM {table} AS m CROSS JOIN listing_terms AS t ON t.listing = m.id"
                       f" WHERE t.field = 'drugs' GROUP BY t.value ORDER BY count(*) DESC, t.value LIMIT {FACET_SIZE}")
            else:
                sql = (f"SELECT {name}, count(*) FROM {table} WHERE {name} IS NOT NULL GROUP BY {name}"
                       f" ORDER BY count(*) DESC, {name} LIMIT {FACET_SIZE}")
            facets[name] = {key: count for key, count in self._db.execute(sql)}
        return facets

    def get_listing(self, market: str, listing_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT doc FROM listings WHERE market = ? AND listing_id = ?",
                                   (market, listing_id)).fetchone()
        return json.loads(row[0]) if row else None

    def get_vendor(self, market: str, handle: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT doc FROM vendors WHERE market = ? AND handle = ?",
                                   (market, handle)).fetchone()
        return json.loads(row[0]) if row else None

    def price_history(self, market: str, listing_id: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT doc FROM observations WHERE market = ? AND listing_id = ?"
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
            self._db.close()


def plain(record: VendorAccount | Observation) -> dict[str, Any]:
    """A vendor account or observation as the JSON document a backend stores."""
    data = record.to_dict()
    data.pop("kind", None)
    if isinstance(data.get("evidence"), dict):
        data["evidence"].pop("kind", None)
    return data
