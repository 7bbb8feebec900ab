"""How the embedded store answers a query: drive from the narrowest condition, collect the matches once.

Where the time went (``EXPLAIN QUERY PLAN`` and profiles at 100k and 1M listings, ``bench/search_speed.py``):
SQLite always drove from the FTS5 table, ranked *every* match with ``bm25()`` (about 3-6 us a row:
seconds for a word in half the listings at 1M), read each match's wide ``listings`` row for the facets,
and turned ``listing_terms`` filters into ``IN (subquery)`` lists of every listing shipping to a
common country. So a search now:

1. compiles each clause to a :class:`Condition`: a SQL test over ``l`` (the narrow ``listing_facts``) and, for a
   positive clause, the SQL of the ids it matches (served by an index or FTS5);
2. counts each filter's ids up to ``cap + 1`` (a covering index: a few ms each); the text is not
   counted (that would be a second FTS5 pass), since the next step finds its size anyway;
3. with a filter under the cap, every match is collected from it and everything is exact (with text
   too, the filter's ids first, and FTS5 ranks only those);
4. otherwise it reads the ``cap + 1`` most recently indexed matches, newest first (the order FTS5 and
   the rowid give without sorting; a filter-only query whose smallest filter is small enough that
   sorting its ids costs less than scanning, see :func:`_sorting_pays`, gives those ids sorted):
   up to ``cap`` found, all is exact; more means the result is *approximate*: the total reads
   "at least cap", and facets and the ranked hits come from those newest ``cap`` matches;
5. the matching rows (id, rank and the five facet columns) come back to Python once: their number
   is the total, ``heapq`` picks the best, ``Counter`` counts the facets (five ``GROUP BY`` passes
   over a temporary table cost more than the search itself at 10,000 matches), and only the best
   ``limit`` documents are read.

All values are bound parameters; user words reach FTS5 only as quoted strings (:func:`fts_phrase`).
"""
from __future__ import annotations

import heapq
import json
import math
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from .base import FACET_SIZE, FACETS, SearchResult, hit_of
from .query import Flag, Query, Range, Terms, Text

__all__ = ["Condition", "conditions", "fts_phrase", "run_search", "packed", "facts_row", "COLUMNS", "LIST_FIELDS",
           "FACTS", "FLAG_COLUMNS", "flag_value", "facets_of"]

#: Keyword and number fields kept as indexed columns of ``listings`` (name -> SQL type).
COLUMNS = {"market_key": "TEXT", "vendor_key": "TEXT", "category_key": "TEXT", "ships_from": "TEXT",
           "price_usd": "REAL", "seen_at": "TEXT"}
#: List fields kept as rows of ``listing_terms`` (listing, field, value) and, packed, in ``listing_facts``.
LIST_FIELDS = ("drugs", "drug_keys", "class_keys", "ships_to", "currencies")
#: Yes/no fields (escrow:, fe:, instock:) kept as INTEGER columns: 1, 0, or NULL where the listing
#: does not say, which matches neither yes nor no.
FLAG_COLUMNS = ("escrow", "finalize_early", "in_stock")
#: A narrow copy of each listing's keyword, number and list fields (``listing_facts``; same id as
#: ``listings``): the rows a search tests and counts, about 40 to a page where ``listings`` (which
#: holds the whole document) fits 2 or 3. List values are packed between separators, see :func:`packed`.
FACTS = {"market": "TEXT", "vendor": "TEXT", **COLUMNS, **{name: "TEXT" for name in LIST_FIELDS},
         **{name: "INTEGER" for name in FLAG_COLUMNS}}
SEP = "\x1f"
CANDIDATES_TABLE = "CREATE TEMP TABLE IF NOT EXISTS candidates (id INTEGER PRIMARY KEY)"
_OPS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_FACET_COLUMNS = "l.market, l.vendor, l.ships_from, l.drugs, l.currencies"
#: With exact counting asked for, conditions are still sized up to this many ids to choose the driver.
DEFAULT_PROBE = 10_000
#: What reading, sorting and looking up one id of a filter costs, in reads of a listing in a scan
#: (measured at 100k and 1M listings; see :func:`_sorting_pays`).
SORT_COST = 3


def packed(values: Iterable[str] | None) -> str | None:
    """A list value as ``listing_facts`` keeps it: each value between unit separators, so one value is
    found with ``instr`` (a value never holds the separator: they are keys, codes and names).

    >>> packed(["DE", "WW"]), packed([])
    ('\\x1fDE\\x1fWW\\x1f', None)
    """
    values = [v for v in values or [] if v]
    return SEP + SEP.join(values) + SEP if values else None


