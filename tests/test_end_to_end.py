"""End to end: serve the sandbox on a free port, crawl it over the socket, check the store.

The crawl runs as the real ``onionwatch crawl`` command in its own process (Scrapy's reactor runs
once per process) against the sandbox served from this one. What lands in the store is compared
with the sandbox's ground truth, which the generator wrote from its own state.
"""
from __future__ import annotations

import html
import json
import subprocess
import sys

import pytest

from onionwatch.evidence import read_response
from onionwatch.models import Evidence
from onionwatch.sandbox import build_world, serve, write_truth
from search_index import SqliteStore

pytestmark = pytest.mark.e2e

#: Listing fields the profile reads by selector -> the truth's displayed value of each.
LISTING_SELECTOR_FIELDS = {"title": "title", "vendor": "vendor", "category": "category", "price": "price_text",
                           "ships_from": "ships_from_text", "ships_to": "ships_to_text"}


def onionwatch(*args, timeout=300):
    done = subprocess.run([sys.executable, "-m", "onionwatch.cli", *args], capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"onionwatch {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("e2e")
    world = build_world(11, vendors=12, listings=90)
    truth_path = data_dir / "truth.jsonl"
    write_truth(world, truth_path)
    with serve(world, port=0) as server:
        done = onionwatch("crawl", "--profile", "sandbox-table", "--base-url", server.url,
                          "--data-dir", str(data_dir))
    truth = [json.loads(line) for line in truth_path.read_text().splitlines()]
    return data_dir, truth, done.stderr


def by_type(truth, kind):
    return [t for t in truth if t["type"] == kind]


def test_every_listing_and_vendor_landed_once(crawled):
    data_dir, truth, _ = crawled
    with SqliteStore(data_dir / "onionwatch.sqlite3") as store:
        counts = store.counts()
        stored = {(d["market"], d["listing_id"]) for d in store.iter_listings()}
    assert counts["listings"] == len(by_type(truth, "listing"))
    assert counts["vendors"] == len(by_type(truth, "vendor"))
    assert stored == {(t["market"], t["listing_id"]) for t in by_type(truth, "listing")}


def test_selector_fields_equal_the_truth(crawled):
    data_dir, truth, _ = crawled
    with SqliteStore(data_dir / "onionwatch.sqlite3") as store:
        for t in by_type(truth, "listing"):
            doc = store.get_listing(t["market"], t["listing_id"])
            for field, truth_key in LISTING_SELECTOR_FIELDS.items():
                assert doc["fields"][field] == t[truth_key], (t["listing_id"], field)
            assert doc["fields"]["description"] == t["description_paragraphs"]
            assert doc["description"] == t["description"]
            assert doc["fields"]["escrow"] == ("Yes" if t["escrow"] else "No")
        for t in by_type(truth, "vendor"):
            doc = store.get_vendor(t["market"], t["handle"])
            assert doc["pgp_key"] == t["pgp_key"]
            assert doc["btc_addresses"] == t["btc"] and doc["xmr_addresses"] == t["xmr"]
            assert len(doc["contacts"]) == len(t["contacts"])
            for contact, expected in zip(doc["contacts"], t["contacts"]):
                assert expected["value"] in contact


def test_every_listing_points_to_verified_evidence(crawled):
    data_dir, truth, _ = crawled
    with SqliteStore(data_dir / "onionwatch.sqlite3") as store:
        docs = list(store.iter_listings())
    for doc in docs:
        evidence = Evidence.from_dict(doc["evidence"])
        stored = read_response(evidence)  # raises if the digest does not match
        assert stored.url == doc["url"] and stored.status == 200
        assert doc["fields"]["title"] in html.unescape(stored.body.decode("utf-8"))


def test_search_prints_hits_with_evidence(crawled):
    data_dir, truth, _ = crawled
    fentanyl_titles = {t["title"] for t in by_type(truth, "listing") if "fentanyl" in t["title"].lower()}
    assert fentanyl_titles, "the sandbox should sell fentanyl under its own name at this seed"
    result = json.loads(onionwatch("search", "fentanyl", "--json", "--limit", "500",
                                   "--data-dir", str(data_dir)).stdout)
    hit_titles = {h["title"] for h in result["hits"]}
    assert fentanyl_titles <= hit_titles
    assert all(h["evidence"]["digest"].startswith("sha256:") for h in result["hits"])
    text = onionwatch("search", "fentanyl", "--data-dir", str(data_dir)).stdout
    assert "evidence " in text and "sha256:" in text


def test_crawl_reported_progress_and_no_parse_errors(crawled):
    _, _, stderr = crawled
    assert "[empire-sandbox]" in stderr and "0 parse errors" in stderr
    assert "indexed 90 listings" in stderr
