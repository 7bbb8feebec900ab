"""An account's ego network as an interactive widget (ipysigma), and as files to take away.

:func:`widget_graph` turns :func:`~.graphs.focused_ego` into a graph ready to draw: the account,
its aliases (its resolved actor's other accounts), the identifiers it shares, the other accounts
showing them, and the markets they sell on. Every node and edge carries plain attributes the
widget shows when it is clicked: an alias link its ``score``, ``signals`` and ``evidence`` (what
matched, and the WARC record and digest on each side); an identifier link the records it was
seen in. Positions are computed here (a seeded spring layout), so a graph always looks the same.

:func:`vendor_graph_widget` draws it with ipysigma (``pip install -e '.[notebooks]'``: its
JupyterLab 4 extension ships prebuilt in the wheel and runs offline). ipysigma draws labels on a
canvas and escapes every attribute it shows as HTML, so market text stays text; bidi controls and
invisible characters are shown as their ``\\uXXXX`` escapes (:func:`inert_copy`).
:func:`vendor_exports` writes the same ego network as GEXF and GraphML and the actor's STIX 2.1
bundle into the data directory's ``exports`` folder (never into the working directory).

>>> from graph.pipeline import build_vendor_graph
>>> G, _ = build_vendor_graph([
...     {"market": "m1", "handle": "DrWhite", "contacts": ["Wickr: whiteline"]},
...     {"market": "m2", "handle": "dr.white", "contacts": ["Wickr: whiteline"]}])
>>> H = widget_graph(G, "m1/DrWhite")
>>> sorted((H.nodes[n]["kind"], H.nodes[n]["label"]) for n in H)
[('alias', 'dr.white'), ('contact', 'wickr:whiteline'), ('market', 'm1'), ('market', 'm2'), ('this account', 'DrWhite')]
>>> [(d["kind"], d["score"] > 0) for _, _, d in H.edges(data=True) if d["kind"] == "alias"]
[('alias', True)]
"""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import networkx as nx

from onionwatch.app.terminal import inert

from .graphs import _graph, describe_evidence, focused_ego

__all__ = ["widget_graph", "vendor_graph_widget", "inert_copy", "vendor_exports", "actor_subgraph", "Exports",
           "NODE_COLOURS", "EDGE_COLOURS"]

#: Colours by node kind: the account, its aliases, other accounts, markets, identifier kinds.
NODE_COLOURS = {"this account": "#111111", "alias": "#d62728", "account": "#ff9896", "market": "#7f7f7f",
                "pgp": "#1f77b4", "btc": "#ff7f0e", "xmr": "#9467bd", "crypto": "#bcbd22",
                "contact": "#2ca02c", "email": "#17becf", "photo": "#8c564b", "identifier": "#aec7e8"}
EDGE_COLOURS = {"alias": "#d62728", "shows": "#9ecae1", "sells on": "#dddddd"}


def _records(pointers: Any, limit: int = 4) -> str:
    """``record id (digest)`` of evidence pointers, at most ``limit``."""
    found = []
    for ev in pointers if isinstance(pointers, list) else [pointers]:
        if isinstance(ev, dict) and ev.get("record_id"):
            found.append(f"{ev['record_id']} ({ev.get('digest')}, {ev.get('warc_file')})")
    found = list(dict.fromkeys(found))
    more = f" and {len(found) - limit} more" if len(found) > limit else ""
    return "; ".join(found[:limit]) + more


def _alias_attrs(data: dict[str, Any]) -> dict[str, Any]:
    items = data.get("evidence") or []
    sides = [ev for item in items for side in ("a_evidence", "b_evidence") for ev in item.get(side) or [] if ev]
    score = float(data.get("score", 0.0))
    return {"kind": "alias", "label": f"alias {score:.2f}", "score": round(score, 3),
            "signals": ", ".join(f"{k} {v:.2f}" for k, v in sorted((data.get("signals") or {}).items())),
            "evidence": " | ".join(describe_evidence(i) for i in items), "records": _records(sides),
            "size": round(2 + 4 * score, 2)}