def flag_value(value: Any) -> int | None:
    """A yes/no fact as its column keeps it.

    >>> flag_value(True), flag_value(False), flag_value(None)
    (1, 0, None)
    """
    return None if value is None else int(bool(value))


def facts_row(doc: dict[str, Any]) -> tuple[Any, ...]:
    """The ``listing_facts`` values of a listing document, in :data:`FACTS` order."""
    return tuple(packed(doc.get(name)) if name in LIST_FIELDS else flag_value(doc.get(name)) if name in FLAG_COLUMNS
                 else doc.get(name) for name in FACTS)


def fts_phrase(words: Iterable[str]) -> str:
    '''One FTS5 string (a phrase when it holds several words), quotes doubled.

    >>> fts_phrase(['m30', 'or']), fts_phrase(['a"b'])
    ('"m30 or"', '"a""b"')
    '''
    return '"' + " ".join(words).replace('"', '""') + '"'


@dataclass
class Condition:
    """One clause as SQL: ``where`` tests a row of ``l`` (listings); ``ids`` (positive clauses only)
    selects the ids it matches, for counting and for driving the search. ``match`` is the FTS5
    expression of the required text (the one condition of kind ``text``)."""

    kind: str
    where: str
    params: list[Any] = field(default_factory=list)
    ids: str | None = None
    ids_params: list[Any] = field(default_factory=list)
    match: str | None = None


def conditions(query: Query) -> list[Condition]:
    """Compile a parsed query; all required words and phrases become one FTS5 condition, first.

    >>> from search_index.query import parse
    >>> [(c.kind, c.where) for c in conditions(parse('fent* "m30 pressed" -vendor:x'))]
    [('text', 'listings_fts MATCH ?'), ('column', "COALESCE(l.vendor_key, '') NOT IN (?)")]
    >>> conditions(parse('fent* "m30 pressed"'))[0].match
    '"fent"* AND "m30 pressed"'
    """
    required: list[str] = []
    excluded: list[str] = []
    found: list[Condition] = []
    for clause in query.clauses:
        if isinstance(clause, Text):
            expression = fts_phrase(clause.words) + ("*" if clause.prefix else "")
            (excluded if clause.negated else required).append(expression)
        elif isinstance(clause, Terms):
            found.append(_terms(clause))
        elif isinstance(clause, Flag):  # escrow:yes, fe:no, instock:yes (NULL: the listing does not say)
            if clause.field not in FLAG_COLUMNS:
                raise ValueError(f"no column for field {clause.field!r}")
            value = int(clause.value)
            if clause.negated:
                found.append(Condition("column", f"l.{clause.field} IS NOT ?", [value]))
            else:
                found.append(Condition("column", f"l.{clause.field} = ?", [value],
                                       f"SELECT id FROM listing_facts WHERE {clause.field} = ?", [value]))
        elif isinstance(clause, Range):
            if clause.field not in COLUMNS:
                raise ValueError(f"no column for field {clause.field!r}")
            test = f"{clause.field} {_OPS[clause.op]} ?"
            found.append(Condition("column", f"l.{test}", [clause.value],
                                   f"SELECT id FROM listing_facts WHERE {test}", [clause.value]))
    if not required:  # excluded words alone: every listing but their matches
        found += [Condition("text", "l.id NOT IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ?)", [e])
                  for e in excluded]
    if required:  # excluded words go into the MATCH too: FTS5 skips their rows as it merges (no set to build)
        match = " AND ".join(required) + "".join(f" NOT {e}" for e in excluded)
        found.insert(0, Condition("text", "listings_fts MATCH ?", [match],
                                  "SELECT rowid AS id FROM listings_fts WHERE listings_fts MATCH ?", [match], match))
    return found


def _terms(clause: Terms) -> Condition:
    marks = ", ".join("?" * len(clause.values))
    values = list(clause.values)
    if clause.field in LIST_FIELDS:
        test = "(" + " OR ".join(f"instr(l.{clause.field}, ?)" for _ in values) + ")"
        wrapped = [packed([value]) for value in values]
        if clause.negated:
            return Condition("list", f"NOT coalesce({test}, 0)", wrapped)
        return Condition("list", test, wrapped,
                         f"SELECT DISTINCT listing AS id FROM listing_terms WHERE field = ? AND value IN ({marks})",
                         [clause.field, *values])
    if clause.field not in COLUMNS:
        raise ValueError(f"no column for field {clause.field!r}")
    if clause.negated:
        return Condition("column", f"COALESCE(l.{clause.field}, '') NOT IN ({marks})", values)
    return Condition("column", f"l.{clause.field} IN ({marks})", values,
                     f"SELECT id FROM listing_facts WHERE {clause.field} IN ({marks})", values)


