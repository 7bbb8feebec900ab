"""End to end: serve the sandbox's markets, crawl each over the socket, check the store.

Every market family is served at once (one port each, defences and faults off); each is crawled
by the real ``onionwatch crawl`` command with its profile, in its own process (Scrapy's reactor
runs once per process), into its own data directory. What lands in the store is compared with the
sandbox's ground truth, which the generator wrote from its own state: every field the family
labels must be read exactly.

The markets wear their chrome (menus naming every drug, fentanyl included; featured and
top-in-category boxes with other vendors' listings, prices and origins; notices naming countries),
and each listing's extracted drugs, price and shipping must still be its own: indexing learns the
chrome from the crawl and strips it. The drug comparison is bench/chrome_eval.py's (the sandbox's
names mapped onto the pipeline's). The forum family writes shipping only in free text; there the
places extracted must be the listing's, and all of them on nearly every listing.
"""
from __future__ import annotations

import html
import json
import subprocess
import sys

import pytest

from onionwatch.evidence import read_response
from onionwatch.core.models import Evidence
from onionwatch.sandbox import ALL_FAMILIES, FAMILY_MARKETS, build_world, serve_world, write_truth
from search_index import SqliteStore

pytestmark = pytest.mark.e2e

LISTINGS = 90
#: The sandbox's fentanyl products (its own keys): fentanyl, its analogues and pressed M30s.
FENTANYLS = {"fentanyl", "carfentanil", "acetylfentanyl", "furanylfentanyl", "m30_pressed"}
def _chrome_eval():
    from bench import chrome_eval  # the checkout's root is on pytest's path (setup.cfg: pythonpath)

    return chrome_eval


