"""Re-crawling a market records what changed, recognised by extracted content, not page bytes.

The sandbox clock moves three days between two crawls: prices are re-drawn, stock runs down,
feedback accumulates, listings appear and go; the new, changed and gone listings are exactly the
ground truth's. A third crawl the same day fetches pages that carry fresh tokens (never
byte-identical), yet every listing is recognised as unchanged.
"""
from __future__ import annotations

import json

import pytest

from crawlers.changes import compare_files, listing_state
from onionwatch.sandbox import build_world, serve, write_truth
from onionwatch.sandbox.switches import Defences

from .crawl_helpers import run_onionwatch, write_profile

#: what the table family shows of a listing (the truth holds more than the page)
SHOWN = ("title", "price_text", "price_btc_text", "price_xmr_text", "stock", "feedback", "ships_from_text",
         "ships_to_text", "escrow_text", "finalize_early_text", "description_paragraphs", "vendor", "category")


def truth_listings(world, path):
    write_truth(world, path)
    return {t["listing_id"]: t for t in map(json.loads, path.read_text().splitlines()) if t["type"] == "listing"}


@pytest.mark.parametrize("family", ["table"])
def test_recrawl_reports_new_changed_gone(family, tmp_path):
    world = build_world(46, vendors=4, listings=30, families=(family,))
    world.markets[0].defences = Defences(tokens=True)
    data = tmp_path / "data"
    with serve(world) as server:
        profile = write_profile(tmp_path, name=world.markets[0].name, base_url=server.url,
                                bundled=f"sandbox-{family}")
        before = truth_listings(world, tmp_path / "t0.jsonl")
        first = run_onionwatch("crawl", "--profile", str(profile), "--no-index", "--data-dir", str(data),
                               "--crawl-id", "day0")
        assert first.returncode == 0, first.stderr[-2000:]
        world.clock.advance(days=3)
        after = truth_listings(world, tmp_path / "t3.jsonl")
        second = run_onionwatch("crawl", "--profile", str(profile), "--no-index", "--data-dir", str(data),
                                "--crawl-id", "day3")
        assert second.returncode == 0, second.stderr[-2000:]
        again = run_onionwatch("crawl", "--profile", str(profile), "--no-index", "--data-dir", str(data),
                               "--crawl-id", "day3-again")
        assert again.returncode == 0, again.stderr[-2000:]
    [old] = (data / "items").glob("*-day0.jsonl")
    [new] = (data / "items").glob("*-day3.jsonl")
    changes = compare_files(old, new)
    both = set(before) & set(after)
    moved = {lid for lid in both if any(before[lid][k] != after[lid][k] for k in SHOWN)}
    assert changes.new == sorted(set(after) - set(before)) and changes.new
    assert changes.gone == sorted(set(before) - set(after)) and changes.gone
    assert set(changes.changed) == moved and moved
    assert set(changes.unchanged) == both - moved
    # the same day again: every page's bytes differ (tokens), every listing is recognised as unchanged
    [same] = (data / "items").glob("*-day3-again.jsonl")
    repeat = compare_files(new, same)
    assert repeat.unchanged == sorted(after) and not (repeat.new or repeat.changed or repeat.gone)
    digests = {}
    for path in (data / "items").glob("*-day3*.jsonl"):
        for record in map(json.loads, path.read_text().splitlines()):
            if record["kind"] == "listing":
                digests.setdefault(record["listing_id"], set()).add(record["evidence"]["digest"])
    assert all(len(d) == 2 for d in digests.values())
    # the state read per listing is the truth's
    for record in map(json.loads, new.read_text().splitlines()):
        if record["kind"] == "listing":
            state = listing_state(record)
            truth = after[record["listing_id"]]
            assert (state["stock"], state["feedback_count"]) == (truth["stock"], truth["feedback"])
            assert state["available"] == (truth["stock"] > 0)
