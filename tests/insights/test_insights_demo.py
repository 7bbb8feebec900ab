"""The insights on freshly generated demo data, checked against the sandbox's ground truth."""
from __future__ import annotations

import shutil
import statistics

import pytest

from onionwatch.app import insights


@pytest.fixture(scope="module")
def data(demo_dir):
    with insights.Data.open(demo_dir) as data:
        yield data


def test_counts_match_the_truth(data, truth):
    overview = insights.market_overview(data).set_index("market")
    for market in (r for r in truth if r["type"] == "market"):
        assert overview.loc[market["market"], "listings"] == market["listings"]


def test_top_fentanyl_vendors_match_the_truth(data, check_top_watch_vendors):
    check_top_watch_vendors(insights.watch_vendors(data)["vendor"].tolist())


def test_price_per_gram_matches_the_truth(data, truth):
    per_gram = {}
    for r in truth:
        if r["type"] == "listing" and r["quantity"]["unit"] == "g" and r["drug"] == "cocaine":
            per_gram.setdefault(r["product"], []).append(r["price_usd"] / r["quantity"]["value"])
    found = insights.unit_prices(data).set_index(["drug", "unit"])
    if ("cocaine", "g") not in found.index:
        pytest.skip("no cocaine sold by the gram in this demo world")
    expected = statistics.median(per_gram["cocaine"])
    assert found.loc[("cocaine", "g"), "median"] == pytest.approx(expected, rel=0.25)


def _true_actors(truth) -> dict[str, set[str]]:
    actors: dict[str, set[str]] = {}
    for r in truth:
        if r["type"] == "vendor":
            actors.setdefault(r["actor_id"], set()).add(f"{r['market']}/{r['handle']}")
    return actors


def test_vendor_clusters_are_the_true_actors(data, truth):
    true_actors = _true_actors(truth)
    actor_of = {account: actor for actor, accounts in true_actors.items() for account in accounts}
    found = insights.actor_table(data, n=None)
    clusters = [set(accounts.split(", ")) for accounts in found["accounts"]]
    several = [accounts for accounts in true_actors.values() if len(accounts) > 1]
    assert len(several) >= 10, "the four-market demo world should have actors with several accounts"
    for cluster in clusters:  # no cluster mixes actors (hard negatives: look-alike handles)
        assert len({actor_of[a] for a in cluster}) == 1, cluster
    missing = [accounts for accounts in several if accounts not in clusters]
    assert len(missing) <= len(several) // 20, missing  # recall of whole actors at least 95%
    assert found["markets"].str.contains(", ").sum() >= 5  # actors selling on several markets
    assert (found["links"] >= found["size"] - 1).all() and (found["min_score"] > 0.5).all()


def test_aliases_of_a_chosen_account_match_the_truth(data, truth):
    market, handle = insights.default_account(data)
    me = f"{market}/{handle}"
    expected = next(accounts for accounts in _true_actors(truth).values() if me in accounts) - {me}
    assert expected, "the default account should be one of an actor's several accounts"
    found = insights.aliases(data, market, handle)
    assert set(found["account"]) == expected
    direct = found[found["direct"]]
    assert len(direct) >= 1 and direct["score"].between(0.5, 1.0).all()
    for items in direct["evidence"]:  # every direct link says why, with the WARC records behind it
        assert items and all(item["signal"] for item in items)
        pointers = [ev for item in items for side in ("a_evidence", "b_evidence") for ev in item.get(side) or []]
        assert pointers and all(ev["digest"].startswith("sha256:") and ev["record_id"] for ev in pointers)
    ego = insights.ego_network(data, me)
    assert expected <= set(ego.nodes)


def test_raw_evidence_of_a_listing_is_the_archived_page(data):
    listing = insights.watch_listings(data).iloc[0]
    evidence = insights.listing_evidence(data, listing["market"], listing["listing_id"])
    assert evidence["status"] == 200
    assert evidence["digest_checked"] == listing["evidence"]["digest"]
    assert listing["vendor"] in evidence["html"]


def test_top_fentanyl_actors_match_the_truth(data, true_watch_actors):
    found = [set(accounts.split(", ")) for accounts in insights.watch_actors(data, n=5)["accounts"]]
    assert found[0] == true_watch_actors[0], (found, true_watch_actors[:5])
    assert sum(1 for accounts in found if accounts in true_watch_actors[:5]) >= 4, (found, true_watch_actors[:5])
    shippers = insights.shippers_to(data, "US")
    assert not shippers.empty and shippers["account"].isin(insights.watch_vendors(data).pipe(
        lambda t: t["market"] + "/" + t["vendor"])).all()


def test_a_stale_graph_is_rebuilt_with_the_photo_signal(demo_dir, tmp_path, monkeypatch):
    """A saved graph that no longer matches the store is rebuilt from the store; the archived photos
    are read from the data directory opened, not the configured default (here: none), so the photo
    identifiers and the alias links they support survive the rebuild."""
    from graph.pipeline import GRAPH_FILE, load_graph, save_graph

    folder = tmp_path / "data"
    shutil.copytree(demo_dir, folder)
    saved = load_graph(folder / GRAPH_FILE)
    photos = {n for n, d in saved.nodes(data=True) if d.get("kind") == "photo"}
    assert photos and saved.graph["photos_hashed"] > 0, "the demo world's listings should show photos"
    account = next(n for n, d in saved.nodes(data=True) if d.get("type") == "account")
    saved.nodes[account]["listings"] = int(saved.nodes[account].get("listings", 0)) + 1  # now stale
    save_graph(saved, folder / GRAPH_FILE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.delenv("ONIONWATCH_DATA_DIR", raising=False)
    monkeypatch.chdir(elsewhere)  # the default data directory (./onionwatch-data) does not exist

    with insights.Data.open(folder) as data:
        G = data.vendor_graph()
        assert data.graph_source.startswith("built from the store (the saved graph does not match")
    assert G.graph["photos_hashed"] == saved.graph["photos_hashed"] and G.graph["photo_errors"] == 0
    assert {n for n, d in G.nodes(data=True) if d.get("kind") == "photo"} == photos
    by_photo = [(a, b) for a, b, d in G.edges(data=True) if d.get("type") == "alias" and "photo" in (d.get("signals") or {})]
    assert by_photo, "no alias link carries the photo signal after the rebuild"
