"""Saved searches (watches): run after a crawl or index run, report the listings new since last time.

Watches live in ``<data dir>/watches/``: ``watches.json`` (name -> query, delivery targets and times)
and one ``<name>.seen`` file a watch with the ids it has already reported. A watch's first baseline is
taken when it is added, so only listings that appear later are reported. Reports go to the terminal, to
a JSON Lines file, or to a webhook (an HTTP POST of one JSON object a watch), either given for one run
or saved with the watch; when delivery fails, the watch's seen ids are not advanced, so the same
listings are reported again next time.

Indexing commands call :func:`run_watches` after each crawl or index run: it runs every watch, appends
each alert with news to ``<data dir>/watches/alerts.jsonl`` (and the watch's own targets), and returns
a :class:`WatchReport`; a failing webhook is reported, never raised, so it cannot fail the crawl.

>>> import tempfile
>>> from onionwatch.core.models import Listing
>>> from search_index import SqliteStore
>>> store = SqliteStore(":memory:")
>>> book = Watches(tempfile.mkdtemp())
>>> book.add("fent", "fentanyl", store)
0
>>> store.add_listings([Listing("m", "1", "http://m/1", title="Fentanyl 1g")])
1
>>> [(a.watch, [h["listing_id"] for h in a.new]) for a in book.run(store)]
[('fent', ['1'])]
>>> book.run(store)[0].new
[]
"""
from __future__ import annotations

import json
import os
import re
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .query import parse

__all__ = ["Watches", "Alert", "WatchError", "WatchReport", "MAX_MATCHES", "ALERTS_FILE", "run_watches",
           "to_jsonl", "to_webhook"]

#: The most matches a watch looks at in one run (newest listings beyond it wait for the next run).
MAX_MATCHES = 10_000
#: The JSON Lines file in the watches directory that :func:`run_watches` appends every alert with news to.
ALERTS_FILE = "alerts.jsonl"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class WatchError(ValueError):
    """A watch that cannot be added, found or delivered; the message says what to do."""


@dataclass
class Alert:
    """What one watch found new in one run."""

    watch: str
    query: str
    new: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    ran_at: str = ""
    #: Why delivery failed (the news then stays unreported until a later run delivers it), else None.
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"watch": self.watch, "query": self.query, "ran_at": self.ran_at, "total": self.total,
                "new": self.new}
        if self.error:
            data["error"] = self.error
        return data