def widget_graph(data_or_graph, account: str, *, max_shared: int = 5, seed: int = 0) -> nx.Graph:
    """The ego network of ``account`` (``market/handle``) ready to draw: its aliases, their
    identifiers, the accounts sharing those (see :func:`~.graphs.focused_ego` for ``max_shared``) and the markets
    they sell on. Node attributes ``kind``, ``label``, ``market``, ``handle``, ``actor``, ``x``,
    ``y``, ``size``; edge attributes ``kind`` (alias, shows, sells on), ``label`` (drawn on alias
    links only: ``alias <score>``), and for alias links ``score``, ``signals``, ``evidence`` and
    ``records``."""
    G = _graph(data_or_graph)
    ego = focused_ego(G, account, max_shared=max_shared)
    actor = G.nodes[account].get("actor")
    H = nx.Graph(account=account, actor=actor or "")
    for node, d in ego.nodes(data=True):
        if d.get("type") == "account":
            kind = "this account" if node == account else ("alias" if actor and d.get("actor") == actor else "account")
            H.add_node(node, kind=kind, label=d.get("handle") or node, market=d.get("market") or "",
                       handle=d.get("handle") or "", actor=d.get("actor") or "", listings=int(d.get("listings", 0)),
                       page=_records(d.get("evidence")), size=12.0 if kind == "this account" else 8.0)
            H.add_node(f"market:{d.get('market')}", kind="market", label=d.get("market") or "", size=6.0)
            H.add_edge(node, f"market:{d.get('market')}", kind="sells on", label="", size=1.0)
        else:
            ident = d.get("kind") or "identifier"
            H.add_node(node, kind=ident if ident in NODE_COLOURS else "identifier", label=str(d.get("value") or node),
                       identifier=node, accounts=int(d.get("accounts", 0) or 0), size=5.0)
    for u, v, d in ego.edges(data=True):
        if d.get("type") == "alias":
            H.add_edge(u, v, **_alias_attrs(d))
        else:
            H.add_edge(u, v, kind="shows", label="", records=_records(d.get("evidence")), size=1.0)
    positions = nx.spring_layout(H, seed=seed)
    for node, (x, y) in positions.items():
        H.nodes[node].update(x=round(float(x), 4), y=round(float(y), 4))
    return H


def vendor_graph_widget(data_or_graph, market: str, handle: str, *, max_shared: int = 5, height: int = 560):
    """An ipysigma widget of the account's ego network: click a node or a link to see its
    attributes (an alias link: its score, signals and evidence); the search box finds a node."""
    try:
        from ipysigma import Sigma
    except ImportError as exc:  # the notebooks extra is not installed
        raise ImportError("the vendor-graph widget needs ipysigma: run `make notebooks`, or"
                          " `pip install -e '.[notebooks]'`") from exc
    account = _account(data_or_graph, market, handle)
    H = inert_copy(widget_graph(data_or_graph, account, max_shared=max_shared))
    return Sigma(H, name=f"ego network of {inert(account)}", height=height, clickable_edges=True,
                 node_color="kind", node_color_palette=NODE_COLOURS, node_label="label", raw_node_size="size",
                 edge_color="kind", edge_color_palette=EDGE_COLOURS, edge_label="label", raw_edge_size="size",
                 selected_node=account, start_layout=False)


