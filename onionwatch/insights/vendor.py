"""One vendor account for an investigation: identifiers, listings, price history, evidence.

>>> import tempfile
>>> from onionwatch.insights.source import Data
>>> vendor_listings(Data.open(tempfile.mkdtemp()), "m", "nobody").empty
True
"""
from __future__ import annotations

import pandas as pd

from .graphs import account_node, ego_network, identifier_graph
from .graphview import GraphView

__all__ = ["default_account", "vendor_identifiers", "vendor_listings", "vendor_price_history", "vendor_ego_view",
           "listing_evidence"]


def vendor_identifiers(data, market: str, handle: str) -> pd.DataFrame:
    """The identifiers an account shows, and which other accounts show the same ones."""
    vendors = data.vendors()
    mine = vendors[(vendors["market"] == market) & (vendors["handle"] == handle)]
    if mine.empty:
        raise KeyError(f"no vendor account {market}/{handle}: pick one from top_vendors()")
    G = identifier_graph(vendors)
    me = account_node(market, handle)
    rows = []
    for kind, value in mine.iloc[0]["identifiers"]:
        node = f"{kind}:{value}"
        others = sorted(n for n in G[node] if n != me)
        rows.append({"kind": kind, "value": value, "also_on": ", ".join(others)})
    return pd.DataFrame(rows, columns=["kind", "value", "also_on"])


def vendor_listings(data, market: str, handle: str) -> pd.DataFrame:
    """The account's listings: what, how much, from where to where."""
    listings = data.listings()
    mine = listings[(listings["market"] == market) & (listings["vendor"] == handle)]
    return mine[["market", "listing_id", "title", "drugs", "price_usd", "quantity", "unit",
                 "unit_price_usd", "ships_from", "ships_to", "fetched_at"]].reset_index(drop=True)


def vendor_price_history(data, market: str, handle: str) -> pd.DataFrame:
    """Every observed price of the account's listings, one row per listing per crawl."""
    ids = set(vendor_listings(data, market, handle)["listing_id"])
    observations = data.observations()
    mine = observations[(observations["market"] == market) & observations["listing_id"].isin(ids)]
    titles = data.listings()[["market", "listing_id", "title"]]
    return mine.merge(titles, on=["market", "listing_id"], how="left")[
        ["market", "listing_id", "title", "observed_at", "crawl", "price_usd"]].reset_index(drop=True)


def vendor_ego_view(data, market: str, handle: str, *, radius: int = 2) -> GraphView:
    """An interactive ego-network view of the account (inline SVG and JavaScript)."""
    me = account_node(market, handle)
    ego = ego_network(identifier_graph(data), me, radius=radius)
    return GraphView(ego, center=me, title=f"Accounts linked to {me} by shared identifiers")


def listing_evidence(data, market: str, listing_id: str) -> dict:
    """The raw evidence behind one listing: its evidence pointer and the archived page, with
    the digest checked against the WARC record. The page is text to read, not to render."""
    doc = data.listing(market, listing_id)
    evidence = doc.get("evidence")
    if not evidence:
        raise LookupError(f"listing {market}/{listing_id} has no evidence pointer")
    page = data.raw_page(evidence)
    return {"listing": {k: doc.get(k) for k in ("market", "listing_id", "vendor", "title", "price_usd",
                                                 "ships_from", "ships_to", "drugs")},
            "evidence": evidence, "status": page["status"], "digest_checked": page["digest"],
            "html": page["html"]}


def default_account(data) -> tuple[str, str]:
    """A good first account to investigate: in the biggest cluster of linked accounts, the one
    with most fentanyl-watch listings; without clusters, the top fentanyl-watch vendor."""
    from .fentanyl import watch_vendors
    from .graphs import account_clusters, identifier_graph

    G = identifier_graph(data)
    clusters = [c for c in account_clusters(G) if len(c) > 1]
    ranked = watch_vendors(data)
    ranked = ranked if not ranked.empty else data.listings().groupby(["market", "vendor"]).size() \
        .rename("listings").reset_index().sort_values("listings", ascending=False)
    if clusters:
        order = {f"{m}/{v}": i for i, (m, v) in enumerate(zip(ranked["market"], ranked["vendor"]))}
        best = min(clusters[0], key=lambda a: (order.get(a, len(order)), a))
        return G.nodes[best]["market"], G.nodes[best]["handle"]
    if ranked.empty:
        raise LookupError("no vendor accounts in this data set: crawl and index a market first")
    return ranked.iloc[0]["market"], ranked.iloc[0]["vendor"]
