"""How the embedded store answers a query: drive from the narrowest condition, collect the matches once.

Where the time went (``EXPLAIN QUERY PLAN`` and profiles at 100k and 1M listings, ``bench/search_speed.py``):
SQLite always drove from the FTS5 table, ranked *every* match with ``bm25()`` (about 3-6 us a row:
seconds for a word in half the listings at 1M), read each match's wide ``listings`` row for the facets,
and turned ``listing_terms`` filters into ``IN (subquery)`` lists of every listing shipping to a
common country. So a search now:

1. compiles each clause to a :class:`Condition`: a SQL test over ``l`` (the narrow ``listing_facts``) and, for a
   positive clause, the SQL of the ids it matches (served by an index or FTS5);
2. counts each positive condition's ids up to ``cap + 1`` (a few ms each) and drives from the smallest;
3. when that driver matches at most ``cap`` listings, every match is collected and everything is
   exact (a text query with a narrow filter collects the filter's ids first and ranks only those);
4. otherwise it takes the ``cap + 1`` most recently indexed matches (newest first, which FTS5 and the
   rowid order give without sorting; a filter matching under 10 times the cap gives its ids, sorted): more than ``cap`` found means the result is *approximate*: the
   total reads "at least cap", and facets and the ranked hits come from those newest ``cap`` matches.

All values are bound parameters; user words reach FTS5 only as quoted strings (:func:`fts_phrase`).
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from .base import FACET_SIZE, FACETS, SearchResult, hit_of
from .query import Flag, Query, Range, Terms, Text

__all__ = ["Condition", "conditions", "fts_phrase", "run_search", "packed", "facts_row", "COLUMNS", "LIST_FIELDS",
           "FACTS", "FLAG_COLUMNS", "flag_value"]

#: Keyword and number fields kept as indexed columns of ``listings`` (name -> SQL type).
COLUMNS = {"market_key": "TEXT", "vendor_key": "TEXT", "category_key": "TEXT", "ships_from": "TEXT",
           "price_usd": "REAL", "seen_at": "TEXT"}
#: List fields kept as rows of ``listing_terms`` (listing, field, value) and, packed, in ``listing_facts``.
LIST_FIELDS = ("drugs", "drug_keys", "class_keys", "ships_to")
#: Yes/no fields (escrow:, fe:, instock:) kept as INTEGER columns: 1, 0, or NULL where the listing
#: does not say, which matches neither yes nor no.
FLAG_COLUMNS = ("escrow", "finalize_early", "in_stock")
#: A narrow copy of each listing's keyword, number and list fields (``listing_facts``; same id as
#: ``listings``): the rows a search tests and counts, about 40 to a page where ``listings`` (which
#: holds the whole document) fits 2 or 3. List values are packed between separators, see :func:`packed`.
FACTS = {"market": "TEXT", "vendor": "TEXT", **COLUMNS, **{name: "TEXT" for name in LIST_FIELDS},
         **{name: "INTEGER" for name in FLAG_COLUMNS}}
SEP = "\x1f"
#: The matching rows of one search (id, rank and the facet columns), read for the total, hits and facets.
MATCHES_TABLE = ("CREATE TEMP TABLE IF NOT EXISTS matches (id INTEGER PRIMARY KEY, rank REAL, market TEXT,"
                 " vendor TEXT, ships_from TEXT, drugs TEXT)")
CANDIDATES_TABLE = "CREATE TEMP TABLE IF NOT EXISTS candidates (id INTEGER PRIMARY KEY)"
_OPS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_FACET_COLUMNS = "l.market, l.vendor, l.ships_from, l.drugs"
#: With exact counting asked for, conditions are still sized up to this many ids to choose the driver.
DEFAULT_PROBE = 10_000
#: A filter matching under this many times the cap is still worth driving from (its ids sorted
#: newest first) rather than scanning every listing, when no condition is narrower than the cap.
MODERATE = 10


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


def _collect(db: sqlite3.Connection, found: list[Condition], cap: int | None) -> bool:
    """Fill ``temp.matches``; return whether the result is approximate (more than ``cap`` match)."""
    text = next((c for c in found if c.match), None)
    positive = [c for c in found if c.ids]
    probe = (cap if cap is not None else DEFAULT_PROBE) + 1
    sizes = {id(c): _count_up_to(db, c, probe) for c in positive}
    driver = min(positive, key=lambda c: (sizes[id(c)], c is not text), default=None)
    if cap is not None and (driver is None or sizes[id(driver)] >= probe):
        if text is None and driver is not None and _count_up_to(db, driver, MODERATE * probe) < MODERATE * probe:
            return _newest_of(db, found, driver, cap)  # no condition is narrow, but one is not far off
        return _newest(db, found, text, cap)
    rank = "bm25(listings_fts)" if text else "NULL"
    if driver is None or driver is text:
        where, params = _where(found)
        source = "listing_facts AS l" if driver is None else \
            "listings_fts CROSS JOIN listing_facts AS l ON l.id = listings_fts.rowid"
        db.execute(f"INSERT INTO temp.matches SELECT l.id, {rank}, {_FACET_COLUMNS} FROM {source} WHERE {where}", params)
        return False
    where, params = _where([c for c in found if c is not driver and c is not text])
    source = f"({driver.ids}) AS d CROSS JOIN listing_facts AS l ON l.id = d.id"
    params = [*driver.ids_params, *params]
    if text is None:
        db.execute(f"INSERT INTO temp.matches SELECT l.id, NULL, {_FACET_COLUMNS} FROM {source} WHERE {where}", params)
        return False
    # a narrow filter and wider text: the filter's ids first, then FTS5 ranks only those
    db.execute(CANDIDATES_TABLE)
    db.execute("DELETE FROM temp.candidates")
    try:
        db.execute(f"INSERT OR IGNORE INTO temp.candidates SELECT l.id FROM {source} WHERE {where}", params)
        db.execute(f"INSERT INTO temp.matches SELECT l.id, {rank}, {_FACET_COLUMNS} FROM listings_fts"
                   " CROSS JOIN temp.candidates AS c ON c.id = listings_fts.rowid CROSS JOIN listing_facts AS l"
                   f" ON l.id = c.id WHERE {text.where}", text.params)
    finally:
        db.execute("DELETE FROM temp.candidates")
    return False


def _newest_of(db: sqlite3.Connection, found: list[Condition], driver: Condition, cap: int) -> bool:
    """The ``cap + 1`` newest matches among the ids of a moderately narrow filter (sorted newest first)."""
    where, params = _where([c for c in found if c is not driver])
    db.execute(f"INSERT INTO temp.matches SELECT l.id, NULL, {_FACET_COLUMNS} FROM ({driver.ids} ORDER BY 1 DESC) AS d"
               f" CROSS JOIN listing_facts AS l ON l.id = d.id WHERE {where} ORDER BY l.id DESC LIMIT ?",
               [*driver.ids_params, *params, cap + 1])
    return _trim(db, cap)


def _trim(db: sqlite3.Connection, cap: int) -> bool:
    """Keep ``cap`` of the ``cap + 1`` collected rows (dropping the oldest); say whether there were more."""
    if db.execute("SELECT count(*) FROM temp.matches").fetchone()[0] <= cap:
        return False
    db.execute("DELETE FROM temp.matches WHERE id = (SELECT min(id) FROM temp.matches)")
    return True


def _newest(db: sqlite3.Connection, found: list[Condition], text: Condition | None, cap: int) -> bool:
    """The ``cap + 1`` most recently indexed matches, newest first (the order FTS5 and the rowid give)."""
    where, params = _where(found)
    if text is not None:
        sql = ("SELECT l.id, bm25(listings_fts), {} FROM listings_fts CROSS JOIN listing_facts AS l"
               " ON l.id = listings_fts.rowid WHERE {} ORDER BY listings_fts.rowid DESC LIMIT ?")
    else:
        sql = "SELECT l.id, NULL, {} FROM listing_facts AS l NOT INDEXED WHERE {} ORDER BY l.id DESC LIMIT ?"
    db.execute("INSERT INTO temp.matches " + sql.format(_FACET_COLUMNS, where), [*params, cap + 1])
    return _trim(db, cap)


def run_search(db: sqlite3.Connection, query: Query, *, limit: int, cap: int | None) -> SearchResult:
    """Search with ``db`` (the caller holds the store's lock): total, ``limit`` best hits, facets.

    ``cap`` bounds the work (see the module's notes); None counts and ranks every match exactly.
    """
    found = conditions(query)
    if cap is not None:
        cap = max(cap, limit)
    text = any(c.match for c in found)
    order = "m.rank, m.id" if text else "m.id DESC"
    db.execute(MATCHES_TABLE)
    db.execute("DELETE FROM temp.matches")
    try:
        approximate = _collect(db, found, cap)
        total = db.execute("SELECT count(*) FROM temp.matches").fetchone()[0]
        rows = db.execute(f"SELECT l.doc FROM (SELECT id, rank FROM temp.matches AS m ORDER BY {order} LIMIT ?) AS m"
                          f" JOIN listings AS l ON l.id = m.id ORDER BY {order}", (limit,)).fetchall()
        facets = _facets(db)
    finally:
        db.execute("DELETE FROM temp.matches")
    return SearchResult(total=total, hits=[hit_of(json.loads(doc)) for (doc,) in rows], facets=facets,
                        approximate=approximate)


def _facets(db: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Facet counts over ``temp.matches``, most frequent first, ties by value."""
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        if name == "drug":  # packed lists: split and counted here (one row a match, no lookups)
            counts = Counter(value for (drugs,) in db.execute("SELECT drugs FROM temp.matches WHERE drugs IS NOT NULL")
                             for value in drugs.strip(SEP).split(SEP))
            facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE])
            continue
        sql = (f"SELECT {name}, count(*) FROM temp.matches WHERE {name} IS NOT NULL GROUP BY {name}"
               f" ORDER BY count(*) DESC, {name} LIMIT {FACET_SIZE}")
        facets[name] = {key: count for key, count in db.execute(sql)}
    return facets
