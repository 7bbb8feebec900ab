"""Rebuild a search backend from the evidence: crawl records re-extracted from their WARC records.

The new index is built beside the live one and swapped in only when it is complete, so searches
keep working during a rebuild and a failed rebuild leaves the old index untouched:

- SQLite: a new file next to the store, then an atomic rename over it;
- Elasticsearch: new indices under a fresh staging prefix (``<prefix>-r<time>``), then every alias
  moves to them in one atomic ``_aliases`` call and the old indices are deleted.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from . import es_mappings

__all__ = ["rebuild"]


def rebuild(config, paths: Iterable[Path], *, nlp=None, quiet: bool = False,
            index: Callable[..., Any] | None = None) -> Any:
    """Re-extract and index every record in ``paths`` into a fresh backend, then swap it in.

    ``index`` is :func:`onionwatch.indexing.index_paths` unless given; returns its report.
    """
    if index is None:
        from onionwatch.indexing import index_paths as index
    if nlp is None:
        from extract import load_pipeline

        nlp = load_pipeline()
    paths = list(paths)
    if config.es_url:
        return _rebuild_es(config, paths, nlp, quiet, index)
    return _rebuild_sqlite(config, paths, nlp, quiet, index)


def _rebuild_sqlite(config, paths, nlp, quiet, index):
    from .sqlite_store import SqliteStore

    target = Path(config.store_path)
    fresh = target.with_name(target.name + ".rebuild")
    for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
        leftover.unlink(missing_ok=True)
    with SqliteStore(fresh) as store:
        report = index(paths, store, nlp, quiet=quiet)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(fresh, target)
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    return report


def _rebuild_es(config, paths, nlp, quiet, index):
    from .es_migrate import current_index
    from .es_store import ElasticsearchStore

    live = ElasticsearchStore.from_config(config)
    staging_prefix = f"{config.es_prefix}-r{time.strftime('%Y%m%d%H%M%S')}"
    staging = ElasticsearchStore(live.es, prefix=staging_prefix, url=live.url,
                                 spool_dir=config.data_dir / "es-spool" / staging_prefix)
    report = index(paths, staging, nlp, quiet=quiet)
    if staging.flush():
        raise RuntimeError(f"{staging.pending()} writes still wait in {staging.spool.directory}: the rebuild is"
                           " incomplete and was not swapped in; start Elasticsearch and run reindex again")
    es = live.es
    actions, old_indices = [], []
    for kind in es_mappings.KINDS:
        alias = es_mappings.alias_name(config.es_prefix, kind)
        new = current_index(es, staging_prefix, kind)
        old = current_index(es, config.es_prefix, kind)
        if old:
            actions.append({"remove": {"index": old, "alias": alias}})
            old_indices.append(old)
        actions.append({"add": {"index": new, "alias": alias, "is_write_index": True}})
        actions.append({"remove": {"index": new, "alias": es_mappings.alias_name(staging_prefix, kind)}})
    es.indices.update_aliases(actions=actions)
    for kind in es_mappings.KINDS:
        es.indices.put_index_template(name=f"{config.es_prefix}-{kind}", **es_mappings.template(config.es_prefix, kind))
        es.indices.delete_index_template(name=f"{staging_prefix}-{kind}")
    for old in old_indices:
        es.indices.delete(index=old)
    live.es.close()
    return report
