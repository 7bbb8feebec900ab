"""The insights functions on a small data set made here, in a real embedded store."""
from __future__ import annotations

import csv
import json

import pytest

from onionwatch.app import insights
from onionwatch.core.config import load_config
from onionwatch.core.models import Evidence, Listing, Observation, VendorAccount
from search_index import SqliteStore


def _evidence(crawl: str, n: int) -> Evidence:
    return Evidence(f"/d/warc/m-{crawl}-00000.warc.gz", f"<urn:uuid:{crawl}-{n}>", "sha256:AA",
                    f"2026-01-0{1 if crawl == 'c1' else 2}T00:00:{n:02d}Z", f"http://m/l/{n}")


def _listing(n, vendor, title, drug, cls, usd, crawl="c2", ships_from="CA", ships_to=("US",)):
    return Listing("m", str(n), f"http://m/l/{n}", title=title, vendor=vendor,
                   description="=HYPERLINK(\"http://x\") <script>alert(1)</script>" if n == 3 else "plain",
                   extracted={"drugs": [{"name": drug, "class": cls}], "ships_from": ships_from,
                              "ships_to": list(ships_to), "price": {"amount": usd, "currency": "USD", "usd": usd}},
                   evidence=_evidence(crawl, n))


@pytest.fixture
def data(tmp_path):
    store = SqliteStore(":memory:")
    listings = [
        _listing(1, "alpha", "Fentanyl HCl 2g", "fentanyl", "fentanyl", 160.0),
        _listing(2, "alpha", "100x M30 pressed", "m30", "pressed_pill", 900.0),
        _listing(3, "=cmd|x", "Carfentanil 1g", "carfentanil", "fentanyl", 120.0, ships_from="NL",
                 ships_to=("DE", "FR")),
        _listing(4, "beta", "Cocaine 3.5g", "cocaine", "stimulant", 300.0, ships_from="NL"),
    ]
    gone = _listing(9, "beta", "Speed 10g", "amphetamine", "stimulant", 50.0, crawl="c1", ships_from="NL")
    store.add_listings(listings + [gone])
    store.add_vendors([
        VendorAccount("m", "alpha", pgp_key=None, btc_addresses=["1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"]),
        VendorAccount("m", "beta", btc_addresses=["1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"]),
        VendorAccount("m", "=cmd|x"),
    ])
    old = [Observation("m", "1", "2026-01-01T00:00:01Z", 150.0, evidence=_evidence("c1", 1)),
           Observation("m", "2", "2026-01-01T00:00:02Z", 900.0, evidence=_evidence("c1", 2)),
           Observation("m", "9", "2026-01-01T00:00:09Z", 50.0, evidence=_evidence("c1", 9))]
    new = [Observation("m", str(l.listing_id), l.evidence.fetched_at, l.extracted["price"]["usd"],
                       evidence=l.evidence) for l in listings]
    store.add_observations(old + new)
    with insights.Data(load_config(tmp_path), store=store) as data:
        yield data


def test_unit_prices_are_per_gram_and_per_pill(data):
    listings = data.listings().set_index("listing_id")
    assert listings.loc["1", ["quantity", "unit", "unit_price_usd"]].tolist() == [2.0, "g", 80.0]
    assert listings.loc["2", ["quantity", "unit", "unit_price_usd"]].tolist() == [100.0, "pill", 9.0]
    table = insights.unit_prices(data).set_index(["drug", "unit"])
    assert table.loc[("cocaine", "g"), "median"] == round(300 / 3.5, 2)


def test_watch_vendors_count_fentanyl_and_pressed_pills_only(data):
    vendors = insights.watch_vendors(data)
    assert vendors[["vendor", "listings"]].values.tolist() == [["alpha", 2], ["=cmd|x", 1]]
    assert vendors.loc[0, "drugs"] == "fentanyl, m30"
    assert "beta" not in set(insights.watch_listings(data)["vendor"])


def test_changes_since_last_crawl(data):
    changes = insights.changes_since_last_crawl(data)
    got = {(r.listing_id, r.change) for r in changes.itertuples()}
    assert got == {("1", "price up"), ("3", "new"), ("4", "new"), ("9", "gone")}
    assert set(insights.watch_changes(data)["listing_id"]) == {"1", "3"}
    history = insights.crawl_history(data.observations())
    assert history["crawl"].tolist() == ["m-c1", "m-c2"]


def test_routes_and_top_vendors(data):
    routes = insights.shipping_routes(data)
    assert routes.iloc[0][["ships_from", "ships_to", "listings"]].tolist() == ["CA", "US", 2]
    assert routes.iloc[1][["ships_from", "ships_to", "listings"]].tolist() == ["NL", "US", 2]
    assert set(zip(routes["ships_from"], routes["ships_to"])) == {("CA", "US"), ("NL", "DE"), ("NL", "FR"),
                                                                  ("NL", "US")}
    assert insights.top_vendors(data, n=1)["vendor"].tolist() == ["alpha"]


