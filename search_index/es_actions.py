"""Elasticsearch bulk actions from documents: a pure producer, with the time and version passed in.

:func:`bulk_actions` turns the documents a backend stores (:func:`~search_index.base.listing_document`
for listings, :func:`~search_index.sqlite_store.plain` for vendors and observations) into index
actions for :func:`elasticsearch.helpers.streaming_bulk`: an idempotent id made of the kind's key
fields (:data:`KEYS`), an external version so that a late replay never overwrites a newer copy, and
the time the indexer accepted the document (``indexed_at``). It reads no clock and sends nothing:
the caller (:class:`~search_index.es_store.ElasticsearchStore`) passes ``now`` and the first
``version`` and does the sending, so the same documents, time and version always give the same
actions.

>>> from datetime import datetime, timezone
>>> now = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)
>>> docs = [{"market": "m", "handle": "ann"}, {"market": "m", "handle": "b/c"}]
>>> actions = list(bulk_actions("vendors", docs, index="ow-vendors", now=now, version=7))
>>> [(a["_id"], a["version"], a["_source"]["indexed_at"]) for a in actions]
[('m/ann', 7, '2026-01-02T03:04:05.678901Z'), ('m/b%2Fc', 8, '2026-01-02T03:04:05.678901Z')]
>>> actions[0]["_index"], actions[0]["version_type"], "indexed_at" in docs[0]
('ow-vendors', 'external', False)
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator
from urllib.parse import quote

from .base import search_fields

__all__ = ["KEYS", "bulk_actions", "doc_id", "indexed_at", "on_the_wire"]

#: The fields whose values, in this order, make the document id of each kind.
KEYS: dict[str, tuple[str, ...]] = {
    "listings": ("market", "listing_id"),
    "vendors": ("market", "handle"),
    "observations": ("market", "listing_id", "observed_at"),
}


def doc_id(*parts: str) -> str:
    """The idempotent document id of a record's key parts.

    >>> doc_id("empire", "123"), doc_id("m/x", "a b")
    ('empire/123', 'm%2Fx/a%20b')
    """
    return "/".join(quote(str(part), safe="") for part in parts)


def indexed_at(now: datetime) -> str:
    """``now`` as ``indexed_at`` stores it: UTC, microseconds, ``Z``.

    >>> from datetime import timedelta
    >>> indexed_at(datetime(2026, 1, 2, 5, 4, 5, 12, tzinfo=timezone(timedelta(hours=2))))
    '2026-01-02T03:04:05.000012Z'
    """
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def bulk_actions(kind: str, documents: Iterable[dict[str, Any]], *, index: str, now: datetime,
                 version: int) -> Iterator[dict[str, Any]]:
    """One index action per document of ``kind`` (a key of :data:`KEYS`), written to ``index`` (the
    kind's alias). The n-th document (from 0) gets the external version ``version + n``, so a
    document repeated in ``documents`` ends as its last copy; every one gets ``indexed_at`` = ``now``.
    Listings also get their folded search fields (:func:`~search_index.base.search_fields`). The
    documents are not changed: each ``_source`` is a new dict.

    >>> from datetime import datetime, timezone
    >>> listing = {"market": "m", "listing_id": "1", "title": "Fentanyl Café"}
    >>> [action] = bulk_actions("listings", [listing], index="ow-listings",
    ...                         now=datetime(2026, 1, 2, tzinfo=timezone.utc), version=1)
    >>> action["_id"], action["_source"]["q_title"], action["_source"]["indexed_at"]
    ('m/1', 'fentanyl cafe', '2026-01-02T00:00:00.000000Z')
    """
    key = KEYS[kind]
    stamp = indexed_at(now)
    for n, doc in enumerate(documents):
        source = {**doc, **search_fields(doc)} if kind == "listings" else dict(doc)
        source["indexed_at"] = stamp
        yield {"_index": index, "_id": doc_id(*(doc[field] for field in key)), "version": version + n,
               "version_type": "external", "_source": source}


def on_the_wire(action: dict[str, Any]) -> dict[str, Any]:
    """The action as sent: the same metadata with its ``_source`` serialised once, ahead of the send.

    >>> on_the_wire({"_id": "m/1", "_source": {"title": "Fent 1g", "drugs": ["fentanyl"]}})
    {'_id': 'm/1', '_source': '{"title":"Fent 1g","drugs":["fentanyl"]}'}
    """
    wire = dict(action)
    wire["_source"] = json.dumps(action["_source"], separators=(",", ":"))
    return wire
