"""Rebuild a search backend from the evidence: crawl records re-extracted from their WARC records.

The records are the crawls' records files, or, where a crawl's records file is missing (or when
asked), records re-made from the WARC archive alone (see :mod:`onionwatch.pipeline.warc_source`).
The new index is built beside the live one and swapped in only when it is complete, so searches
keep working during a rebuild and a failed rebuild leaves the old index untouched:

- SQLite: a new file next to the store, then an atomic rename over it;
- Elasticsearch: new indices under a fresh staging prefix (``<prefix>-r<time>``), then every alias
  moves to them in one atomic ``_aliases`` call and the old indices are deleted.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, Iterable

from search_index import es_mappings
from onionwatch.pipeline.warc_source import SourceError, SourcePlan, plan_records, plan_sources

__all__ = ["rebuild"]


def rebuild(config, sources: SourcePlan | Iterable[Path] | None = None, *, nlp=None, quiet: bool = False) -> Any:
    """Re-extract and index every record of ``sources`` into a fresh backend, then swap it in.

    ``sources`` is a list of records files, or a :class:`~onionwatch.pipeline.warc_source.SourcePlan`
    (default: :func:`~onionwatch.pipeline.warc_source.plan_sources` of the data directory: its records files,
    and its archived crawls that have none). Returns the :class:`~onionwatch.pipeline.indexing.IndexReport`.
    Raises :class:`~onionwatch.pipeline.warc_source.SourceError` when there is nothing to rebuild from.
    """
    if sources is None:
        sources = plan_sources(config)
    plan = sources if isinstance(sources, SourcePlan) else SourcePlan(records_files=list(sources))
    if not plan.records_files and not plan.replayed:
        raise SourceError(f"nothing to rebuild from: no records files in {config.items_dir} and no crawls in"
                          f" {config.warc_dir} (run `onionwatch crawl`)")
    if nlp is None:
        from extract import load_pipeline

        nlp = load_pipeline()

    def index(store):
        from onionwatch.pipeline.indexing import IndexReport, index_records

        report, last = IndexReport(), [0.0]

        def progress(r: IndexReport) -> None:
            if not quiet and time.monotonic() - last[0] >= 2.0:
                last[0] = time.monotonic()
                print(f"  indexed {r.listings} listings, {r.vendors} vendors", file=sys.stderr, flush=True)

        return index_records(plan_records(plan, report), store, nlp, report=report, progress=progress)

    if config.es_url:
        return _rebuild_es(config, index)
    return _rebuild_sqlite(config, index)


def _rebuild_sqlite(config, index):
    from search_index.sqlite_store import SqliteStore

    target = Path(config.store_path)
    fresh = target.with_name(target.name + ".rebuild")
    for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
        leftover.unlink(missing_ok=True)
    with SqliteStore(fresh) as store:
        report = index(store)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(fresh, target)
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    return report


def _rebuild_es(config, index):
    from search_index.es_migrate import current_index
    from search_index.es_store import ElasticsearchStore

    live = ElasticsearchStore.from_config(config)
    staging_prefix = f"{config.es_prefix}-r{time.strftime('%Y%m%d%H%M%S')}"
    staging = ElasticsearchStore(live.es, prefix=staging_prefix, url=live.url,
                                 spool_dir=config.es_spool_dir(staging_prefix))
    report = index(staging)
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
