"""The sandbox's page chrome: realistic, deterministic, switchable, and never a giveaway in its markup."""
from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest
from parsel import Selector

from onionwatch.sandbox import ALL_FAMILIES, build_world, truth_records
from onionwatch.sandbox.families import get_family
from onionwatch.sandbox.families.base import Request

FENTANYLS = {"fentanyl", "carfentanil", "acetylfentanyl", "furanylfentanyl", "m30_pressed"}
#: Words a class or id must not carry: real markets' chrome is not labelled for us.
GIVEAWAY = re.compile(r"side|menu|nav|feat|relat|recommend|promo|sponsor|advert|banner|header|footer|chrome",
                      re.IGNORECASE)


def fetch(market, path: str) -> str:
    path, _, query = path.partition("?")
    response = get_family(market.family)(market, Request("GET", path, parse_qs(query)))
    assert response.status == 200, path
    return response.body.decode("utf-8")


@pytest.fixture(scope="module")
def world():
    return build_world(3, vendors=8, listings=40, families=ALL_FAMILIES)


def other_listings(world, market):
    return [t for t in truth_records(world) if t["type"] == "listing" and t["market"] == market.name
            and t["product"] not in FENTANYLS]


def attribute_words(html: str) -> set[str]:
    sel = Selector(text=html)
    return {w for value in sel.xpath("//@class | //@id").getall() for w in value.split()}


def test_chrome_is_on_by_default_and_names_fentanyl_on_pages_that_do_not_sell_it(world):
    for market in world.markets:
        assert market.chrome
        for t in other_listings(world, market)[:5]:
            assert "Fentanyl" in fetch(market, t["url_path"]), (market.family, t["url_path"])


def test_chrome_shows_other_vendors_listings_prices_and_origins(world):
    for market in world.markets:
        t = other_listings(world, market)[0]
        html = fetch(market, t["url_path"])
        others = [r for r in truth_records(world) if r["type"] == "listing" and r["market"] == market.name
                  and r["vendor"] != t["vendor"] and r["title"] in html]
        assert others, market.family
        assert any(r["price_text"] in html for r in others)


def test_markup_does_not_give_the_chrome_away(world):
    for market in world.markets:
        t = other_listings(world, market)[0]
        paths = ["/", t["url_path"], next(r["url_path"] for r in truth_records(world)
                                         if r["type"] == "vendor" and r["market"] == market.name)]
        for path in paths:
            with_chrome = fetch(market, path)
            market.chrome = False
            try:
                without = fetch(market, path)
            finally:
                market.chrome = True
            added = attribute_words(with_chrome) - attribute_words(without)
            assert added, (market.family, path)
            assert not [w for w in added if GIVEAWAY.search(w)], (market.family, path, added)
            for tag in ("nav", "aside", "menu"):
                assert with_chrome.count(f"<{tag}") == without.count(f"<{tag}"), (market.family, tag)
            assert 'role="navigation"' not in with_chrome


def test_some_families_put_chrome_inside_the_listings_own_container(world):
    containers = {"table": "div.listing", "grid": "article.product"}
    for market in world.markets:
        if market.family not in containers:
            continue
        t = other_listings(world, market)[0]
        inside = Selector(text=fetch(market, t["url_path"])).css(containers[market.family])
        others = [r["title"] for r in truth_records(world) if r["type"] == "listing"
                  and r["market"] == market.name and r["category"] == t["category"]
                  and r["listing_id"] != t["listing_id"]]
        text = " ".join(inside.css("*::text").getall())
        assert any(title in text for title in others), market.family


def test_chrome_is_deterministic_and_switchable_and_leaves_the_truth_alone(world):
    again = build_world(3, vendors=8, listings=40, families=ALL_FAMILIES)
    for market, twin in zip(world.markets, again.markets):
        t = other_listings(world, market)[0]
        assert fetch(market, t["url_path"]) == fetch(twin, t["url_path"])
        twin.chrome = False
        assert "Fentanyl" not in fetch(twin, t["url_path"])
    assert list(truth_records(world)) == list(truth_records(again))  # listing facts unchanged
