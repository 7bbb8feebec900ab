"""Exports: GEXF/GraphML/JSON read back by networkx; STIX checked by the independent stix2-validator."""
from __future__ import annotations

import json

import networkx as nx
import pytest
from stix2validator import ValidationOptions, validate_string

from graph.export import write_graph
from graph.pipeline import build_vendor_graph
from graph.stix import stix_bundle


@pytest.fixture
def G(world):
    records, _ = world
    records.append({"kind": "vendor", "market": "empire", "handle": "<script>alert(1)</script>",
                    "profile_text": "x@evil.example ' OR 1=1 --", "evidence": None})
    graph, _ = build_vendor_graph(records)
    return graph


@pytest.mark.parametrize("fmt,reader", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_gephi_formats_round_trip(G, tmp_path, fmt, reader):
    path = write_graph(G, tmp_path / f"g.{fmt}", fmt)
    H = reader(path)
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
    assert "empire/<script>alert(1)</script>" in H
    alias = next((u, v) for u, v, t in G.edges(data="type") if t == "alias")
    assert json.loads(H.edges[alias]["signals"]) == G.edges[alias]["signals"]


def test_node_link_json_keeps_structures(G, tmp_path):
    path = write_graph(G, tmp_path / "g.json", "json")
    H = nx.node_link_graph(json.loads(path.read_text()), edges="edges")
    alias = next((u, v) for u, v, t in G.edges(data="type") if t == "alias")
    assert H.edges[alias]["evidence"] == G.edges[alias]["evidence"]


def test_unknown_format_is_a_clear_error(G, tmp_path):
    with pytest.raises(ValueError, match="use one of"):
        write_graph(G, tmp_path / "g.x", "pajek")


def test_stix_bundle_passes_the_validator(G):
    text = stix_bundle(G).serialize()
    results = validate_string(text, ValidationOptions(version="2.1"))
    assert results.is_valid, [str(e) for e in results.errors]
    assert not results.warnings, [str(w) for w in results.warnings]
    objects = json.loads(text)["objects"]
    actors = [o for o in objects if o["type"] == "threat-actor"]
    white = next(a for a in actors if set(a["aliases"]) == {"DrWhite", "dr.white"})
    indicators = {o["pattern"] for o in objects if o["type"] == "indicator"}
    assert "[x-pgp-key:fingerprint = '" + "A" * 40 + "']" in indicators
    assert not any("market_support" in p for p in indicators)  # a common identifier is not an indicator
    alias_rels = [o for o in objects if o["type"] == "relationship" and "alias link" in o.get("description", "")]
    assert alias_rels and all(o["external_references"][0]["hashes"]["SHA-256"] for o in alias_rels)
    assert any(o.get("target_ref") == white["id"] and o["relationship_type"] == "indicates" for o in objects)


def test_stix_ids_repeat_between_exports(G):
    from datetime import UTC, datetime
    when = datetime(2026, 1, 1, tzinfo=UTC)
    first, second = stix_bundle(G, created=when), stix_bundle(G, created=when)
    assert [o.id for o in first.objects] == [o.id for o in second.objects]
