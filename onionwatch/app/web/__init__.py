"""The search page, an investigator's desk: a small read-only web app over a
:class:`~search_index.base.Store` and its data directory (``onionwatch serve``)."""
from __future__ import annotations

from .app import Response, SearchApp
from .server import serve

__all__ = ["Response", "SearchApp", "serve"]
