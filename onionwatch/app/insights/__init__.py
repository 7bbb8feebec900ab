"""Insights: the analyses the investigator notebooks and the report call.

Open a data directory with :class:`Data` (``Data.open()`` finds it from any working directory:
:func:`onionwatch.core.datadir.find_data_dir`), then call the functions here; each returns a pandas table, a figure or a view.
Only :mod:`.source` talks to the store and the evidence archive; the vendor-link graph is the
``graph`` package's (:meth:`Data.vendor_graph`), read through :mod:`.graphs`.
"""
from __future__ import annotations

from .changes import changes_since_last_crawl, compare_crawls, crawl_history
from .fentanyl import (export_leads, leads, shippers_to, watch_actors, watch_changes, watch_listings,
                       watch_prices, watch_routes, watch_vendors)
from .graphs import (account_node, actor_communities, actor_table, alias_evidence, aliases, clusters_view,
                     describe_evidence, ego_network, focused_ego, linked_view)
from .graphview import GraphView, graph_html
from .graphwidget import Exports, actor_subgraph, vendor_exports, vendor_graph_widget, widget_graph
from .health import crawl_health, extraction_coverage, markup_listings
from .overview import (class_counts_over_time, listings_by_class, market_overview, shipping_routes,
                       top_vendors, unit_prices)
from .source import WATCH_CLASSES, Data
from . import plots
from .vendor import (default_account, listing_evidence, vendor_ego_view, vendor_identifiers, vendor_listings,
                     vendor_price_history)

__all__ = [
    "Data", "WATCH_CLASSES",
    "market_overview", "listings_by_class", "class_counts_over_time", "unit_prices",
    "shipping_routes", "top_vendors",
    "watch_listings", "watch_vendors", "watch_actors", "shippers_to", "watch_routes", "watch_prices", "watch_changes", "leads",
    "export_leads",
    "crawl_history", "compare_crawls", "changes_since_last_crawl", "crawl_health",
    "extraction_coverage", "markup_listings",
    "account_node", "aliases", "alias_evidence", "describe_evidence", "ego_network", "focused_ego", "linked_view",
    "actor_table", "actor_communities", "clusters_view",
    "graph_html", "GraphView",
    "widget_graph", "vendor_graph_widget", "vendor_exports", "actor_subgraph", "Exports",
    "default_account", "vendor_identifiers", "vendor_listings", "vendor_price_history", "vendor_ego_view",
    "listing_evidence",
    "plots",
]
