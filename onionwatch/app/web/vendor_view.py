"""The vendor view: the account, the actor behind it and everything that links them.

- the actor (alias resolution's id) and all its accounts on every market;
- each alias with its score, the signals that link it and a one-line summary of the evidence,
  linking to the alias's own vendor page and to the link's evidence page (``/link``);
- the identifiers the account shows and which other accounts show them;
- the ego graph, drawn by the page's script from ``/vendor/graph.json`` (same-origin JSON; every
  label is made :func:`~onionwatch.app.terminal.inert`, its bidi and invisible controls shown as
  escapes, and set as text by the graph library, which paints it on a canvas);
- the account's listings with their prices over time (a small inline SVG line, and the numbers);
- the actor's STIX 2.1 bundle to download (``/vendor/stix.json``, :func:`graph.stix.stix_bundle`).

Accounts are matched on the exact market and handle, never through the query language.
"""
from __future__ import annotations

import json
from typing import Any

from onionwatch.app.terminal import inert

from .app import Response, link_url, vendor_url

__all__ = ["page", "graph_json", "stix_json", "account_in_graph", "price_line"]

#: Listings shown on a vendor page.
VENDOR_LISTINGS = 100


def account_in_graph(app, market: str, handle: str) -> str | None:
    """The graph node of exactly this account, or None (no data directory, or not in the graph)."""
    from onionwatch.app.insights.graphs import account_node

    if app.data is None or not market or not handle:
        return None
    node = account_node(market, handle)
    G = app.data.vendor_graph()
    return node if node in G and G.nodes[node].get("type") == "account" else None


def price_line(points: list[tuple[str, float]], *, width: int = 160, height: int = 28) -> str:
    """SVG polyline points for prices over time (oldest first), scaled into the box.

    >>> price_line([("2026-01-01", 150.0), ("2026-01-03", 120.0)])
    '2.0,2.0 158.0,26.0'
    """
    if not points:
        return ""
    values = [p for _, p in points]
    low, high = min(values), max(values)
    step = (width - 4) / max(1, len(values) - 1)
    return " ".join(f"{2 + i * step:.1f},{2 + (height - 4) * (1 - ((v - low) / (high - low) if high > low else 0.5)):.1f}"
                    for i, v in enumerate(values))


def _listings(app, market: str, handle: str) -> tuple[int, list[dict[str, Any]]]:
    result = app.store.vendor_listings(market, handle, limit=VENDOR_LISTINGS)
    if result is None:
        return 0, []
    rows = []
    for hit in result.hits:
        history = [(o["observed_at"], o["price_usd"]) for o in app.store.price_history(hit["market"], hit["listing_id"])
                   if o.get("price_usd") is not None]
        rows.append({"hit": hit, "history": history, "line": price_line(history)})
    return result.total, rows


def _aliases(app, node: str) -> list[dict[str, Any]]:
    from onionwatch.app.insights.graphs import describe_evidence
    from graph.analytics import aliases_of

    G = app.data.vendor_graph()
    me = G.nodes[node]
    rows = []
    for alias in aliases_of(G, node):
        rows.append({**alias, "vendor_url": vendor_url(alias["market"], alias["handle"]),
                     "link_url": link_url(me["market"], me["handle"], alias["market"], alias["handle"])
                     if alias["direct"] else None,
                     "why": "; ".join(describe_evidence(i) for i in alias["evidence"])
                     or "same actor through other aliases",
                     "signals_text": ", ".join(f"{k} {v:.2f}" for k, v in sorted(alias["signals"].items()))})
    return rows


def _identifiers(G, node: str, shown: int = 10) -> list[dict[str, Any]]:
    """The identifiers the account shows, and the other accounts (up to ``shown``) showing each."""
    from graph.build import identifiers

    rows = []
    for ident in identifiers(G, node):
        others = sorted(n for n in G[ident["node"]] if n != node and G.nodes[n].get("type") == "account")
        rows.append({"kind": ident["kind"], "value": ident["value"], "count": ident["count"],
                     "common": bool(G.nodes[ident["node"]].get("common")), "also_on": others[:shown],
                     "more": max(0, len(others) - shown)})
    return rows


