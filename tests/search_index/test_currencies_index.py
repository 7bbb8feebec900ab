"""The coins a listing accepts, as extraction reads them from a labelled field, reach both backends:
``currency:`` filters on them and the ``currency`` facet counts them, with the label they came from.
The page is the project's own; the Elasticsearch half needs the test node (see conftest)."""
from __future__ import annotations

import json

import pytest

from extract import load_pipeline
from onionwatch.core.models import Listing
from onionwatch.evidence import EvidenceWriter
from onionwatch.pipeline.indexing import index_paths
from search_index import SqliteStore

PAGE = """<html><body><div class="item"><h2>Speed paste {n}g</h2>
<div class="specs"><span class="k">Sent from</span><span class="v">Belgium</span>
<span class="k">Pay with</span><span class="v">{coins}</span></div><p>Price ${n}0.</p></div></body></html>"""
#: listing id -> what its "Pay with" field says ("" for a page without the field).
COINS = {"1": "Monero (XMR), Bitcoin", "2": "BTC only", "3": ""}


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coins")
    lines = []
    with EvidenceWriter(folder / "c.warc.gz") as writer:
        for listing_id, coins in COINS.items():
            page = PAGE.format(n=listing_id, coins=coins)
            if not coins:
                page = page.replace('<span class="k">Pay with</span><span class="v"></span>', "")
            url = f"http://m/listing/{listing_id}"
            evidence = writer.write_response(url, 200, [("Content-Type", "text/html")], page.encode(),
                                             fetched_at="2026-01-04T00:00:00Z")
            lines.append(json.dumps(Listing("m", listing_id, url, title=f"Speed paste {listing_id}g", vendor="v9",
                                            evidence=evidence).to_dict()))
    path = folder / "c.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module", params=["sqlite", "elasticsearch"])
def store(request, records):
    nlp = load_pipeline()
    if request.param == "sqlite":
        with SqliteStore(":memory:") as sqlite:
            index_paths([records], sqlite, nlp, quiet=True)
            yield sqlite
        return
    from search_index.es_store import ElasticsearchStore

    es = ElasticsearchStore(request.getfixturevalue("es_client"), prefix=request.getfixturevalue("prefix_factory")("coins"),
                            spool_dir=records.parent / "spool")
    try:
        index_paths([records], es, nlp, quiet=True)
        assert es.flush() == 0
        yield es
    finally:
        es.delete_indices()


def ids(result) -> set[str]:
    return {hit["listing_id"] for hit in result.hits}


def test_currencies_are_stored_with_their_label(store):
    doc = store.get_listing("m", "1")
    assert doc["currencies"] == ["XMR", "BTC"]
    assert doc["sources"]["currencies"] == {"source": "label", "label": "Pay with", "text": "Monero (XMR), Bitcoin"}
    assert doc["price_currency"] == "USD" and store.get_listing("m", "3")["currencies"] == []


@pytest.mark.parametrize("query, expected", [
    ("currency:xmr", {"1"}), ("currency:BTC", {"1", "2"}), ("currency:xmr,btc", {"1", "2"}),
    ("-currency:btc", {"3"}), ("speed currency:btc -currency:xmr", {"2"}), ("currency:usd", set()),
])
def test_currency_filters(store, query, expected):
    result = store.search(query)
    assert ids(result) == expected and result.total == len(expected)


def test_currency_facet_and_hits(store):
    result = store.search("speed")
    assert result.facets["currency"] == {"BTC": 2, "XMR": 1}
    assert {hit["listing_id"]: hit["currencies"] for hit in result.hits} == {"1": ["XMR", "BTC"], "2": ["BTC"], "3": []}
