"""The Elasticsearch action producer: pure (time and version passed in), and the store's clock.

No server is needed: making actions sends nothing, and the client makes no request until used.
"""
from __future__ import annotations

import copy
from datetime import datetime, timezone

from onionwatch.core.models import Listing, Observation, VendorAccount
from search_index.base import listing_document
from search_index.es_actions import KEYS, bulk_actions
from search_index.es_store import ElasticsearchStore, make_client
from search_index.sqlite_store import plain

NOW = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=timezone.utc)


def make_listing(listing_id: str, title: str) -> Listing:
    return Listing("m", listing_id, f"http://m.invalid/l/{listing_id}", title=title, vendor="v1",
                   extracted={"drugs": [{"name": "fentanyl", "class": "opioid"}]})


def test_same_input_same_actions_and_the_documents_are_left_alone():
    docs = [listing_document(make_listing("1", "Fentanyl 1g")), listing_document(make_listing("2", "MDMA 84%"))]
    before = copy.deepcopy(docs)
    first = list(bulk_actions("listings", docs, index="ow-listings", now=NOW, version=100))
    again = list(bulk_actions("listings", docs, index="ow-listings", now=NOW, version=100))
    assert first == again
    assert docs == before
    assert [a["version"] for a in first] == [100, 101]
    assert {a["_source"]["indexed_at"] for a in first} == {"2026-03-04T05:06:07.890123Z"}
    assert first[0]["_source"]["q_title"] == "fentanyl 1g"
    assert {k: first[1]["_source"][k] for k in docs[1]} == docs[1]


def test_every_kind_is_keyed_by_its_fields():
    vendor = plain(VendorAccount(market="m/1", handle="ann b"))
    observation = plain(Observation(market="m", listing_id="7", observed_at="2026-01-01T00:00:00Z", price_usd=9.5))
    ids = [next(bulk_actions(kind, [doc], index="i", now=NOW, version=1))["_id"]
           for kind, doc in (("vendors", vendor), ("observations", observation))]
    assert ids == ["m%2F1/ann%20b", "m/7/2026-01-01T00%3A00%3A00Z"]
    assert set(KEYS) == {"listings", "vendors", "observations"}


def test_the_store_stamps_each_chunk_from_its_clock_and_versions_always_rise(tmp_path):
    readings = iter([1_700_000_000_123_456_789, 1_700_000_000_123_456_790, 5])  # the last one runs backwards
    store = ElasticsearchStore(make_client("http://127.0.0.1:9"), prefix="owtest-actions", spool_dir=tmp_path,
                               chunk_size=2, clock=lambda: next(readings))
    docs = [plain(VendorAccount(market="m", handle=f"v{i}")) for i in range(5)]
    actions = list(store.actions("vendors", docs))
    assert [a["version"] for a in actions] == [1_700_000_000_123_456_789 + n for n in range(5)]
    assert [a["_source"]["indexed_at"] for a in actions[:3]] == ["2023-11-14T22:13:20.123456Z"] * 3
    assert actions[4]["_source"]["indexed_at"] == "1970-01-01T00:00:00.000000Z"
    assert {a["_index"] for a in actions} == {"owtest-actions-vendors"}
