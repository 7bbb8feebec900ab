"""Projections and analytics over the resolved graph."""
from __future__ import annotations

import pytest

from graph.analytics import (actor_graph, centrality, communities, ego_network, shipping_routes,
                             shippers_to, vendor_links, vendor_products)
from graph.pipeline import build_vendor_graph


@pytest.fixture
def G(world):
    records, _ = world
    graph, _ = build_vendor_graph(records)
    return graph


def test_fentanyl_shippers_to_a_country(G):
    rows = shippers_to(G, "us")
    assert [r["account"] for r in rows] == ["abacus/DrWhite", "bohemia/ghost_pharma420",
                                           "empire/DrWhite", "empire/GhostPharma"]
    assert all(r["evidence"] and r["products"] == ["fentanyl"] for r in rows)
    assert rows[1]["actor"] == rows[3]["actor"]
    assert shippers_to(G, "DE") == []
    assert [r["account"] for r in shippers_to(G, "DE", drug_classes=["cannabis"], include_regions=False)] == [
        f"empire/Vendor{i}x" for i in range(1, 8)]
    assert len(shippers_to(G, "DE", drug_classes=["cannabis"])) == 8  # Vendor0x ships worldwide


def test_projections(G):
    links = vendor_links(G)
    assert links.number_of_nodes() == 16 and links.has_edge("empire/DrWhite", "versus/dr.white")
    products = vendor_products(G)
    assert products.edges["empire/GhostPharma", "drug:fentanyl"]["weight"] == 1
    routes = shipping_routes(G)
    assert routes.edges["CA", "US"]["weight"] == 4 and routes.edges["CA", "WW"]["weight"] == 1
    assert not shipping_routes(G, drug_classes=["fentanyl"]).has_edge("CA", "WW")


def test_communities_centrality_and_ego(G):
    actors = actor_graph(G)
    assert actors.number_of_nodes() == 13
    found = communities(vendor_links(G), seed=1)
    assert {"empire/DrWhite", "versus/dr.white"} in found
    assert communities(vendor_links(G), seed=1) == found
    scores = centrality(vendor_links(G), kind="pagerank")
    assert scores["empire/DrWhite"] > scores["versus/Loner"]
    ego = ego_network(G, "empire/DrWhite", radius=2)
    assert {"versus/dr.white", "pgp:" + "A" * 40} <= set(ego)
    with pytest.raises(KeyError, match="no account"):
        ego_network(G, "empire/nobody")
