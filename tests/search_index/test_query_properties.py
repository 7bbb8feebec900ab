"""Property tests of the query language: any text is a :class:`Query` or a :class:`QueryError` with a
message (never another exception), its compiled SQL binds every value as a parameter, and the
embedded store runs it."""
from __future__ import annotations

import string

import pytest
from hypothesis import given, settings, strategies as st

from onionwatch.core.models import Listing
from search_index import QueryError, SqliteStore, parse
from search_index.sqlite_search import conditions

#: Pieces of the query language and text that breaks naive parsers: quotes, operators, ranges,
#: SQL and FTS5 syntax, bidi and zero-width characters, controls.
_PIECES = st.sampled_from(['"', "-", "*", "(", ")", "\\", ",", ":", "..", "<", ">", "<=", ">=", "'", ";", "--",
                           "\u202e", "\u200b", "\x00", "from:", "to:", "price:", "price<", "usd>", "vendor:",
                           "market:", "drug:", "class:", "category:", "since:", "until:", "escrow:", "fe:", "instock:",
                           "ZZ", "XX", "DE", "eu", "worldwide", "30d", "2026-01-01", "1e999", "nan", "200..50",
                           "yes", "no", "NEAR", "OR", "AND", "NOT", "' OR 1=1", "fentanyl", " ", "  "])
QUERIES = st.lists(st.one_of(_PIECES, st.text(st.characters(exclude_categories=("Cs",)), max_size=6)),
                   max_size=14).map("".join)
#: The characters of the SQL the compiler writes itself (identifiers, operators, placeholders).
SQL_CHARS = set(string.ascii_letters + string.digits + " _.,()=?<>!'*")


@pytest.fixture(scope="module")
def store():
    with SqliteStore(":memory:") as store:
        store.add_listings([Listing("empire", str(i), f"http://m/l/{i}", title=f"Fentanyl {i} pure", vendor=f"v{i % 3}",
                                    extracted={"ships_from": "NL", "ships_to": ["WW" if i % 2 else "DE"],
                                               "price": {"amount": 10.0 * i, "currency": "USD", "usd": 10.0 * i}})
                            for i in range(20)])
        yield store


@settings(derandomize=True, max_examples=400, deadline=None)
@given(text=QUERIES)
def test_any_text_is_a_query_or_a_clear_error(text):
    try:
        query = parse(text)
    except QueryError as exc:
        assert str(exc).strip()
        return
    assert query.source == text
    assert len(set(query.clauses)) == len(query.clauses)  # repeated terms once


@settings(derandomize=True, max_examples=300, deadline=None)
@given(text=QUERIES)
def test_compiled_sql_binds_every_value(text):
    try:
        query = parse(text)
    except QueryError:
        return
    for condition in conditions(query):
        for sql, params in ((condition.where, condition.params), (condition.ids or "", condition.ids_params)):
            assert sql.count("?") == len(params), sql
            assert set(sql) <= SQL_CHARS, sql  # no quote, semicolon or user character of its own


@settings(derandomize=True, max_examples=200, deadline=None)
@given(text=QUERIES)
def test_the_store_answers_any_text(store, text):
    try:
        result = store.search(text, limit=5)
    except QueryError as exc:
        assert str(exc).strip()
        return
    assert len(result.hits) == min(5, result.total)
