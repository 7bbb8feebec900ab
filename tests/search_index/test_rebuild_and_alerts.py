"""`onionwatch reindex` rebuilds either backend from crawl records (re-extracted); watches report news."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from onionwatch.app.cli import main
from onionwatch.core.config import Config
from onionwatch.core.models import Listing, VendorAccount
from search_index import SqliteStore, listing_document, open_store
from search_index.alerts import Watches, WatchError, to_webhook
from onionwatch.pipeline.rebuild import rebuild


def write_records(config: Config, titles: dict[str, str]) -> None:
    config.items_dir.mkdir(parents=True, exist_ok=True)
    with open(config.items_dir / "crawl-1.jsonl", "w", encoding="utf-8") as fh:
        for listing_id, title in titles.items():
            record = Listing("empire", listing_id, f"http://m/{listing_id}", title=title, vendor="DrWhite",
                             description=f"{title}. Ships from Netherlands to worldwide. Price 100 USD")
            fh.write(json.dumps(record.to_dict()) + "\n")
        fh.write(json.dumps(VendorAccount("empire", "DrWhite").to_dict()) + "\n")
        fh.write("{not json\n")


def test_reindex_replaces_the_sqlite_store(tmp_path, capsys):
    config = Config(data_dir=tmp_path)
    with SqliteStore(config.store_path) as old:
        old.add_listings([Listing("gone", "1", "http://g/1", title="Stale listing")])
    write_records(config, {"1": "Fentanyl 1g", "2": "Heroin 5g"})
    assert main(["reindex", "--data-dir", str(tmp_path)]) == 0
    with SqliteStore(config.store_path) as store:
        assert store.counts()["listings"] == 2 and store.search("stale").total == 0
        assert store.search("from:NL drug:fentanyl").total == 1
    assert "unreadable record" in capsys.readouterr().err


def test_reindex_swaps_elasticsearch_aliases(tmp_path, es_client, prefix_factory):
    from search_index.es_store import ElasticsearchStore

    url = es_client.transport.node_pool.get().base_url
    config = Config(data_dir=tmp_path, es_url=url, es_prefix=prefix_factory("rebuild"))
    old = ElasticsearchStore(es_client, prefix=config.es_prefix, spool_dir=tmp_path / "old")
    try:
        old.add_listings([Listing("gone", "1", "http://g/1", title="Stale listing")])
        old.flush()
        write_records(config, {"1": "Fentanyl 1g", "2": "Heroin 5g"})
        report = rebuild(config, sorted(config.items_dir.glob("*.jsonl")), quiet=True)
        assert report.listings == 2
        with open_store(config) as store:
            store.flush()
            assert store.counts()["listings"] == 2 and store.search("stale").total == 0
            assert store.search("drug:heroin").total == 1
    finally:
        old.delete_indices()


def test_reindex_is_the_way_out_of_an_older_elasticsearch_mapping(tmp_path, es_client, prefix_factory,
                                                                     monkeypatch, capsys):
    """What the SchemaError says to do works: reindex replaces an index of the previous mapping
    version (one without ``currencies``) and ``currency:`` then searches."""
    from search_index import SchemaError, es_mappings
    from search_index.es_store import ElasticsearchStore

    url = es_client.transport.node_pool.get().base_url
    config = Config(data_dir=tmp_path, es_url=url, es_prefix=prefix_factory("oldmap"))
    monkeypatch.setitem(es_mappings.VERSIONS, "listings", es_mappings.VERSIONS["listings"] - 1)
    monkeypatch.delitem(es_mappings.MAPPINGS["listings"]["properties"], "currencies")
    old = ElasticsearchStore(es_client, prefix=config.es_prefix, spool_dir=tmp_path / "old")
    try:
        old.add_documents([{k: v for k, v in listing_document(Listing("gone", "1", "http://g/1", title="Stale")).items()
                            if k != "currencies"}])
        assert old.flush() == 0
        monkeypatch.undo()
        with open_store(config) as store, pytest.raises(SchemaError, match="onionwatch reindex"):
            store.search("currency:xmr")
        write_records(config, {"1": "Fentanyl 1g", "2": "Heroin 5g"})
        assert rebuild(config, sorted(config.items_dir.glob("*.jsonl")), quiet=True).listings == 2
        assert "cannot be read to compare" in capsys.readouterr().err
        with open_store(config) as store:
            assert store.search("*").total == 2 and store.search("currency:xmr").total == 0
            assert store.search("*").facets["currency"] == {}
    finally:
        ElasticsearchStore(es_client, prefix=config.es_prefix, spool_dir=tmp_path / "cleanup").delete_indices()


def test_watch_cli_reports_only_new_listings_and_delivers_jsonl(tmp_path, capsys):
    config = Config(data_dir=tmp_path)
    with SqliteStore(config.store_path) as store:
        store.add_listings([Listing("m", "1", "http://m/1", title="Fentanyl 1g")])
    data = ["--data-dir", str(tmp_path)]
    assert main(["watch", "add", "fent", "fentanyl", *data]) == 0
    assert main(["watch", "add", "bad", "price<x", *data]) == 2
    with SqliteStore(config.store_path) as store:
        store.add_listings([Listing("m", "2", "http://m/2", title="Fentanyl patch"),
                            Listing("m", "3", "http://m/3", title="Heroin")])
    out = tmp_path / "alerts.jsonl"
    capsys.readouterr()
    assert main(["watch", "run", "--jsonl", str(out), *data]) == 0
    assert "watch fent: 1 new" in capsys.readouterr().out
    (line,) = out.read_text().splitlines()
    assert [h["listing_id"] for h in json.loads(line)["new"]] == ["2"]
    assert main(["watch", "run", "--jsonl", str(out), *data]) == 0
    assert "nothing new" in capsys.readouterr().out and len(out.read_text().splitlines()) == 1


def test_a_failed_webhook_keeps_the_news_for_next_time(tmp_path):
    received = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    store = SqliteStore(":memory:")
    book = Watches(tmp_path)
    book.add("fent", "fentanyl", store)
    store.add_listings([Listing("m", "1", "http://m/1", title="Fentanyl 1g")])
    with pytest.raises(WatchError, match="stays unreported"):
        book.run(store, deliver=to_webhook("http://127.0.0.1:9/hook", timeout=2))
    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    (alert,) = book.run(store, deliver=to_webhook(f"http://127.0.0.1:{server.server_address[1]}/hook"))
    thread.join(10)
    server.server_close()
    assert [h["listing_id"] for h in alert.new] == ["1"]
    assert received[0]["watch"] == "fent" and received[0]["new"][0]["title"] == "Fentanyl 1g"
