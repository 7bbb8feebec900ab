"""The search page's static files: the pinned graph library and the page's own script.

The graph library is Cytoscape.js (MIT, https://js.cytoscape.org), committed as its minified
distribution file with its licence beside it, so the page needs no CDN and no Node to install or
run. It draws on a canvas: labels are painted as text, never parsed as HTML, and it runs without
``eval`` under ``script-src 'self'``. ``make web-graph-library`` refreshes it from the npm registry
(``scripts/refresh_graph_library.py``: the tarball checked against the registry's integrity hash);
the new SHA-256 then goes into :data:`PINNED`, which ``tests/web/test_assets.py`` checks.

Only the files named here are served (:func:`asset`), with their own content type; nothing else
under ``static/`` and no path from the request reaches the file system.

>>> asset("desk.js")[0]
'text/javascript; charset=utf-8'
>>> asset("../app.py") is None, asset("cytoscape.LICENSE")[0]
(True, 'text/plain; charset=utf-8')
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["GRAPH_LIBRARY", "GRAPH_LIBRARY_VERSION", "PINNED", "STATIC", "asset"]

STATIC = Path(__file__).with_name("static")
#: The npm package and version of the committed graph library (``make web-graph-library`` reads them).
GRAPH_LIBRARY, GRAPH_LIBRARY_VERSION = "cytoscape", "3.35.0"
#: SHA-256 of each committed third-party file; a refresh prints the new values.
PINNED = {
    "cytoscape.min.js": "71fa9ebec21a7ca2c40cff6aacc30d1f6464e363662ad4b2c197e1adc770cd94",
    "cytoscape.LICENSE": "eb319c6e6f233607f71e8e2f450391751883cfc0eeb3ca7ef574c13d1d9c2203",
}
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".LICENSE": "text/plain; charset=utf-8"}
#: Every file the page may fetch from /static/.
SERVED = ("cytoscape.min.js", "cytoscape.LICENSE", "desk.js")


@lru_cache(maxsize=None)
def asset(name: str) -> tuple[str, bytes] | None:
    """(content type, bytes) of a served static file; None for any other name."""
    if name not in SERVED:
        return None
    path = STATIC / name
    return _TYPES[path.suffix], path.read_bytes()
