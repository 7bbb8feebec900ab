"""The saved searches (``onionwatch watch``) and their news, read-only.

For each watch: its query, when it was added and last run, and the listings it has not reported
yet (what ``onionwatch watch run`` would report now: :meth:`search_index.alerts.Watches.pending`,
which marks nothing seen); then the latest alerts the indexing runs appended to
``<data dir>/watches/alerts.jsonl``. The page changes nothing: watches are added, run and removed
with the command.
"""
from __future__ import annotations

import json
from collections import deque

from .app import Response

__all__ = ["page", "PENDING_SHOWN", "ALERTS_SHOWN"]

#: New hits shown a watch, and alerts shown from the alerts file (the latest).
PENDING_SHOWN, ALERTS_SHOWN = 50, 20


def _latest_alerts(path) -> tuple[list[dict], int]:
    """The last :data:`ALERTS_SHOWN` alerts of the file and the number of unreadable lines."""
    if not path.exists():
        return [], 0
    latest, bad = deque(maxlen=ALERTS_SHOWN), 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                alert = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if isinstance(alert, dict):
                latest.append(alert)
    return list(reversed(latest)), bad


def page(app, params: dict[str, str]) -> Response:
    """``/watches``."""
    from search_index import QueryError
    from search_index.alerts import ALERTS_FILE, Watches

    if app.config is None:
        return app.page(200, "watches.html", watches=[], alerts=[], bad=0, no_data=True)
    book = Watches(app.config.watches_dir)
    try:
        saved = book.load()
    except (OSError, ValueError) as exc:
        return app.page(200, "watches.html", watches=[], alerts=[], bad=0, problem=f"cannot read the watches: {exc}")
    rows = []
    for name, watch in saved.items():
        row = {"name": name, "query": watch.get("query"), "added_at": watch.get("added_at"),
               "last_run": watch.get("last_run"), "new": [], "total": None, "error": None}
        try:
            alert = book.pending(name, app.store)
            row.update(new=alert.new[:PENDING_SHOWN], count=len(alert.new), total=alert.total)
        except (QueryError, ValueError, OSError, RuntimeError) as exc:
            row["error"] = str(exc)
        rows.append(row)
    alerts, bad = _latest_alerts(book.directory / ALERTS_FILE)
    return app.page(200, "watches.html", watches=rows, alerts=alerts, bad=bad)
