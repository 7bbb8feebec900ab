"""The fentanyl watch: fentanyl and its analogues, nitazenes and counterfeit pressed pills.

Who sells them, from where to where, at what prices, what changed since the last crawl, and an
export of the leads for partner agencies, each lead carrying the evidence it rests on.

>>> import pandas as pd
>>> listings = pd.DataFrame({"market": ["m", "m", "m"], "vendor": ["a", "a", "b"],
...     "listing_id": ["1", "2", "3"], "watch": [True, True, False], "drugs": [["fentanyl"]] * 3,
...     "drug_classes": [["fentanyl"]] * 3, "ships_from": ["CA", "CA", "NL"],
...     "ships_to": [["US"], ["US"], ["DE"]], "price_usd": [90.0, 160.0, 5.0],
...     "unit_price_usd": [90.0, 80.0, 5.0], "unit": ["g", "g", "g"], "title": ["t"] * 3,
...     "fetched_at": ["t1"] * 3, "evidence": [{"record_id": "r"}] * 3})
>>> watch_vendors(listings)[["vendor", "listings", "median_unit_price_usd"]].values.tolist()
[['a', 2, 85.0]]
"""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pandas as pd

from .changes import changes_since_last_crawl
from .graphs import account_node
from .overview import as_listings, shipping_routes, unit_prices

__all__ = ["watch_listings", "watch_vendors", "watch_actors", "shippers_to", "watch_routes", "watch_prices", "watch_changes",
           "leads", "export_leads", "LEAD_FORMATS"]

LEAD_FORMATS = ("csv", "jsonl")


def watch_listings(data) -> pd.DataFrame:
    """Listings of fentanyl, analogues, nitazenes or counterfeit pressed pills."""
    listings = as_listings(data)
    return listings[listings["watch"]].reset_index(drop=True)


def watch_vendors(data, *, n: int | None = None) -> pd.DataFrame:
    """Who sells: one row a vendor account with watch listings, most listings first."""
    listings = watch_listings(data)
    rows = []
    for (market, vendor), group in listings.groupby(["market", "vendor"]):
        per_unit = group["unit_price_usd"].dropna()
        rows.append({
            "market": market, "vendor": vendor, "listings": len(group),
            "drugs": ", ".join(sorted({d for ds in group["drugs"] for d in ds})),
            "ships_from": ", ".join(sorted(group["ships_from"].dropna().unique())),
            "ships_to": ", ".join(sorted({t for ts in group["ships_to"] for t in ts})),
            "min_price_usd": group["price_usd"].min(), "max_price_usd": group["price_usd"].max(),
            "median_unit_price_usd": per_unit.median() if len(per_unit) else None,
            "units": ", ".join(sorted(group["unit"].dropna().unique())),
        })
    table = pd.DataFrame(rows, columns=["market", "vendor", "listings", "drugs", "ships_from",
                                        "ships_to", "min_price_usd", "max_price_usd",
                                        "median_unit_price_usd", "units"])
    table = table.sort_values(["listings", "market", "vendor"], ascending=[False, True, True],
                              ignore_index=True)
    return table if n is None else table.head(n)


def watch_actors(data, *, n: int | None = None) -> pd.DataFrame:
    """Who sells, by resolved actor (the vendor-link graph's): the watch listings of all of an
    actor's accounts across markets, most first."""
    G = data.vendor_graph()
    vendors = watch_vendors(data)
    vendors["account"] = [account_node(m, v) for m, v in zip(vendors["market"], vendors["vendor"])]
    vendors["actor"] = [G.nodes[a].get("actor", a) if a in G else a for a in vendors["account"]]
    rows = []
    for actor, group in vendors.groupby("actor"):
        rows.append({"actor": actor, "accounts": ", ".join(sorted(group["account"])),
                     "markets": ", ".join(sorted(group["market"].unique())), "listings": int(group["listings"].sum()),
                     "drugs": ", ".join(sorted({d for ds in group["drugs"] for d in ds.split(", ") if d})),
                     "ships_from": ", ".join(sorted({c for cs in group["ships_from"] for c in cs.split(", ") if c})),
                     "ships_to": ", ".join(sorted({c for cs in group["ships_to"] for c in cs.split(", ") if c}))})
    table = pd.DataFrame(rows, columns=["actor", "accounts", "markets", "listings", "drugs", "ships_from", "ships_to"])
    table = table.sort_values(["listings", "actor"], ascending=[False, True], ignore_index=True)
    return table if n is None else table.head(n)


