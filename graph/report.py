"""What ``onionwatch graph vendor`` shows: one account, its actor's other accounts with the score
and evidence of each link, its identifiers (and who else shows them), its markets.

>>> from graph.pipeline import build_vendor_graph
>>> G, _ = build_vendor_graph([{"market": "m1", "handle": "a", "contacts": ["Wickr: z"]},
...                            {"market": "m2", "handle": "b", "contacts": ["Wickr: z"]}])
>>> report = vendor_report(G, "m1/a")
>>> report["markets"], [a["account"] for a in report["aliases"]]
(['m1', 'm2'], ['m2/b'])
>>> print(format_vendor(report).splitlines()[0])
m1/a  (actor actor-...)
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from .analytics import aliases_of
from .build import identifiers

__all__ = ["vendor_report", "format_vendor", "find_account"]


def find_account(G: nx.Graph, name: str) -> str:
    """The account node for ``market/handle`` (handle compared case-insensitively when the exact
    one is missing); KeyError with a hint when there is none.

    >>> G = nx.Graph(); G.add_node("m/DrWhite", type="account", market="m", handle="DrWhite")
    >>> find_account(G, "m/drwhite")
    'm/DrWhite'
    """
    if name in G and G.nodes[name].get("type") == "account":
        return name
    market, _, handle = name.partition("/")
    matches = [n for n, d in G.nodes(data=True) if d.get("type") == "account"
               and d.get("market") == market and str(d.get("handle", "")).lower() == handle.lower()]
    if len(matches) == 1:
        return matches[0]
    raise KeyError(f"no vendor account {name!r} in the graph: give MARKET/HANDLE as "
                   "`onionwatch search` shows them, after `onionwatch graph build`")


def vendor_report(G: nx.Graph, account: str, *, actor_attr: str = "actor") -> dict[str, Any]:
    """Everything the graph knows of one account, as JSON-safe values."""
    data = G.nodes[account]
    aliases = aliases_of(G, account, actor_attr=actor_attr)
    markets = sorted({data["market"]} | {a["market"] for a in aliases if a.get("market")})
    return {"account": account, "market": data["market"], "handle": data["handle"],
            "actor": data.get(actor_attr), "markets": markets, "listings": data.get("listings", 0),
            "evidence": data.get("evidence"), "aliases": aliases,
            "identifiers": identifiers(G, account)}


def format_vendor(report: dict[str, Any]) -> str:
    """The terminal view of :func:`vendor_report` (market text shown as data, never interpreted)."""
    lines = [f"{report['account']}  (actor {report['actor']})",
             f"  markets: {', '.join(report['markets'])}; {report['listings']} listing(s) seen"]
    evidence = report.get("evidence") or {}
    if evidence:
        lines.append(f"  profile evidence: {evidence.get('warc_file')} {evidence.get('record_id')}"
                     f" {evidence.get('digest')} fetched {evidence.get('fetched_at')}")
    lines.append(f"  aliases ({len(report['aliases'])}):")
    for alias in report["aliases"]:
        if alias["direct"]:
            signals = ", ".join(f"{k} {v:.2f}" for k, v in sorted(alias["signals"].items()))
            lines.append(f"    {alias['account']}  score {alias['score']:.3f}  ({signals})")
            for item in alias["evidence"]:
                lines.append("      - " + _describe(item))
        else:
            lines.append(f"    {alias['account']}  (same actor through other accounts)")
    lines.append(f"  identifiers ({len(report['identifiers'])}):")
    for ident in report["identifiers"]:
        shared = f", shown by {ident['accounts']} accounts" if ident["accounts"] > 1 else ""
        lines.append(f"    {ident['kind']:8} {ident['value']}  ({ident['count']} sighting(s){shared})")
    return "\n".join(lines)


def _describe(item: dict[str, Any]) -> str:
    signal = item.get("signal")
    if signal == "conflict":
        return f"conflict: {item.get('detail')}"
    parts = [f"{signal}"]
    if "identifier" in item:
        parts.append(f"shares {item['identifier']} (shown by {item.get('shared_by')} accounts)")
    if "a_value" in item:
        parts.append(f"{item.get('a_value')} ~ {item.get('b_value')}")
    if "similarity" in item:
        parts.append(f"similarity {item['similarity']:.2f}")
    if item.get("a_listings") or item.get("b_listings"):
        parts.append(f"listings {item.get('a_listings')} / {item.get('b_listings')}")
    for side in ("a_evidence", "b_evidence"):
        for ev in item.get(side) or []:
            if ev:
                parts.append(f"evidence {ev.get('record_id')} {ev.get('digest')}")
    return "; ".join(parts)
