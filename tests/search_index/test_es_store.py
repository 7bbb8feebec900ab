"""The Elasticsearch backend on the real node: idempotent ids, spool and replay, refusals kept,
version-safe replays, aliases and a client-side mapping migration."""
from __future__ import annotations

import socket

import pytest
from elasticsearch import Elasticsearch

from onionwatch.core.models import Evidence, Listing, Observation, VendorAccount
from search_index import SchemaError, es_mappings
from search_index.es_migrate import current_index, migrate
from search_index.es_store import ElasticsearchStore


def listing(n: int, title: str = "Fentanyl powder", market: str = "m1") -> Listing:
    evidence = Evidence("c.warc.gz", f"<urn:uuid:{n}>", "sha256:AA", "2026-01-01T00:00:00Z", f"http://m/{n}", 0)
    return Listing(market, str(n), f"http://m/{n}", title=f"{title} {n}", vendor=f"v{n % 3}", evidence=evidence,
                   extracted={"drugs": [{"name": "fentanyl", "class": "opioid"}], "ships_from": "NL",
                              "ships_to": ["EU"], "price": {"amount": 10.0 + n, "currency": "USD", "usd": 10.0 + n}})


def closed_port_client() -> Elasticsearch:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return Elasticsearch(f"http://127.0.0.1:{port}", request_timeout=2, max_retries=0)


def test_idempotent_ids_and_last_write_wins(es_store_factory):
    store = es_store_factory("idem")
    assert store.add_listings(listing(n) for n in range(50)) == 50
    store.add_listings([listing(7, title="Heroin")])
    assert store.flush() == 0
    assert store.counts()["listings"] == 50
    assert store.get_listing("m1", "7")["title"] == "Heroin 7"
    assert current_index(store.es, store.prefix, "listings") == es_mappings.index_name(store.prefix, "listings")


def test_unreachable_server_spools_to_disk_and_replay_loses_nothing(es_store_factory, es_client, tmp_path):
    down = es_store_factory("down", client=closed_port_client(), pause_after_failure=0.0)
    assert down.add_listings(listing(n) for n in range(1200)) == 1200
    assert down.add_vendors([VendorAccount("m1", "v1")]) == 1
    assert down.pending() == 1201
    up = ElasticsearchStore(es_client, prefix=down.prefix, spool_dir=down.spool.directory)
    assert up.flush() == 0
    assert up.counts()["listings"] == 1200 and up.counts()["vendors"] == 1
    assert up.count_ids() == {f"m1/{n}" for n in range(1200)}


def test_a_stale_spooled_copy_never_overwrites_a_newer_one(es_store_factory, es_client, tmp_path):
    down = es_store_factory("stale", client=closed_port_client(), pause_after_failure=0.0)
    down.add_listings([listing(1, title="Old title")])  # spooled first, so its version is older
    other_writer = ElasticsearchStore(es_client, prefix=down.prefix, spool_dir=tmp_path / "other")
    other_writer.add_listings([listing(1, title="New title")])
    up = ElasticsearchStore(es_client, prefix=down.prefix, spool_dir=down.spool.directory)
    assert up.pending() == 1 and up.flush() == 0  # the old copy is refused as older (409): done
    assert up.get_listing("m1", "1")["title"] == "New title 1"
    assert up.rejected == 0


def up_doc(record: Listing) -> dict:
    from search_index import listing_document

    return listing_document(record)


def test_documents_the_mapping_refuses_are_kept_with_the_reason(es_store_factory):
    store = es_store_factory("refuse")
    bad = up_doc(listing(2))
    bad["price_usd"] = "about ten dollars"
    assert store.add_documents([up_doc(listing(1)), bad, up_doc(listing(3))]) == 3
    assert store.flush() == 0
    assert store.counts()["listings"] == 2
    assert store.rejected == 1 and store.spool.rejected() == 1
    assert "about ten dollars" in store.spool.rejected_path.read_text()