def onionwatch(*args, timeout=300):
    done = subprocess.run([sys.executable, "-m", "onionwatch.app.cli", *args], capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"onionwatch {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    world = build_world(11, vendors=12, listings=LISTINGS, families=ALL_FAMILIES)
    assert all(market.chrome for market in world.markets), "the sandbox's chrome is on by default"
    truth_path = tmp_path_factory.mktemp("e2e-truth") / "truth.jsonl"
    write_truth(world, truth_path)
    truth = [json.loads(line) for line in truth_path.read_text().splitlines()]
    with serve_world(world) as running:
        yield running, truth


@pytest.fixture(scope="module", params=ALL_FAMILIES)
def crawled(request, served, tmp_path_factory):
    family = request.param
    running, truth = served
    market = FAMILY_MARKETS[family]
    data_dir = tmp_path_factory.mktemp(f"e2e-{family}")
    done = onionwatch("crawl", "--profile", f"sandbox-{family}", "--base-url", running.urls[market],
                      "--data-dir", str(data_dir))
    return data_dir, [t for t in truth if t.get("market") == market], done.stderr


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
            assert {"title", "vendor", "category"} <= set(t["labelled"])
            for field, expected in t["labelled"].items():
                assert doc["fields"][field] == expected, (t["listing_id"], field)
            assert doc["fields"]["description"] == t["description_paragraphs"]
            assert doc["description"] == t["description"]
        for t in by_type(truth, "vendor"):
            doc = store.get_vendor(t["market"], t["handle"])
            labelled = t["labelled"]
            assert doc["pgp_key"] == labelled["pgp_key"] == t["pgp_key"]
            if "btc" in labelled:
                assert doc["btc_addresses"] == labelled["btc"] == t["btc"]
                assert doc["xmr_addresses"] == labelled["xmr"] == t["xmr"]
            assert len(doc["contacts"]) == len(labelled["contacts"])
            for contact, expected in zip(doc["contacts"], labelled["contacts"]):
                assert expected in contact


def test_every_listing_points_to_verified_evidence(crawled):
    data_dir, truth, _ = crawled
    with SqliteStore(data_dir / "onionwatch.sqlite3") as store:
        docs = list(store.iter_listings())
    for doc in docs:
        evidence = Evidence.from_dict(doc["evidence"])
        stored = read_response(evidence, data_dir=data_dir)  # raises if the digest does not match
        assert stored.url == doc["url"] and stored.status == 200
        assert doc["fields"]["title"] in html.unescape(stored.body.decode("utf-8"))


def test_search_prints_hits_with_evidence(crawled):
    data_dir, truth, _ = crawled
    fentanyl_titles = {t["title"] for t in by_type(truth, "listing") if "fentanyl" in t["title"].lower()}
    assert fentanyl_titles, "every sandbox market should sell fentanyl under its own name at this seed"
    result = json.loads(onionwatch("search", "fentanyl", "--json", "--limit", "500",
                                   "--data-dir", str(data_dir)).stdout)
    hit_titles = {h["title"] for h in result["hits"]}
    assert fentanyl_titles <= hit_titles
    product_of = {t["listing_id"]: t["product"] for t in by_type(truth, "listing")}
    strays = [h["title"] for h in result["hits"] if product_of[h["listing_id"]] not in FENTANYLS]
    assert not strays, f"hits that sell no fentanyl (the menu names it on every page): {strays[:5]}"
    assert all(h["evidence"]["digest"].startswith("sha256:") for h in result["hits"])
    text = onionwatch("search", "fentanyl", "--data-dir", str(data_dir)).stdout
    assert "evidence " in text and "sha256:" in text


def test_crawl_reported_progress_and_no_parse_errors(crawled):
    _, truth, stderr = crawled
    market = by_type(truth, "market")[0]
    assert f"[{market['market']}]" in stderr and "0 parse errors" in stderr
    assert f"indexed {market['listings']} listings" in stderr


def test_listing_facts_are_the_listings_own_not_the_chromes(crawled):
    """Drugs, price and shipping equal the truth on every listing, though every page names
    fentanyl and other vendors' listings, prices and origins."""
    data_dir, truth, stderr = crawled
    drugs_equal = _chrome_eval().drugs_equal
    market = by_type(truth, "market")[0]
    assert f"chrome of {market['market']}: " in stderr and "chrome blocks" in stderr
    wrong: dict[str, list[str]] = {"drugs": [], "price": [], "ships_from": [], "ships_to": []}
    exact_to = 0
    listings = by_type(truth, "listing")
    with SqliteStore(data_dir / "onionwatch.sqlite3") as store:
        served = read_response(Evidence.from_dict(store.get_listing(market["market"],
                                                                    listings[0]["listing_id"])["evidence"]),
                               data_dir=data_dir)
        assert "Fentanyl" in served.body.decode("utf-8"), "the archived page carries the menu"
        for t in listings:
            doc = store.get_listing(t["market"], t["listing_id"])
            where = f"{t['listing_id']} {t['title']!r}"
            if not drugs_equal(t, doc["entities"]):
                wrong["drugs"].append(f"{where}: {t['drug']} -> {doc['drugs']}")
            if doc["price_currency"] != t["currency"] or doc["price_amount"] is None \
                    or abs(doc["price_amount"] - t["price"]) > 0.005:
                wrong["price"].append(f"{where}: {t['price']} {t['currency']} -> {doc['price_amount']} "
                                      f"{doc['price_currency']}")
            if doc["ships_from"] != t["ships_from"]:
                wrong["ships_from"].append(f"{where}: {t['ships_from']} -> {doc['ships_from']}")
            got, expected = set(doc["ships_to"]), set(t["ships_to"])
            exact_to += got == expected
            if got != expected and (market["family"] != "forum" or not got <= expected):
                wrong["ships_to"].append(f"{where}: {sorted(expected)} -> {sorted(got)}")
    assert not any(wrong.values()), {k: (len(v), v[:5]) for k, v in wrong.items() if v}
    share = exact_to / len(listings)
    assert share >= (0.9 if market["family"] == "forum" else 1.0), \
        f"ships_to exact on {exact_to} of {len(listings)} listings"
