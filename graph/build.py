"""Build the vendor graph from plain records: vendor accounts, identifiers and products as nodes.

Input is any iterable of plain dicts, the documents a store keeps (``Store.iter_listings()`` and
the vendor documents) or records read from JSON Lines files; a record is a listing when it has a
``listing_id``, a vendor account when it has a ``handle`` (or says so in ``kind``).

Nodes (attribute ``type``):

- ``account``: ``market/handle``, with ``market``, ``handle``, ``url``, ``evidence`` (the vendor
  page) and ``listings`` (how many listings were seen);
- ``identifier``: ``kind:value`` (``pgp:C959...``, ``btc:bc1...``, ``contact:wickr:drwhite``,
  ``email:...``, ``photo:<phash>``, ``origin:NL``) with ``kind`` and ``value``;
- ``product``: ``drug:<name>`` with ``drug`` and ``drug_class``.

Edges: ``uses`` (account - identifier) and ``sells`` (account - product), each with ``count`` (the
listings or pages showing it), ``listings`` (their ids) and ``evidence`` (up to ``max_evidence``
WARC pointers); ``sells`` edges also count ``ships_to`` countries and ``routes`` (``"NL>DE"``).
Alias resolution (:mod:`graph.resolve`) adds ``alias`` edges between accounts.

>>> builder = GraphBuilder()
>>> _ = builder.add_all([
...     {"market": "m1", "handle": "DrWhite", "contacts": ["Wickr: drwhite"]},
...     {"market": "m1", "listing_id": "7", "vendor": "DrWhite", "drugs": ["fentanyl"],
...      "drug_classes": ["fentanyl"], "ships_from": "NL", "ships_to": ["DE"], "description": ""}])
>>> G = builder.graph
>>> sorted(G["m1/DrWhite"])
['contact:wickr:drwhite', 'drug:fentanyl', 'origin:NL']
>>> G.edges["m1/DrWhite", "drug:fentanyl"]["routes"]
{'NL>DE': 1}
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

import networkx as nx

from .identifiers import Identifier, account_id, listing_identifiers, vendor_identifiers
from .text import TextIndex

__all__ = ["GraphBuilder", "build_graph", "record_kind", "accounts", "identifiers"]


def record_kind(record: dict[str, Any]) -> str | None:
    """``"listing"``, ``"vendor"`` or None for a plain record.

    >>> record_kind({"listing_id": "1"}), record_kind({"handle": "x"}), record_kind({"x": 1})
    ('listing', 'vendor', None)
    """
    kind = record.get("kind") or record.get("type")
    if kind in ("listing", "vendor"):
        return kind
    if "listing_id" in record:
        return "listing"
    if "handle" in record:
        return "vendor"
    return None


def _drug_class_lookup() -> Callable[[str], str | None]:
    try:
        from extract.lexicons.drugs import by_name
        table = {name: entry.drug_class for name, entry in by_name().items()}
    except ImportError:  # the graph still builds from records without the extraction package
        table = {}
    return table.get


class GraphBuilder:
    """Adds records one at a time (a million listings stream through); ``graph`` is the result and
    ``texts`` the text index alias resolution reads.

    ``scan_text``: look for crypto addresses and e-mail addresses in listing descriptions too.
    ``max_evidence``: evidence pointers kept per edge (every listing id is kept).
    """

    def __init__(self, *, scan_text: bool = True, max_evidence: int = 3,
                 template_accounts: int = 5) -> None:
        self._nodes: dict[str, dict[str, Any]] = {}
        self._edges: dict[tuple[str, str], dict[str, Any]] = {}
        self._graph: nx.Graph | None = None
        self.texts = TextIndex(template_accounts=template_accounts)
        self.scan_text = scan_text
        self.max_evidence = max_evidence
        self.skipped = 0
        self._drug_class = _drug_class_lookup()

    def add_all(self, records: Iterable[dict[str, Any]],
                progress: Callable[[int], None] | None = None, every: int = 100_000) -> "GraphBuilder":
        """Add every record; ``progress(n)`` is called every ``every`` records."""
        for n, record in enumerate(records, 1):
            self.add(record)
            if progress and n % every == 0:
                progress(n)
        return self

    @property
    def graph(self) -> nx.Graph:
        """The graph of the records added so far (made from the builder's tables when asked)."""
        if self._graph is None:
            G = nx.Graph()
            G.add_nodes_from(self._nodes.items())
            G.add_edges_from((u, v, attrs) for (u, v), attrs in self._edges.items())
            self._graph = G
        return self._graph

    def add(self, record: dict[str, Any]) -> None:
        if self._graph is not None:  # the graph was taken: keep its changes (alias edges, actors)
            self._nodes = dict(self._graph.nodes(data=True))
            self._edges = {(u, v): d for u, v, d in self._graph.edges(data=True)}
            self._graph = None
        kind = record_kind(record)
        if kind == "vendor" and record.get("market") and record.get("handle"):
            self._add_vendor(record)
        elif kind == "listing" and record.get("market") and record.get("vendor"):
            self._add_listing(record)
        else:
            self.skipped += 1

    def _account(self, market: str, handle: str) -> str:
        node = account_id(market, handle)
        if node not in self._nodes:
            self._nodes[node] = {"type": "account", "market": market, "handle": handle, "listings": 0}
        return node

    def _add_vendor(self, doc: dict[str, Any]) -> None:
        node = self._account(doc["market"], doc["handle"])
        attrs = self._nodes[node]
        attrs["url"] = doc.get("url")
        attrs["evidence"] = doc.get("evidence")
        attrs["has_profile"] = True
        for ident in vendor_identifiers(doc):
            self._use(node, ident, "vendor page")
        if doc.get("profile_text"):
            self.texts.add(node, doc["profile_text"], ref="profile")

    def _add_listing(self, doc: dict[str, Any]) -> None:
        node = self._account(doc["market"], doc["vendor"])
        self._nodes[node]["listings"] += 1
        listing_id = str(doc.get("listing_id"))
        for ident in listing_identifiers(doc, scan_text=self.scan_text):
            self._use(node, ident, "listing")
        classes = list(doc.get("drug_classes") or [])
        ships_from = doc.get("ships_from") or "?"
        ships_to = list(doc.get("ships_to") or []) or ["?"]
        for drug in doc.get("drugs") or []:
            product = f"drug:{drug}"
            if product not in self._nodes:
                drug_class = self._drug_class(drug) or (classes[0] if len(classes) == 1 else None)
                self._nodes[product] = {"type": "product", "drug": drug, "drug_class": drug_class}
            edge = self._edge(node, product, "sells", doc.get("evidence"), listing_id)
            for country in ships_to:
                edge["ships_to"][country] = edge["ships_to"].get(country, 0) + 1
                route = f"{ships_from}>{country}"
                edge["routes"][route] = edge["routes"].get(route, 0) + 1
        if doc.get("description"):
            self.texts.add(node, doc["description"], ref=listing_id)

    def _use(self, node: str, ident: Identifier, source: str) -> None:
        target = ident.node
        if target not in self._nodes:
            self._nodes[target] = {"type": "identifier", "kind": ident.kind, "value": ident.value}
        edge = self._edge(node, target, "uses", ident.evidence, ident.listing_id)
        if source not in edge["sources"]:
            edge["sources"].append(source)

    def _edge(self, node: str, target: str, kind: str, evidence, listing_id) -> dict[str, Any]:
        edge = self._edges.get((node, target))
        if edge is None:
            edge = {"type": kind, "count": 0, "listings": [], "evidence": []}
            if kind == "sells":
                edge.update(ships_to={}, routes={})
            else:
                edge["sources"] = []
            self._edges[(node, target)] = edge
        edge["count"] += 1
        if listing_id is not None:
            edge["listings"].append(listing_id)
        if evidence and len(edge["evidence"]) < self.max_evidence:
            edge["evidence"].append(evidence)
        return edge


def build_graph(records: Iterable[dict[str, Any]], **options) -> nx.Graph:
    """The vendor graph of ``records`` (no alias edges; see :func:`graph.resolve.resolve_aliases`).

    >>> G = build_graph([{"market": "m", "handle": "a", "btc_addresses": []}])
    >>> G.nodes["m/a"]["type"]
    'account'
    """
    return GraphBuilder(**options).add_all(records).graph


def accounts(G: nx.Graph) -> list[str]:
    """The account nodes of ``G``, sorted.

    >>> accounts(build_graph([{"market": "m", "handle": "b"}, {"market": "m", "handle": "a"}]))
    ['m/a', 'm/b']
    """
    return sorted(n for n, t in G.nodes(data="type") if t == "account")


def identifiers(G: nx.Graph, account: str, *, kinds: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The identifiers an account uses, with how often and the evidence for each.

    >>> G = build_graph([{"market": "m", "handle": "a", "contacts": ["Wickr: abc"]}])
    >>> [(i["kind"], i["value"], i["count"]) for i in identifiers(G, "m/a")]
    [('contact', 'wickr:abc', 1)]
    """
    wanted = set(kinds) if kinds is not None else None
    out = []
    for other, edge in G[account].items():
        node = G.nodes[other]
        if node.get("type") != "identifier" or (wanted is not None and node["kind"] not in wanted):
            continue
        out.append({"node": other, "kind": node["kind"], "value": node["value"],
                    "count": edge["count"], "listings": edge["listings"][:20],
                    "evidence": edge["evidence"], "accounts": sum(
                        1 for n in G[other] if G.nodes[n].get("type") == "account")})
    return sorted(out, key=lambda i: (i["kind"], i["value"]))
