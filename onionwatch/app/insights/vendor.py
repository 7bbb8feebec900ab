"""One vendor account for an investigation: identifiers, listings, price history, evidence.

>>> import tempfile
>>> from onionwatch.app.insights.source import Data
>>> vendor_listings(Data.open(tempfile.mkdtemp()), "m", "nobody").empty
True
"""
from __future__ import annotations

import pandas as pd

from .graphs import account_node, actor_table, ego_network
from .graphview import GraphView

__all__ = ["default_account", "vendor_identifiers", "vendor_listings", "vendor_price_history", "vendor_ego_view",
           "listing_evidence"]


def vendor_identifiers(data, market: str, handle: str) -> pd.DataFrame:
    """The identifiers an account shows (from the vendor-link graph), how often, and which other
    accounts show the same ones; ``common`` marks one too widespread to link anything."""
    from graph.build import identifiers

    G = data.vendor_graph()
    me = data.account(market, handle)
    rows = []
    for ident in identifiers(G, me):
        others = sorted(n for n in G[ident["node"]] if n != me and G.nodes[n].get("type") == "account")
        rows.append({"kind": ident["kind"], "value": ident["value"], "count": ident["count"],
                     "common": bool(G.nodes[ident["node"]].get("common")),
                     "also_on": ", ".join(others) if len(others) <= 10 else f"{len(others)} accounts"})
    return pd.DataFrame(rows, columns=["kind", "value", "count", "common", "also_on"])


def _accounts(data, market: str, handle: str, with_aliases: bool) -> list[tuple[str, str]]:
    accounts = [(market, handle)]
    if with_aliases:
        aliases = data.aliases(market, handle)
        accounts += list(zip(aliases["market"], aliases["handle"]))
    return accounts


def vendor_listings(data, market: str, handle: str, *, with_aliases: bool = False) -> pd.DataFrame:
    """The account's listings (and, ``with_aliases``, those of its actor's other accounts on
    every market): what, how much, from where to where."""
    listings = data.listings()
    keys = pd.MultiIndex.from_tuples(_accounts(data, market, handle, with_aliases))
    mine = listings[pd.MultiIndex.from_arrays([listings["market"], listings["vendor"]]).isin(keys)]
    return mine[["market", "vendor", "listing_id", "title", "drugs", "price_usd", "quantity", "unit",
                 "unit_price_usd", "ships_from", "ships_to", "fetched_at"]].reset_index(drop=True)


def vendor_price_history(data, market: str, handle: str, *, with_aliases: bool = False) -> pd.DataFrame:
    """Every observed price of the account's listings (``with_aliases``: its actor's, across
    markets), one row per listing per crawl."""
    ids = vendor_listings(data, market, handle, with_aliases=with_aliases)[["market", "vendor", "listing_id", "title"]]
    observations = data.observations()
    return observations.merge(ids, on=["market", "listing_id"], how="inner")[
        ["market", "vendor", "listing_id", "title", "observed_at", "crawl", "price_usd"]].reset_index(drop=True)


def vendor_ego_view(data, market: str, handle: str, *, radius: int = 2) -> GraphView:
    """An interactive ego-network view of the account (inline SVG and JavaScript): its
    identifiers, its aliases (red links, scored) and the accounts sharing its identifiers."""
    me = data.account(market, handle)
    ego = ego_network(data, me, radius=radius)
    return GraphView(ego, center=me, title=f"{me}: identifiers, aliases and linked accounts")


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
    """A good first account to investigate: of the resolved actor with most accounts (then most
    fentanyl-watch listings), its account with most watch listings; without multi-account
    actors, the top fentanyl-watch vendor."""
    from .fentanyl import watch_vendors

    ranked = watch_vendors(data)
    if ranked.empty:
        ranked = data.listings().groupby(["market", "vendor"]).size().rename("listings").reset_index() \
            .sort_values(["listings", "market", "vendor"], ascending=[False, True, True])
    order = {account_node(m, v): i for i, (m, v) in enumerate(zip(ranked["market"], ranked["vendor"]))}
    actors = actor_table(data, n=1)
    if not actors.empty:
        G = data.vendor_graph()
        best = min(actors.loc[0, "accounts"].split(", "), key=lambda a: (order.get(a, len(order)), a))
        return G.nodes[best]["market"], G.nodes[best]["handle"]
    if ranked.empty:
        raise LookupError("no vendor accounts in this data set: crawl and index a market first")
    return ranked.iloc[0]["market"], ranked.iloc[0]["vendor"]