def page(app, params: dict[str, str]) -> Response:
    """``/vendor?market=&handle=``."""
    from urllib.parse import urlencode

    market, handle = params.get("market", ""), params.get("handle", "")
    vendor = app.store.get_vendor(market, handle) if market and handle else None
    total, listings = _listings(app, market, handle) if market and handle else (0, [])
    node = account_in_graph(app, market, handle)
    if vendor is None and not total and node is None:
        return app.missing("vendor")
    context: dict[str, Any] = {"market": market, "handle": handle, "vendor": vendor, "total": total,
                               "listings": listings, "node": node, "query": urlencode({"market": market, "handle": handle})}
    if node is not None:
        G = app.data.vendor_graph()
        actor = G.nodes[node].get("actor")
        context["actor"] = actor
        context["accounts"] = sorted((d["market"], d["handle"]) for _, d in G.nodes(data=True)
                                     if d.get("type") == "account" and actor is not None and d.get("actor") == actor)
        context["aliases"] = _aliases(app, node)
        context["identifiers"] = _identifiers(G, node)
    return app.page(200, "vendor.html", **context)


def _ego(app, params: dict[str, str]):
    from onionwatch.app.insights.graphs import focused_ego

    node = account_in_graph(app, params.get("market", ""), params.get("handle", ""))
    return (node, focused_ego(app.data.vendor_graph(), node)) if node else (None, None)


def graph_json(app, params: dict[str, str]) -> Response:
    """``/vendor/graph.json``: the ego graph as nodes and edges with fixed positions. Labels are
    market text made :func:`~onionwatch.app.terminal.inert` (a right-to-left override shows as
    ``\\u202e``, as in the terminal and the notebook widget): the page's script hands them to the
    graph library as text labels."""
    from onionwatch.app.insights.graphview import ALIAS_COLOUR, KIND_COLOURS, ring_layout

    node, ego = _ego(app, params)
    if node is None:
        return Response(404, json.dumps({"error": "no such vendor account in the vendor graph"}),
                        "application/json; charset=utf-8")
    layout = ring_layout(ego, center=node)
    ids = {n: f"n{i}" for i, n in enumerate(sorted(ego.nodes, key=str))}
    nodes = []
    for name, nid in ids.items():
        data = ego.nodes[name]
        account = data.get("type") == "account"
        kind = "center" if name == node else "account" if account else data.get("kind", "")
        x, y = layout[name]
        label = str(data.get("label", name)) if account else str(name)
        nodes.append({"id": nid, "label": inert(label), "kind": kind,
                      "colour": KIND_COLOURS.get(kind, "#7f7f7f"), "x": round(x * 160, 1), "y": round(-y * 160, 1),
                      "href": vendor_url(data["market"], data["handle"]) if account else None})
    edges = []
    for i, (a, b) in enumerate(sorted(ego.edges, key=str)):
        attrs = ego.edges[a, b]
        alias = attrs.get("type") == "alias"
        first, second = ego.nodes[a], ego.nodes[b]
        edges.append({"id": f"e{i}", "source": ids[a], "target": ids[b], "alias": alias,
                      "label": f"{attrs.get('score', 0):.2f}" if alias else "",
                      "colour": ALIAS_COLOUR if alias else "#999999",
                      "href": link_url(first["market"], first["handle"], second["market"], second["handle"])
                      if alias else None})
    body = json.dumps({"center": ids[node], "nodes": nodes, "edges": edges}, ensure_ascii=True)
    return Response(200, body, "application/json; charset=utf-8")


def stix_json(app, params: dict[str, str]) -> Response:
    """``/vendor/stix.json``: the STIX 2.1 bundle of the account's actor (its accounts, the alias
    links between them and the identifiers they show), as a download."""
    from graph.stix import stix_bundle

    market, handle = params.get("market", ""), params.get("handle", "")
    node = account_in_graph(app, market, handle)
    if node is None:
        return app.missing("vendor")
    G = app.data.vendor_graph()
    actor = G.nodes[node].get("actor")
    members = {n for n, d in G.nodes(data=True) if d.get("type") == "account"
               and (n == node or (actor is not None and d.get("actor") == actor))}
    shown = members | {i for m in members for i in G[m] if G.nodes[i].get("type") == "identifier"}
    bundle = stix_bundle(G.subgraph(shown))
    name = "".join(c if c.isascii() and c.isalnum() else "-" for c in (actor or node))[:80]
    return Response(200, bundle.serialize(pretty=True), "application/stix+json; charset=utf-8",
                    {"Content-Disposition": f'attachment; filename="onionwatch-{name}.stix.json"'})
