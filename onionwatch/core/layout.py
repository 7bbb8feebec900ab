"""The data directory's layout: every file name onionwatch writes or looks for, in one place.

A data directory holds::

    warc/<market>-<crawl id>-00000.warc.gz   WARC evidence (+ .digests.jsonl, .manifest.json beside it)
    items/<market>-<crawl id>.jsonl          the crawl's records, one JSON object a line
    jobs/<market>-<crawl id>/                a crawl's resumable state (job.json, Scrapy's JOBDIR)
    sessions/                                session cookies and markets marked down
    schedule/                                scheduled runs: history.jsonl, reports/
    watches/                                 saved searches and their alerts
    es-spool/<prefix>/                       Elasticsearch writes waiting for the cluster
    onionwatch.sqlite3                       the embedded search store

Evidence pointers (``Evidence.warc_file``) name a WARC file of the data directory relative to it,
``warc/<file>`` (:func:`evidence_pointer`), so a case folder copied anywhere still finds its
evidence; :func:`onionwatch.evidence.locate.warc_path` resolves a pointer against a data directory.

The functions here name files from plain values (a folder, a market, a crawl id), so a stage that
is handed a folder names its files the same way :class:`~onionwatch.core.config.Config` does.

>>> crawl_stem("empire", "20260101T000000Z-abc123")
'empire-20260101T000000Z-abc123'
>>> warc_file_name("empire-20260101T000000Z-abc123", 3)
'empire-20260101T000000Z-abc123-00003.warc.gz'
>>> records_file_name("empire", "c1"), warc_glob("empire", "c1"), warc_glob()
('empire-c1.jsonl', 'empire-c1-*.warc.gz', '*.warc.gz')
>>> evidence_pointer("/cases/17/warc/empire-c1-00000.warc.gz"), evidence_pointer("saved/x.warc.gz")
('warc/empire-c1-00000.warc.gz', 'saved/x.warc.gz')
>>> data_dir_of_records("/cases/17/items/empire-c1.jsonl").as_posix(), data_dir_of_records("x.jsonl")
('/cases/17', None)
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["WARC_DIR", "ITEMS_DIR", "WARC_SUFFIX", "RECORDS_SUFFIX", "evidence_pointer", "data_dir_of_records", "crawl_stem", "warc_file_name", "warc_glob", "records_file_name",
           "records_glob", "job_dir", "digest_log_path", "manifest_path"]

#: The data directory's folders of WARC evidence and of crawl records.
WARC_DIR = "warc"
ITEMS_DIR = "items"
WARC_SUFFIX = ".warc.gz"
RECORDS_SUFFIX = ".jsonl"


def crawl_stem(market: str, crawl_id: str) -> str:
    """The start of every file name of one crawl: ``<market>-<crawl id>``."""
    return f"{market}-{crawl_id}"


def warc_file_name(prefix: str, serial: int) -> str:
    """The ``serial``-th WARC file of a crawl whose files start with ``prefix``."""
    return f"{prefix}-{serial:05d}{WARC_SUFFIX}"


def warc_glob(market: str | None = None, crawl_id: str | None = None) -> str:
    """A glob pattern for the WARC files of one crawl, or of every crawl when no crawl is given."""
    if market is None or crawl_id is None:
        return f"*{WARC_SUFFIX}"
    return f"{crawl_stem(market, crawl_id)}-*{WARC_SUFFIX}"


def records_file_name(market: str, crawl_id: str) -> str:
    """The records file of one crawl, in the items folder."""
    return crawl_stem(market, crawl_id) + RECORDS_SUFFIX


def records_glob() -> str:
    """A glob pattern for every records file of the items folder."""
    return f"*{RECORDS_SUFFIX}"


def job_dir(jobs_dir: str | os.PathLike, market: str, crawl_id: str) -> Path:
    """The folder of one crawl's resumable state, under ``jobs_dir``."""
    return Path(jobs_dir) / crawl_stem(market, crawl_id)


def digest_log_path(warc_path: str | os.PathLike) -> Path:
    """The digest log written beside a WARC file, one line a record."""
    return Path(f"{warc_path}.digests.jsonl")


def manifest_path(warc_path: str | os.PathLike) -> Path:
    """The manifest written beside a WARC file once it is closed."""
    return Path(f"{warc_path}.manifest.json")


def evidence_pointer(warc_path: str | os.PathLike) -> str:
    """The ``Evidence.warc_file`` of a WARC file: ``warc/<name>``, relative to the data directory,
    when the file is in a data directory's ``warc`` folder; else the path as given (an archive
    kept outside any data directory)."""
    path = Path(warc_path)
    if path.parent.name == WARC_DIR:
        return f"{WARC_DIR}/{path.name}"
    return str(warc_path)


def data_dir_of_records(records_path: str | os.PathLike) -> Path | None:
    """The data directory a records file belongs to (the folder holding its ``items`` folder),
    or None for a records file kept elsewhere."""
    path = Path(records_path)
    return path.parent.parent if path.parent.name == ITEMS_DIR else None
