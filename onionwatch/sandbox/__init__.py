"""A simulated dark-web drug marketplace served on loopback: the demo's target and the oracle.

The sandbox generates a deterministic world of markets (four families: ``table``, ``grid``,
``forum``, ``markt``), the actors behind their vendor accounts and their listings from a seed,
serves each market's pages over HTTP on 127.0.0.1 (with switchable defences and faults, and a
clock tests control), and writes ground truth (JSON Lines) from its own state. It shares no code with the pipeline it judges (crawlers, extract, graph, search_index,
onionwatch.core.models): its vocabulary and data model are its own.

>>> world = build_world(1, vendors=3, listings=10)
>>> with serve(world) as server:
...     server.port > 0
True
"""
from __future__ import annotations

from .clock import Clock
from .generator import ALL_FAMILIES, DEFAULT_MARKET, FAMILY_MARKETS, build_market, build_world
from .model import Listing, Market, Vendor, World
from .records import write_records
from .server import SandboxServer, SandboxWorld, serve, serve_world
from .switches import Defences, Faults
from .truth import truth_records, write_truth

__all__ = [
    "ALL_FAMILIES",
    "Clock",
    "DEFAULT_MARKET",
    "Defences",
    "FAMILY_MARKETS",
    "Faults",
    "SandboxWorld",
    "serve_world",
    "write_records",
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