def _count_up_to(db: sqlite3.Connection, condition: Condition, limit: int) -> int:
    # rows, not distinct ids: enough to choose the driver, and it needs no sort
    sql = f"SELECT count(*) FROM ({condition.ids.replace('SELECT DISTINCT', 'SELECT', 1)} LIMIT ?)"
    return db.execute(sql, [*condition.ids_params, limit]).fetchone()[0]


def _where(found: list[Condition]) -> tuple[str, list[Any]]:
    return " AND ".join(c.where for c in found) or "1", [p for c in found for p in c.params]


def _rows(db: sqlite3.Connection, sql: str, params: list[Any], rank: str = "NULL") -> list[tuple]:
    return db.execute(f"SELECT l.id, {rank}, {_FACET_COLUMNS} " + sql, params).fetchall()


def _collect(db: sqlite3.Connection, found: list[Condition], cap: int | None) -> tuple[list[tuple], bool]:
    """The matching rows (id, rank, market, vendor, ships_from, drugs, currencies), and whether more than ``cap`` match
    (then the rows are the ``cap`` most recently indexed matches)."""
    text = next((c for c in found if c.match), None)
    filters = [c for c in found if c.ids and c is not text]
    probe = (cap if cap is not None else DEFAULT_PROBE) + 1
    sizes = {id(c): _count_up_to(db, c, probe) for c in filters}
    narrow = min(filters, key=lambda c: sizes[id(c)], default=None)
    if narrow is not None and sizes[id(narrow)] >= probe:
        narrow = None
    if cap is None and narrow is None and text is not None:  # exact counting asked for: is the text narrower?
        narrow = text if _count_up_to(db, text, probe) < probe else None
    rank = "bm25(listings_fts)" if text else "NULL"
    if narrow is None:
        if cap is None:  # every match, driven from the text or read from every listing
            where, params = _where(found)
            source = "listing_facts AS l" if text is None else \
                "listings_fts CROSS JOIN listing_facts AS l ON l.id = listings_fts.rowid"
            return _rows(db, f"FROM {source} WHERE {where}", params, rank), False
        if text is None and filters:
            smallest = min(filters, key=lambda c: sizes[id(c)])
            if _count_up_to(db, smallest, _sorting_pays(db, cap)) < _sorting_pays(db, cap):
                return _newest_of(db, found, smallest, cap)
        return _newest(db, found, text, cap)
    if narrow is text:
        where, params = _where(found)
        return _rows(db, f"FROM listings_fts CROSS JOIN listing_facts AS l ON l.id = listings_fts.rowid WHERE {where}",
                     params, rank), False
    where, params = _where([c for c in found if c is not narrow and c is not text])
    source = f"({narrow.ids}) AS d CROSS JOIN listing_facts AS l ON l.id = d.id"
    params = [*narrow.ids_params, *params]
    if text is None:
        return _rows(db, f"FROM {source} WHERE {where}", params), False
    # a narrow filter and wider text: the filter's ids first, then FTS5 ranks only those
    db.execute(CANDIDATES_TABLE)
    db.execute("DELETE FROM temp.candidates")
    try:
        db.execute(f"INSERT OR IGNORE INTO temp.candidates SELECT l.id FROM {source} WHERE {where}", params)
        return _rows(db, "FROM listings_fts CROSS JOIN temp.candidates AS c ON c.id = listings_fts.rowid"
                         f" CROSS JOIN listing_facts AS l ON l.id = c.id WHERE {text.where}", text.params, rank), False
    finally:
        db.execute("DELETE FROM temp.candidates")


def _sorting_pays(db: sqlite3.Connection, cap: int) -> int:
    """Below how many ids a filter is worth reading and sorting newest first, rather than reading
    every listing newest first until ``cap + 1`` match.

    Reading a filter's ``k`` ids, sorting them and looking each up costs about ``SORT_COST * k``
    listing reads; scanning costs about ``cap / (k / n)`` of ``n`` listings (if the other conditions
    let most through). Sorting is cheaper while ``k`` is under ``sqrt(cap * n / SORT_COST)``."""
    listings = db.execute("SELECT max(id) FROM listing_facts").fetchone()[0] or 0
    return max(cap + 1, int(math.sqrt(cap * listings / SORT_COST)))