def test_shared_wallet_makes_one_actor_with_its_evidence(data):
    clusters = insights.actor_table(data)
    assert clusters["accounts"].tolist() == ["m/alpha, m/beta"]
    assert clusters.loc[0, "listings"] == 4 and clusters.loc[0, "watch_listings"] == 2
    assert "btc:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH" in clusters.loc[0, "shared_identifiers"]
    aliases = insights.aliases(data, "m", "alpha")
    assert aliases["account"].tolist() == ["m/beta"] and aliases.loc[0, "direct"]
    assert aliases.loc[0, "score"] > 0.5 and "btc" in aliases.loc[0, "signals"]
    assert "shares btc:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH" in aliases.loc[0, "why"]
    evidence = insights.alias_evidence(data, "m", "alpha")
    assert "btc" in set(evidence["signal"])
    assert insights.aliases(data, "m", "=cmd|x").empty
    table = insights.vendor_identifiers(data, "m", "alpha").set_index("kind")
    assert table.loc["btc", "also_on"] == "m/beta" and table.loc["origin", "value"] == "CA"


def test_graph_is_built_when_none_is_saved_and_loaded_when_current(data, tmp_path):
    from graph.pipeline import save_graph

    assert data.graph_source.startswith("built from the store") if data.graph_source else True
    G = data.vendor_graph()
    assert data.graph_source.startswith("built from the store (no saved graph")
    assert data.graph_is_current(G)
    save_graph(G, data.graph_path)
    again = insights.Data(data.config, store=data.store)
    assert again.vendor_graph().nodes["m/alpha"]["actor"] == G.nodes["m/alpha"]["actor"]
    assert again.graph_source.startswith("saved graph")
    G.nodes["m/alpha"]["listings"] += 1  # a graph of other data is not current: rebuilt, ids kept
    save_graph(G, data.graph_path)
    stale = insights.Data(data.config, store=data.store)
    assert stale.vendor_graph().nodes["m/alpha"]["actor"] == G.nodes["m/alpha"]["actor"]
    assert "does not match the store" in stale.graph_source


def test_leads_export_keeps_evidence_and_defuses_formulas(data, tmp_path):
    path = insights.export_leads(data, tmp_path / "leads.csv")
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    assert {r["listing_id"] for r in rows} == {"1", "2", "3"}
    assert {r["vendor"] for r in rows} == {"alpha", "'=cmd|x"}
    assert all(r["record_id"].startswith("<urn:uuid:") and r["digest"] == "sha256:AA" for r in rows)
    lines = insights.export_leads(data, tmp_path / "leads.jsonl").read_text().splitlines()
    assert {json.loads(line)["vendor"] for line in lines} == {"alpha", "=cmd|x"}
    with pytest.raises(ValueError, match="use one of csv, jsonl"):
        insights.export_leads(data, tmp_path / "leads.xlsx")


def test_markup_in_listing_text_is_flagged(data):
    assert insights.markup_listings(data)["listing_id"].tolist() == ["3"]


def test_graph_view_escapes_market_text_and_carries_its_script_inline(data):
    html = insights.graph_html(insights.linked_view(data.vendor_graph()), center="m/=cmd|x", title="<i>t</i>")
    assert "&lt;i&gt;t&lt;/i&gt;" in html and "<i>" not in html
    assert "<script>" in html and "src=" not in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")


def test_unknown_account_says_what_to_do(data):
    with pytest.raises(KeyError, match="top_vendors"):
        insights.vendor_identifiers(data, "m", "nobody")
    with pytest.raises(KeyError, match="top_vendors"):
        insights.aliases(data, "m", "nobody")
    with pytest.raises(KeyError, match="onionwatch search"):
        data.listing("m", "404")


def test_focused_ego_keeps_the_actor_and_walks_only_rare_identifiers():
    """A photo seven vendors show links nobody, so the ego graph does not fan out through it; a
    Wickr handle two accounts share does; the actor's other account is always there."""
    import networkx as nx

    G = nx.Graph()
    accounts = ["m/me", "n/alias", "m/peer"] + [f"m/stock{i}" for i in range(6)]
    for a in accounts:
        G.add_node(a, type="account", actor="A1" if a in ("m/me", "n/alias") else a)
    G.add_node("photo:stock", type="identifier", kind="photo")
    G.add_node("contact:wickr:x", type="identifier", kind="contact")
    G.add_edges_from(("photo:stock", a) for a in accounts if a != "n/alias")
    G.add_edges_from([("m/me", "contact:wickr:x"), ("m/peer", "contact:wickr:x")])
    G.add_edge("m/me", "n/alias", type="alias", score=0.99)
    ego = insights.focused_ego(G, "m/me")
    assert set(ego) == {"m/me", "n/alias", "m/peer", "photo:stock", "contact:wickr:x"}
    assert insights.focused_ego(G, "m/me", max_shared=10).number_of_nodes() == len(accounts) + 2