@dataclass
class WatchReport:
    """What :func:`run_watches` found: one alert a watch (empty when there are no watches)."""

    alerts: list[Alert] = field(default_factory=list)
    alerts_file: str | None = None

    @property
    def new(self) -> int:
        """How many new listings all watches found."""
        return sum(len(a.new) for a in self.alerts)

    @property
    def errors(self) -> list[str]:
        return [f"watch {a.watch}: {a.error}" for a in self.alerts if a.error]

    def summary(self) -> str:
        """A few lines for the terminal: one a watch, the first new titles, and any delivery error."""
        if not self.alerts:
            return "watches: none saved (add one with `onionwatch watch add NAME 'query'`)"
        lines = []
        for alert in self.alerts:
            if alert.error and not alert.new:
                lines.append(f"watch {alert.watch}: {alert.error}")
            elif alert.error:
                lines.append(f"watch {alert.watch}: {len(alert.new)} new, NOT delivered: {alert.error}")
            elif alert.new:
                titles = "; ".join(repr(h.get("title") or h["listing_id"]) for h in alert.new[:3])
                more = f" and {len(alert.new) - 3} more" if len(alert.new) > 3 else ""
                lines.append(f"watch {alert.watch}: {len(alert.new)} new ({titles}{more})")
            else:
                lines.append(f"watch {alert.watch}: nothing new ({alert.total} match)")
        if self.new and self.alerts_file:
            lines.append(f"alerts appended to {self.alerts_file}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"new": self.new, "alerts_file": self.alerts_file, "alerts": [a.to_dict() for a in self.alerts]}


def run_watches(config, store, *, deliver=None) -> WatchReport:
    """Run every saved watch of ``config``'s data directory against ``store``, after a crawl or index run.

    Each alert with news is appended to ``<data dir>/watches/alerts.jsonl``, sent to the watch's saved
    targets and to ``deliver`` (if given). Delivery failures are in the report (``errors``), not
    raised, and leave that watch's news for the next run. The store is flushed first, so what the
    run just indexed is searched (an Elasticsearch store's spooled writes, if any, stay for later).

    >>> import pathlib, tempfile
    >>> from onionwatch.core.config import Config
    >>> from onionwatch.core.models import Listing
    >>> from search_index import SqliteStore
    >>> config, store = Config(pathlib.Path(tempfile.mkdtemp())), SqliteStore(":memory:")
    >>> Watches(config.watches_dir).add("fent", "fentanyl", store)
    0
    >>> store.add_listings([Listing("m", "1", "http://m/1", title="Fentanyl 1g")])
    1
    >>> print(run_watches(config, store).summary().splitlines()[0])
    watch fent: 1 new ('Fentanyl 1g')
    """
    book = Watches(config.watches_dir)
    if not book.load():
        return WatchReport()
    store.flush()  # what the run just indexed must be searchable
    alerts_file = book.directory / ALERTS_FILE
    sinks = [to_jsonl(alerts_file)] + ([deliver] if deliver is not None else [])

    def deliver_all(alert: Alert) -> None:
        for sink in sinks:
            sink(alert)

    return WatchReport(book.run(store, deliver=deliver_all, keep_going=True), str(alerts_file))


def _key(hit: dict[str, Any]) -> str:
    return json.dumps([hit["market"], hit["listing_id"]], ensure_ascii=False)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Watches:
    """The saved searches of one data directory."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)
        self.path = self.directory / "watches.json"

    def load(self) -> dict[str, dict[str, Any]]:
        if not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8"))

    def _save(self, watches: dict[str, dict[str, Any]]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(watches, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    def _seen_path(self, name: str) -> Path:
        return self.directory / f"{name}.seen"

    def _seen(self, name: str) -> set[str]:
        path = self._seen_path(name)
        return set(path.read_text(encoding="utf-8").splitlines()) if path.exists() else set()

    def _mark_seen(self, name: str, keys: list[str]) -> None:
        if keys:
            with open(self._seen_path(name), "a", encoding="utf-8") as fh:
                fh.writelines(k + "\n" for k in keys)

    def add(self, name: str, query: str, store, *, jsonl: str | None = None, webhook: str | None = None) -> int:
        """Save a watch and take its baseline; return how many listings match now (not reported).

        ``jsonl`` (a file) and ``webhook`` (an http(s) URL) are where every run sends this watch's news.
        """
        if webhook:
            to_webhook(webhook)  # a bad URL fails now
        if not _NAME.match(name):
            raise WatchError(f"bad watch name {name!r}: use letters, digits, '_', '-' or '.' (up to 64)")
        parse(query)  # a bad query fails now, not at the next crawl
        watches = self.load()
        if name in watches:
            raise WatchError(f"a watch named {name!r} exists: remove it first (`onionwatch watch remove {name}`)")
        result = store.search(query, limit=MAX_MATCHES)
        self._seen_path(name).unlink(missing_ok=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._mark_seen(name, [_key(h) for h in result.hits])
        watches[name] = {"query": query, "added_at": _now(), "last_run": None}
        if jsonl:
            watches[name]["jsonl"] = str(Path(jsonl).resolve())
        if webhook:
            watches[name]["webhook"] = webhook
        self._save(watches)
        return result.total

    def remove(self, name: str) -> None:
        watches = self.load()
        if name not in watches:
            raise WatchError(f"no watch named {name!r} (see `onionwatch watch list`)")
        del watches[name]
        self._save(watches)
        self._seen_path(name).unlink(missing_ok=True)

    def pending(self, name: str, store, *, limit: int = MAX_MATCHES) -> Alert:
        """What the watch ``name`` would report if it ran now, without running it: nothing is
        delivered, marked seen or saved (the search page shows this, read-only)."""
        watches = self.load()
        if name not in watches:
            raise WatchError(f"no watch named {name!r} (see `onionwatch watch list`)")
        result = store.search(watches[name]["query"], limit=limit)
        seen = self._seen(name)
        return Alert(name, watches[name]["query"], [h for h in result.hits if _key(h) not in seen], result.total, _now())

    def run(self, store, *, names: list[str] | None = None, deliver=None, keep_going: bool = False) -> list[Alert]:
        """Run the watches; ``deliver(alert)`` (if given) and the watch's saved targets must succeed
        before the ids count as seen. A failed delivery raises :class:`WatchError`, or with
        ``keep_going`` is kept in the alert's ``error`` and the other watches still run."""
        watches = self.load()
        unknown = [n for n in names or [] if n not in watches]
        if unknown:
            raise WatchError(f"no watch named {', '.join(map(repr, unknown))} (see `onionwatch watch list`)")
        alerts = []
        for name, watch in watches.items():
            if names and name not in names:
                continue
            try:
                result = store.search(watch["query"], limit=MAX_MATCHES)
            except (ValueError, RuntimeError, OSError) as exc:  # a query error, or the store unreachable
                if not keep_going:
                    raise
                alerts.append(Alert(name, watch["query"], [], 0, _now(),
                                    error=f"search failed ({exc}); the watch runs again next time"))
                continue
            seen = self._seen(name)
            new = [hit for hit in result.hits if _key(hit) not in seen]
            alert = Alert(name, watch["query"], new, result.total, _now())
            sinks = [deliver] if deliver is not None else []
            if watch.get("jsonl"):
                sinks.append(to_jsonl(watch["jsonl"]))
            if watch.get("webhook"):
                sinks.append(to_webhook(watch["webhook"]))
            try:
                for sink in sinks if new else []:
                    sink(alert)
            except (WatchError, OSError) as exc:
                if not keep_going:
                    self._save(watches)
                    raise
                alert.error = str(exc)
                alerts.append(alert)
                continue
            self._mark_seen(name, [_key(h) for h in new])
            watch["last_run"] = alert.ran_at
            alerts.append(alert)
        self._save(watches)
        return alerts


def to_jsonl(path: str | os.PathLike):
    """A deliverer appending one JSON object an alert to a JSON Lines file."""
    def deliver(alert: Alert) -> None:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(alert.to_dict(), ensure_ascii=False) + "\n")
    return deliver


def to_webhook(url: str, *, timeout: float = 10.0):
    """A deliverer POSTing one JSON object an alert to ``url`` (http or https)."""
    if not url.startswith(("http://", "https://")):
        raise WatchError(f"webhook {url!r} is not an http(s) URL")

    def deliver(alert: Alert) -> None:
        body = json.dumps(alert.to_dict(), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except OSError as exc:
            raise WatchError(f"webhook {url} failed ({exc}): the alert stays unreported until it works") from exc
    return deliver
