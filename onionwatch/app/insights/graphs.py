"""Vendor-link graph tables and views for investigators, from the ``graph`` package.

The graph (:meth:`Data.vendor_graph`) holds accounts, the identifiers they show and ``alias``
edges scored by alias resolution; every account carries its resolved ``actor``. This module turns
the graph package's analytics into tables: an account's aliases with the evidence of each link,
the resolved actors (the "vendor clusters"), their communities, and the subgraphs the views draw.
Nothing here links accounts itself.

>>> from graph.pipeline import build_vendor_graph
>>> G, _ = build_vendor_graph([
...     {"market": "m1", "handle": "DrWhite", "contacts": ["Wickr: whiteline"]},
...     {"market": "m2", "handle": "dr.white", "contacts": ["Wickr: whiteline"]},
...     {"market": "m2", "handle": "other", "contacts": ["Wickr: elsewhere"]}])
>>> actor_table(G)[["accounts", "markets", "size"]].values.tolist()
[['m1/DrWhite, m2/dr.white', 'm1, m2', 2]]
>>> sorted(ego_network(G, "m1/DrWhite"))
['contact:wickr:whiteline', 'm1/DrWhite', 'm2/dr.white']
"""
from __future__ import annotations

from typing import Any, Iterable

import networkx as nx
import pandas as pd

from graph.analytics import actor_graph, communities
from graph.analytics import ego_network as _ego_network
from graph.identifiers import account_id

__all__ = ["account_node", "aliases", "alias_evidence", "describe_evidence", "ego_network", "focused_ego",
           "linked_view",
           "actor_table", "actor_communities", "clusters_view", "ACTOR_COLUMNS"]

ACTOR_COLUMNS = ["actor", "accounts", "markets", "size", "listings", "watch_listings", "links",
                 "min_score", "signals", "shared_identifiers"]
#: Identifiers an ego network does not walk through: a shipping origin is shared by whole
#: countries of vendors, and a common identifier (a market's escrow address) by a whole market.
_NOT_WALKED = ("origin",)


def account_node(market: str, handle: str) -> str:
    """The graph node of a vendor account: ``market/handle``."""
    return account_id(market, handle)


def _graph(data_or_graph) -> nx.Graph:
    return data_or_graph if isinstance(data_or_graph, nx.Graph) else data_or_graph.vendor_graph()


def linked_view(G: nx.Graph) -> nx.Graph:
    """``G`` without products, shipping origins and identifiers too common to link anything: what
    links accounts (identifiers they share, alias edges)."""
    keep = [n for n, d in G.nodes(data=True)
            if d.get("type") == "account" or (d.get("type") == "identifier"
                                              and d.get("kind") not in _NOT_WALKED and not d.get("common"))]
    return G.subgraph(keep)


def ego_network(data_or_graph, account: str, *, radius: int = 2) -> nx.Graph:
    """The account, its identifiers, its aliases and the accounts sharing its identifiers, within
    ``radius`` hops (:func:`graph.analytics.ego_network` over :func:`linked_view`)."""
    G = _graph(data_or_graph)
    if account not in G:
        raise KeyError(f"no vendor account {account!r} in the graph: use market/handle as listed"
                       " by top_vendors()")
    return _ego_network(linked_view(G), account, radius=radius)


def focused_ego(data_or_graph, account: str, *, max_shared: int = 5) -> nx.Graph:
    """What an investigator looks at around ``account``: its actor's accounts (its aliases), every
    identifier they show, and the other accounts showing one of those identifiers, but only
    through identifiers at most ``max_shared`` accounts show: a stock photo shown by twenty
    vendors links nobody, and drawn it hides the aliases. The notebook's widget and the search
    page's ego graph both draw this (over :func:`ego_network`)."""
    G = _graph(data_or_graph)
    view = ego_network(G, account, radius=2)
    actor = G.nodes[account].get("actor")
    members = {n for n, d in view.nodes(data=True) if d.get("type") == "account"
               and (n == account or (actor and d.get("actor") == actor))}
    idents = {m for n in members for m in view[n] if view.nodes[m].get("type") == "identifier"}
    others = {o for i in idents for o in view[i] if o not in members
              and sum(1 for a in G[i] if G.nodes[a].get("type") == "account") <= max_shared}
    return view.subgraph(members | idents | others)


def aliases(data, market: str, handle: str) -> pd.DataFrame:
    """The account's aliases (its actor's other accounts), best link first, each with its score,
    its signals and a one-line summary of the evidence (the full items are in ``evidence``)."""
    table = data.aliases(market, handle)
    table.insert(len(table.columns) - 1, "why", table["evidence"].map(
        lambda items: "; ".join(describe_evidence(i) for i in items) or "same actor through other aliases"))
    return table


