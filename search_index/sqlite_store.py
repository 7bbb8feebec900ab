"""The embedded backend: one SQLite file with an FTS5 full-text index, the default on one machine.

User text never reaches FTS5's query parser unescaped: every term is quoted as an FTS5 string.

>>> from onionwatch.models import Listing
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
from pathlib import Path
from typing import Any, Iterable

from onionwatch.models import Listing, Observation, VendorAccount

from .base import FACETS, SearchResult, Store, listing_document

__all__ = ["SqliteStore", "fts_query"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS listings (
    id INTEGER PRIMARY KEY,
    market TEXT NOT NULL, listing_id TEXT NOT NULL, vendor TEXT, title TEXT,
    price_usd REAL, ships_from TEXT, doc TEXT NOT NULL,
    UNIQUE (market, listing_id)
);
CREATE TABLE IF NOT EXISTS listing_drugs (listing INTEGER NOT NULL, drug TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS listing_drugs_listing ON listing_drugs (listing);
CREATE VIRTUAL TABLE IF NOT EXISTS listings_fts USING fts5 (
    title, description, vendor, drugs, market, category, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS vendors (
    market TEXT NOT NULL, handle TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (market, handle)
);
CREATE TABLE IF NOT EXISTS observations (
    market TEXT NOT NULL, listing_id TEXT NOT NULL, observed_at TEXT NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (market, listing_id, observed_at)
);
"""


def fts_query(text: str) -> str | None:
    '''Compile free text into a safe FTS5 query: each term quoted, all terms required.

    Returns None for the match-all query (``*`` or empty).

    >>> fts_query('fentanyl "pressed" OR x')
    '"fentanyl" """pressed""" "OR" "x"'
    >>> fts_query("*") is None
    True
    '''
    terms = [t for t in text.split() if t != "*"]
    if not terms:
        return None
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


class SqliteStore(Store):
    """Listings, vendor accounts and observations in one SQLite file (``:memory:`` for tests)."""

    def __init__(self, path: str | os.PathLike) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(_SCHEMA)
        self._db.execute(
            "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        self._db.commit()

    def add_listings(self, listings: Iterable[Listing]) -> int:
        written = 0
        with self._db:
            for listing in listings:
                self._put_listing(listing_document(listing))
                written += 1
        return written

    def _put_listing(self, doc: dict[str, Any]) -> None:
        db = self._db
        old = db.execute(
            "SELECT id FROM listings WHERE market = ? AND listing_id = ?",
            (doc["market"], doc["listing_id"]),
        ).fetchone()
        if old:
            db.execute("DELETE FROM listings WHERE id = ?", old)
            db.execute("DELETE FROM listings_fts WHERE rowid = ?", old)
            db.execute("DELETE FROM listing_drugs WHERE listing = ?", old)
        cursor = db.execute(
            "INSERT INTO listings (market, listing_id, vendor, title, price_usd, ships_from, doc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc["market"], doc["listing_id"], doc["vendor"], doc["title"], doc["price_usd"],
             doc["ships_from"], json.dumps(doc, ensure_ascii=False)),
        )
        rowid = cursor.lastrowid
        db.execute(
            "INSERT INTO listings_fts (rowid, title, description, vendor, drugs, market, category)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rowid, doc["title"], doc["description"], doc["vendor"],
             " ".join(doc["drugs"] + doc["drug_classes"]), doc["market"], doc["category"]),
        )
        db.executemany(
            "INSERT INTO listing_drugs VALUES (?, ?)", [(rowid, drug) for drug in doc["drugs"]]
        )

    def add_vendors(self, vendors: Iterable[VendorAccount]) -> int:
        rows = [(v.market, v.handle, json.dumps(_plain(v), ensure_ascii=False)) for v in vendors]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vendors VALUES (?, ?, ?)", rows)
        return len(rows)

    def add_observations(self, observations: Iterable[Observation]) -> int:
        rows = [
            (o.market, o.listing_id, o.observed_at, json.dumps(_plain(o), ensure_ascii=False))
            for o in observations
        ]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO observations VALUES (?, ?, ?, ?)", rows)
        return len(rows)

    def search(self, query: str, *, limit: int = 20) -> SearchResult:
        match = fts_query(query)
        if match is None:
            where, params, order = "1", [], "l.id"
            source = "listings AS l"
        else:
            source = "listings_fts JOIN listings AS l ON l.id = listings_fts.rowid"
            where, params, order = "listings_fts MATCH ?", [match], "bm25(listings_fts)"
        total = self._db.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0]
        rows = self._db.execute(
            f"SELECT l.doc FROM {source} WHERE {where} ORDER BY {order} LIMIT ?", [*params, limit]
        ).fetchall()
        hits = [_hit(json.loads(doc)) for (doc,) in rows]
        return SearchResult(total=total, hits=hits, facets=self._facets(source, where, params))

    def _facets(self, source: str, where: str, params: list[Any]) -> dict[str, dict[str, int]]:
        matching = f"SELECT l.id FROM {source} WHERE {where}"
        columns = {"market": "market", "vendor": "vendor", "ships_from": "ships_from"}
        facets: dict[str, dict[str, int]] = {}
        for name in FACETS:
            if name == "drug":
                sql = (f"SELECT drug, count(*) FROM listing_drugs WHERE listing IN ({matching})"
                       " GROUP BY drug ORDER BY count(*) DESC, drug")
            else:
                column = columns[name]
                sql = (f"SELECT {column}, count(*) FROM listings WHERE id IN ({matching})"
                       f" AND {column} IS NOT NULL GROUP BY {column} ORDER BY count(*) DESC, {column}")
            facets[name] = {key: count for key, count in self._db.execute(sql, params)}
        return facets

    def get_listing(self, market: str, listing_id: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT doc FROM listings WHERE market = ? AND listing_id = ?", (market, listing_id)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def get_vendor(self, market: str, handle: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT doc FROM vendors WHERE market = ? AND handle = ?", (market, handle)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def iter_listings(self) -> Iterable[dict[str, Any]]:
        """Every stored listing document, in insertion order."""
        for (doc,) in self._db.execute("SELECT doc FROM listings ORDER BY id"):
            yield json.loads(doc)

    def counts(self) -> dict[str, int]:
        one = lambda sql: self._db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "listings": one("SELECT count(*) FROM listings"),
            "vendors": one("SELECT count(*) FROM vendors"),
            "observations": one("SELECT count(*) FROM observations"),
            "markets": one("SELECT count(DISTINCT market) FROM listings"),
        }

    def close(self) -> None:
        self._db.close()


def _plain(record: VendorAccount | Observation) -> dict[str, Any]:
    data = record.to_dict()
    data.pop("kind", None)
    if isinstance(data.get("evidence"), dict):
        data["evidence"].pop("kind", None)
    return data


def _hit(doc: dict[str, Any]) -> dict[str, Any]:
    keys = ("market", "listing_id", "vendor", "title", "price_usd", "price_amount",
            "price_currency", "ships_from", "ships_to", "drugs", "url", "evidence")
    return {key: doc.get(key) for key in keys}
