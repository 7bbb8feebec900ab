"""What changed since the last crawl: new and vanished listings, price moves, new vendors.

Crawls are compared per market: the market's latest crawl against the one before it, from the
observations the index keeps (one per listing per crawl).

>>> import pandas as pd
>>> obs = pd.DataFrame({"market": ["m"] * 4, "listing_id": ["1", "2", "1", "3"],
...     "observed_at": ["t1", "t1", "t2", "t2"], "price_usd": [10.0, 5.0, 12.0, 7.0],
...     "available": [True] * 4, "crawl": ["c1", "c1", "c2", "c2"]})
>>> compare_crawls(obs)[["listing_id", "change", "old_price_usd", "new_price_usd"]].values.tolist()
[['3', 'new', nan, 7.0], ['1', 'price up', 10.0, 12.0], ['2', 'gone', 5.0, nan]]
"""
from __future__ import annotations

import pandas as pd

__all__ = ["crawl_history", "compare_crawls", "changes_since_last_crawl", "CHANGE_ORDER"]

CHANGE_ORDER = ("new", "price up", "price down", "gone")
_COLUMNS = ["market", "listing_id", "change", "old_price_usd", "new_price_usd", "previous_crawl",
            "latest_crawl"]


def crawl_history(observations: pd.DataFrame) -> pd.DataFrame:
    """One row a crawl and market: when it ran and how many listings it saw, oldest first."""
    if observations.empty:
        return pd.DataFrame(columns=["market", "crawl", "started", "listings"])
    table = observations.groupby(["market", "crawl"]).agg(
        started=("observed_at", "min"), listings=("listing_id", "nunique"))
    return table.reset_index().sort_values(["market", "started"], ignore_index=True)


def compare_crawls(observations: pd.DataFrame, *, tolerance: float = 0.005) -> pd.DataFrame:
    """Per market, the latest crawl against the previous one. A price moves when it changes by
    more than ``tolerance`` (a share of the old price). A market crawled once has only new
    listings."""
    rows = []
    history = crawl_history(observations)
    for market, crawls in history.groupby("market"):
        order = list(crawls["crawl"])
        latest = order[-1]
        previous = order[-2] if len(order) > 1 else None
        seen = observations[observations["market"] == market]
        now = seen[seen["crawl"] == latest].drop_duplicates("listing_id", keep="last").set_index("listing_id")
        before = (seen[seen["crawl"] == previous].drop_duplicates("listing_id", keep="last").set_index("listing_id")
                  if previous else now.iloc[0:0])
        earlier = set(seen[seen["crawl"] != latest]["listing_id"])
        for listing_id, obs in now.iterrows():
            if listing_id not in earlier:
                rows.append((market, listing_id, "new", None, obs["price_usd"], previous, latest))
            elif listing_id in before.index:
                old, new = before.at[listing_id, "price_usd"], obs["price_usd"]
                if pd.notna(old) and pd.notna(new) and abs(new - old) > tolerance * old:
                    rows.append((market, listing_id, "price up" if new > old else "price down",
                                 old, new, previous, latest))
        for listing_id, obs in before.iterrows():
            if listing_id not in now.index:
                rows.append((market, listing_id, "gone", obs["price_usd"], None, previous, latest))
    table = pd.DataFrame(rows, columns=_COLUMNS).astype({"old_price_usd": "float64", "new_price_usd": "float64"})
    rank = {name: i for i, name in enumerate(CHANGE_ORDER)}
    table["_rank"] = table["change"].map(rank)
    return table.sort_values(["market", "_rank", "listing_id"], ignore_index=True).drop(columns="_rank")


def changes_since_last_crawl(data, *, watch_only: bool = False) -> pd.DataFrame:
    """:func:`compare_crawls` over a data set's observations, with each listing's vendor, title and
    drugs; ``watch_only`` keeps fentanyl-watch listings."""
    changes = compare_crawls(data.observations())
    listings = data.listings()[["market", "listing_id", "vendor", "title", "drugs", "watch"]]
    table = changes.merge(listings, on=["market", "listing_id"], how="left")
    if watch_only:
        table = table[table["watch"].fillna(False).astype(bool)]
    return table.drop(columns="watch").reset_index(drop=True)