def alias_evidence(data, market: str, handle: str) -> pd.DataFrame:
    """One row an evidence item of each direct alias link: the signal, what matched, and the WARC
    record and digest behind each side."""
    rows = []
    for alias in data.aliases(market, handle).itertuples(index=False):
        for item in alias.evidence:
            sides = [ev for side in ("a_evidence", "b_evidence") for ev in item.get(side) or [] if ev]
            rows.append({"alias": alias.account, "score": alias.score, "signal": item.get("signal"),
                         "detail": describe_evidence(item),
                         "records": ", ".join(f"{ev.get('record_id')}" for ev in sides),
                         "digests": ", ".join(f"{ev.get('digest')}" for ev in sides)})
    return pd.DataFrame(rows, columns=["alias", "score", "signal", "detail", "records", "digests"])


def describe_evidence(item: dict[str, Any]) -> str:
    """A short text of one evidence item of an alias link.

    >>> describe_evidence({"signal": "pgp", "identifier": "pgp:F1", "shared_by": 2})
    'pgp: shares pgp:F1 (2 accounts)'
    >>> describe_evidence({"signal": "handle", "a_value": "DrWhite", "b_value": "dr.white", "similarity": 0.9})
    'handle: DrWhite ~ dr.white, similarity 0.90'
    """
    signal = item.get("signal", "?")
    if signal == "conflict":
        return f"conflict: {item.get('detail')}"
    parts = []
    if "identifier" in item:
        parts.append(f"shares {item['identifier']} ({item.get('shared_by')} accounts)")
    if "a_value" in item:
        parts.append(f"{item.get('a_value')} ~ {item.get('b_value')}")
    if item.get("similarity") is not None:
        parts.append(f"similarity {item['similarity']:.2f}")
    return f"{signal}: " + (", ".join(parts) or "matched")


def _listing_counts(data) -> pd.DataFrame | None:
    if isinstance(data, nx.Graph):
        return None
    listings = data.listings()
    return listings.groupby(["market", "vendor"]).agg(listings=("listing_id", "size"), watch=("watch", "sum"))


def actor_table(data_or_graph, *, n: int | None = 10, min_accounts: int = 2) -> pd.DataFrame:
    """The resolved actors with at least ``min_accounts`` accounts (the top vendor clusters):
    their accounts and markets, listings and fentanyl-watch listings, the alias links joining
    them (lowest score, signals used) and the identifiers their accounts share. Most accounts
    first, then most watch listings."""
    G = _graph(data_or_graph)
    counts = _listing_counts(data_or_graph)
    H = actor_graph(G)
    rows = []
    for actor, attrs in H.nodes(data=True):
        members = sorted(attrs["accounts"])
        if len(members) < min_accounts:
            continue
        inside = set(members)
        links = [G.edges[u, v] for u, v in G.subgraph(members).edges if G.edges[u, v].get("type") == "alias"]
        signals = sorted({s for link in links for s in link.get("signals", {})})
        shared = sorted(n for n in linked_view(G).nodes if G.nodes[n].get("type") == "identifier"
                        and sum(1 for m in G[n] if m in inside) > 1)
        listings = watch = 0
        for member in members:
            key = (G.nodes[member]["market"], G.nodes[member]["handle"])
            if counts is not None and key in counts.index:
                listings += int(counts.loc[key, "listings"])
                watch += int(counts.loc[key, "watch"])
            elif counts is None:
                listings += int(G.nodes[member].get("listings", 0))
        rows.append({"actor": actor, "accounts": ", ".join(members),
                     "markets": ", ".join(sorted(attrs["markets"])), "size": len(members),
                     "listings": listings, "watch_listings": watch, "links": len(links),
                     "min_score": min((l.get("score", 0.0) for l in links), default=None),
                     "signals": ", ".join(signals), "shared_identifiers": ", ".join(shared)})
    table = pd.DataFrame(rows, columns=ACTOR_COLUMNS).astype({"min_score": "float64"})
    table = table.sort_values(["size", "watch_listings", "listings", "actor"],
                              ascending=[False, False, False, True], ignore_index=True)
    return table if n is None else table.head(n)


def actor_communities(data_or_graph, *, seed: int = 0, min_actors: int = 2) -> pd.DataFrame:
    """Louvain communities of the actor graph (:func:`graph.analytics.communities`): actors that
    share identifiers which were not enough to make them one actor. Largest first."""
    H = actor_graph(_graph(data_or_graph))
    rows = []
    for number, members in enumerate(communities(H, seed=seed), 1):
        if len(members) < min_actors:
            continue
        accounts = sorted(a for actor in members for a in H.nodes[actor]["accounts"])
        rows.append({"community": number, "actors": len(members), "accounts": len(accounts),
                     "members": ", ".join(accounts)})
    return pd.DataFrame(rows, columns=["community", "actors", "accounts", "members"])


def clusters_view(data_or_graph, actors: Iterable[str]) -> nx.Graph:
    """The accounts of ``actors``, their alias links and the identifiers two or more of them
    share: the picture of the top vendor clusters."""
    G = _graph(data_or_graph)
    wanted = set(actors)
    members = {n for n, d in G.nodes(data=True) if d.get("type") == "account" and d.get("actor") in wanted}
    view = linked_view(G)
    shared = {n for n in view.nodes if G.nodes[n].get("type") == "identifier"
              and sum(1 for m in G[n] if m in members) > 1}
    return G.subgraph(members | shared).copy()
