"""The vendor-link graph: accounts, identifiers and products from indexed records; alias
resolution with a score and evidence per link; projections, analytics and exports.

>>> G, result = build_vendor_graph([
...     {"market": "m1", "handle": "DrWhite", "contacts": ["Wickr: whiteline"]},
...     {"market": "m2", "handle": "dr.white", "contacts": ["Wickr: whiteline"]}])
>>> [a["account"] for a in aliases_of(G, "m1/DrWhite")]
['m2/dr.white']

Modules: :mod:`.build` (the graph), :mod:`.resolve` (alias resolution), :mod:`.identifiers`,
:mod:`.text` and :mod:`.photos` (signals), :mod:`.actors` (stable ids), :mod:`.analytics`,
:mod:`.export` and :mod:`.stix`, :mod:`.pipeline` (records in, saved graph out).
"""
from __future__ import annotations

from .analytics import (actor_graph, aliases_of, centrality, communities, ego_network,
                        shipping_routes, shippers_to, vendor_links, vendor_products)
from .build import GraphBuilder, accounts, build_graph, identifiers
from .export import write_graph
from .pipeline import build_vendor_graph, load_graph, read_record_files, records_from_store, save_graph
from .params import ResolveParams
from .resolve import Link, Resolution, add_alias_edges, resolve_aliases
from .stix import stix_bundle, write_stix

__all__ = [
    "GraphBuilder", "Link", "Resolution", "ResolveParams", "accounts", "actor_graph", "add_alias_edges", "aliases_of",
    "build_graph", "build_vendor_graph", "centrality", "communities", "ego_network", "identifiers",
    "load_graph", "read_record_files", "records_from_store", "resolve_aliases", "save_graph",
    "shipping_routes", "shippers_to", "stix_bundle", "vendor_links", "vendor_products", "write_graph",
    "write_stix",
]