def inert_copy(H: nx.Graph) -> nx.Graph:
    """``H`` with every node name and text attribute made :func:`~onionwatch.app.terminal.inert`:
    a bidi override or an invisible character in a handle is shown as its ``\\uXXXX`` escape
    instead of reordering or hiding what the widget draws (markup is ipysigma's to escape).

    >>> H = nx.Graph(); H.add_node("m/\u202eetihW", label="\u202eetihW", size=1.0)
    >>> dict(inert_copy(H).nodes(data=True))
    {'m/\\\\u202eetihW': {'label': '\\\\u202eetihW', 'size': 1.0}}
    """
    def clean(attrs: dict[str, Any]) -> dict[str, Any]:
        return {k: inert(v) if isinstance(v, str) else v for k, v in attrs.items()}

    names = {n: inert(n) for n in H}
    K = nx.Graph(**clean(H.graph))
    K.add_nodes_from((names[n], clean(d)) for n, d in H.nodes(data=True))
    K.add_edges_from((names[u], names[v], clean(d)) for u, v, d in H.edges(data=True))
    return K


def _account(data_or_graph, market: str, handle: str) -> str:
    if isinstance(data_or_graph, nx.Graph):
        from graph.identifiers import account_id
        from graph.report import find_account

        return find_account(data_or_graph, account_id(market, handle))
    return data_or_graph.account(market, handle)


def actor_subgraph(data_or_graph, account: str) -> nx.Graph:
    """Every account of ``account``'s resolved actor, the identifiers they show and the links
    between them: what the actor's STIX bundle describes."""
    G = _graph(data_or_graph)
    actor = G.nodes[account].get("actor")
    members = {n for n, d in G.nodes(data=True) if d.get("type") == "account"
               and (n == account or (actor and d.get("actor") == actor))}
    idents = {m for n in members for m in G[n] if G.nodes[m].get("type") == "identifier"}
    return G.subgraph(members | idents).copy()


@dataclass
class Exports:
    """The files :func:`vendor_exports` wrote; shown in a notebook as download links."""

    account: str
    files: dict[str, Path] = field(default_factory=dict)

    _TYPES = {"gexf": "application/gexf+xml", "graphml": "application/graphml+xml", "stix": "application/json"}

    def _repr_html_(self) -> str:
        rows = []
        for fmt, path in self.files.items():
            payload = base64.b64encode(path.read_bytes()).decode("ascii")
            rows.append(f'<li><a download="{escape(path.name)}" href="data:{self._TYPES[fmt]};base64,{payload}">'
                        f"{escape(path.name)}</a> ({fmt}, {path.stat().st_size:,} bytes) &middot; "
                        f"<code>{escape(str(path))}</code></li>")
        return f"<div><b>Exports of {escape(self.account)}</b><ul>{''.join(rows)}</ul></div>"

    def __repr__(self) -> str:
        return "\n".join([f"exports of {self.account}:"] + [f"  {fmt}: {p}" for fmt, p in self.files.items()])


def _safe_name(account: str) -> str:
    """A file name for an account (market text): its safe characters and a short hash.

    >>> _safe_name("m1/<script>x")
    'm1_script_x-e70d9450'
    """
    stem = re.sub(r"[^A-Za-z0-9.-]+", "_", account).strip("._")[:60] or "account"
    return f"{stem}-{hashlib.sha256(account.encode()).hexdigest()[:8]}"


def vendor_exports(data, market: str, handle: str, *, folder: str | Path | None = None,
                   max_shared: int = 5) -> Exports:
    """Write the account's ego network (GEXF, GraphML: :func:`graph.export.write_graph`) and its
    actor's STIX 2.1 bundle (:func:`graph.stix.write_stix`) to ``folder`` (default: the data
    directory's ``exports`` folder)."""
    from graph.export import write_graph
    from graph.stix import write_stix

    account = _account(data, market, handle)
    out = Path(folder) if folder is not None else Path(data.config.data_dir) / "exports"
    out.mkdir(parents=True, exist_ok=True)
    stem = _safe_name(account)
    H = widget_graph(data, account, max_shared=max_shared)
    files = {fmt: write_graph(H, out / f"{stem}-ego.{fmt}", fmt) for fmt in ("gexf", "graphml")}
    files["stix"] = write_stix(actor_subgraph(data, account), out / f"{stem}-actor.stix.json")
    return Exports(account, files)
