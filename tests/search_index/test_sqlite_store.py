"""The embedded store: idempotent writes, safe free-text queries, facets, evidence kept."""
from __future__ import annotations

import pytest

from onionwatch.core.models import Evidence, Listing, Observation, VendorAccount
from search_index import QueryError, SchemaError, SqliteStore
from search_index.sqlite_store import SCHEMA_VERSION

EVIDENCE = Evidence("crawl.warc.gz", "<urn:uuid:1>", "sha256:AAAA", "2026-01-01T00:00:00Z", "http://m/l/1", 0)


def listing(listing_id, title, vendor="v1", market="m1", drugs=(), ships_from=None, usd=None):
    return Listing(market=market, listing_id=listing_id, url=f"http://{market}/l/{listing_id}", title=title,
                   vendor=vendor, evidence=EVIDENCE,
                   extracted={"drugs": [{"name": d, "class": "c"} for d in drugs], "ships_from": ships_from,
                              "ships_to": ["WW"], "price": {"amount": usd, "currency": "USD", "usd": usd}})


@pytest.fixture
def store():
    with SqliteStore(":memory:") as s:
        s.add_listings([
            listing("1", "Fentanyl HCl 1g pure", drugs=["fentanyl"], ships_from="NL", usd=120.0),
            listing("2", "50x M30 blues pressed", vendor="v2", drugs=["fentanyl", "oxycodone"], ships_from="US"),
            listing("3", "Afghan heroin 5g", market="m2", drugs=["heroin"], ships_from="NL"),
        ])
        yield s


def test_free_text_finds_and_ranks(store):
    result = store.search("fentanyl")
    assert result.total == 2
    assert {h["listing_id"] for h in result.hits} == {"1", "2"}
    assert result.hits[0]["evidence"]["digest"] == "sha256:AAAA"


def test_all_terms_required(store):
    assert store.search("m30 pressed").total == 1
    assert store.search("m30 heroin").total == 0


def test_star_matches_everything_with_facets(store):
    result = store.search("*")
    assert result.total == 3
    assert result.facets["market"] == {"m1": 2, "m2": 1}
    assert result.facets["drug"] == {"fentanyl": 2, "heroin": 1, "oxycodone": 1}
    assert result.facets["ships_from"] == {"NL": 2, "US": 1}


@pytest.mark.parametrize("hostile", ['fent" OR "x', "title:*", "NEAR(a b)", "'; DROP TABLE listings; --", "^x"])
def test_hostile_queries_are_literal_text(store, hostile):
    assert store.search(hostile).total == 0
    assert store.counts()["listings"] == 3


def test_a_query_of_punctuation_only_is_an_error_not_everything(store):
    with pytest.raises(QueryError, match="nothing to search for"):
        store.search('"')


@pytest.mark.parametrize("version", [1, SCHEMA_VERSION - 1], ids=["first", "previous"])
def test_a_store_of_another_schema_version_says_to_reindex(tmp_path, version):
    """The previous schema (before ``currencies``) too: its file is refused, never half-read."""
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(version),))
    with pytest.raises(SchemaError, match=f"store schema {version}, this one reads {SCHEMA_VERSION}.*onionwatch reindex"):
        SqliteStore(path)


def test_writes_are_idempotent(store):
    store.add_listings([listing("1", "Fentanyl HCl 2g pure", drugs=["fentanyl"])])
    assert store.counts()["listings"] == 3
    assert store.get_listing("m1", "1")["title"] == "Fentanyl HCl 2g pure"
    assert store.search("2g").total == 1 and store.search("1g").total == 0
    assert store.search("*").facets["drug"]["fentanyl"] == 2


def test_vendors_and_observations(store):
    store.add_vendors([VendorAccount("m1", "v1", pgp_key="-----BEGIN PGP"), VendorAccount("m2", "v1")])
    store.add_vendors([VendorAccount("m1", "v1", pgp_key="-----BEGIN PGP")])
    store.add_observations([Observation("m1", "1", "2026-01-01T00:00:00Z", price_usd=120.0)])
    assert store.counts() == {"listings": 3, "vendors": 2, "observations": 1, "markets": 2}
    assert store.get_vendor("m1", "v1")["pgp_key"] == "-----BEGIN PGP"
    assert store.get_vendor("m3", "v1") is None


