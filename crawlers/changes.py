"""What changed between two crawls of a market: listings new, changed, unchanged and gone.

Listings are compared by what the profile's selectors read from them (title, price, stock,
feedback count, description, ...), never by the page's bytes: markets stamp every page with
per-request tokens and times, so no two fetches of a page are byte-identical.

>>> a = {"kind": "listing", "market": "m", "listing_id": "1", "fields": {"price": "$5", "stock": "3"}}
>>> b = {**a, "fields": {"price": "$6", "stock": "3"}}
>>> c = compare_records([a], [b]); (c.changed, c.new, c.gone)
(['1'], [], [])
>>> listing_state(b)["stock"], listing_state(b)["available"]
(3, True)
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from onionwatch.core.jsonl import OnError, log_bad_line, read_jsonl

__all__ = ["Changes", "compare_records", "compare_files", "listing_state", "content_digest", "read_listings",
           "parse_count"]

_INT = re.compile(r"-?\d[\d,.' ]*")
#: Fields of a listing that say how it is doing rather than what it is.
STATE_FIELDS = ("price", "stock", "feedback_count")
_SOLD_OUT = re.compile(r"sold out|out of stock|ausverkauft|unavailable|nicht verf", re.I)


def parse_count(text: Any) -> int | None:
    """A count as a market writes it: ``"1,204"``, ``"12 left"``, ``"1.204"`` -> int; else None.

    >>> parse_count("1,204 left"), parse_count("none"), parse_count(7)
    (1204, None, 7)
    """
    if isinstance(text, int):
        return text
    if not isinstance(text, str):
        return None
    found = _INT.search(text)
    if not found:
        return None
    digits = re.sub(r"\D", "", found.group(0).split(" ")[0])
    return int(digits) if digits else None


def content_digest(record: dict) -> str:
    """SHA-256 of a listing's extracted fields (as canonical JSON): equal when the content is.
    Photos count by address and the digest of their bytes, not by where they were archived; the
    crawler's own keys ``content`` (where the listing's area is) and ``pages`` (the pages merged
    into the record, with their evidence) do not count.

    >>> photo = {"url": "u", "evidence": {"digest": "sha256:A", "warc_file": "1.warc.gz"}}
    >>> moved = {"url": "u", "evidence": {"digest": "sha256:A", "warc_file": "2.warc.gz"}}
    >>> content_digest({"fields": {"photos": [photo]}}) == content_digest({"fields": {"photos": [moved]}})
    True
    """
    fields = {k: v for k, v in (record.get("fields") or {}).items() if k not in ("content", "pages")}
    if isinstance(fields.get("photos"), list):
        fields["photos"] = [[p.get("url"), (p.get("evidence") or {}).get("digest")] if isinstance(p, dict) else p
                            for p in fields["photos"]]
    data = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def listing_state(record: dict) -> dict[str, Any]:
    """Price text, stock, feedback count and availability read from a listing record's fields."""
    fields = record.get("fields") or {}
    stock = parse_count(fields.get("stock"))
    text = " ".join(str(fields.get(k) or "") for k in ("stock", "availability"))
    return {"price": fields.get("price"), "stock": stock,
            "feedback_count": parse_count(fields.get("feedback_count")),
            "available": not (stock == 0 or _SOLD_OUT.search(text))}


@dataclass
class Changes:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    #: listing id -> {field: (before, after)} for the state fields that moved
    moves: dict[str, dict[str, tuple]] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": len(self.unchanged),
                "gone": len(self.gone)}


def compare_records(before: Iterable[dict], after: Iterable[dict]) -> Changes:
    """Compare the listing records of two crawls of one market (by listing id and content)."""
    old = {r["listing_id"]: r for r in before if r.get("kind") == "listing"}
    new = {r["listing_id"]: r for r in after if r.get("kind") == "listing"}
    changes = Changes(new=sorted(set(new) - set(old)), gone=sorted(set(old) - set(new)))
    for lid in sorted(set(new) & set(old)):
        if content_digest(new[lid]) == content_digest(old[lid]):
            changes.unchanged.append(lid)
            continue
        changes.changed.append(lid)
        a, b = listing_state(old[lid]), listing_state(new[lid])
        changes.moves[lid] = {k: (a[k], b[k]) for k in ("price", "stock", "feedback_count") if a[k] != b[k]}
    return changes


def read_listings(path: Path, *, on_error: OnError = log_bad_line) -> list[dict]:
    """The listing records of a crawl's records file. A line that does not parse is skipped and
    handed to ``on_error`` (by default a warning naming the file and line; see
    :mod:`onionwatch.core.jsonl`)."""
    return [record for record in read_jsonl(path, on_error=on_error) if record.get("kind") == "listing"]


def compare_files(before: Path | None, after: Path) -> Changes:
    """:func:`compare_records` over two records files; with no earlier crawl, everything is new."""
    return compare_records(read_listings(before) if before else [], read_listings(after))
