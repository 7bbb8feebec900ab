"""Alias resolution on a world with aliases and hard negatives."""
from __future__ import annotations

from graph.build import GraphBuilder
from graph.evaluate import cluster_scores
from graph.pipeline import actor_map, build_vendor_graph
from graph.params import ResolveParams
from graph.resolve import add_alias_edges, resolve_aliases

from extract.validators.bech32 import encode_segwit

ESCROW = encode_segwit("bc", 0, bytes(range(20)))  # as in conftest: every vendor page shows it


def _resolve(records, **options):
    builder = GraphBuilder().add_all(records)
    return builder.graph, resolve_aliases(builder.graph, texts=builder.texts, params=ResolveParams(**options))


def test_aliases_found_and_hard_negatives_kept_apart(world):
    records, truth = world
    G, result = _resolve(records)
    scores = cluster_scores(result.actor_of, truth)
    assert scores["precision"] == 1.0 and scores["recall"] == 1.0, scores
    linked = {(l.a, l.b) for l in result.links}
    assert ("empire/GhostPharma", "bohemia/ghost_pharma420") in {(l.b, l.a) for l in result.links} | linked
    assert result.actor_of["empire/DrWhite"] != result.actor_of["abacus/DrWhite"]


def test_common_identifiers_are_down_weighted_not_links(world):
    records, truth = world
    G, result = _resolve(records)
    escrow = result.identifiers[f"btc:{ESCROW}"]
    assert escrow.common is True and len(escrow.accounts) == len(truth)
    assert result.identifiers["contact:telegram:market_support"].common is True
    assert result.identifiers["photo:0123456789abcdef"].common is True
    assert "common" not in G.nodes[f"btc:{ESCROW}"]  # resolving reads the graph; writing is asked for
    add_alias_edges(G, result)
    assert G.nodes[f"btc:{ESCROW}"]["common"] is True and G.nodes[f"btc:{ESCROW}"]["accounts"] == len(truth)
    for link in result.candidates:
        assert not any(e.get("identifier") in (f"btc:{ESCROW}", "photo:0123456789abcdef")
                       for e in link.evidence)


def test_every_link_lists_its_evidence(world):
    records, _ = world
    _, result = _resolve(records)
    assert result.links
    for link in result.links:
        assert link.evidence and {e["signal"] for e in link.evidence} >= set(link.signals)
    pgp_link = next(l for l in result.links if "pgp" in l.signals)
    item = next(e for e in pgp_link.evidence if e["signal"] == "pgp")
    assert item["identifier"] == "pgp:" + "A" * 40
    assert item["a_evidence"][0]["record_id"].startswith("v-") and item["b_evidence"][0]["record_id"].startswith("v-")
    weak = next(l for l in result.links if l.a.endswith("ghost_pharma420") or l.b.endswith("ghost_pharma420"))
    assert set(weak.signals) >= {"handle", "text", "photo"}
    text = next(e for e in weak.evidence if e["signal"] == "text")
    assert sorted(text["a_listings"] + text["b_listings"]) == ["31", "32"]


def test_impersonator_conflict_is_recorded(world):
    records, _ = world
    _, result = _resolve(records)
    pair = next(l for l in result.candidates if {l.a, l.b} == {"empire/DrWhite", "abacus/DrWhite"})
    assert "handle" in pair.signals and pair.score < 0.9
    assert any(e["signal"] == "conflict" for e in pair.evidence)


def test_blocking_compares_far_fewer_than_all_pairs(world):
    records, _ = world
    _, result = _resolve(records)
    n = result.stats["accounts"]
    assert result.stats["comparisons"] < n * (n - 1) // 2 / 4


def test_signals_can_be_restricted_per_signal(world):
    records, truth = world
    _, only_pgp = _resolve(records, signals=["pgp"])
    assert {tuple(sorted(l.signals)) for l in only_pgp.links} == {("pgp",)}
    assert cluster_scores(only_pgp.actor_of, truth)["recall"] < 1.0


def test_actor_ids_are_stable_across_runs_and_growth(world):
    records, _ = world
    G1, _ = build_vendor_graph(records)
    G2, _ = build_vendor_graph(list(reversed(records)))
    assert actor_map(G1) == actor_map(G2)
    grown = records + [{"kind": "vendor", "market": "aaa", "handle": "0first", "extracted": {"pgp_keys": [{"fingerprint": "A" * 40}]}}]
    G3, _ = build_vendor_graph(grown, previous=actor_map(G1))
    assert G3.nodes["aaa/0first"]["actor"] == G1.nodes["empire/DrWhite"]["actor"]
    assert all(actor_map(G3)[a] == actor for a, actor in actor_map(G1).items())


def test_resolving_leaves_the_graph_as_it_was(world):
    import copy
    import dataclasses

    import networkx as nx
    import pytest

    records, _ = world
    builder = GraphBuilder().add_all(records)
    G = builder.graph
    before = copy.deepcopy(nx.node_link_data(G, edges="edges"))
    result = resolve_aliases(G, texts=builder.texts)
    assert result.links and nx.node_link_data(G, edges="edges") == before
    params = ResolveParams(threshold=0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.threshold = 0.9
    assert params.replace(threshold=0.9) == ResolveParams() and hash(params) != hash(ResolveParams())
