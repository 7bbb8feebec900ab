"""Vendor accounts and the identifiers they show, as a networkx graph: ego networks and clusters.

Nodes are accounts (``market/handle``, ``type="account"``) and identifiers (``kind:value``,
``type="identifier"``); an edge says an account shows an identifier. Accounts that share an
identifier are one cluster. Scored alias resolution is the ``graph`` package's job (issue 7):
:func:`aliases` asks it through the adapter and says plainly when it is not there yet.

>>> import pandas as pd
>>> vendors = pd.DataFrame({"market": ["m", "m", "m"], "handle": ["a", "b", "c"],
...     "identifiers": [[("pgp", "F1")], [("pgp", "F1"), ("btc", "1x")], [("btc", "9z")]]})
>>> G = identifier_graph(vendors)
>>> sorted(ego_network(G, "m/a").nodes)
['m/a', 'm/b', 'pgp:F1']
>>> [sorted(c) for c in account_clusters(G)]
[['m/a', 'm/b'], ['m/c']]
"""
from __future__ import annotations

import networkx as nx
import pandas as pd

from .source import GraphNotReady

__all__ = ["identifier_graph", "account_node", "ego_network", "account_clusters", "cluster_table",
           "aliases", "AliasesUnavailable"]


class AliasesUnavailable(GraphNotReady):
    """Alias scores need the vendor-link graph, which is not available yet."""


def account_node(market: str, handle: str) -> str:
    """The node of a vendor account (the graph package's ``account_id`` form)."""
    return f"{market}/{handle}"


def identifier_graph(data) -> nx.Graph:
    """The account-identifier graph of a Data object (or of its vendor table)."""
    vendors = data if isinstance(data, pd.DataFrame) else data.vendors()
    G = nx.Graph()
    for row in vendors.itertuples(index=False):
        account = account_node(row.market, row.handle)
        G.add_node(account, type="account", market=row.market, handle=row.handle,
                   label=row.handle)
        for kind, value in row.identifiers:
            node = f"{kind}:{value}"
            G.add_node(node, type="identifier", kind=kind, value=value, label=f"{kind} {value}")
            G.add_edge(account, node, kind=kind)
    return G


def ego_network(G: nx.Graph, account: str, *, radius: int = 2) -> nx.Graph:
    """The account, its identifiers and the accounts sharing them (``radius`` hops)."""
    if account not in G:
        raise KeyError(f"no vendor account {account!r} in the graph: use market/handle as listed"
                       " by top_vendors()")
    return nx.ego_graph(G, account, radius=radius)


def account_clusters(G: nx.Graph) -> list[set[str]]:
    """Sets of accounts linked through shared identifiers, biggest first (ties by first name)."""
    clusters = []
    for component in nx.connected_components(G):
        accounts = {n for n in component if G.nodes[n].get("type") == "account"}
        if accounts:
            clusters.append(accounts)
    return sorted(clusters, key=lambda c: (-len(c), min(c)))


def cluster_table(data, *, n: int = 10, min_accounts: int = 2) -> pd.DataFrame:
    """The top clusters of accounts sharing identifiers: accounts, listings, watch listings and
    the shared identifiers (the evidence that links them)."""
    G = identifier_graph(data)
    listings = data.listings()
    counts = listings.groupby(["market", "vendor"]).agg(listings=("listing_id", "size"),
                                                        watch=("watch", "sum"))
    rows = []
    for cluster in account_clusters(G):
        if len(cluster) < min_accounts:
            continue
        shared = sorted(n for a in cluster for n in G[a] if sum(1 for m in G[n] if m in cluster) > 1)
        keys = [(G.nodes[a]["market"], G.nodes[a]["handle"]) for a in sorted(cluster)]
        found = [counts.loc[k] for k in keys if k in counts.index]
        rows.append({"accounts": ", ".join(sorted(cluster)), "size": len(cluster),
                     "listings": int(sum(f["listings"] for f in found)),
                     "watch_listings": int(sum(f["watch"] for f in found)),
                     "shared_identifiers": ", ".join(dict.fromkeys(shared))})
    table = pd.DataFrame(rows, columns=["accounts", "size", "listings", "watch_listings",
                                        "shared_identifiers"])
    return table.sort_values(["size", "watch_listings", "listings"], ascending=False,
                             kind="stable", ignore_index=True).head(n)


def aliases(data, market: str, handle: str) -> pd.DataFrame:
    """Scored aliases of one account, with the evidence behind each score, from the graph
    package. Raises :class:`AliasesUnavailable` (saying why) when the graph cannot score yet."""
    try:
        return data.aliases(market, handle)
    except GraphNotReady as exc:
        raise AliasesUnavailable(str(exc)) from exc
