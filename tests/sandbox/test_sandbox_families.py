"""Four market families served at once; actors across them; photos; crawl-shaped records."""
from __future__ import annotations

import http.client
import io
import re
import json
from collections import defaultdict
from html import escape

import pytest
from PIL import Image

from onionwatch.core.models import record_from_dict
from onionwatch.sandbox import ALL_FAMILIES, build_world, serve_world, truth_records, write_records
from onionwatch.sandbox.addresses import is_valid_btc, is_valid_xmr
from onionwatch.sandbox.photos import jpeg



def _get(port: int, path: str):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body

SEED = 31


@pytest.fixture(scope="module")
def world():
    return build_world(SEED, vendors=25, listings=60, families=ALL_FAMILIES)


@pytest.fixture(scope="module")
def truth(world):
    return list(truth_records(world))


@pytest.fixture(scope="module")
def running(world):
    with serve_world(world) as served:
        yield served


def _port(running, market: str) -> int:
    return running.servers[market].port


def test_every_family_serves_its_listings_vendors_and_extras(running, truth):
    markets = {t["market"]: t for t in truth if t["type"] == "market"}
    assert {m["family"] for m in markets.values()} == set(ALL_FAMILIES)
    assert len({m["language"] for m in markets.values()}) == 2
    assert {m["currency"] for m in markets.values()} == {"USD", "EUR"}
    for t in truth:
        if t["type"] == "listing":
            status, headers, body = _get(_port(running, t["market"]), t["url_path"])
            html = body.decode()
            assert status == 200, t["url_path"]
            for value in t["labelled"].values():
                for text in value if isinstance(value, list) else [value]:
                    assert escape(text) in html, (t["market"], t["listing_id"], text)
            for paragraph in t["description_paragraphs"]:
                assert escape(paragraph) in html
            assert escape(markets[t["market"]]["escrow_btc"]) in html  # the market's, everywhere
        elif t["type"] == "vendor":
            status, _, body = _get(_port(running, t["market"]), t["url_path"])
            assert status == 200 and escape(t["handle"]) in body.decode()
            for address in t["btc"] + t["xmr"]:
                assert address in body.decode()


def test_forum_writes_facts_in_free_text_only(truth):
    forum = [t for t in truth if t["type"] == "listing" and t["market"] == "backroom-sandbox"]
    assert forum
    for t in forum:
        assert set(t["labelled"]) == {"title", "vendor", "category"}
        text = t["description"]
        assert t["price_text"] in text and t["ships_from_text"] in text


def test_german_market_words_things_in_german(truth):
    markt = [t for t in truth if t["type"] == "listing" and t["market"] == "schattenmarkt-sandbox"]
    assert all(t["price_text"].endswith(" \u20ac") for t in markt)
    assert {t["labelled"]["escrow"] for t in markt} <= {"Ja", "Nein"}
    assert any("Versand" in t["description"] for t in markt)


def test_grid_has_bulk_tiers_in_euros(truth):
    grid = [t for t in truth if t["type"] == "listing" and t["market"] == "vitrine-sandbox"]
    for t in grid:
        prices = [tier["price"] for tier in t["tiers"]]
        assert len(prices) == 4 and prices == sorted(prices) and prices[0] == t["price"]
        assert t["price_text"].startswith("\u20ac")


@pytest.mark.parametrize("market,paths", [
    ("empire-sandbox", ["/search?q=fentanyl", "/nope"]),
    ("vitrine-sandbox", ["/find?term=cocaine", "/c/opioids/999"]),
    ("backroom-sandbox", ["/search.php?keywords=heroin", "/viewforum.php?f=1&start=7"]),
    ("schattenmarkt-sandbox", ["/suche?begriff=kokain", "/kategorie/opioids?seite=0"]),
])
def test_search_pages_and_404s(running, market, paths):
    assert _get(_port(running, market), paths[0])[0] == 200
    assert _get(_port(running, market), paths[1])[0] == 404


def test_feedback_and_photos(running, world):
    for market in world.markets:
        listing = market.listing_at(market.live()[0])
        html = _get(_port(running, market.name), listing.url_path)[2].decode()
        src = re.search(r'<img[^>]+src="([^"]+)"', html).group(1).replace("&amp;", "&")
        status, headers, body = _get(_port(running, market.name), src)
        assert status == 200 and headers["content-type"] == "image/jpeg"
        assert Image.open(io.BytesIO(body)).format == "JPEG"


def test_actors_span_markets_under_kinds_of_handles(truth):
    actors = [t for t in truth if t["type"] == "actor"]
    multi = [a for a in actors if len({acc["market"] for acc in a["accounts"]}) > 1]
    assert multi
    kinds = {acc["handle_kind"] for a in actors for acc in a["accounts"]}
    assert {"primary", "same", "variant", "unrelated", "lookalike"} <= kinds
    assert any(a["shared"].get("pgp_fingerprint") for a in multi)
    assert any(a["shared"].get("btc") for a in multi)
    assert any(a["shared"].get("photos") for a in multi)


def test_identifiers_never_link_different_actors(truth):
    owner = defaultdict(set)
    for t in truth:
        if t["type"] == "vendor":
            for value in [t["pgp_fingerprint"], *t["btc"], *t["xmr"], *t["photos"],
                          *(f"{c['kind']}:{c['value']}" for c in t["contacts"])]:
                if value:
                    owner[value].add(t["actor_id"])
            assert all(is_valid_btc(a) for a in t["btc"]) and all(is_valid_xmr(a) for a in t["xmr"])
    assert all(len(actors) == 1 for actors in owner.values())


def test_hard_negatives_are_recorded(truth):
    (negatives,) = [t for t in truth if t["type"] == "negatives"]
    vendors = {(t["market"], t["handle"]): t for t in truth if t["type"] == "vendor"}
    assert negatives["lookalike_handles"]
    for look in negatives["lookalike_handles"]:
        assert look["actor_id"] != look["imitates_actor"]
    listings = [t for t in truth if t["type"] == "listing"]
    stock_users = {vendors[(t["market"], t["vendor"])]["actor_id"]
                   for t in listings for p in t["photos"] if p["stock"]}
    assert len(stock_users) > 1  # unrelated actors show the same stock pictures
    assert len(negatives["market_addresses"]) == 4


def test_photo_copies_differ_in_bytes_not_picture():
    original, reencoded, cropped = (jpeg("actor-00001/0", t)
                                    for t in ("original", "reencoded", "cropped"))
    assert len({original, reencoded, cropped}) == 3
    assert Image.open(io.BytesIO(reencoded)).size == Image.open(io.BytesIO(original)).size
    assert Image.open(io.BytesIO(cropped)).size < Image.open(io.BytesIO(original)).size


def test_records_have_the_crawler_shape(world, tmp_path):
    listings, vendors = write_records(world, tmp_path / "l.jsonl", tmp_path / "v.jsonl")
    assert listings == sum(len(m.live()) for m in world.markets)
    assert vendors == sum(len(m.vendors) for m in world.markets)
    for name in ("l.jsonl", "v.jsonl"):
        for line in (tmp_path / name).read_text().splitlines()[:50]:
            data = json.loads(line)
            record = record_from_dict(data)
            assert record.to_dict() == data  # same keys and values as the crawler writes


def test_a_large_world_builds_lazily():
    world = build_world(2, vendors=5_000, listings=50_000)
    market = world.markets[0]
    assert len(market.live()) == 50_000 and len(market.vendors) == 5_000
    assert market.listing_at(49_999).title
