"""Market families: each renders a market's pages in its own layout and owns its URL scheme.

- ``table``: Dream/Empire-style listing tables, USD with BTC/XMR, escrow and FE flags;
- ``grid``: card grid, euro prices with bulk price tiers;
- ``forum``: phpBB-style shop threads whose facts are in free text;
- ``markt``: a German-language market, euro prices written the German way.

Each family module documents its URL scheme, selectors and how its defences look.
"""
from __future__ import annotations

from collections.abc import Callable

from ..model import Market, Vendor
from . import forum, grid, markt, table
from .base import Request, Response

__all__ = ["FAMILIES", "Handler", "Request", "Response", "get_family", "vendor_path",
           "vendor_labelled", "category_path"]

Handler = Callable[[Market, Request], Response]

_MODULES = {"table": table, "grid": grid, "forum": forum, "markt": markt}
FAMILIES: dict[str, Handler] = {name: module.handle for name, module in _MODULES.items()}


def get_family(name: str) -> Handler:
    try:
        return FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown market family {name!r}; known: {sorted(FAMILIES)}") from None


def vendor_path(market: Market, handle: str) -> str:
    return _MODULES[market.family].vendor_path(handle)


def category_path(market: Market, slug: str) -> str:
    return _MODULES[market.family].category_path(slug)


def vendor_labelled(market: Market, vendor: Vendor) -> dict:
    return _MODULES[market.family].vendor_labelled(market, vendor)