def test_reopen_keeps_data(tmp_path):
    path = tmp_path / "s.sqlite3"
    with SqliteStore(path) as s:
        s.add_listings([listing("9", "Ketamine shards", drugs=["ketamine"])])
    with SqliteStore(path) as s:
        assert s.search("ketamine").total == 1


def test_iterators_stream_every_listing_and_vendor_across_pages():
    with SqliteStore(":memory:") as s:
        s.add_listings(listing(str(i), f"Item {i}") for i in range(2345))
        s.add_vendors(VendorAccount("m1", f"v{i}") for i in range(1001))
        assert [d["listing_id"] for d in s.iter_listings()] == [str(i) for i in range(2345)]
        assert sorted(d["handle"] for d in s.iter_vendors()) == sorted(f"v{i}" for i in range(1001))


def test_drug_classes_are_the_final_list_when_extraction_gives_one():
    from search_index.base import listing_document

    drugs = [{"name": "etizolam", "class": "benzodiazepine"}, {"name": "x-pill", "class": None}]
    final = listing_document(Listing("m", "1", "http://m/1", extracted={"drugs": drugs,
                                                                       "drug_classes": ["benzodiazepine", "stimulant"]}))
    lexicon = listing_document(Listing("m", "2", "http://m/2", extracted={"drugs": drugs}))
    assert final["drug_classes"] == ["benzodiazepine", "stimulant"] and final["class_keys"] == ["benzodiazepine", "stimulant"]
    assert lexicon["drug_classes"] == ["benzodiazepine"]
    with SqliteStore(":memory:") as store:
        store.add_listings([Listing("m", "1", "http://m/1", extracted={"drugs": drugs, "drug_classes": ["stimulant"]})])
        assert store.search("class:stimulant").total == 1 and store.search("stimulant").total == 1


def test_past_count_up_to_facets_and_hits_come_from_the_newest_matches():
    with SqliteStore(":memory:") as s:
        s.add_listings(listing(str(i), f"Fentanyl lot {i}", vendor=f"v{i % 2}", drugs=["fentanyl"],
                               ships_from="NL" if i < 20 else "DE") for i in range(30))
        result = s.search("fentanyl", limit=5, count_up_to=8)
        assert result.approximate and result.total == 8 and result.total_text() == "8+"
        assert {h["listing_id"] for h in result.hits} <= {str(i) for i in range(22, 30)}
        assert result.facets["ships_from"] == {"DE": 8} and result.facets["drug"] == {"fentanyl": 8}
        exact = s.search("fentanyl", limit=5, count_up_to=None)
        assert not exact.approximate and exact.total == 30 and exact.facets["ships_from"] == {"NL": 20, "DE": 10}


def test_a_narrow_filter_with_common_words_is_counted_exactly():
    with SqliteStore(":memory:") as s:
        s.add_listings(listing(str(i), f"Pure fentanyl {i}", vendor="rare" if i % 50 == 0 else "common",
                               drugs=["fentanyl"]) for i in range(300))
        result = s.search("pure fentanyl vendor:rare", count_up_to=100)
        assert not result.approximate and result.total == 6
        assert {h["listing_id"] for h in result.hits} == {"0", "50", "100", "150", "200", "250"}


def test_the_full_text_table_keeps_prefix_indexes(tmp_path):
    """Two- and three-letter prefix queries read an FTS5 prefix index (their speed: bench/search_speed)."""
    from search_index.sqlite_store import FTS_PREFIXES

    with SqliteStore(tmp_path / "s.sqlite3") as store:
        (sql,) = store._db.execute("SELECT sql FROM sqlite_master WHERE name = 'listings_fts'").fetchone()
        store.add_listings([listing("1", "Ketamine shards", drugs=["ketamine"])])
        assert store.search("ke*").total == store.search("ket*").total == store.search("keta*").total == 1
    assert f"prefix = '{FTS_PREFIXES}'" in sql and FTS_PREFIXES == "2 3"
