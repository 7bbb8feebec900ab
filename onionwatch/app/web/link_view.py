"""The evidence view of one alias link: why alias resolution says two accounts are one actor.

For the link between ``market/handle`` and ``other_market/other_handle``: its score, each signal's
strength, and every evidence item (the shared PGP fingerprint, address or contact, the similar
handles, texts or photos) with the WARC record and digest behind each side. The archived pages those
records hold are shown below as escaped text (digest checked on reading), never rendered.
"""
from __future__ import annotations

from typing import Any

from onionwatch.evidence.read import media_type

from .app import Response, vendor_url

__all__ = ["page", "MAX_PAGES"]

#: Archived pages shown under a link's evidence (the distinct records its items cite, first ones).
MAX_PAGES = 6


def _pointers(item: dict[str, Any], side: str) -> list[dict[str, Any]]:
    return [ev for ev in item.get(f"{side}_evidence") or [] if ev]


def page(app, params: dict[str, str]) -> Response:
    """``/link?market=&handle=&other_market=&other_handle=``."""
    from onionwatch.app.insights.graphs import account_node, describe_evidence

    from .vendor_view import account_in_graph

    me = account_in_graph(app, params.get("market", ""), params.get("handle", ""))
    other = account_in_graph(app, params.get("other_market", ""), params.get("other_handle", ""))
    G = app.data.vendor_graph() if app.data is not None else None
    if me is None or other is None or not G.has_edge(me, other) or G.edges[me, other].get("type") != "alias":
        return app.missing("alias link")
    link = G.edges[me, other]
    first, second = sorted((me, other))  # resolution names the sides of a link in this order
    side_of = {"a": first, "b": second}
    items, records = [], {}
    for item in link.get("evidence", []):
        sides = []
        for side in ("a", "b"):
            node = G.nodes[side_of[side]]
            pointers = _pointers(item, side)
            sides.append({"account": f"{node['market']} / {node['handle']}", "pointers": pointers})
            for ev in pointers:
                records.setdefault(ev.get("record_id"), ev)
        items.append({"signal": item.get("signal"), "strength": item.get("strength"),
                      "detail": describe_evidence(item), "sides": sides})
    pages = []
    for record_id, ev in list(records.items())[:MAX_PAGES]:
        try:
            archived = app.data.raw_page(ev)
            kind = media_type(archived.get("headers"))
            textual = kind.startswith("text/") or "html" in kind or "xml" in kind or not kind
            pages.append({"record_id": record_id, "url": ev.get("url"), "digest": archived["digest"],
                          "text": archived["html"] if textual else None,
                          "problem": None if textual else f"not text ({kind}): digest checked, not shown"})
        except (OSError, LookupError, ValueError) as exc:  # a missing or damaged WARC: say which and why
            pages.append({"record_id": record_id, "url": ev.get("url"), "digest": ev.get("digest"),
                          "text": None, "problem": f"cannot be read: {exc}"})
    accounts = [G.nodes[n] for n in (me, other)]
    return app.page(200, "link.html", link=link, items=items, pages=pages, more=max(0, len(records) - MAX_PAGES),
                    accounts=[{"market": d["market"], "handle": d["handle"], "url": vendor_url(d["market"], d["handle"]),
                               "node": account_node(d["market"], d["handle"])} for d in accounts],
                    signals=sorted(link.get("signals", {}).items()))
