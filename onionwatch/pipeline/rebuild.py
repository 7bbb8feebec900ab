"""Rebuild a search backend from the evidence: crawl records re-extracted from their WARC records.

The records are the crawls' records files, or, where a crawl's records file is missing (or when
asked), records re-made from the WARC archive alone (see :mod:`onionwatch.pipeline.warc_source`).
The new index is built beside the live one and swapped in only when it is complete, so searches
keep working during a rebuild and a failed rebuild leaves the old index untouched:

- SQLite: a new file next to the store, then an atomic rename over it;
- Elasticsearch: new indices under a fresh staging prefix (``<prefix>-r<time>``), then every alias
  moves to them in one atomic ``_aliases`` call and the old indices are deleted.

A rebuild never silently replaces a store with a poorer one. Before the swap it raises
:class:`RebuildRefused`, drops the new store and keeps the old one when any page's evidence (or a
records file) could not be read, or when the new store holds fewer listings, vendor accounts or
values of any field than the old (:mod:`onionwatch.pipeline.store_diff`). ``force=True`` takes the
new store anyway (counts can rightly drop after an extraction fix).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, Iterable

from search_index import es_mappings
from onionwatch.pipeline.warc_source import SourceError, SourcePlan, plan_records, plan_sources

__all__ = ["rebuild", "RebuildRefused"]


class RebuildRefused(RuntimeError):
    """The rebuilt store is poorer than the old one, which was kept; ``report`` is the rebuild's
    :class:`~onionwatch.pipeline.indexing.IndexReport` and ``diff`` the per-field table (or "")."""

    def __init__(self, message: str, report: Any, diff: str = "") -> None:
        super().__init__(message)
        self.report = report
        self.diff = diff


def _guard(report: Any, old: dict[str, int] | None, new: dict[str, int], *, force: bool) -> None:
    """Raise :class:`RebuildRefused` unless the new store may replace the old one."""
    from onionwatch.pipeline.store_diff import format_diff, losses

    if force:
        return
    unread = report.evidence_errors + report.unreadable_files
    if unread:
        raise RebuildRefused(
            f"{report.evidence_errors} page(s) of evidence and {report.unreadable_files} records file(s) could not"
            f" be read (of {report.listings} listings and {report.vendors} vendor accounts rebuilt): the old store is"
            " kept. Check that --data-dir is the case folder holding warc/ and items/, run `onionwatch evidence"
            " verify`, or take the new store anyway with --force", report)
    if old is None:
        return
    lost = losses(old, new)
    if lost:
        raise RebuildRefused(
            f"the rebuilt store holds fewer values than the old one in {len(lost)} count(s)"
            f" ({', '.join(f'{name} {before} -> {after}' for name, before, after in lost[:5])}"
            f"{' ...' if len(lost) > 5 else ''}): the old store is kept; take the new one with --force"
            " if the drop is expected (an extraction fix)", report, format_diff(old, new))


def _counts_of(open_old, *, close: bool = True) -> dict[str, int] | None:
    """The field counts of the store a rebuild would replace, None when there is none to compare."""
    from onionwatch.pipeline.store_diff import field_counts

    try:
        store = open_old()
        if store is None:
            return None
        try:
            return field_counts(store)
        finally:
            if close:
                store.close()
    except Exception as exc:  # noqa: BLE001 - an old store that cannot be read is not compared, and said so
        print(f"  the current store cannot be read to compare ({exc}); it will be replaced", file=sys.stderr)
        return None


def rebuild(config, sources: SourcePlan | Iterable[Path] | None = None, *, nlp=None, quiet: bool = False,
            force: bool = False) -> Any:
    """Re-extract and index every record of ``sources`` into a fresh backend, then swap it in.

    ``sources`` is a list of records files, or a :class:`~onionwatch.pipeline.warc_source.SourcePlan`
    (default: :func:`~onionwatch.pipeline.warc_source.plan_sources` of the data directory: its records files,
    and its archived crawls that have none). Returns the :class:`~onionwatch.pipeline.indexing.IndexReport`.
    Raises :class:`~onionwatch.pipeline.warc_source.SourceError` when there is nothing to rebuild from,
    and :class:`RebuildRefused` (the old store kept) when the new one would be poorer, unless ``force``.
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

        return index_records(plan_records(plan, report), store, nlp, report=report, progress=progress,
                             data_dir=config.data_dir)

    if config.es_url:
        return _rebuild_es(config, index, force=force)
    return _rebuild_sqlite(config, index, force=force)


def _rebuild_sqlite(config, index, *, force: bool = False):
    from onionwatch.pipeline.store_diff import field_counts
    from search_index.sqlite_store import SqliteStore

    target = Path(config.store_path)
    fresh = target.with_name(target.name + ".rebuild")
    leftovers = (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    old = _counts_of(lambda: SqliteStore(target) if target.exists() else None)
    try:
        with SqliteStore(fresh) as store:
            report = index(store)
            store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            new = field_counts(store)
        _guard(report, old, new, force=force)
    except BaseException:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        raise
    os.replace(fresh, target)
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    return report


def _rebuild_es(config, index, *, force: bool = False):
    from onionwatch.pipeline.store_diff import field_counts
    from search_index.es_migrate import current_index
    from search_index.es_store import ElasticsearchStore

    live = ElasticsearchStore.from_config(config)
    staging_prefix = f"{config.es_prefix}-r{time.strftime('%Y%m%d%H%M%S')}"
    staging = ElasticsearchStore(live.es, prefix=staging_prefix, url=live.url,
                                 spool_dir=config.es_spool_dir(staging_prefix))
    es = live.es
    old = _counts_of(lambda: live if any(current_index(es, config.es_prefix, kind)
                                         for kind in es_mappings.KINDS) else None,
                     close=False) if not force else None
    report = index(staging)
    if staging.flush():
        raise RuntimeError(f"{staging.pending()} writes still wait in {staging.spool.directory}: the rebuild is"
                           " incomplete and was not swapped in; start Elasticsearch and run reindex again")
    try:
        _guard(report, old, field_counts(staging), force=force)
    except RebuildRefused:
        for kind in es_mappings.KINDS:
            stale = current_index(es, staging_prefix, kind)
            if stale:
                es.indices.delete(index=stale)
            es.options(ignore_status=404).indices.delete_index_template(name=f"{staging_prefix}-{kind}")
        raise
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