def shippers_to(data, country: str) -> pd.DataFrame:
    """Accounts offering fentanyl-class products shipped to ``country`` (ISO code; listings to
    worldwide or a region holding it count), with their actor: :func:`graph.analytics.shippers_to`."""
    from graph.analytics import shippers_to as graph_shippers_to

    rows = graph_shippers_to(data.vendor_graph(), country)
    return pd.DataFrame([{"account": r["account"], "actor": r["actor"], "market": r["market"],
                          "listings": r["listings"], "products": ", ".join(sorted(set(r["products"])))}
                         for r in rows], columns=["account", "actor", "market", "listings", "products"])


def watch_routes(data) -> pd.DataFrame:
    """From where to where the watch listings ship."""
    return shipping_routes(watch_listings(data))


def watch_prices(data) -> pd.DataFrame:
    """Price per gram or per pill of each watch drug."""
    return unit_prices(watch_listings(data))


def watch_changes(data) -> pd.DataFrame:
    """Watch listings that are new, gone or changed price since the market's previous crawl."""
    return changes_since_last_crawl(data, watch_only=True)


def leads(data) -> pd.DataFrame:
    """One lead a watch listing, for partners: who, what, where, price, and the evidence (WARC
    file, record id, SHA-256 digest, fetch time) it rests on."""
    listings = watch_listings(data)
    evidence = listings["evidence"].map(lambda e: e or {})
    return pd.DataFrame({
        "market": listings["market"], "vendor": listings["vendor"],
        "listing_id": listings["listing_id"], "title": listings["title"],
        "drugs": listings["drugs"].map(", ".join), "ships_from": listings["ships_from"],
        "ships_to": listings["ships_to"].map(", ".join), "price_usd": listings["price_usd"],
        "unit_price_usd": listings["unit_price_usd"], "unit": listings["unit"],
        "url": listings.get("url"), "fetched_at": listings["fetched_at"],
        "warc_file": evidence.map(lambda e: e.get("warc_file")),
        "record_id": evidence.map(lambda e: e.get("record_id")),
        "digest": evidence.map(lambda e: e.get("digest")),
    }).sort_values(["market", "vendor", "listing_id"], ignore_index=True)


def export_leads(data, path: str | os.PathLike, *, fmt: str | None = None) -> Path:
    """Write :func:`leads` to ``path`` as CSV or JSON Lines (chosen by ``fmt`` or the suffix).
    A relative ``path`` is in the data directory's ``exports`` folder (a notebook runs in the
    checkout's ``notebooks/``, and writes nothing there); returns the absolute path written.

    Cells are written as text, never as spreadsheet formulas: a cell starting with ``= + - @``
    gets a leading apostrophe in CSV, since market text is hostile.
    """
    path = Path(path).expanduser()
    if not path.is_absolute():
        path = Path(data.config.data_dir).absolute() / "exports" / path
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in LEAD_FORMATS:
        raise ValueError(f"unknown leads format {fmt!r}: use one of {', '.join(LEAD_FORMATS)}"
                         " (or a .csv / .jsonl file name)")
    table = leads(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    records = json.loads(table.to_json(orient="records"))
    if fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(table.columns))
            writer.writeheader()
            for record in records:
                writer.writerow({k: _safe_cell(v) for k, v in record.items()})
    return path


def _safe_cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
