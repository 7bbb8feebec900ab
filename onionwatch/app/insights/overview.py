"""Market overview tables: listings per market and drug class, unit prices, routes, top vendors.

Pure functions of a :class:`~onionwatch.app.insights.source.Data` (or of its listing table): each
returns a pandas DataFrame ready to show in a notebook or the report.

>>> import pandas as pd
>>> listings = pd.DataFrame({"market": ["m", "m"], "vendor": ["a", "b"], "ships_from": ["NL", "NL"],
...     "ships_to": [["US"], ["US", "GB"]]})
>>> shipping_routes(listings)[["ships_from", "ships_to", "listings"]].values.tolist()
[['NL', 'US', 2], ['NL', 'GB', 1]]
"""
from __future__ import annotations

import pandas as pd

__all__ = ["market_overview", "listings_by_class", "class_counts_over_time", "unit_prices",
           "shipping_routes", "top_vendors", "as_listings"]


def as_listings(data_or_frame) -> pd.DataFrame:
    """The listing table of a Data object, or the frame itself when one is given."""
    return data_or_frame if isinstance(data_or_frame, pd.DataFrame) else data_or_frame.listings()


def _explode(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    out = frame.explode(column)
    return out[out[column].notna()]


def market_overview(data) -> pd.DataFrame:
    """One row a market: listings, vendor accounts, listings with a recognised drug and price,
    fentanyl-watch listings, median price and the crawls seen."""
    listings = as_listings(data)
    rows = []
    for market, group in listings.groupby("market", sort=True):
        rows.append({
            "market": market, "listings": len(group), "vendors": group["vendor"].nunique(),
            "with_drug": int(group["drugs"].map(bool).sum()),
            "with_price": int(group["price_usd"].notna().sum()),
            "watch_listings": int(group["watch"].sum()),
            "median_price_usd": group["price_usd"].median(),
            "crawls": group["crawl"].nunique(), "last_fetch": group["fetched_at"].max(),
        })
    return pd.DataFrame(rows, columns=["market", "listings", "vendors", "with_drug", "with_price",
                                       "watch_listings", "median_price_usd", "crawls", "last_fetch"])


def listings_by_class(data) -> pd.DataFrame:
    """Listings per market and drug class (a listing counts once for each class it carries);
    listings with no recognised drug count as ``unrecognised``."""
    listings = as_listings(data).copy()
    listings["drug_class"] = listings["drug_classes"].map(lambda c: list(dict.fromkeys(c)) or ["unrecognised"])
    table = _explode(listings, "drug_class").groupby(["market", "drug_class"]).size()
    return table.rename("listings").reset_index().sort_values(
        ["market", "listings", "drug_class"], ascending=[True, False, True], ignore_index=True)


def class_counts_over_time(data) -> pd.DataFrame:
    """Listings seen per crawl, market and drug class: a row per (crawl, market, drug_class), with
    the crawl's first observation time, oldest crawl first."""
    observations = data.observations()
    classes = data.listings()[["market", "listing_id", "drug_classes"]]
    joined = observations.merge(classes, on=["market", "listing_id"], how="left")
    joined["drug_class"] = joined["drug_classes"].map(
        lambda c: list(dict.fromkeys(c)) if isinstance(c, list) and c else ["unrecognised"])
    joined = _explode(joined, "drug_class")
    if joined.empty:
        return pd.DataFrame(columns=["crawl", "crawl_time", "market", "drug_class", "listings"])
    times = joined.groupby("crawl")["observed_at"].min().rename("crawl_time")
    table = joined.groupby(["crawl", "market", "drug_class"])["listing_id"].nunique().rename("listings")
    table = table.reset_index().merge(times, on="crawl")
    return table[["crawl", "crawl_time", "market", "drug_class", "listings"]].sort_values(
        ["crawl_time", "market", "listings"], ascending=[True, True, False], ignore_index=True)


def unit_prices(data, *, drugs: list[str] | None = None, min_listings: int = 1) -> pd.DataFrame:
    """Price per gram (weights) or per pill (counts), per drug and unit: count and quartiles.

    A listing names its drugs; it counts under each. ``drugs`` keeps only those drugs."""
    listings = _explode(as_listings(data), "drugs")
    listings = listings[listings["unit_price_usd"].notna()]
    if drugs is not None:
        listings = listings[listings["drugs"].isin(drugs)]
    grouped = listings.groupby(["drugs", "unit"])["unit_price_usd"]
    table = grouped.describe()[["count", "min", "25%", "50%", "75%", "max"]].reset_index()
    table = table.rename(columns={"drugs": "drug", "25%": "p25", "50%": "median", "75%": "p75"})
    table["count"] = table["count"].astype(int)
    table = table[table["count"] >= min_listings]
    return table.sort_values(["count", "drug"], ascending=[False, True], ignore_index=True).round(2)


def shipping_routes(data) -> pd.DataFrame:
    """Listings per (ships_from, ships_to) route and the vendors on it, busiest first.
    Unknown ends are ``?``; ``WW`` is worldwide."""
    listings = as_listings(data).copy()
    listings["ships_from"] = listings["ships_from"].fillna("?")
    listings["ships_to"] = listings["ships_to"].map(lambda t: list(t) or ["?"])
    routes = listings.explode("ships_to")
    table = routes.groupby(["ships_from", "ships_to"], sort=False).agg(
        listings=("ships_to", "size"), vendors=("vendor", "nunique"))
    return table.reset_index().sort_values(["listings", "vendors"], ascending=False,
                                           kind="stable", ignore_index=True)


def top_vendors(data, *, n: int = 10, watch_only: bool = False) -> pd.DataFrame:
    """Vendor accounts with the most listings (fentanyl-watch listings only if ``watch_only``):
    their drugs, where they ship from and to, and their median price."""
    listings = as_listings(data)
    if watch_only:
        listings = listings[listings["watch"]]
    listings = listings[listings["vendor"].notna()]
    rows = []
    for (market, vendor), group in listings.groupby(["market", "vendor"]):
        rows.append({
            "market": market, "vendor": vendor, "listings": len(group),
            "drugs": ", ".join(sorted({d for ds in group["drugs"] for d in ds})),
            "ships_from": ", ".join(sorted(group["ships_from"].dropna().unique())),
            "ships_to": ", ".join(sorted({t for ts in group["ships_to"] for t in ts})),
            "median_price_usd": group["price_usd"].median(),
        })
    table = pd.DataFrame(rows, columns=["market", "vendor", "listings", "drugs", "ships_from",
                                        "ships_to", "median_price_usd"])
    return table.sort_values(["listings", "vendor"], ascending=[False, True], ignore_index=True).head(n)
