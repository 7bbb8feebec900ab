"""Write the vendor graph for other tools: GEXF and GraphML (Gephi), node-link JSON (notebooks).

GEXF and GraphML take only scalar attributes, so lists and dicts (evidence, listing ids, signal
scores) are written as JSON strings; the node-link JSON keeps them as they are. Market text in
attributes is escaped by the XML writers, never interpreted.

>>> import networkx as nx, tempfile, os
>>> G = nx.Graph(); G.add_edge("m/a", "pgp:AB", type="uses", listings=["1", "2"])
>>> path = os.path.join(tempfile.mkdtemp(), "g.graphml")
>>> _ = write_graph(G, path, "graphml")
>>> nx.read_graphml(path).edges["m/a", "pgp:AB"]["listings"]
'["1", "2"]'
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = ["FORMATS", "write_graph", "flat_copy", "subgraph_for_export"]

FORMATS = ("gexf", "graphml", "json", "stix")


def _flat(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flat_copy(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose attributes are all scalars (lists/dicts as JSON, None as ``""``).

    >>> G = nx.Graph(); G.add_node("a", tags=["x"], none=None)
    >>> dict(flat_copy(G).nodes["a"])
    {'tags': '["x"]', 'none': ''}
    """
    H = G.__class__()
    H.add_nodes_from((n, {k: _flat(v) for k, v in d.items()}) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, {k: _flat(x) for k, x in d.items()}) for u, v, d in G.edges(data=True))
    return H


def subgraph_for_export(G: nx.Graph, *, include: tuple[str, ...] = ("account", "identifier", "product")
                        ) -> nx.Graph:
    """The nodes of the given types and the edges among them (e.g. leave products out).

    >>> G = nx.Graph(); G.add_node("a", type="account"); G.add_node("d", type="product")
    >>> list(subgraph_for_export(G, include=("account",)))
    ['a']
    """
    return G.subgraph(n for n, t in G.nodes(data="type") if t in include)


def write_graph(G: nx.Graph, path: str | os.PathLike, fmt: str) -> Path:
    """Write ``G`` to ``path`` as ``gexf``, ``graphml`` or ``json`` (node-link); ``stix`` is
    :func:`graph.stix.write_stix`. Returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "gexf":
        nx.write_gexf(flat_copy(G), path)
    elif fmt == "graphml":
        nx.write_graphml(flat_copy(G), path)
    elif fmt == "json":
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(nx.node_link_data(G, edges="edges"), fh, ensure_ascii=False)
    elif fmt == "stix":
        from .stix import write_stix
        write_stix(G, path)
    else:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return path
