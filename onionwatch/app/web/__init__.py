"""The search page: a small web app over a :class:`~search_index.base.Store` (``onionwatch serve``)."""
from __future__ import annotations

from .app import SearchApp, serve

__all__ = ["SearchApp", "serve"]
