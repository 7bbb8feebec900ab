"""`run_watches`: what indexing commands call after each crawl or index run."""
from __future__ import annotations

import json

from onionwatch.app.cli import main
from onionwatch.core.config import Config
from onionwatch.core.models import Listing
from search_index import SqliteStore
from search_index.alerts import ALERTS_FILE, Watches, run_watches

from .test_rebuild_and_alerts import write_records


def test_no_watches_gives_an_empty_report(tmp_path):
    report = run_watches(Config(data_dir=tmp_path), SqliteStore(":memory:"))
    assert report.alerts == [] and report.new == 0 and "none saved" in report.summary()
    assert not (tmp_path / "watches" / ALERTS_FILE).exists()


def test_a_dead_webhook_is_reported_not_raised_and_its_news_waits(tmp_path):
    config = Config(data_dir=tmp_path)
    store = SqliteStore(":memory:")
    store.add_listings([Listing("m", "0", "http://m/0", title="Heroin old stock")])
    book = Watches(tmp_path / "watches")
    mine = tmp_path / "fent.jsonl"
    assert book.add("fent", "fentanyl", store, jsonl=str(mine)) == 0
    assert book.add("heroin", "heroin", store, webhook="http://127.0.0.1:9/hook") == 1
    store.add_listings([Listing("m", "1", "http://m/1", title="Fentanyl 1g"),
                        Listing("m", "2", "http://m/2", title="Heroin 5g <b>bold</b>")])

    report = run_watches(config, store)
    by_name = {a.watch: a for a in report.alerts}
    assert [h["listing_id"] for h in by_name["fent"].new] == ["1"] and by_name["fent"].error is None
    assert [h["listing_id"] for h in by_name["heroin"].new] == ["2"]
    assert by_name["heroin"].error and "stays unreported" in by_name["heroin"].error
    assert report.errors == [f"watch heroin: {by_name['heroin'].error}"]
    assert "NOT delivered" in report.summary() and "watch fent: 1 new ('Fentanyl 1g')" in report.summary()
    assert [json.loads(line)["new"][0]["listing_id"] for line in mine.read_text().splitlines()] == ["1"]
    logged = [json.loads(line) for line in (tmp_path / "watches" / ALERTS_FILE).read_text().splitlines()]
    assert sorted(a["watch"] for a in logged) == ["fent", "heroin"]

    again = {a.watch: a for a in run_watches(config, store).alerts}
    assert again["fent"].new == [] and [h["listing_id"] for h in again["heroin"].new] == ["2"]
    assert len(mine.read_text().splitlines()) == 1


def test_reindex_runs_the_watches(tmp_path, capsys):
    config = Config(data_dir=tmp_path)
    write_records(config, {"1": "Fentanyl 1g"})
    data = ["--data-dir", str(tmp_path)]
    assert main(["reindex", *data]) == 0
    assert main(["watch", "add", "fent", "fentanyl", *data]) == 0
    write_records(config, {"1": "Fentanyl 1g", "2": "Fentanyl patch 75mcg"})
    capsys.readouterr()
    assert main(["reindex", *data]) == 0
    assert "watch fent: 1 new ('Fentanyl patch 75mcg')" in capsys.readouterr().err
    (line,) = (tmp_path / "watches" / ALERTS_FILE).read_text().splitlines()
    assert [h["listing_id"] for h in json.loads(line)["new"]] == ["2"]


def test_an_unreachable_elasticsearch_is_reported_not_raised(tmp_path):
    from elasticsearch import Elasticsearch

    from search_index.es_store import ElasticsearchStore

    config = Config(data_dir=tmp_path)
    memory = SqliteStore(":memory:")
    Watches(tmp_path / "watches").add("fent", "fentanyl", memory)
    client = Elasticsearch("http://127.0.0.1:9", request_timeout=2, max_retries=0)
    store = ElasticsearchStore(client, prefix="owtest-unreachable", spool_dir=tmp_path / "spool")
    (alert,) = run_watches(config, store).alerts
    assert alert.new == [] and "search failed" in alert.error
    assert "runs again next time" in run_watches(config, store).summary()
    client.close()
