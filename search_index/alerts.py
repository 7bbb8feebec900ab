"""Saved searches (watches): run after a crawl or index run, report the listings new since last time.

Watches live in ``<data dir>/watches/``: ``watches.json`` (name -> query and times) and one
``<name>.seen`` file a watch with the ids it has already reported. A watch's first baseline is taken
when it is added, so only listings that appear later are reported. Reports go to the terminal, to a
JSON Lines file, or to a webhook (an HTTP POST of one JSON object a watch); when delivery fails, the
watch's seen ids are not advanced, so the same listings are reported again next time.

>>> import tempfile
>>> from onionwatch.models import Listing
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

__all__ = ["Watches", "Alert", "WatchError", "MAX_MATCHES", "to_jsonl", "to_webhook"]

#: The most matches a watch looks at in one run (newest listings beyond it wait for the next run).
MAX_MATCHES = 10_000
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

    def to_dict(self) -> dict[str, Any]:
        return {"watch": self.watch, "query": self.query, "ran_at": self.ran_at, "total": self.total,
                "new": self.new}


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

    def add(self, name: str, query: str, store) -> int:
        """Save a watch and take its baseline; return how many listings match now (not reported)."""
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
        self._save(watches)
        return result.total

    def remove(self, name: str) -> None:
        watches = self.load()
        if name not in watches:
            raise WatchError(f"no watch named {name!r} (see `onionwatch watch list`)")
        del watches[name]
        self._save(watches)
        self._seen_path(name).unlink(missing_ok=True)

    def run(self, store, *, names: list[str] | None = None, deliver=None) -> list[Alert]:
        """Run the watches; ``deliver(alert)`` (if given) must succeed before the ids count as seen."""
        watches = self.load()
        unknown = [n for n in names or [] if n not in watches]
        if unknown:
            raise WatchError(f"no watch named {', '.join(map(repr, unknown))} (see `onionwatch watch list`)")
        alerts = []
        for name, watch in watches.items():
            if names and name not in names:
                continue
            result = store.search(watch["query"], limit=MAX_MATCHES)
            seen = self._seen(name)
            new = [hit for hit in result.hits if _key(hit) not in seen]
            alert = Alert(name, watch["query"], new, result.total, _now())
            if deliver is not None and new:
                deliver(alert)
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
