"""Roll out a mapping change without downtime: a client-side reindex behind the alias.

The test distribution of Elasticsearch has no ``_reindex``, so documents are copied by the client:
:func:`elasticsearch.helpers.scan` reads the old index while readers keep using the alias,
``streaming_bulk`` writes the new version's index (created from the updated template), a catch-up
pass copies what was written meanwhile, then the alias moves to the new index in one atomic
``_aliases`` call and a last catch-up copies writes that raced the switch. External versions make
every copy idempotent and never let an older copy overwrite a newer one.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

from elasticsearch import Elasticsearch, helpers

from . import es_mappings
from .base import search_fields

__all__ = ["migrate", "current_index"]


def current_index(es: Elasticsearch, prefix: str, kind: str) -> str | None:
    """The concrete index the alias points at, or None."""
    alias = es_mappings.alias_name(prefix, kind)
    if not es.indices.exists_alias(name=alias):
        return None
    return next(iter(es.indices.get_alias(name=alias).body))


def _refresh_source(kind: str, source: dict[str, Any]) -> dict[str, Any]:
    """Recompute the fields a mapping version derives from the document."""
    if kind == "listings":
        source.update(search_fields(source))
    return source


def migrate(es: Elasticsearch, prefix: str, kind: str, *, keep_old: bool = False,
            progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Move ``kind`` to the current mapping version; return what was done.

    Nothing happens when the alias already points at the current version's index.
    """
    es.indices.put_index_template(name=f"{prefix}-{kind}", **es_mappings.template(prefix, kind))
    old = current_index(es, prefix, kind)
    new = es_mappings.index_name(prefix, kind)
    alias = es_mappings.alias_name(prefix, kind)
    if old == new:
        return {"kind": kind, "index": new, "copied": 0, "migrated": False}
    if not es.indices.exists(index=new):
        es.indices.create(index=new)
    copied = 0
    if old is not None:
        started = datetime.now(timezone.utc) - timedelta(seconds=5)
        copied += _copy(es, kind, old, new, None, progress)
        es.indices.refresh(index=old)
        copied += _copy(es, kind, old, new, started, progress)
        es.indices.update_aliases(actions=[
            {"remove": {"index": old, "alias": alias}},
            {"add": {"index": new, "alias": alias, "is_write_index": True}},
        ])
        es.indices.refresh(index=old)
        copied += _copy(es, kind, old, new, started, progress)
        if not keep_old:
            es.indices.delete(index=old)
    else:
        es.indices.put_alias(index=new, name=alias, is_write_index=True)
    es.indices.refresh(index=new)
    return {"kind": kind, "index": new, "from": old, "copied": copied, "migrated": True}


def _copy(es: Elasticsearch, kind: str, old: str, new: str, since: datetime | None,
          progress: Callable[[int], None] | None) -> int:
    query: dict[str, Any] = {"match_all": {}}
    if since is not None:
        query = {"range": {"indexed_at": {"gte": since.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}}}

    def actions() -> Iterator[dict[str, Any]]:
        for hit in helpers.scan(es, index=old, query={"query": query, "version": True}, size=1000):
            yield {"_index": new, "_id": hit["_id"], "version": hit["_version"], "version_type": "external",
                   "_source": _refresh_source(kind, hit["_source"])}

    copied = 0
    for ok, item in helpers.streaming_bulk(es, actions(), chunk_size=1000, max_retries=3, raise_on_error=False):
        info = next(iter(item.values()))
        if ok or info.get("status") == 409:
            copied += 1
            if progress and copied % 10000 == 0:
                progress(copied)
        else:
            raise RuntimeError(f"copying {info.get('_id')} into {new} failed: {info.get('error')}")
    return copied
