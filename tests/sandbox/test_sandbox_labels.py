"""Each sandbox market words its detail labels its own way; with no profile, the label reader still
reads every listing's terms and shipping as the sandbox's truth states them (end to end: the
family's pages, extraction, the truth file's values)."""
from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from parsel import Selector

from extract import extract_many, load_pipeline
from onionwatch.sandbox import ALL_FAMILIES, build_world, truth_records
from onionwatch.sandbox.families import get_family
from onionwatch.sandbox.families.base import Request
from onionwatch.sandbox.labels import FAMILY_LABELS, market_labels

SEEDS = (1, 4)
#: the element each family's ships-from value sits in (what its bundled profile selects)
ORIGIN_CELL = {"table": "td.ships-from", "grid": "dd.origin", "markt": "dd.versand-aus"}


def fetch(market, path: str) -> str:
    path, _, query = path.partition("?")
    response = get_family(market.family)(market, Request("GET", path, parse_qs(query)))
    assert response.status == 200, path
    return response.body.decode("utf-8")


@pytest.fixture(scope="module")
def worlds():
    return {seed: build_world(seed, vendors=6, listings=24, families=ALL_FAMILIES) for seed in SEEDS}


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_markets_word_their_labels_differently_and_keep_their_selectors(worlds):
    shown: dict[str, set[str]] = {family: set() for family in FAMILY_LABELS}
    for seed in range(1, 9):
        world = build_world(seed, vendors=3, listings=6, families=ALL_FAMILIES)
        for market in world.markets:
            if market.family in FAMILY_LABELS:
                shown[market.family].add(market_labels(market, market.family)["ships_from"])
    assert all(len(words) >= 2 for words in shown.values()), shown
    for world in worlds.values():
        for market in world.markets:
            if market.family not in FAMILY_LABELS:
                continue
            t = next(t for t in truth_records(world) if t["type"] == "listing" and t["market"] == market.name)
            page = Selector(text=fetch(market, t["url_path"]))
            assert market_labels(market, market.family)["ships_from"] in page.xpath("string(//body)").get()
            assert page.css(ORIGIN_CELL[market.family] + "::text").get().strip() == t["ships_from_text"]


@pytest.mark.parametrize("seed", SEEDS)
def test_without_a_profile_labelled_facts_equal_the_truth(worlds, nlp, seed):
    world = worlds[seed]
    markets = {m.name: m for m in world.markets if m.family in FAMILY_LABELS}
    truth = [t for t in truth_records(world) if t["type"] == "listing" and t["market"] in markets]
    records = [{"id": i, "source": t["market"], "html": fetch(markets[t["market"]], t["url_path"])}
               for i, t in enumerate(truth)]
    checked = 0
    for t, r in zip(truth, extract_many(nlp, records)):
        where = (t["market"], t["listing_id"])
        assert (r["ships_from"], set(r["ships_to"]), r["escrow"], r["finalize_early"]) == \
            (t["ships_from"], set(t["ships_to"]), t["escrow"], t["finalize_early"]), where
        assert r["stock"]["count"] == t["stock"], where
        words = market_labels(markets[t["market"]], markets[t["market"]].family)
        assert r["label_fields"]["ships_from"]["label"] == words["ships_from"], where
        assert r["label_fields"]["ships_to"]["label"] == words["ships_to"], where
        checked += 1
    assert checked == len(truth) > 0
