"""A simulated dark-web drug marketplace served on loopback: the demo's target and the oracle.

The sandbox generates a deterministic world of markets, vendors and listings from a seed, serves
each market's pages over HTTP on 127.0.0.1, and writes ground truth (JSON Lines) from its own
state. It shares no code with the pipeline it judges (crawlers, extract, graph, search_index,
onionwatch.models): its vocabulary and data model are its own.

>>> world = build_world(1, vendors=3, listings=10)
>>> with serve(world) as server:
...     server.port > 0
True
"""
from __future__ import annotations

from .generator import DEFAULT_MARKET, build_market, build_world
from .model import Listing, Market, Vendor, World
from .server import SandboxServer, serve
from .truth import truth_records, write_truth

__all__ = [
    "DEFAULT_MARKET",
    "Listing",
    "Market",
    "SandboxServer",
    "Vendor",
    "World",
    "build_market",
    "build_world",
    "serve",
    "truth_records",
    "write_truth",
]
