"""Market families: each renders a market's pages in one layout and owns its URL scheme.

Only the Dream/Empire-style ``table`` family exists so far; later families register here.
"""
from __future__ import annotations

from collections.abc import Callable

from ..model import Market
from . import table
from .base import Request, Response

__all__ = ["FAMILIES", "Handler", "Request", "Response", "get_family"]

Handler = Callable[[Market, Request], Response]

FAMILIES: dict[str, Handler] = {"table": table.handle}


def get_family(name: str) -> Handler:
    try:
        return FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown market family {name!r}; known: {sorted(FAMILIES)}") from None
