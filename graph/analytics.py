"""Analytics over the vendor graph, networkx-style: free functions over ``G``, attribute names
and seeds as parameters.

>>> from graph.pipeline import build_vendor_graph
>>> G, _ = build_vendor_graph([
...     {"market": "m1", "handle": "a", "contacts": ["Wickr: z"]},
...     {"market": "m2", "handle": "b", "contacts": ["Wickr: z"]},
...     {"market": "m1", "listing_id": "1", "vendor": "a", "drugs": ["fentanyl"],
...      "drug_classes": ["fentanyl"], "ships_from": "CA", "ships_to": ["US"]},
...     {"market": "m2", "listing_id": "2", "vendor": "b", "drugs": ["cannabis"],
...      "drug_classes": ["cannabis"], "ships_from": "CA", "ships_to": ["WW"]}])
>>> [row["account"] for row in shippers_to(G, "US")]
['m1/a']
>>> sorted(vendor_links(G).edges)
[('m1/a', 'm2/b')]
>>> dict(shipping_routes(G).edges[("CA", "US")])
{'weight': 1}
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

import networkx as nx

from .tables import FENTANYL_CLASSES, REGIONS

__all__ = ["vendor_links", "vendor_products", "shipping_routes", "actor_graph", "communities",
           "centrality", "ego_network", "shippers_to", "aliases_of"]


def _is(G: nx.Graph, node: str, kind: str) -> bool:
    return G.nodes[node].get("type") == kind


def vendor_links(G: nx.Graph, *, min_score: float = 0.0, weight: str = "weight") -> nx.Graph:
    """The vendor-vendor projection: accounts, and an edge per alias link (``weight`` = score).

    Accounts without links are included, so communities and centrality see every account.
    """
    H = nx.Graph()
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("type") == "account")
    for u, v, d in G.edges(data=True):
        if d.get("type") == "alias" and d.get("score", 0) >= min_score:
            H.add_edge(u, v, **{weight: d.get("score", 1.0)}, signals=d.get("signals", {}),
                       evidence=d.get("evidence", []))
    return H


def vendor_products(G: nx.Graph, *, weight: str = "weight") -> nx.Graph:
    """The vendor-product bipartite projection (``bipartite`` 0 = accounts, 1 = products),
    ``weight`` = the number of listings.

    >>> G = nx.Graph(); G.add_node("m/a", type="account"); G.add_node("drug:x", type="product")
    >>> G.add_edge("m/a", "drug:x", type="sells", count=3)
    >>> vendor_products(G).edges["m/a", "drug:x"]["weight"]
    3
    """
    H = nx.Graph()
    for u, v, d in G.edges(data=True):
        if d.get("type") != "sells":
            continue
        account, product = (u, v) if _is(G, u, "account") else (v, u)
        H.add_node(account, bipartite=0, **G.nodes[account])
        H.add_node(product, bipartite=1, **G.nodes[product])
        H.add_edge(account, product, **{weight: d.get("count", 1)})
    return H


def shipping_routes(G: nx.Graph, *, drug_classes: Iterable[str] | None = None,
                    weight: str = "weight") -> nx.DiGraph:
    """The country-to-country shipping-route graph: an edge ships_from -> ships_to weighted by
    the listings offering that route (``WW`` = worldwide, ``EU`` = Europe, ``?`` = not stated),
    optionally only for products of ``drug_classes``."""
    wanted = set(drug_classes) if drug_classes is not None else None
    routes: Counter = Counter()
    for u, v, d in G.edges(data=True):
        if d.get("type") != "sells":
            continue
        product = v if _is(G, v, "product") else u
        if wanted is not None and G.nodes[product].get("drug_class") not in wanted:
            continue
        routes.update(d.get("routes", {}))
    H = nx.DiGraph()
    for route, count in routes.items():
        origin, _, destination = route.partition(">")
        H.add_edge(origin, destination, **{weight: count})
    return H


def actor_graph(G: nx.Graph, *, actor_attr: str = "actor") -> nx.Graph:
    """One node per resolved actor (with its ``accounts`` and ``markets``); two actors are joined
    when they share an identifier that was not enough to link them (``weight`` = identifiers)."""
    H = nx.Graph()
    for node, data in G.nodes(data=True):
        if data.get("type") == "account":
            actor = data.get(actor_attr, node)
            if actor not in H:
                H.add_node(actor, accounts=[], markets=[])
            H.nodes[actor]["accounts"].append(node)
            if data["market"] not in H.nodes[actor]["markets"]:
                H.nodes[actor]["markets"].append(data["market"])
    for node, data in G.nodes(data=True):
        if data.get("type") != "identifier" or data.get("kind") == "origin" or data.get("common"):
            continue
        actors = sorted({G.nodes[n].get(actor_attr, n) for n in G[node] if _is(G, n, "account")})
        for i, a in enumerate(actors):
            for b in actors[i + 1:]:
                w = H.edges[a, b]["weight"] + 1 if H.has_edge(a, b) else 1
                H.add_edge(a, b, weight=w)
    return H


def communities(G: nx.Graph, *, weight: str = "weight", resolution: float = 1.0,
                seed: int | None = 0) -> list[set[str]]:
    """Louvain communities of a projection (e.g. :func:`actor_graph` or :func:`vendor_links`),
    largest first. ``seed`` makes them reproducible.

    >>> H = nx.barbell_graph(4, 0)
    >>> [len(c) for c in communities(H)]
    [4, 4]
    """
    found = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(map(str, c))))


def centrality(G: nx.Graph, *, kind: str = "degree", weight: str | None = "weight",
               k: int | None = None, seed: int | None = 0) -> dict[Any, float]:
    """Centrality of every node of a projection: ``degree``, ``pagerank`` or ``betweenness``
    (sampled over ``k`` nodes with ``seed`` for large graphs).

    >>> c = centrality(nx.star_graph(3), kind="betweenness", weight=None)
    >>> max(c, key=c.get)
    0
    """
    if kind == "degree":
        return nx.degree_centrality(G)
    if kind == "pagerank":
        return nx.pagerank(G, weight=weight)
    if kind == "betweenness":
        return nx.betweenness_centrality(G, k=k, weight=weight, seed=seed)
    raise ValueError(f"unknown centrality {kind!r}: use degree, pagerank or betweenness")


def ego_network(G: nx.Graph, account: str, *, radius: int = 2,
                include: Iterable[str] = ("account", "identifier")) -> nx.Graph:
    """The neighbourhood of an account within ``radius`` hops, over nodes of the ``include``
    types: its identifiers, the accounts sharing them, its aliases.

    >>> G = nx.Graph(); G.add_nodes_from(["m/a", "m/b"], type="account")
    >>> G.add_node("pgp:X", type="identifier"); G.add_edges_from([("m/a", "pgp:X"), ("m/b", "pgp:X")])
    >>> sorted(ego_network(G, "m/a"))
    ['m/a', 'm/b', 'pgp:X']
    """
    if account not in G:
        raise KeyError(f"no account {account!r} in the graph")
    types = set(include)
    view = G.subgraph(n for n, t in G.nodes(data="type") if t in types)
    return nx.ego_graph(view, account, radius=radius).copy()


def _covers(code: str, country: str, include_regions: bool) -> bool:
    if code == country:
        return True
    if not include_regions:
        return False
    return code == "WW" or country in REGIONS.get(code, ())


def shippers_to(G: nx.Graph, country: str, *, drug_classes: Iterable[str] = FENTANYL_CLASSES,
                include_regions: bool = True, actor_attr: str = "actor") -> list[dict[str, Any]]:
    """Accounts offering products of ``drug_classes`` (default: fentanyl-class) shipped to
    ``country`` (ISO alpha-2), most listings first, each with its actor, products and listings.
    ``include_regions``: count listings that ship worldwide (``WW``) or to a region holding it."""
    country = country.upper()
    wanted = set(drug_classes)
    rows: dict[str, dict[str, Any]] = {}
    for u, v, d in G.edges(data=True):
        if d.get("type") != "sells":
            continue
        account, product = (u, v) if _is(G, u, "account") else (v, u)
        if G.nodes[product].get("drug_class") not in wanted:
            continue
        listings = sum(n for code, n in d.get("ships_to", {}).items() if _covers(code, country, include_regions))
        if not listings:
            continue
        row = rows.setdefault(account, {"account": account, "actor": G.nodes[account].get(actor_attr),
                                        "market": G.nodes[account]["market"], "listings": 0,
                                        "products": [], "evidence": []})
        row["listings"] += listings
        row["products"].append(G.nodes[product]["drug"])
        row["evidence"].extend(d.get("evidence", [])[:2])
    return sorted(rows.values(), key=lambda r: (-r["listings"], r["account"]))


def aliases_of(G: nx.Graph, account: str, *, actor_attr: str = "actor") -> list[dict[str, Any]]:
    """The other accounts of an account's actor, each with the direct link (score, signals,
    evidence) when there is one, best first.

    >>> G = nx.Graph(); G.add_node("m/a", type="account", actor="x"); G.add_node("n/b", type="account", actor="x")
    >>> G.add_edge("m/a", "n/b", type="alias", score=0.99, signals={"pgp": 1.0}, evidence=[])
    >>> [(r["account"], r["score"]) for r in aliases_of(G, "m/a")]
    [('n/b', 0.99)]
    """
    actor = G.nodes[account].get(actor_attr)
    out = []
    for node, data in G.nodes(data=True):
        if node == account or data.get("type") != "account" or actor is None or data.get(actor_attr) != actor:
            continue
        edge = G.edges[account, node] if G.has_edge(account, node) else {}
        out.append({"account": node, "market": data.get("market"), "handle": data.get("handle"),
                    "score": edge.get("score"), "signals": edge.get("signals", {}),
                    "evidence": edge.get("evidence", []), "direct": bool(edge)})
    return sorted(out, key=lambda r: (-(r["score"] or 0), r["account"]))