def test_vendors_observations_and_price_history(es_store_factory):
    store = es_store_factory("obs")
    store.add_listings([listing(1)])
    store.add_vendors([VendorAccount("m1", "v1", pgp_key="-----BEGIN PGP"), VendorAccount("m2", "v1")])
    store.add_observations([Observation("m1", "1", "2026-01-02T00:00:00Z", price_usd=12.0),
                            Observation("m1", "1", "2026-01-01T00:00:00Z", price_usd=11.0),
                            Observation("m1", "1", "2026-01-01T00:00:00Z", price_usd=11.0)])
    store.flush()
    assert store.counts() == {"listings": 1, "vendors": 2, "observations": 2, "markets": 1}
    assert [o["price_usd"] for o in store.price_history("m1", "1")] == [11.0, 12.0]
    assert store.get_vendor("m1", "v1")["pgp_key"] == "-----BEGIN PGP"
    assert store.get_vendor("m3", "v1") is None and store.get_listing("m1", "404") is None


def test_mapping_change_rolls_out_by_client_side_reindex_behind_the_alias(es_store_factory, monkeypatch):
    store = es_store_factory("migrate")
    monkeypatch.setitem(es_mappings.VERSIONS, "listings", 1)
    store.add_listings(listing(n) for n in range(300))
    store.flush()
    old = current_index(store.es, store.prefix, "listings")
    assert old.endswith("-listings-v1")
    monkeypatch.setitem(es_mappings.VERSIONS, "listings", 2)
    report = migrate(store.es, store.prefix, "listings")
    assert report["migrated"] and report["from"] == old and report["copied"] >= 300
    assert current_index(store.es, store.prefix, "listings").endswith("-listings-v2")
    assert not store.es.indices.exists(index=old)
    assert store.search("fentanyl vendor:v1").total == 100
    assert migrate(store.es, store.prefix, "listings")["migrated"] is False


def test_an_index_of_an_older_mapping_says_to_reindex_and_takes_nothing(es_store_factory, es_client, tmp_path,
                                                                        monkeypatch):
    """A store whose alias points at an older mapping version's index (one without ``currencies``)
    refuses reads and writes with the reindex hint, before taking any document; once the index is
    rolled forward the same data answers ``currency:``."""
    current = es_mappings.VERSIONS["listings"]
    old = es_store_factory("oldmap")
    monkeypatch.setitem(es_mappings.VERSIONS, "listings", current - 1)  # the previous onionwatch
    monkeypatch.delitem(es_mappings.MAPPINGS["listings"]["properties"], "currencies")
    old.add_documents({k: v for k, v in up_doc(listing(n)).items() if k != "currencies"} for n in range(5))
    assert old.flush() == 0 and old.rejected == 0
    monkeypatch.undo()

    newer = ElasticsearchStore(es_client, prefix=old.prefix, spool_dir=tmp_path / "newer")
    with pytest.raises(SchemaError, match=rf"-listings-v{current - 1} \(mapping v{current - 1}\).*mapping v{current}.*onionwatch reindex"):
        newer.search("currency:xmr")
    coins = Listing("m1", "xmr", "http://m/xmr", title="Fentanyl for Monero", extracted={"currencies": ["XMR"]})
    with pytest.raises(SchemaError, match="onionwatch reindex"):
        newer.add_listings([coins])
    assert newer.pending() == 0 and newer.rejected == 0  # refused before anything was accepted

    migrate(es_client, old.prefix, "listings")
    rolled = ElasticsearchStore(es_client, prefix=old.prefix, spool_dir=tmp_path / "rolled")
    assert rolled.add_listings([coins]) == 1 and rolled.flush() == 0
    result = rolled.search("fentanyl currency:xmr")
    assert [hit["listing_id"] for hit in result.hits] == ["xmr"] and result.facets["currency"] == {"XMR": 1}
    assert rolled.search("fentanyl").total == 6