def _newest_of(db: sqlite3.Connection, found: list[Condition], driver: Condition, cap: int) -> tuple[list[tuple], bool]:
    """The ``cap + 1`` newest matches among the ids of a moderately narrow filter (sorted newest first)."""
    where, params = _where([c for c in found if c is not driver])
    rows = _rows(db, f"FROM ({driver.ids} ORDER BY 1 DESC) AS d CROSS JOIN listing_facts AS l ON l.id = d.id"
                     f" WHERE {where} ORDER BY l.id DESC LIMIT ?", [*driver.ids_params, *params, cap + 1])
    return rows[:cap], len(rows) > cap


def _newest(db: sqlite3.Connection, found: list[Condition], text: Condition | None, cap: int) -> tuple[list[tuple], bool]:
    """The ``cap + 1`` most recently indexed matches, newest first (the order FTS5 and the rowid give):
    exact when no more than ``cap`` match."""
    where, params = _where(found)
    if text is not None:
        rows = _rows(db, "FROM listings_fts CROSS JOIN listing_facts AS l ON l.id = listings_fts.rowid"
                         f" WHERE {where} ORDER BY listings_fts.rowid DESC LIMIT ?", [*params, cap + 1],
                     "bm25(listings_fts)")
    else:
        rows = _rows(db, f"FROM listing_facts AS l NOT INDEXED WHERE {where} ORDER BY l.id DESC LIMIT ?",
                     [*params, cap + 1])
    return rows[:cap], len(rows) > cap


def run_search(db: sqlite3.Connection, query: Query, *, limit: int, cap: int | None) -> SearchResult:
    """Search with ``db`` (the caller holds the store's lock): total, ``limit`` best hits, facets.

    ``cap`` bounds the work (see the module's notes); None counts and ranks every match exactly.
    The matching rows are read once into Python, which counts them, picks the best and counts the facets.
    """
    found = conditions(query)
    if cap is not None:
        cap = max(cap, limit)
    text = any(c.match for c in found)
    rows, approximate = _collect(db, found, cap)
    best = heapq.nsmallest(limit, rows, key=(lambda r: (r[1], r[0])) if text else (lambda r: -r[0]))
    docs = dict(db.execute(f"SELECT id, doc FROM listings WHERE id IN ({', '.join('?' * len(best))})",
                           [r[0] for r in best]).fetchall()) if best else {}
    return SearchResult(total=len(rows), hits=[hit_of(json.loads(docs[r[0]])) for r in best], facets=facets_of(rows),
                        approximate=approximate)


def facets_of(rows: list[tuple]) -> dict[str, dict[str, int]]:
    """Facet counts over the matching rows, most frequent first, ties by value (as SQLite's BINARY
    collation orders UTF-8: by code point).

    >>> rows = [(1, None, "m1", "v", "NL", "\x1fmdma\x1f", "\x1fBTC\x1fXMR\x1f"), (2, None, "m1", None, "DE", None, "\x1fXMR\x1f")]
    >>> facets_of(rows)["market"], facets_of(rows)["currency"]
    ({'m1': 2}, {'XMR': 2, 'BTC': 1})
    """
    if not rows:
        return {name: {} for name in FACETS}
    _, _, markets, vendors, ships_from, drugs, currencies = zip(*rows)  # columns, each counted in C
    counters = {"market": Counter(markets), "vendor": Counter(vendors), "ships_from": Counter(ships_from),
                # packed lists, joined and split once
                "drug": Counter("".join(filter(None, drugs)).split(SEP)),
                "currency": Counter("".join(filter(None, currencies)).split(SEP))}
    for counts in counters.values():
        counts.pop(None, None)
        counts.pop("", None)
    return {name: dict(_most_frequent(counts)) for name, counts in counters.items()}


def _most_frequent(counts: Counter) -> list[tuple[str, int]]:
    """The :data:`FACET_SIZE` most frequent values, ties by value; only values as frequent as the
    last one kept are sorted (a vendor facet may hold thousands of values).

    >>> _most_frequent(Counter({"b": 2, "a": 2, "c": 5}))
    [('c', 5), ('a', 2), ('b', 2)]
    """
    if len(counts) > FACET_SIZE:
        least = heapq.nlargest(FACET_SIZE, counts.values())[-1]
        counts = {value: n for value, n in counts.items() if n >= least}
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]
